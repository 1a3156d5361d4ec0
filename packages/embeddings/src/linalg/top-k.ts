/**
 * Exact top-k selection over a score array without sorting it.
 *
 * A bounded min-heap of k (row, score) pairs lives in two typed arrays; each row costs one
 * comparison against the heap's worst entry, and only the rare row that beats it costs a
 * sift-down (O(log k)). The k survivors are sorted at the end, so the whole selection is
 * O(n + n·log k·p) where p is the (small) fraction of rows that enter the heap.
 *
 * Order: higher score first; equal scores keep the lower row first, so results are
 * deterministic whatever the machine.
 */
import { InvalidArgumentError } from '../errors.js';

/** The k best rows, best first, with their scores. */
export interface TopK {
  /** Row indices, best first. Length is min(k, rows considered). */
  rows: Int32Array;
  /** Score of each row in `rows`. */
  scores: Float32Array;
}

/** Options of {@link selectTopK}. */
export interface SelectTopKOptions {
  /** First row considered (inclusive). Default 0. */
  start?: number;
  /** Row after the last row considered (exclusive). Default `scores.length`. */
  end?: number;
  /** Rows never returned (e.g. the query words). Kept small: it is only checked for rows that enter the heap. */
  exclude?: ArrayLike<number>;
  /**
   * A faster scan of the same `scores` (a kernel over the memory they live in, e.g.
   * the row scorer's `firstAbove`): the first row in `[from, end)` whose score is greater than
   * `threshold`, or `end`. Once the heap is full it skips the rows that cannot enter; the answer is
   * the same without it.
   */
  firstAbove?: (from: number, end: number, threshold: number) => number;
}

/**
 * Returns the `k` highest scores in `scores[start..end)` and their rows, best first.
 * NaN scores are never selected.
 *
 * @param scores - one score per row
 * @param k - how many rows to keep (non-negative integer)
 * @returns rows and scores, best first; ties go to the lower row
 * @example
 * ```ts
 * const { rows } = selectTopK(new Float32Array([0.1, 0.9, 0.5, 0.9]), 2);
 * // rows = Int32Array [1, 3]: equal scores keep the lower row first
 * ```
 */
export function selectTopK(scores: ArrayLike<number>, k: number, options: SelectTopKOptions = {}): TopK {
  const start = options.start ?? 0;
  const end = options.end ?? scores.length;
  if (!Number.isInteger(k) || k < 0)
    throw new InvalidArgumentError(`k must be a non-negative integer, got ${k}`);
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > scores.length || start > end) {
    throw new InvalidArgumentError(`row range [${start}, ${end}) is not inside [0, ${scores.length})`);
  }
  const exclude = options.exclude ?? [];
  const cap = Math.min(k, end - start);
  const heapRows = new Int32Array(cap);
  const heapScores = new Float64Array(cap);
  let size = 0;
  let r = start;
  // Fill the heap with the first `cap` rows that may be returned.
  for (; r < end && size < cap; r++) {
    const s = scores[r];
    if (Number.isNaN(s) || isExcluded(exclude, r)) continue;
    siftUp(heapRows, heapScores, size, r, s);
    size++;
  }
  if (size === cap && cap > 0) {
    const firstAbove = options.firstAbove;
    for (; r < end; r++) {
      if (firstAbove) {
        r = firstAbove(r, end, heapScores[0]);
        if (r >= end) break;
      }
      const s = scores[r];
      // Rows arrive in ascending order, so a tie with the heap's worst never wins (lower row first);
      // NaN is never greater.
      if (!(s > heapScores[0]) || isExcluded(exclude, r)) continue;
      siftDown(heapRows, heapScores, size, r, s);
    }
  }
  return sortBestFirst(heapRows, heapScores, size);
}

function isExcluded(exclude: ArrayLike<number>, r: number): boolean {
  for (let i = 0; i < exclude.length; i++) if (exclude[i] === r) return true;
  return false;
}

/** Whether (rowA, a) ranks below (rowB, b): lower score, or equal score and higher row. */
function worse(a: number, rowA: number, b: number, rowB: number): boolean {
  return a < b || (a === b && rowA > rowB);
}

/** Inserts at position `n` and restores the min-heap (root = worst kept). */
function siftUp(rows: Int32Array, scores: Float64Array, n: number, row: number, score: number): void {
  let i = n;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (!worse(score, row, scores[parent], rows[parent])) break;
    rows[i] = rows[parent];
    scores[i] = scores[parent];
    i = parent;
  }
  rows[i] = row;
  scores[i] = score;
}

/** Replaces the root with (row, score) and restores the min-heap. */
function siftDown(rows: Int32Array, scores: Float64Array, n: number, row: number, score: number): void {
  let i = 0;
  for (;;) {
    const left = 2 * i + 1;
    if (left >= n) break;
    const right = left + 1;
    let child = left;
    if (right < n && worse(scores[right], rows[right], scores[left], rows[left])) child = right;
    if (!worse(scores[child], rows[child], score, row)) break;
    rows[i] = rows[child];
    scores[i] = scores[child];
    i = child;
  }
  rows[i] = row;
  scores[i] = score;
}

function sortBestFirst(heapRows: Int32Array, heapScores: Float64Array, size: number): TopK {
  const order = Array.from({ length: size }, (_, i) => i);
  order.sort((a, b) => heapScores[b] - heapScores[a] || heapRows[a] - heapRows[b]);
  const rows = new Int32Array(size);
  const scores = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    rows[i] = heapRows[order[i]];
    scores[i] = heapScores[order[i]];
  }
  return { rows, scores };
}
