/**
 * Pointwise mutual information over sparse co-occurrence counts, never densifying the V × V matrix.
 *
 * With counts X, row sums #(w) = Σ_c X_wc, column sums #(c) = Σ_w X_wc and total |D| = Σ X
 * (Levy, Goldberg & Dagan 2015, "Improving Distributional Similarity with Lessons Learned from Word
 * Embeddings", §2 and §3.2):
 *
 *   PMI(w, c)    = log( X_wc · |D| / (#(w) · #(c)) )
 *   PMI_α(w, c)  = log( X_wc · Σ_c' #(c')^α / (#(w) · #(c)^α) )      context-distribution smoothing (α = 0.75)
 *   SPPMI_k(w,c) = max(PMI_α(w, c) − log k, 0)                         shifted positive PMI (k = 1: plain PPMI)
 *
 * PMI_1 is PMI, since Σ_c #(c) = |D|. Pairs never seen have PMI −∞ and PPMI 0.
 */

import { InvalidArgumentError, OovError } from '../errors.js';
import type { CsrMatrix } from '../linalg/sparse-matrix.js';
import { selectTopK } from '../linalg/top-k.js';
import { quoteForMessage } from '../text/quote.js';
import { type CooccurrenceMatrix, rowPointers } from './matrix.js';

/**
 * Smoothing and shift of {@link CooccurrenceStats.ppmi} and friends.
 *
 * @example
 * ```ts
 * stats.ppmi('pizza', 'cheese', { alpha: 0.75, shift: 5 }); // smoothed contexts, SPPMI with k = 5
 * ```
 */
export interface PmiOptions {
  /** Context-distribution smoothing exponent α (1 = none). */
  alpha?: number;
  /** Shift k: subtract log k before clipping at 0 (1 = none). */
  shift?: number;
}

/**
 * One strongest context of a word, from {@link CooccurrenceStats.topContexts}.
 *
 * @example
 * ```ts
 * for (const { word, ppmi, ratio } of stats.topContexts('pizza', { k: 5 })) {
 *   console.log(`${word}: PPMI ${ppmi.toFixed(2)}, ${ratio.toFixed(1)}× more often than chance`);
 * }
 * ```
 */
export interface ContextScore {
  /** The context word (or its id as a string when the stats carry no words). */
  word: string;
  index: number;
  /** Shifted PPMI with the smoothing asked for. */
  ppmi: number;
  /** Unsmoothed PMI. */
  pmi: number;
  /** Weighted co-occurrence count X_wc. */
  count: number;
  /** How many times more often than chance: exp(PMI) = X_wc · |D| / (#(w) · #(c)). */
  ratio: number;
}

/**
 * Everything needed to rebuild a {@link CooccurrenceStats}: plain typed arrays, ready to be stored as BLOBs
 * (e.g. one row of a store table per model). The CSR arrays may hold a pruned subset of the counts
 * ({@link CooccurrenceStats.pruned}); the marginals and total always describe the full counts.
 *
 * @example
 * ```ts
 * const saved = stats.toSerialized(); // typed arrays, e.g. to store as BLOBs
 * const again = new CooccurrenceStats(saved);
 * again.pmi('pizza', 'cheese') === stats.pmi('pizza', 'cheese'); // true
 * ```
 */
export interface SerializedCooccurrenceStats {
  words?: readonly string[];
  vocabSize: number;
  total: number;
  rowSums: Float64Array;
  colSums: Float64Array;
  rowPtr: Float64Array;
  cols: Uint32Array;
  values: Float64Array;
}

/**
 * Word given by spelling or by id.
 *
 * @example
 * ```ts
 * stats.count('pizza', 'cheese') === stats.count(stats.indexOf('pizza'), stats.indexOf('cheese')); // true
 * ```
 */
export type WordRef = string | number;

/**
 * Answers PMI questions about a co-occurrence matrix: `pmi(a, b)`, `ppmi`, how many times more often than
 * chance two words co-occur, and a word's strongest contexts.
 *
 * @example
 * ```ts
 * const stats = CooccurrenceStats.fromMatrix(await countCooccurrences(enc.ids, vocab.size), vocab.words);
 * stats.ratio('pizza', 'cheese'); // 7.3: co-occur 7.3× more often than chance
 * stats.pmi('pizza', 'cheese');   // 1.99 (natural log)
 * stats.topContexts('pizza', { k: 5 }).map((c) => c.word);
 * ```
 */
export class CooccurrenceStats {
  readonly vocabSize: number;
  readonly words: readonly string[] | undefined;
  /** |D|: sum of all counts. */
  readonly total: number;
  /** #(w) per row. */
  readonly rowSums: Float64Array;
  /** #(c) per column. */
  readonly colSums: Float64Array;
  readonly rowPtr: Float64Array;
  readonly cols: Uint32Array;
  readonly values: Float64Array;
  readonly #index: Map<string, number> | undefined;
  readonly #smoothedTotals = new Map<number, number>();

  constructor(s: SerializedCooccurrenceStats) {
    const V = s.vocabSize;
    if (!Number.isInteger(V) || V < 0)
      throw new InvalidArgumentError(`vocabSize must be a non-negative integer, got ${V}`);
    if (s.words && s.words.length !== V) {
      throw new InvalidArgumentError(`words has ${s.words.length} entries but vocabSize is ${V}`);
    }
    if (s.rowSums.length !== V || s.colSums.length !== V || s.rowPtr.length !== V + 1) {
      throw new InvalidArgumentError(
        `rowSums/colSums/rowPtr have ${s.rowSums.length}/${s.colSums.length}/${s.rowPtr.length} entries, expected ${V}/${V}/${V + 1}`,
      );
    }
    const nnz = s.rowPtr[V];
    if (s.cols.length < nnz || s.values.length < nnz) {
      throw new InvalidArgumentError(
        `rowPtr ends at ${nnz} but cols/values have ${s.cols.length}/${s.values.length} entries`,
      );
    }
    this.vocabSize = V;
    this.words = s.words;
    this.total = s.total;
    this.rowSums = s.rowSums;
    this.colSums = s.colSums;
    this.rowPtr = s.rowPtr;
    this.cols = s.cols;
    this.values = s.values;
    if (s.words) {
      this.#index = new Map();
      for (let i = 0; i < s.words.length; i++) this.#index.set(s.words[i], i);
    }
  }

  /**
   * Statistics of a (row, col)-sorted co-occurrence matrix. Shares its cols and values.
   * @param words - the vocabulary in id order, to ask by spelling.
   */
  static fromMatrix(m: CooccurrenceMatrix, words?: readonly string[]): CooccurrenceStats {
    const V = m.vocabSize;
    const rowSums = new Float64Array(V);
    const colSums = new Float64Array(V);
    let total = 0;
    for (let k = 0; k < m.nnz; k++) {
      const x = m.values[k];
      rowSums[m.rows[k]] += x;
      colSums[m.cols[k]] += x;
      total += x;
    }
    return new CooccurrenceStats({
      words,
      vocabSize: V,
      total,
      rowSums,
      colSums,
      rowPtr: rowPointers(m),
      cols: m.cols.subarray(0, m.nnz),
      values: m.values.subarray(0, m.nnz),
    });
  }

  /** Stored (non-zero) entries. */
  get nnz(): number {
    return this.rowPtr[this.vocabSize];
  }

  /** The arrays to store; {@link CooccurrenceStats} `new CooccurrenceStats(serialized)` rebuilds it. */
  toSerialized(): SerializedCooccurrenceStats {
    const { words, vocabSize, total, rowSums, colSums, rowPtr, cols, values } = this;
    return { words, vocabSize, total, rowSums, colSums, rowPtr, cols, values };
  }

  /**
   * A smaller copy that keeps, per word, only its `maxContexts` contexts of highest count (marginals
   * unchanged, so PMI of the kept pairs is exact; dropped pairs then read as never co-occurring).
   * Meant for storing the statistics beside a model.
   */
  pruned(maxContexts: number): CooccurrenceStats {
    if (!Number.isInteger(maxContexts) || maxContexts < 1) {
      throw new InvalidArgumentError(`maxContexts must be a positive integer, got ${maxContexts}`);
    }
    const V = this.vocabSize;
    const rowPtr = new Float64Array(V + 1);
    const keepCols: number[] = [];
    const keepVals: number[] = [];
    for (let i = 0; i < V; i++) {
      const start = this.rowPtr[i];
      const end = this.rowPtr[i + 1];
      if (end - start <= maxContexts) {
        for (let e = start; e < end; e++) {
          keepCols.push(this.cols[e]);
          keepVals.push(this.values[e]);
        }
      } else {
        const top = selectTopK(this.values, maxContexts, { start, end });
        const kept = Array.from(top.rows).sort((a, b) => a - b); // back to column order
        for (const e of kept) {
          keepCols.push(this.cols[e]);
          keepVals.push(this.values[e]);
        }
      }
      rowPtr[i + 1] = keepVals.length;
    }
    return new CooccurrenceStats({
      ...this.toSerialized(),
      rowPtr,
      cols: Uint32Array.from(keepCols),
      values: Float64Array.from(keepVals),
    });
  }

  /** Id of a word given by spelling or id. @throws {@link OovError} / {@link InvalidArgumentError}. */
  indexOf(word: WordRef): number {
    if (typeof word === 'number') {
      if (!Number.isInteger(word) || word < 0 || word >= this.vocabSize) {
        throw new InvalidArgumentError(`word id ${word} is outside [0, ${this.vocabSize})`);
      }
      return word;
    }
    const i = this.#index?.get(word);
    if (i === undefined) {
      if (!this.#index)
        throw new InvalidArgumentError(
          `these statistics carry no words; ask by id, not ${quoteForMessage(word)}`,
        );
      throw new OovError([word]);
    }
    return i;
  }

  /** Weighted co-occurrence count X_ab (0 when never seen together). Binary search in row a. */
  count(a: WordRef, b: WordRef): number {
    const i = this.indexOf(a);
    const j = this.indexOf(b);
    let lo = this.rowPtr[i];
    let hi = this.rowPtr[i + 1] - 1;
    while (lo <= hi) {
      const mid = Math.floor((lo + hi) / 2);
      const c = this.cols[mid];
      if (c === j) return this.values[mid];
      if (c < j) lo = mid + 1;
      else hi = mid - 1;
    }
    return 0;
  }

  /** Σ_c #(c)^α, cached per α. */
  smoothedContextTotal(alpha: number): number {
    let s = this.#smoothedTotals.get(alpha);
    if (s === undefined) {
      s = 0;
      for (let c = 0; c < this.vocabSize; c++) if (this.colSums[c] > 0) s += this.colSums[c] ** alpha;
      this.#smoothedTotals.set(alpha, s);
    }
    return s;
  }

  /**
   * PMI(a, b) (natural log), with context smoothing α when given (default 1: none). −∞ for pairs never seen.
   *
   * @example
   * ```ts
   * stats.pmi('new', 'york'); // 4.1
   * ```
   */
  pmi(a: WordRef, b: WordRef, { alpha = 1 }: Pick<PmiOptions, 'alpha'> = {}): number {
    checkPmiOptions(alpha, 1);
    const i = this.indexOf(a);
    const j = this.indexOf(b);
    const x = this.count(i, j);
    if (x === 0) return Number.NEGATIVE_INFINITY;
    return pmiOf(x, this.rowSums[i], this.colSums[j], alpha, this.smoothedContextTotal(alpha));
  }

  /** Shifted positive PMI: max(PMI_α(a, b) − log k, 0). Defaults α = 1, k = 1 (plain PPMI). */
  ppmi(a: WordRef, b: WordRef, { alpha = 1, shift = 1 }: PmiOptions = {}): number {
    checkPmiOptions(alpha, shift);
    return Math.max(this.pmi(a, b, { alpha }) - Math.log(shift), 0);
  }

  /**
   * How many times more often than chance a and b co-occur: exp(PMI) = X_ab · |D| / (#(a) · #(b)).
   * 0 when never seen together.
   *
   * @example
   * ```ts
   * `pizza and cheese co-occur ${stats.ratio('pizza', 'cheese').toFixed(1)}× more often than chance`;
   * ```
   */
  ratio(a: WordRef, b: WordRef): number {
    const i = this.indexOf(a);
    const j = this.indexOf(b);
    const x = this.count(i, j);
    return x === 0 ? 0 : (x * this.total) / (this.rowSums[i] * this.colSums[j]);
  }

  /**
   * The `k` contexts of `word` with the highest shifted PPMI (defaults α = 0.75, which keeps rare
   * contexts from dominating, and k = 1), best first; contexts with PPMI 0 are left out.
   */
  topContexts(
    word: WordRef,
    { k = 10, alpha = 0.75, shift = 1 }: PmiOptions & { k?: number } = {},
  ): ContextScore[] {
    checkPmiOptions(alpha, shift);
    if (!Number.isInteger(k) || k < 0)
      throw new InvalidArgumentError(`k must be a non-negative integer, got ${k}`);
    const i = this.indexOf(word);
    const start = this.rowPtr[i];
    const end = this.rowPtr[i + 1];
    const scores = new Float64Array(end - start);
    const smoothed = this.smoothedContextTotal(alpha);
    const logShift = Math.log(shift);
    for (let e = start; e < end; e++) {
      const v =
        pmiOf(this.values[e], this.rowSums[i], this.colSums[this.cols[e]], alpha, smoothed) - logShift;
      scores[e - start] = v > 0 ? v : Number.NaN; // NaN: never selected
    }
    const top = selectTopK(scores, k);
    return Array.from(top.rows, (r) => this.#contextScore(i, start + r, scores[r]));
  }

  /**
   * The `k` contexts of `word` seen with it most often (largest weighted count; ties to the lower id),
   * whatever their PMI: with {@link CooccurrenceStats.topContexts} the two sides a store keeps when it
   * prunes, and a sample of pairs whose PMI spans low and high. `ppmi` is shifted PPMI (α 0.75, k 1
   * unless asked), 0 for pairs seen less often than chance.
   *
   * @example
   * ```ts
   * stats.frequentContexts('pizza', { k: 5 }).map((c) => c.word); // ['the', 'a', 'of', 'cheese', 'and']
   * ```
   */
  frequentContexts(
    word: WordRef,
    { k = 10, alpha = 0.75, shift = 1 }: PmiOptions & { k?: number } = {},
  ): ContextScore[] {
    checkPmiOptions(alpha, shift);
    if (!Number.isInteger(k) || k < 0)
      throw new InvalidArgumentError(`k must be a non-negative integer, got ${k}`);
    const i = this.indexOf(word);
    const start = this.rowPtr[i];
    const end = this.rowPtr[i + 1];
    const top = selectTopK(this.values.subarray(start, end), k);
    const smoothed = this.smoothedContextTotal(alpha);
    const logShift = Math.log(shift);
    return Array.from(top.rows, (r) => {
      const e = start + r;
      const ppmi =
        pmiOf(this.values[e], this.rowSums[i], this.colSums[this.cols[e]], alpha, smoothed) - logShift;
      return this.#contextScore(i, e, Math.max(ppmi, 0));
    });
  }

  /** The {@link ContextScore} of entry `e` (in row `i`) of the count matrix, with its shifted PPMI. */
  #contextScore(i: number, e: number, ppmi: number): ContextScore {
    const j = this.cols[e];
    const x = this.values[e];
    const ratio = (x * this.total) / (this.rowSums[i] * this.colSums[j]);
    return {
      word: this.words ? this.words[j] : String(j),
      index: j,
      ppmi,
      pmi: Math.log(ratio),
      count: x,
      ratio,
    };
  }

  /**
   * The sparse shifted-PPMI matrix (entries ≤ 0 dropped) in CSR form, for factorisation.
   * Defaults α = 0.75 and k = 1, the settings Levy et al. (2015) recommend for SVD.
   */
  ppmiMatrix({ alpha = 0.75, shift = 1 }: PmiOptions = {}): CsrMatrix {
    checkPmiOptions(alpha, shift);
    const V = this.vocabSize;
    // PMI_α − log k = log x + (log Σ#(c)^α − log k) − log #(w) − α·log #(c): one log per entry.
    const offset = Math.log(this.smoothedContextTotal(alpha)) - Math.log(shift);
    const logContext = new Float64Array(V);
    for (let c = 0; c < V; c++) logContext[c] = alpha * Math.log(this.colSums[c]);
    const rowPtr = new Float64Array(V + 1);
    const nnz = this.nnz;
    const colIndex = new Uint32Array(nnz);
    const values = new Float64Array(nnz);
    const cols = this.cols;
    const counts = this.values;
    let n = 0;
    for (let i = 0; i < V; i++) {
      const rowOffset = offset - Math.log(this.rowSums[i]);
      for (let e = this.rowPtr[i], end = this.rowPtr[i + 1]; e < end; e++) {
        const j = cols[e];
        const v = Math.log(counts[e]) + rowOffset - logContext[j];
        if (v > 0) {
          colIndex[n] = j;
          values[n] = v;
          n++;
        }
      }
      rowPtr[i + 1] = n;
    }
    return { rows: V, cols: V, rowPtr, colIndex: colIndex.slice(0, n), values: values.slice(0, n) };
  }
}

/** PMI_α = log( x · Σ_c #(c)^α / (#(w) · #(c)^α) ), Levy, Goldberg & Dagan (2015) eq. 3.2. */
function pmiOf(x: number, rowSum: number, colSum: number, alpha: number, smoothedTotal: number): number {
  const c = alpha === 1 ? colSum : colSum ** alpha;
  return Math.log((x * smoothedTotal) / (rowSum * c));
}

function checkPmiOptions(alpha: number, shift: number): void {
  if (!(alpha > 0 && alpha <= 1)) throw new InvalidArgumentError(`alpha must be in (0, 1], got ${alpha}`);
  if (!(shift >= 1) || !Number.isFinite(shift))
    throw new InvalidArgumentError(`shift k must be a number ≥ 1, got ${shift}`);
}

/**
 * The sparse shifted-PPMI matrix of co-occurrence counts (see {@link CooccurrenceStats.ppmiMatrix}).
 *
 * @example
 * ```ts
 * const a = ppmiMatrix(await countCooccurrences(ids, vocab.size), { alpha: 0.75, shift: 5 });
 * ```
 */
export function ppmiMatrix(m: CooccurrenceMatrix, options: PmiOptions = {}): CsrMatrix {
  return CooccurrenceStats.fromMatrix(m).ppmiMatrix(options);
}
