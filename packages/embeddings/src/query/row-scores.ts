/**
 * The hot loop of every similarity query: one dot product per matrix row.
 * Pure JavaScript, four independent accumulators so the engine can overlap the multiply-adds
 * (a single accumulator serialises every addition on the previous one).
 */

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
  const tail = dim & 3;
  const body = dim - tail;
  for (let r = start, base = start * dim; r < end; r++, base += dim) {
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let j = 0;
    for (; j < body; j += 4) {
      const b = base + j;
      s0 += matrix[b] * query[j];
      s1 += matrix[b + 1] * query[j + 1];
      s2 += matrix[b + 2] * query[j + 2];
      s3 += matrix[b + 3] * query[j + 3];
    }
    for (; j < dim; j++) s0 += matrix[base + j] * query[j];
    out[r] = s0 + s1 + (s2 + s3);
  }
}
