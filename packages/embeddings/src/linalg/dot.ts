/**
 * The one dot product of the JavaScript code paths (the WebAssembly kernels have their own, in
 * wasm/simd-dot-wat.ts). Four independent accumulators let the engine overlap the multiply-adds;
 * a single accumulator would serialise every addition on the previous one.
 */

/**
 * Σ a[aStart + j] · b[bStart + j] for j < n, summed in float64.
 *
 * @param a - first vector (or a matrix holding it as a row)
 * @param b - second vector (or a matrix holding it as a row)
 * @param n - how many components; default `a.length`
 * @param aStart - where the vector starts in `a`; default 0
 * @param bStart - where the vector starts in `b`; default 0
 * @example
 * ```ts
 * dot(new Float32Array([1, 2, 3]), new Float32Array([4, 5, 6])); // 32
 * dot(matrix, query, dim, row * dim); // row `row` of a row-major matrix against a query
 * ```
 */
export function dot(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  n: number = a.length,
  aStart = 0,
  bStart = 0,
): number {
  const body = n - (n & 3);
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let j = 0;
  for (; j < body; j += 4) {
    s0 += a[aStart + j] * b[bStart + j];
    s1 += a[aStart + j + 1] * b[bStart + j + 1];
    s2 += a[aStart + j + 2] * b[bStart + j + 2];
    s3 += a[aStart + j + 3] * b[bStart + j + 3];
  }
  for (; j < n; j++) s0 += a[aStart + j] * b[bStart + j];
  return s0 + s1 + (s2 + s3);
}
