/**
 * Full SVD of a small dense square matrix by one-sided Jacobi (Hestenes 1958; Demmel & Veselić 1992,
 * "Jacobi's method is more accurate than QR", §4): plane rotations applied to pairs of columns of M until
 * every pair is orthogonal, so M·V = U·Σ with the columns' norms as the singular values. It works on M
 * itself, never on MᵀM, so small singular values keep their relative accuracy (a rank-deficient M shows
 * singular values at rounding level, not at the square root of it). Used on the `dim × dim` cross-covariance
 * of an orthogonal Procrustes fit.
 */
import { InvalidArgumentError } from '../errors.js';
import {
  checkKernelChoice,
  compileKernel,
  type KernelChoice,
  requireKernel,
  webAssembly,
} from '../wasm/runtime.js';
import { dot } from './dot.js';
import { JACOBI_SWEEP_WAT } from './jacobi-sweep-wat.js';

/** M = U · diag(s) · Vᵀ, singular values descending. */
export interface DenseSvd {
  /** Row-major `n × n`; column k is the left singular vector of s[k] (zero where s[k] is 0). */
  u: Float64Array;
  s: Float64Array;
  /** Row-major `n × n`, orthogonal; column k is the right singular vector of s[k]. */
  v: Float64Array;
  /** Sweeps over all column pairs until none needed a rotation. */
  sweeps: number;
}

/** A pair counts as orthogonal when |aₚ·a_q| ≤ this × ‖aₚ‖·‖a_q‖ (n·ε is the usual stopping rule). */
const EPSILON = 2.220446049250313e-16;
const MAX_SWEEPS = 60;
const WASM_PAGE = 65536;

/**
 * SVD of the row-major `n × n` matrix `m` (not modified). The sweeps run in WebAssembly SIMD where the
 * engine has it (jacobi-sweep-wat.ts: the same pairs, tests and rotations, two lanes at a time), else in
 * JavaScript; the two agree to rounding.
 *
 * @param kernel - `auto` (WebAssembly SIMD where it runs), `wasm-simd` or `js`; default `auto`
 * @throws {@link InvalidArgumentError} when `m` does not hold `n × n` values, or `wasm-simd` was asked for
 *   where it cannot run.
 * @example
 * ```ts
 * const { s } = jacobiSvd(Float64Array.of(3, 0, 0, -2), 2); // [3, 2]
 * ```
 */
export function jacobiSvd(m: ArrayLike<number>, n: number, kernel: KernelChoice = 'auto'): DenseSvd {
  const choice = checkKernelChoice(kernel);
  if (!Number.isInteger(n) || n < 1 || m.length !== n * n)
    throw new InvalidArgumentError(`jacobiSvd needs an n × n matrix, got ${m.length} values for n = ${n}`);
  const module =
    choice === 'js'
      ? null
      : choice === 'wasm-simd'
        ? requireKernel('Jacobi SVD', JACOBI_SWEEP_WAT)
        : compileKernel(JACOBI_SWEEP_WAT);
  // Rows padded to a multiple of four values (zeros, which the rotations keep zero) for the SIMD loops.
  const stride = module ? Math.ceil(n / 4) * 4 : n;
  const values = 2 * n * stride + n;
  let a: Float64Array;
  let vt: Float64Array;
  let norms: Float64Array;
  let sweep: (tolerance: number) => boolean;
  if (module && webAssembly) {
    const pages = Math.ceil((values * 8) / WASM_PAGE);
    const memory = new webAssembly.Memory({ initial: pages, maximum: pages, shared: false });
    const run = new webAssembly.Instance(module, { env: { memory } }).exports as JacobiExports;
    a = new Float64Array(memory.buffer, 0, n * stride);
    vt = new Float64Array(memory.buffer, n * stride * 8, n * stride);
    norms = new Float64Array(memory.buffer, 2 * n * stride * 8, n);
    const vtAt = n * stride * 8;
    const normsAt = 2 * n * stride * 8;
    sweep = (tolerance) => {
      run.norms(0, normsAt, n, stride);
      return run.sweep(0, vtAt, normsAt, n, stride, tolerance) > 0;
    };
  } else {
    a = new Float64Array(n * stride);
    vt = new Float64Array(n * stride);
    norms = new Float64Array(n);
    sweep = (tolerance) => sweepJs(a, vt, norms, n, tolerance);
  }
  // Column p of M is row p of `a` (and of `vt` for V), so each column operation is contiguous.
  for (let i = 0; i < n; i++) for (let p = 0; p < n; p++) a[p * stride + i] = m[i * n + p];
  for (let p = 0; p < n; p++) vt[p * stride + p] = 1;
  const tolerance = n * EPSILON;
  let sweeps = 0;
  for (let rotated = true; rotated && sweeps < MAX_SWEEPS; sweeps++) rotated = sweep(tolerance);
  const sigma = new Float64Array(n);
  for (let p = 0; p < n; p++) sigma[p] = Math.sqrt(dot(a, a, n, p * stride, p * stride));
  const order = Array.from({ length: n }, (_, p) => p).sort((x, y) => sigma[y] - sigma[x]);
  const s = new Float64Array(n);
  const u = new Float64Array(n * n);
  const v = new Float64Array(n * n);
  order.forEach((p, k) => {
    s[k] = sigma[p];
    const inv = sigma[p] > 0 ? 1 / sigma[p] : 0;
    for (let i = 0; i < n; i++) {
      u[i * n + k] = a[p * stride + i] * inv;
      v[i * n + k] = vt[p * stride + i];
    }
  });
  return { u, s, v, sweeps };
}

/**
 * One cyclic sweep over every pair of rows of `a` (the columns of M), rotating those not yet orthogonal to
 * `tolerance` and the same rows of `vt`; `norms` holds the rows' squared norms and follows the rotations.
 * Whether any pair was rotated.
 */
function sweepJs(
  a: Float64Array,
  vt: Float64Array,
  norms: Float64Array,
  n: number,
  tolerance: number,
): boolean {
  let rotated = false;
  // Exact squared norms each sweep; within it they follow the rotations (α − tγ, β + tγ).
  for (let p = 0; p < n; p++) norms[p] = dot(a, a, n, p * n, p * n);
  for (let p = 0; p < n - 1; p++) {
    for (let q = p + 1; q < n; q++) {
      const alpha = norms[p];
      const beta = norms[q];
      if (alpha === 0 || beta === 0) continue;
      const gamma = dot(a, a, n, p * n, q * n);
      if (Math.abs(gamma) <= tolerance * Math.sqrt(alpha * beta)) continue;
      rotated = true;
      // The rotation that zeroes the pair's inner product, the smaller of the two angles
      // (Golub & Van Loan, "Matrix Computations", 4th ed., §8.6.3 and Algorithm 8.5.1).
      const zeta = (beta - alpha) / (2 * gamma);
      const t = (zeta >= 0 ? 1 : -1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
      const c = 1 / Math.sqrt(1 + t * t);
      const s = c * t;
      rotatePair(a, p * n, q * n, c, s, n);
      rotatePair(vt, p * n, q * n, c, s, n);
      norms[p] = alpha - t * gamma;
      norms[q] = beta + t * gamma;
    }
  }
  return rotated;
}

interface JacobiExports {
  norms(a: number, norms: number, n: number, stride: number): void;
  sweep(a: number, vt: number, norms: number, n: number, stride: number, tolerance: number): number;
}

/** (x_p, x_q) ← (c·x_p − s·x_q, s·x_p + c·x_q) on rows p and q of `x`, n values each. */
function rotatePair(x: Float64Array, p: number, q: number, c: number, s: number, n: number): void {
  for (let i = 0; i < n; i++) {
    const xp = x[p + i];
    const xq = x[q + i];
    x[p + i] = c * xp - s * xq;
    x[q + i] = s * xp + c * xq;
  }
}
