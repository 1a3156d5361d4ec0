/**
 * The vocabulary words sharing the most character n-grams with a query (Jaccard overlap of n-gram
 * sets), from the posting lists of an inverted n-gram index, exactly as counting every list in full
 * would rank them, without counting every list in full.
 *
 * The lists are walked rarest first. A word first met after k of the query's m lists can share at
 * most m − k n-grams with it, so its overlap is at most (m − k) / |query| (the prefix filter of
 * set-similarity joins: Chaudhuri, Ganti & Kaushik 2006; Bayardo, Ma & Srikant 2007). Two thirds of
 * the way, the pool ranked by the counts so far gives a threshold it is sure to reach (counts only
 * grow); the lists (the longest, of common n-grams) in which no new word can reach it any more are
 * closed: walked only for the words already met, which spares the pool and its ranking the many
 * words that share one or two common n-grams. Words are ranked by the same floating-point
 * expression either way, so the pool is the one the exhaustive count gives
 * (`__tests__/overlap-pool.test.ts` checks it against a brute-force count).
 *
 * (Counting the best words exactly over the lists left, by search, gives a higher threshold that
 * closes about twice as many lists, but at 400k words the searches of the longest lists cost more
 * than the walks they save.) What is left is walking the lists: at 400k word-like words a
 * misspelling of a word in "-ation" reads ~150,000 list entries. The lists are read side by side
 * one block of 16,384 rows at a time, so the counts being written stay in the first-level cache,
 * and, once {@link OverlapPool.usePostings} has moved the postings into the pool's WebAssembly
 * memory, by a WebAssembly loop (`posting-walk-wat.ts`) at a few instructions per entry; rows whose
 * count cannot reach the threshold are dropped there too before the ranking (`pnpm bench oov`
 * measures the estimate).
 */
import { compileKernel, webAssembly } from '../wasm/runtime.js';
import type { MagnitudeIndex } from './magnitude-estimator.js';
import { POSTING_WALK_WAT } from './posting-walk-wat.js';

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

/** Rows whose counts are written together: 32 KiB of 16-bit counts, inside a core's L1 data cache. */
const BLOCK_ROWS = 16_384;

/** Most lists a query may have for the WebAssembly walk (more go through the JavaScript one). */
const WASM_MAX_LISTS = 8192;

/** The WebAssembly walk of {@link POSTING_WALK_WAT} and where its arrays sit in its memory. */
interface WasmWalk {
  walk(
    cursors: number,
    from: number,
    close: number,
    to: number,
    blockEnd: number,
    shared: number,
    met: number,
    n: number,
  ): number;
  keep(met: number, n: number, shared: number, least: number): number;
  /** The postings, in the memory from byte `postingsAt`. */
  postings: Uint32Array;
  postingsAt: number;
  metAt: number;
  cursorsAt: number;
  /** Byte positions (next, end) per list, at `cursorsAt`. */
  cursors: Uint32Array;
}

/**
 * Sets the cursors (next, end) of the lists `order[from..to)` as `base + scale × position` and
 * returns the highest row they hold (the last block to walk).
 */
function openLists(
  order: Float64Array,
  from: number,
  to: number,
  offsets: Uint32Array,
  postings: Uint32Array,
  cursors: Uint32Array,
  base: number,
  scale: number,
): number {
  let last = 0;
  for (let j = from; j < to; j++) {
    const at = order[j] % 2 ** 32;
    cursors[2 * j] = base + scale * offsets[at];
    cursors[2 * j + 1] = base + scale * offsets[at + 1];
    if (offsets[at + 1] > offsets[at]) last = Math.max(last, postings[offsets[at + 1] - 1]);
  }
  return last;
}

function align8(bytes: number): number {
  return Math.ceil(bytes / 8) * 8;
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
  #shared: Uint16Array;
  /** Rows met so far, in order of meeting. */
  #met: Uint32Array;
  /** List positions packed with their lengths (length × 2^32 + position), sorted rarest first. */
  #order = new Float64Array(64);
  /** Per list walked: the next position and the end (pairs), reused. */
  #cursors = new Uint32Array(128);
  readonly #settleCost: number;
  /** The WebAssembly walk, once {@link OverlapPool.usePostings} gave the pool its postings. */
  #wasm?: WasmWalk;

  /**
   * @param rows - rows of the index
   * @param size - rows in the pool
   * @param settleCost - how many times the rows met the lists left must hold for settling the
   *   threshold (one ranking of those rows) to be tried (speed only: the pool is the same; 0 tries
   *   whenever it could close a list)
   */
  constructor(rows: number, size: number, settleCost = 4) {
    this.#settleCost = settleCost;
    this.#shared = new Uint16Array(rows);
    this.#met = new Uint32Array(rows);
    this.rows = new Int32Array(size);
    this.scores = new Float64Array(size);
  }

  /**
   * Moves `postings` (an index's posting lists) into the pool's WebAssembly memory, beside the
   * counts, and returns them there: from then on an index holding the returned array is walked by
   * the WebAssembly loop (the same counts, two to three times faster than the JavaScript one). Keep
   * the returned array in the index instead of the argument, so that one copy stays. Where
   * WebAssembly is missing or the memory would pass 4 GiB, returns `postings` itself.
   *
   * @example
   * ```ts
   * const pool = new OverlapPool(index.gramCounts.length, 32);
   * const fast = { ...index, postings: pool.usePostings(index.postings) };
   * pool.collect(fast, positions, positions.length, distinct);
   * ```
   */
  usePostings(postings: Uint32Array): Uint32Array {
    const module = compileKernel(POSTING_WALK_WAT);
    const rows = this.#shared.length;
    const metAt = align8(2 * rows);
    const cursorsAt = align8(metAt + 4 * rows);
    const postingsAt = cursorsAt + 8 * WASM_MAX_LISTS;
    const pages = Math.ceil((postingsAt + 4 * postings.length) / 65_536);
    if (!module || !webAssembly || pages > 65_536) return postings;
    const memory = new webAssembly.Memory({ initial: pages, maximum: pages, shared: false });
    const { walk, keep } = new webAssembly.Instance(module, { env: { memory } }).exports as Pick<
      WasmWalk,
      'walk' | 'keep'
    >;
    const buffer = memory.buffer as ArrayBuffer;
    this.#shared = new Uint16Array(buffer, 0, rows);
    this.#met = new Uint32Array(buffer, metAt, rows);
    const inMemory = new Uint32Array(buffer, postingsAt, postings.length);
    inMemory.set(postings);
    this.#wasm = {
      walk,
      keep,
      postings: inMemory,
      postingsAt,
      metAt,
      cursorsAt,
      cursors: new Uint32Array(buffer, cursorsAt, 2 * WASM_MAX_LISTS),
    };
    return inMemory;
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
    const { offsets, gramCounts } = index;
    if (this.#order.length < count) this.#order = new Float64Array(count);
    const order = this.#order.subarray(0, count);
    for (let i = 0; i < count; i++) {
      const at = positions[i];
      order[i] = (offsets[at + 1] - offsets[at]) * 2 ** 32 + at;
    }
    order.sort();
    // Lists walked in full (admitting rows) stop at `close`; the threshold is settled two thirds of
    // the way: the pool ranked by the counts so far is a floor of its last overlap (counts only grow).
    const settle = Math.floor((2 * count) / 3);
    let nMet = this.#walk(order, 0, settle, settle, 0, index);
    let close = count;
    let threshold = -1;
    if (settle < count && nMet >= this.rows.length && this.#worthSettling(order, settle, nMet)) {
      threshold = this.#rank(nMet, distinct, gramCounts);
      // A row not met yet shares at most the n-grams of the lists left.
      while (close > settle && (count - close + 1) / distinct < threshold) close--;
    }
    nMet = this.#walk(order, settle, close, count, nMet, index);
    const wasm = this.#wasm;
    // Rows below the threshold's count cannot reach it: dropped before ranking (their counts zeroed).
    if (threshold > 0 && wasm && index.postings === wasm.postings)
      nMet = wasm.keep(wasm.metAt, nMet, 0, countFor(threshold, distinct));
    const work = this.work;
    work.closedLists = count - close;
    work.met = nMet;
    this.#rank(nMet, distinct, gramCounts, true);
    return this.#filled();
  }

  /**
   * Counts the lists `order[from..to)`: those before `close` admit the rows they hold (appended to
   * the rows met), the others count the rows met only (no row can enter the pool there). The lists
   * are read side by side one block of rows at a time, so the counts being written stay in the
   * core's first-level cache however long the lists are; the counts are those of a list-by-list
   * walk. Returns the number of rows met.
   */
  #walk(
    order: Float64Array,
    from: number,
    close: number,
    to: number,
    nMet: number,
    index: Pick<MagnitudeIndex, 'offsets' | 'postings'>,
  ): number {
    const { offsets, postings } = index;
    const wasm = this.#wasm;
    if (wasm && postings === wasm.postings && to <= WASM_MAX_LISTS)
      return this.#walkWasm(wasm, order, from, close, to, nMet, offsets);
    const shared = this.#shared;
    const met = this.#met;
    if (this.#cursors.length < 2 * to) this.#cursors = new Uint32Array(2 * to);
    const cursors = this.#cursors;
    const last = openLists(order, from, to, offsets, postings, cursors, 0, 1);
    for (let blockEnd = BLOCK_ROWS; blockEnd - BLOCK_ROWS <= last; blockEnd += BLOCK_ROWS) {
      for (let j = from; j < close; j++) {
        let p = cursors[2 * j] | 0;
        const end = cursors[2 * j + 1] | 0;
        for (; p < end; p++) {
          const r = postings[p] | 0;
          if (r >= blockEnd) break;
          const c = shared[r];
          shared[r] = c + 1;
          // Appended always, kept only when first met (c = 0): no branch to mispredict.
          met[nMet] = r;
          nMet -= (c - 1) >> 31;
        }
        cursors[2 * j] = p;
      }
      for (let j = close; j < to; j++) {
        let p = cursors[2 * j] | 0;
        const end = cursors[2 * j + 1] | 0;
        for (; p < end; p++) {
          const r = postings[p] | 0;
          if (r >= blockEnd) break;
          const c = shared[r];
          shared[r] = c - (-c >> 31);
        }
        cursors[2 * j] = p;
      }
    }
    return nMet;
  }

  /** {@link OverlapPool.#walk} by the WebAssembly loop, over the postings in the pool's memory. */
  #walkWasm(
    wasm: WasmWalk,
    order: Float64Array,
    from: number,
    close: number,
    to: number,
    nMet: number,
    offsets: Uint32Array,
  ): number {
    const { cursors, postings, postingsAt } = wasm;
    // Cursors as byte addresses in the memory, where the WebAssembly loop reads them.
    const last = openLists(order, from, to, offsets, postings, cursors, postingsAt, 4);
    for (let blockEnd = BLOCK_ROWS; blockEnd - BLOCK_ROWS <= last; blockEnd += BLOCK_ROWS)
      nMet = wasm.walk(wasm.cursorsAt, from, close, to, blockEnd, 0, wasm.metAt, nMet);
    return nMet;
  }

  /** Whether the lists `order[k..)` hold many more entries than ranking the `nMet` rows met reads. */
  #worthSettling(order: Float64Array, k: number, nMet: number): boolean {
    let entries = 0;
    for (let j = k; j < order.length; j++) entries += Math.floor(order[j] / 2 ** 32);
    return entries > this.#settleCost * nMet;
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
