/**
 * The hot loop of every similarity query: one dot product per matrix row, in pure JavaScript
 * (the one dot product of linalg/dot.ts; its WebAssembly SIMD twin is row-scores-wat.ts).
 */
import { dot } from '../linalg/dot.js';

/**
 * Writes `out[r] = matrix[r] · query` for every row r in `[start, end)`.
 *
 * @param matrix - row-major `rows × dim` values (unit rows give cosines)
 * @param dim - row length
 * @param query - `dim` values
 * @param start - first row (inclusive)
 * @param end - last row (exclusive)
 * @param out - receives one score per row at the row's own index (length ≥ end)
 * @example
 * ```ts
 * const out = new Float32Array(2);
 * scoreRows(new Float32Array([1, 0, 0, 1]), 2, new Float32Array([0.5, 2]), 0, 2, out); // out = [0.5, 2]
 * ```
 */
export function scoreRows(
  matrix: Float32Array,
  dim: number,
  query: Float32Array,
  start: number,
  end: number,
  out: Float32Array,
): void {
  for (let r = start, base = start * dim; r < end; r++, base += dim) out[r] = dot(matrix, query, dim, base);
}
