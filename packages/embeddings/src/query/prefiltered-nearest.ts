/**
 * The exact nearest-row strategy with an int8 pre-filter: the same answer as {@link exactNearest},
 * bit for bit, from a scan of a quarter of the bytes.
 *
 * A float32 scan of a large matrix runs at memory speed, so reading less is the way to answer sooner.
 * The int8 copy of the unit matrix (query/int8-matrix.ts) is scanned first. A row's int8 score
 * differs from its float32 one by at most {@link Int8Matrix.rowSlack} (a bound that always holds,
 * not a likely one; {@link Int8Matrix.exactSlack} is the largest). With A the `topn`-th best int8
 * score, a row at or below A − 2 × exactSlack scores below each of those `topn` rows on the float32
 * kernel too, so it cannot be in the answer; the rows above that line are then narrowed with their
 * own slack. What is left (a median of 96 of 400,000 rows at 300 dimensions on the benchmark's
 * clustered vectors, in a probe of 50 queries) is scored on the float32 gather kernel, which sums a
 * row exactly as the scan does, and the one top-k picks the answer among them. When the line lets
 * too many rows through (near-duplicate rows, nearly uniform scores), the full float32 scan answers
 * instead.
 */
import { selectTopK } from '../linalg/top-k.js';
import { GATHER_MAX } from '../wasm/gather-dots-wat.js';
import { createInt8Matrix, type Int8Matrix } from './int8-matrix.js';
import { exactNearest } from './nearest.js';
import type { RowScorer } from './row-scorer.js';
import type { NearestOptions, NearestRows } from './row-source.js';

/** Matrices smaller than this (float32 bytes) are scanned in float32 alone: the scan is short and in cache. */
export const PREFILTER_MIN_BYTES = 16 * 1024 * 1024;

/**
 * The int8 pre-filter of `scorer`'s matrix, quantised from it now, or null when the float32 or the
 * int8 kernel is not WebAssembly SIMD here (the pre-filter would then cost more than it saves).
 * Worth it for matrices of {@link PREFILTER_MIN_BYTES} or more.
 *
 * @example
 * ```ts
 * const int8 = rows * dim * 4 >= PREFILTER_MIN_BYTES ? createPrefilter(scorer, rows, dim) : null;
 * const answer = int8 ? prefilteredNearest(scorer, int8, q, opts) : exactNearest(scorer, q, opts);
 * ```
 */
export function createPrefilter(scorer: RowScorer, rows: number, dim: number): Int8Matrix | null {
  if (scorer.kernel !== 'wasm-simd' || rows === 0) return null;
  const int8 = createInt8Matrix(rows, dim);
  if (int8.kernel !== 'wasm-simd') return null;
  int8.quantizeRows(scorer.matrix, 0, rows);
  return int8;
}

/**
 * {@link exactNearest}'s answer (rows and float32 scores, ties to the lower row), found through the
 * int8 pre-filter `int8`, which must hold `scorer.matrix` quantised ({@link createPrefilter}).
 *
 * @example
 * ```ts
 * prefilteredNearest(scorer, int8, unitQuery, { topn: 10, end: rows, exclude: new Int32Array([row]) });
 * // the same rows and scores as exactNearest(scorer, unitQuery, …)
 * ```
 */
export function prefilteredNearest(
  scorer: RowScorer,
  int8: Int8Matrix,
  unitQuery: Float32Array,
  options: NearestOptions,
): NearestRows {
  const { topn, end, exclude } = options;
  int8.setQuery(unitQuery);
  const slack = int8.exactSlack();
  const approx = int8.scan(0, end);
  const best = selectTopK(approx, topn, { end, exclude, firstAbove: int8.firstAbove });
  const k = best.rows.length;
  const line = k > 0 ? best.scores[k - 1] - 2 * slack - 2 ** -20 : Number.NaN;
  const firstAbove = int8.firstAbove;
  if (k < topn || !Number.isFinite(line) || !firstAbove) return exactNearest(scorer, unitQuery, options);
  // Float32 rounding of the line moves it by < 2⁻²⁴ here, well inside the 2⁻²⁰ margin.
  const threshold = Math.fround(line);
  const cap = Math.max(4096, end >> 4);
  let candidates = new Int32Array(Math.min(1024, end));
  let count = 0;
  for (let r = firstAbove(0, end, threshold); r < end; r = firstAbove(r + 1, end, threshold)) {
    if (isListed(exclude, r)) continue;
    if (count === cap) return exactNearest(scorer, unitQuery, options);
    if (count === candidates.length) {
      const grown = new Int32Array(Math.min(2 * count, end));
      grown.set(candidates);
      candidates = grown;
    }
    candidates[count++] = r;
  }
  // Narrower, row by row: the rows above hold the `topn` best int8 scores, so the topn-th best
  // lower bound among them (score − its row's slack) is a floor that `topn` rows reach; a row
  // whose upper bound stays under it is out. Rows with a large residual no longer widen every row's line.
  const lower = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const r = candidates[i];
    lower[i] = approx[r] - int8.rowSlack(r) - 2 ** -20;
  }
  const floor = selectTopK(lower, topn).scores[topn - 1];
  let kept = 0;
  for (let i = 0; i < count; i++) {
    const r = candidates[i];
    if (!(approx[r] + int8.rowSlack(r) + 2 ** -20 < floor)) candidates[kept++] = r;
  }
  count = kept;
  const exact = new Float32Array(count);
  const gather = scorer.gather(unitQuery);
  for (let i = 0; i < count; i += GATHER_MAX) {
    const n = Math.min(GATHER_MAX, count - i);
    gather.ids.set(candidates.subarray(i, i + n));
    gather.score(n);
    exact.set(gather.out.subarray(0, n), i);
  }
  // Candidates are in row order, so the top-k's tie rule (lower index first) is the rows' own.
  const top = selectTopK(exact, topn);
  return { rows: Int32Array.from(top.rows, (i) => candidates[i]), scores: top.scores };
}

function isListed(rows: Int32Array, row: number): boolean {
  for (let i = 0; i < rows.length; i++) if (rows[i] === row) return true;
  return false;
}
