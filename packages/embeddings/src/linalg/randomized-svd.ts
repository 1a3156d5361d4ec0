/**
 * Truncated SVD of a sparse matrix by randomised subspace iteration (Halko, Martinsson & Tropp 2011,
 * "Finding structure with randomness", Algorithm 4.4 for the range, Algorithm 5.1 for the factorisation).
 * Touches the matrix only through sparse products A·B and Aᵀ·B with thin dense blocks, so the cost is
 * O(nnz · l) per product, l = rank + oversampling.
 */
import { AbortedError, InvalidArgumentError } from '../errors.js';
import type { OnProgress } from '../progress.js';
import { createRandom } from '../random.js';
import { dot } from './dot.js';
import { type CsrMatrix, multiplyDense, multiplyTransposeDense } from './sparse-matrix.js';
import { symmetricEigen } from './symmetric-eigen.js';
import { transposeProduct } from './transpose-product.js';

/** Options of {@link randomizedSvd}. */
export interface RandomizedSvdOptions {
  /** Extra random directions beyond the rank (Halko et al. suggest 5–10). Default 10. */
  oversample?: number;
  /** Power (subspace) iterations q; each sharpens the spectrum's decay. Default 2. */
  powerIterations?: number;
  /** Seed of the Gaussian test matrix. Default 1. */
  seed?: number;
  onProgress?: OnProgress;
  signal?: AbortSignal;
}

/** A ≈ U · diag(s) · Vᵀ with `rank` components, singular values descending. */
export interface TruncatedSvd {
  rank: number;
  /** Row-major `A.rows × rank`, orthonormal columns. */
  u: Float64Array;
  s: Float64Array;
  /** Row-major `A.cols × rank`, orthonormal columns. */
  v: Float64Array;
}

/**
 * Rank-`rank` truncated SVD of sparse `a`.
 *
 * @example
 * ```ts
 * const { u, s } = await randomizedSvd(ppmi, 300, { seed: 1 });
 * ```
 */
export async function randomizedSvd(
  a: CsrMatrix,
  rank: number,
  options: RandomizedSvdOptions = {},
): Promise<TruncatedSvd> {
  const { oversample = 10, powerIterations = 2, seed = 1, onProgress, signal } = options;
  const smaller = Math.min(a.rows, a.cols);
  if (!Number.isInteger(rank) || rank < 1 || rank > smaller) {
    throw new InvalidArgumentError(
      `rank must be an integer in [1, ${smaller}] (the smaller side of the matrix), got ${rank}`,
    );
  }
  if (!Number.isInteger(oversample) || oversample < 0)
    throw new InvalidArgumentError(`oversample must be a non-negative integer, got ${oversample}`);
  if (!Number.isInteger(powerIterations) || powerIterations < 0) {
    throw new InvalidArgumentError(`powerIterations must be a non-negative integer, got ${powerIterations}`);
  }
  const l = Math.min(rank + oversample, smaller);
  const steps = 2 + 2 * powerIterations + 1;
  let step = 0;
  const tick = async (): Promise<void> => {
    step++;
    onProgress?.({ stage: 'svd', done: step, total: steps, unit: 'steps' });
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (signal?.aborted) throw new AbortedError('SVD');
  };
  if (signal?.aborted) throw new AbortedError('SVD');

  // Ω: cols × l standard Gaussian (Box–Muller), seeded.
  const random = createRandom(seed);
  const omega = new Float64Array(a.cols * l);
  for (let i = 0; i < omega.length; i += 2) {
    const r = Math.sqrt(-2 * Math.log(1 - random()));
    const t = 2 * Math.PI * random();
    omega[i] = r * Math.cos(t);
    if (i + 1 < omega.length) omega[i + 1] = r * Math.sin(t);
  }
  const q = multiplyDense(a, omega, l);
  orthonormalizeColumns(q, a.rows, l);
  await tick();
  const z = new Float64Array(a.cols * l);
  for (let it = 0; it < powerIterations; it++) {
    multiplyTransposeDense(a, q, l, z);
    orthonormalizeColumns(z, a.cols, l);
    await tick();
    multiplyDense(a, z, l, q);
    orthonormalizeColumns(q, a.rows, l);
    await tick();
  }
  // B = Qᵀ A is l × cols; we hold Z = Bᵀ = Aᵀ Q. B Bᵀ = Zᵀ Z = W Λ Wᵀ gives B = W Σ (Z W Σ⁻¹)ᵀ.
  multiplyTransposeDense(a, q, l, z);
  await tick();
  const gram = transposeProduct(z, z, a.cols, l);
  const eig = symmetricEigen(gram, l);
  const s = new Float64Array(rank);
  for (let k = 0; k < rank; k++) s[k] = Math.sqrt(Math.max(eig.values[k], 0));
  const u = projectColumns(q, a.rows, l, eig.vectors, rank);
  const v = projectColumns(z, a.cols, l, eig.vectors, rank);
  for (let r = 0; r < a.cols; r++)
    for (let k = 0; k < rank; k++) v[r * rank + k] = s[k] > 0 ? v[r * rank + k] / s[k] : 0;
  await tick();
  return { rank, u, s, v };
}

/** out (rows × rank) = x (rows × l) · w[:, :rank], w row-major l × l. */
function projectColumns(
  x: Float64Array,
  rows: number,
  l: number,
  w: Float64Array,
  rank: number,
): Float64Array {
  const out = new Float64Array(rows * rank);
  for (let r = 0; r < rows; r++) {
    const xo = r * l;
    const oo = r * rank;
    for (let c = 0; c < l; c++) {
      const xv = x[xo + c];
      if (xv === 0) continue;
      const wo = c * l;
      for (let k = 0; k < rank; k++) out[oo + k] += xv * w[wo + k];
    }
  }
  return out;
}

/**
 * Orthonormalises the columns of row-major `rows × l` matrix `y` in place: modified Gram–Schmidt run twice
 * ("twice is enough", Giraud et al. 2005), on a column-major copy so each dot product is contiguous.
 * A column that vanishes (rank deficiency) is set to zero.
 */
export function orthonormalizeColumns(y: Float64Array, rows: number, l: number): void {
  const t = new Float64Array(rows * l);
  for (let r = 0; r < rows; r++) for (let c = 0; c < l; c++) t[c * rows + r] = y[r * l + c];
  for (let j = 0; j < l; j++) {
    const cj = j * rows;
    const before = dot(t, t, rows, cj, cj);
    for (let pass = 0; pass < 2; pass++) {
      for (let i = 0; i < j; i++) {
        const ci = i * rows;
        const d = dot(t, t, rows, ci, cj);
        if (d !== 0) subtractScaled(t, cj, d, ci, rows);
      }
    }
    const norm = dot(t, t, rows, cj, cj);
    // Below 1e-24 of its starting energy the column is numerical noise from the earlier ones.
    if (norm <= 1e-24 * before || norm === 0) t.fill(0, cj, cj + rows);
    else {
      const inv = 1 / Math.sqrt(norm);
      for (let r = 0; r < rows; r++) t[cj + r] *= inv;
    }
  }
  for (let r = 0; r < rows; r++) for (let c = 0; c < l; c++) y[r * l + c] = t[c * rows + r];
}

/** t[dst+r] −= d·t[src+r] for r < n, unrolled by four. */
function subtractScaled(t: Float64Array, dst: number, d: number, src: number, n: number): void {
  const n4 = n - (n & 3);
  let r = 0;
  for (; r < n4; r += 4) {
    t[dst + r] -= d * t[src + r];
    t[dst + r + 1] -= d * t[src + r + 1];
    t[dst + r + 2] -= d * t[src + r + 2];
    t[dst + r + 3] -= d * t[src + r + 3];
  }
  for (; r < n; r++) t[dst + r] -= d * t[src + r];
}
