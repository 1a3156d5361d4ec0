/**
 * The mean of the rows of a row-major matrix, summed in float64 and rounded once to float32.
 *
 * @example
 * ```ts
 * meanRow(new Float32Array([1, 0, 0, 1]), 2, 2); // Float32Array [0.5, 0.5]
 * ```
 */
export function meanRow(matrix: Float32Array, rows: number, dim: number): Float32Array {
  const acc = new Float64Array(dim);
  for (let r = 0, o = 0; r < rows; r++) for (let d = 0; d < dim; d++, o++) acc[d] += matrix[o];
  return Float32Array.from(acc, (x) => (rows > 0 ? x / rows : 0));
}
