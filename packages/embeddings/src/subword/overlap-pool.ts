/**
 * The vocabulary words sharing the most character n-grams with a query (Jaccard overlap of n-gram
 * sets), from the posting lists of an inverted n-gram index, exactly as counting every list in full
 * would rank them, without counting every list in full.
 *
 * The lists are walked rarest first. A word first met after k of the query's m lists can share at
 * most m − k n-grams with it, so its overlap is at most (m − k) / |query| (the prefix filter of
 * set-similarity joins: Chaudhuri, Ganti & Kaushik 2006; Bayardo, Ma & Srikant 2007). Half way, a
 * threshold the pool is sure to reach is settled (the best words so far, counted exactly by binary
 * search in the lists left); the lists (the longest, of common n-grams) in which no new word can
 * reach it any more are then walked only for the words already met, which spares the pool and its
 * ranking the many words that share one or two common n-grams. Words are ranked by the same
 * floating-point expression either way, so the pool is the one the exhaustive count gives
 * (`__tests__/overlap-pool.test.ts` checks it against a brute-force count).
 *
 * What it saves depends on the pool's threshold: at 400k word-like words the pool's 32nd overlap is
 * 0.1–0.2 of ~30 query n-grams, so only the last 2–3 lists close (`pnpm bench oov` measures it).
 */
import type { MagnitudeIndex } from './magnitude-estimator.js';

/** Rank order of the pool: higher overlap first, ties to the lower (more frequent) row. */
function insertRanked(rows: Int32Array, scores: Float64Array, r: number, score: number): void {
  const n = rows.length;
  if (score < scores[n - 1] || (score === scores[n - 1] && rows[n - 1] >= 0 && r > rows[n - 1])) return;
  let i = n - 1;
  while (i > 0 && (score > scores[i - 1] || (score === scores[i - 1] && r < rows[i - 1]))) {
    scores[i] = scores[i - 1];
    rows[i] = rows[i - 1];
    i--;
  }
  scores[i] = score;
  rows[i] = r;
}

/** Jaccard overlap of a query of `distinct` n-grams and a word of `grams` sharing `shared` of them. */
function jaccard(shared: number, distinct: number, grams: number): number {
  return shared / (distinct + grams - shared);
}

/**
 * The fewest shared n-grams that can give an overlap of `score` with a query of `distinct`: a row
 * sharing c has at least c n-grams, so its overlap is at most c / distinct (in floating point too:
 * division rounds monotonically), and rows sharing fewer are refused on their count alone.
 */
function countFor(score: number, distinct: number): number {
  let c = Math.max(0, Math.floor(score * distinct) - 1);
  while (c < distinct && c / distinct < score) c++;
  return c;
}

/**
 * Position of `r` in the ascending `postings[lo, end)`, or the position where it would be inserted.
 */
function lowerBound(postings: Uint32Array, r: number, lo: number, end: number): number {
  let hi = end;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (postings[mid] < r) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** How an {@link OverlapPool.collect} went: what the pruning saved. */
export interface OverlapWork {
  /** Lists (the longest) in which no new word was admitted. */
  closedLists: number;
  /** Words met (counted and ranked). */
  met: number;
}

/**
 * A reusable top-`size` pool by n-gram overlap over the rows of one index (scratch arrays sized to
 * the vocabulary, zero between calls; one pool per estimator, not shared between threads).
 *
 * @example
 * ```ts
 * const pool = new OverlapPool(index.gramCounts.length, 32);
 * const n = pool.collect(index, positions, positions.length, distinct); // pool.rows[0..n), pool.scores[0..n)
 * ```
 */
export class OverlapPool {
  /** Rows of the pool, best first; −1 past the filled part. */
  readonly rows: Int32Array;
  /** Their Jaccard overlaps. */
  readonly scores: Float64Array;
  /** What the last {@link OverlapPool.collect} read. */
  readonly work: OverlapWork = { closedLists: 0, met: 0 };
  /** Per-row shared n-gram counts of the query in progress (zero between calls). */
  readonly #shared: Uint16Array;
  /** Rows met so far, in order of meeting. */
  readonly #met: Uint32Array;
  /** List positions packed with their lengths (length × 2^32 + position), sorted rarest first. */
  #order = new Float64Array(64);
  /** Rows counted exactly to settle the threshold, and the hits of each in the lists left. */
  readonly #probes: Int32Array;
  readonly #hits: Uint16Array;
  readonly #settleCost: number;

  /**
   * @param rows - rows of the index
   * @param size - rows in the pool
   * @param settleCost - how many times what settling the threshold reads the lists left must hold
   *   before it is tried (speed only: the pool is the same; 0 tries whenever it could close a list)
   */
  constructor(rows: number, size: number, settleCost = 4) {
    this.#settleCost = settleCost;
    this.#shared = new Uint16Array(rows);
    this.#met = new Uint32Array(rows);
    this.rows = new Int32Array(size);
    this.scores = new Float64Array(size);
    this.#probes = new Int32Array(size);
    this.#hits = new Uint16Array(size);
  }

  /**
   * Fills {@link OverlapPool.rows} and {@link OverlapPool.scores} with the best `size` rows by
   * Jaccard overlap with a query of `distinct` distinct n-grams, whose known ones are the lists at
   * `positions[0..count)` of `index` (each list once), and returns how many rows it holds.
   */
  collect(
    index: Pick<MagnitudeIndex, 'offsets' | 'postings' | 'gramCounts'>,
    positions: ArrayLike<number>,
    count: number,
    distinct: number,
  ): number {
    const { offsets, postings, gramCounts } = index;
    const shared = this.#shared;
    const met = this.#met;
    if (this.#order.length < count) this.#order = new Float64Array(count);
    const order = this.#order.subarray(0, count);
    for (let i = 0; i < count; i++) {
      const at = positions[i];
      order[i] = (offsets[at + 1] - offsets[at]) * 2 ** 32 + at;
    }
    order.sort();
    const work = this.work;
    let nMet = 0;
    // Lists walked in full (admitting rows) stop at `close`; the threshold is settled half way.
    let close = count;
    const half = count >> 1;
    for (let k = 0; k < close; k++) {
      if (k === half && nMet >= this.rows.length && this.#worthSettling(order, k)) {
        const threshold = this.#settle(order, k, nMet, distinct, index);
        // A row not met yet shares at most the n-grams of the lists left.
        while (close > k && (count - close + 1) / distinct < threshold) close--;
        if (close === k) break;
      }
      const at = order[k] % 2 ** 32;
      const end = offsets[at + 1];
      for (let p = offsets[at]; p < end; p++) {
        const r = postings[p];
        if (shared[r]++ === 0) met[nMet++] = r;
      }
    }
    work.closedLists = count - close;
    work.met = nMet;
    this.#countClosed(order, close, index);
    this.#rank(nMet, distinct, gramCounts, true);
    return this.#filled();
  }

  /** Whether the lists `order[k..)` hold many more entries than settling the threshold reads. */
  #worthSettling(order: Float64Array, k: number): boolean {
    let entries = 0;
    for (let j = k; j < order.length; j++) entries += Math.floor(order[j] / 2 ** 32);
    return entries > this.#settleCost * this.rows.length * (order.length - k) * Math.log2(entries + 1);
  }

  /**
   * A threshold the pool is sure to reach: the pool's best rows by their counts over `order[0..k)`
   * are counted exactly over the rest (by binary search), and the lowest of their overlaps is returned.
   */
  #settle(
    order: Float64Array,
    k: number,
    nMet: number,
    distinct: number,
    index: Pick<MagnitudeIndex, 'offsets' | 'postings' | 'gramCounts'>,
  ): number {
    const { offsets, postings, gramCounts } = index;
    this.#rank(nMet, distinct, gramCounts);
    const probes = this.#probes;
    probes.set(this.rows);
    probes.sort();
    const hits = this.#hits.fill(0);
    for (let j = k; j < order.length; j++) {
      const at = order[j] % 2 ** 32;
      const end = offsets[at + 1];
      let lo = offsets[at];
      for (let t = 0; t < probes.length && lo < end; t++) {
        lo = lowerBound(postings, probes[t], lo, end);
        if (lo < end && postings[lo] === probes[t]) hits[t]++;
      }
    }
    let lowest = Number.POSITIVE_INFINITY;
    for (let t = 0; t < probes.length; t++) {
      const r = probes[t];
      lowest = Math.min(lowest, jaccard(this.#shared[r] + hits[t], distinct, gramCounts[r]));
    }
    return lowest;
  }

  /** Counts the lists `order[close..)` for the rows met only (no row can enter the pool there). */
  #countClosed(
    order: Float64Array,
    close: number,
    index: Pick<MagnitudeIndex, 'offsets' | 'postings'>,
  ): void {
    const { offsets, postings } = index;
    const shared = this.#shared;
    for (let j = close; j < order.length; j++) {
      const at = order[j] % 2 ** 32;
      const end = offsets[at + 1];
      for (let p = offsets[at]; p < end; p++) {
        const r = postings[p];
        if (shared[r] !== 0) shared[r]++;
      }
    }
  }

  /** Ranks the first `n` rows met by their current counts into the pool; returns its last score (−1: not full). */
  #rank(n: number, distinct: number, gramCounts: Uint16Array, reset = false): number {
    const rows = this.rows.fill(-1);
    const scores = this.scores.fill(-1);
    const last = rows.length - 1;
    const shared = this.#shared;
    const met = this.#met;
    // A row sharing c n-grams overlaps at most c / distinct (it has at least c n-grams), so rows
    // sharing fewer than `enough` are refused on their count alone: most rows, which share one or
    // two common n-grams, without reading their n-gram count.
    let enough = 0;
    for (let t = 0; t < n; t++) {
      const r = met[t];
      const c = shared[r];
      if (reset) shared[r] = 0;
      if (c < enough) continue;
      const score = jaccard(c, distinct, gramCounts[r]);
      if (score < scores[last]) continue;
      insertRanked(rows, scores, r, score);
      enough = countFor(scores[last], distinct);
    }
    return scores[last];
  }

  #filled(): number {
    let n = 0;
    while (n < this.rows.length && this.rows[n] >= 0) n++;
    return n;
  }
}
