/**
 * A table of character n-gram vectors (`bucket × dim`, row = n-gram hash mod bucket) and the vector
 * it gives any string: the mean of its n-grams' rows, as fastText's `getWordVector` gives an
 * out-of-vocabulary word (for a vocabulary word fastText also averages in the word's own row; see
 * {@link subwordWordVector}).
 */
import { InvalidArgumentError } from '../errors.js';
import { charNgrams, checkNgramSpec, type NgramSpec, ngramRows } from './char-ngrams.js';
import type { SubwordEstimator, SubwordExplanation } from './subword-estimator.js';

/**
 * n-gram vectors and how n-grams are made.
 *
 * @example
 * ```ts
 * const table = new SubwordTable({ minn: 3, maxn: 6, bucket: 2_000_000 }, 100, rows);
 * table.estimate('pizzaiolo'); // Float32Array(100): the mean of its 30 n-gram rows
 * ```
 */
export class SubwordTable implements SubwordEstimator {
  readonly spec: NgramSpec;
  readonly dim: number;
  /** `bucket × dim` float32, row-major. Kept by reference. */
  readonly rows: Float32Array;

  constructor(spec: NgramSpec, dim: number, rows: Float32Array) {
    checkNgramSpec(spec);
    if (!Number.isInteger(dim) || dim < 1)
      throw new InvalidArgumentError(`dim must be a positive integer, got ${dim}`);
    if (rows.length !== spec.bucket * dim) {
      throw new InvalidArgumentError(
        `n-gram rows hold ${rows.length} values, expected bucket × dim = ${spec.bucket} × ${dim}`,
      );
    }
    this.spec = { minn: spec.minn, maxn: spec.maxn, bucket: spec.bucket };
    this.dim = dim;
    this.rows = rows;
  }

  /** The hash rows of `word`'s n-grams, in fastText's order (an empty array when it has none). */
  rowsOf(word: string): Int32Array {
    return ngramRows(word, this.spec);
  }

  /**
   * The mean of `word`'s n-gram rows (fastText `get_word_vector` for a word outside the vocabulary),
   * or undefined when the word makes no n-gram (e.g. `maxn` 0).
   *
   * @example
   * ```ts
   * table.estimate('pizzaiolo'); // Float32Array(dim)
   * ```
   */
  estimate(word: string): Float32Array | undefined {
    const rows = this.rowsOf(word);
    if (rows.length === 0) return undefined;
    return meanOfRows(this.rows, this.dim, rows, -1, undefined);
  }

  /**
   * {@link SubwordTable.estimate} with the n-grams it averaged, for the OOV pipeline's record. Rows
   * that are exactly zero were never trained (a fitted table's n-grams no vocabulary word has; a
   * fastText table starts every row random, so it has none): they are left out of `pieces`, and a word
   * whose every n-gram row is zero gets no estimate (undefined) instead of a zero vector.
   *
   * @example
   * ```ts
   * table.explain('pizzaiolo')?.pieces; // ['<pi', 'piz', 'izz', …]
   * ```
   */
  explain(word: string): SubwordExplanation | undefined {
    const grams = charNgrams(word, this.spec);
    const pieces: string[] = [];
    for (const { ngram, row } of grams)
      if (!this.#isZeroRow(row) && !pieces.includes(ngram)) pieces.push(ngram);
    if (pieces.length === 0) return undefined;
    const vector = this.estimate(word);
    return vector && { vector, pieces };
  }

  #isZeroRow(row: number): boolean {
    for (let d = 0, o = row * this.dim; d < this.dim; d++) if (this.rows[o + d] !== 0) return false;
    return true;
  }
}

/**
 * fastText's vector of a vocabulary word: the mean of its own input row and its n-gram rows
 * (`Dictionary::initNgrams` puts the word id first in its subword list).
 *
 * @param wordRows - the vocabulary's input rows (`nwords × dim`)
 * @example
 * ```ts
 * subwordWordVector(table, wordRows, kv.index('pizza')); // what `fasttext print-word-vectors` prints
 * ```
 */
export function subwordWordVector(
  table: SubwordTable,
  wordRows: Float32Array,
  word: string,
  row: number,
): Float32Array {
  return meanOfRows(table.rows, table.dim, table.rowsOf(word), row, wordRows);
}

/**
 * The mean of rows `rows` of a row-major `table` (`dim` columns), summed in float32 in the given order
 * and scaled by float32 `1 / count`, as fastText's `Vector` does: what {@link SubwordTable.estimate}
 * computes, for row sources that are not one array (the store gathers the rows it reads into `table`).
 *
 * @example
 * ```ts
 * meanOfNgramRows(gathered, dim, Int32Array.from({ length: k }, (_, i) => i)); // = table.estimate(word)
 * ```
 */
export function meanOfNgramRows(table: Float32Array, dim: number, rows: Int32Array): Float32Array {
  return meanOfRows(table, dim, rows, -1, undefined);
}

/** Mean of n-gram rows `rows` of `ngrams`, plus row `wordRow` of `words` when ≥ 0 (summed in float32, as fastText's Vector). */
function meanOfRows(
  ngrams: Float32Array,
  dim: number,
  rows: Int32Array,
  wordRow: number,
  words: Float32Array | undefined,
): Float32Array {
  const out = new Float32Array(dim);
  let count = 0;
  if (wordRow >= 0 && words) {
    for (let d = 0, o = wordRow * dim; d < dim; d++) out[d] = words[o + d];
    count++;
  }
  for (let k = 0; k < rows.length; k++) {
    for (let d = 0, o = rows[k] * dim; d < dim; d++) out[d] += ngrams[o + d];
    count++;
  }
  if (count > 0) {
    const inv = Math.fround(1 / count);
    for (let d = 0; d < dim; d++) out[d] *= inv;
  }
  return out;
}
