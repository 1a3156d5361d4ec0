/**
 * Subword estimates for models trained without n-grams (word2vec, GloVe, PPMI, any imported text
 * file): two ways to give an unseen string a vector from the character n-grams it shares with the
 * vocabulary, behind one interface the OOV pipeline calls.
 *
 * - {@link fitSubwordTable}, learned: n-gram vectors fitted by least squares so that the mean of a
 *   word's n-gram vectors reproduces the word's unit vector (the fastText composition, fitted after
 *   the fact instead of trained with the words); an unseen word is then the mean of its n-grams' rows.
 * - `MagnitudeEstimator` (magnitude-estimator.ts), after Magnitude (Patel et al. 2018, §4.1): a
 *   deterministic pseudo-random vector built from the word's n-grams, blended with the mean of the
 *   vocabulary words that share the most n-grams with it.
 */
import { InvalidArgumentError } from '../errors.js';
import type { OnProgress } from '../progress.js';
import { createRandom } from '../random.js';
import { checkNgramSpec, type NgramSpec, ngramRows } from './char-ngrams.js';
import { SubwordTable } from './subword-table.js';

/** A subword estimate and what it was made from. */
export interface SubwordExplanation {
  vector: Float32Array;
  /** The word's n-grams the estimate is built from (those the model knows), in the word's order. */
  pieces: string[];
  /** Vocabulary words blended into the estimate (Magnitude), most similar spelling first. */
  similarWords?: string[];
}

/** What the OOV pipeline asks of a subword model. */
export interface SubwordEstimator {
  /** A vector for `word` and the n-grams it came from, or undefined when none of them is known. */
  explain(word: string): SubwordExplanation | undefined;
}

/** The rows a subword model is built from: unit vectors of the vocabulary, in row order. */
export interface UnitRows {
  words: readonly string[];
  dim: number;
  /** `words.length × dim` unit rows. */
  unit: Float32Array;
}

/** Options of {@link fitSubwordTable}. */
export interface FitSubwordOptions extends Partial<NgramSpec> {
  /** Passes over the vocabulary. Default 10. */
  epochs?: number;
  /** SGD step size. Default 0.5, decaying linearly to 0. */
  learningRate?: number;
  seed?: number;
  onProgress?: OnProgress;
}

/** Defaults of the learned table: fastText's n-gram lengths; 2^20 rows keep 400k-word models under ~400 MB at 100d. */
export const DEFAULT_SUBWORD_SPEC: NgramSpec = { minn: 3, maxn: 6, bucket: 1 << 20 };

/**
 * Fits n-gram vectors so that, for every vocabulary word, the mean of its n-gram rows is close to its
 * unit vector: SGD on Σ_w ‖mean_{g ∈ G(w)} E_g − u_w‖², rows touched only by their words.
 *
 * @example
 * ```ts
 * const table = fitSubwordTable({ words: kv.words, dim: kv.dim, unit: kv.unitVectors() }, { bucket: 1 << 18 });
 * table.explain('pizzaiolo'); // { vector, pieces: ['<pi', 'piz', …] }
 * ```
 */
export function fitSubwordTable(rows: UnitRows, options: FitSubwordOptions = {}): SubwordTable {
  const spec: NgramSpec = {
    minn: options.minn ?? DEFAULT_SUBWORD_SPEC.minn,
    maxn: options.maxn ?? DEFAULT_SUBWORD_SPEC.maxn,
    bucket: options.bucket ?? DEFAULT_SUBWORD_SPEC.bucket,
  };
  checkNgramSpec(spec);
  const epochs = options.epochs ?? 10;
  const lr0 = options.learningRate ?? 0.5;
  if (!Number.isInteger(epochs) || epochs < 1)
    throw new InvalidArgumentError(`epochs must be a positive integer, got ${epochs}`);
  if (!(lr0 > 0)) throw new InvalidArgumentError(`learningRate must be positive, got ${lr0}`);
  const { words, dim, unit } = rows;
  const n = words.length;
  const table = new Float32Array(spec.bucket * dim);
  // n-gram rows of every word, once: offsets into one Int32Array.
  const offsets = new Int32Array(n + 1);
  const lists: Int32Array[] = new Array(n);
  for (let w = 0; w < n; w++) {
    lists[w] = ngramRows(words[w], spec);
    offsets[w + 1] = offsets[w] + lists[w].length;
  }
  const all = new Int32Array(offsets[n]);
  for (let w = 0; w < n; w++) all.set(lists[w], offsets[w]);
  const order = Int32Array.from({ length: n }, (_, i) => i);
  const rand = createRandom(options.seed ?? 1);
  const mean = new Float32Array(dim);
  const total = epochs * n;
  let step = 0;
  for (let e = 0; e < epochs; e++) {
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      const t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    for (let k = 0; k < n; k++, step++) {
      const w = order[k];
      const from = offsets[w];
      const to = offsets[w + 1];
      const count = to - from;
      if (count === 0) continue;
      mean.fill(0);
      for (let g = from; g < to; g++) for (let d = 0, o = all[g] * dim; d < dim; d++) mean[d] += table[o + d];
      // The gradient of ½‖m − u‖² for each n-gram row is (m − u) / count; stepping every row by
      // lr · (m − u) instead (count times that) moves the mean itself by lr of its residual, whatever
      // the word's length, so a pass makes the same progress on short and long words.
      const scale = lr0 * (1 - step / total);
      for (let d = 0, u = w * dim; d < dim; d++) mean[d] = (mean[d] / count - unit[u + d]) * scale;
      for (let g = from; g < to; g++) for (let d = 0, o = all[g] * dim; d < dim; d++) table[o + d] -= mean[d];
    }
    options.onProgress?.({ stage: 'subword', done: e + 1, total: epochs, unit: 'epochs' });
  }
  return new SubwordTable(spec, dim, table);
}
