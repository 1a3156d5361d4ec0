import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { jacobiSvd } from '../src/linalg/jacobi-svd.js';
import { JACOBI_SWEEP_WAT } from '../src/linalg/jacobi-sweep-wat.js';
import { orthogonalProcrustes } from '../src/linalg/procrustes.js';
import { randomizedSvd } from '../src/linalg/randomized-svd.js';
import { csrFromDense } from '../src/linalg/sparse-matrix.js';
import { createRandom } from '../src/random.js';
import { compileKernel } from '../src/wasm/runtime.js';

const PYTHON = '/usr/bin/python3';
const hasSimd = compileKernel(JACOBI_SWEEP_WAT) !== null;

function uniform(n: number, seed: number): Float64Array {
  const rand = createRandom(seed);
  return Float64Array.from({ length: n }, () => rand() - 0.5);
}

/** Largest |XᵀY − I| entry for row-major n × n X and Y (pass the same matrix twice for orthogonality). */
function offIdentity(x: Float64Array, y: Float64Array, n: number): number {
  let worst = 0;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += x[k * n + i] * y[k * n + j];
      worst = Math.max(worst, Math.abs(s - (i === j ? 1 : 0)));
    }
  return worst;
}

/** U·Vᵀ, row-major. */
function polar(u: Float64Array, v: Float64Array, n: number): Float64Array {
  const w = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += u[i * n + k] * v[j * n + k];
      w[i * n + j] = s;
    }
  return w;
}

/** numpy's answer for `script` (stdin: the matrix as JSON), or undefined, with a visible message, without numpy. */
function numpy<T>(script: string, input: unknown): T | undefined {
  const r = spawnSync(PYTHON, ['-c', `import json, sys, numpy as np\n${script}`], {
    input: JSON.stringify(input),
    encoding: 'utf8',
    env: { ...process.env, OPENBLAS_NUM_THREADS: '1' },
  });
  if (r.error || r.status !== 0) {
    console.warn('numpy (python3-numpy) not installed: skipping the comparison with numpy.linalg.svd');
    return undefined;
  }
  return JSON.parse(r.stdout.trim().split('\n').at(-1) as string) as T;
}

describe('jacobiSvd', () => {
  it('factorises a small matrix exactly', () => {
    const { u, s, v } = jacobiSvd(Float64Array.of(3, 0, 0, -2), 2);
    expect(Array.from(s)).toEqual([3, 2]);
    // M = U·Σ·Vᵀ with the sign of −2 carried by one of the singular vectors.
    expect(u[0] * s[0] * v[0] + u[1] * s[1] * v[1]).toBeCloseTo(3, 14);
    expect(u[2] * s[0] * v[2] + u[3] * s[1] * v[3]).toBeCloseTo(-2, 14);
  });

  it('gives orthogonal U, V and U·Vᵀ (to 1e-9), M = U·Σ·Vᵀ, and the singular values of the randomised SVD at full rank', async () => {
    const n = 60;
    const m = uniform(n * n, 4);
    const { u, s, v, sweeps } = jacobiSvd(m, n);
    expect(sweeps).toBeGreaterThan(1);
    expect(offIdentity(u, u, n)).toBeLessThan(1e-9);
    expect(offIdentity(v, v, n)).toBeLessThan(1e-9);
    const w = polar(u, v, n);
    expect(offIdentity(w, w, n)).toBeLessThan(1e-9);
    let worst = 0;
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        let x = 0;
        for (let k = 0; k < n; k++) x += u[i * n + k] * s[k] * v[j * n + k];
        worst = Math.max(worst, Math.abs(x - m[i * n + j]));
      }
    expect(worst).toBeLessThan(1e-12);
    for (let k = 1; k < n; k++) expect(s[k]).toBeLessThanOrEqual(s[k - 1]);
    // What the alignment used before: randomizedSvd of the dense matrix at full rank, exact there.
    const before = await randomizedSvd(csrFromDense(m, n, n), n, {
      oversample: 0,
      powerIterations: 0,
      seed: 1,
    });
    for (let k = 0; k < n; k++) expect(Math.abs(s[k] - before.s[k])).toBeLessThan(1e-9 * s[0]);
  });

  it('shows a rank-deficient matrix by singular values at rounding level', () => {
    const n = 12;
    // Rank 3: M = X·Yᵀ with X, Y of 3 columns.
    const x = uniform(n * 3, 5);
    const y = uniform(n * 3, 6);
    const m = new Float64Array(n * n);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) for (let k = 0; k < 3; k++) m[i * n + j] += x[i * 3 + k] * y[j * 3 + k];
    const { s, v } = jacobiSvd(m, n);
    expect(s[2]).toBeGreaterThan(1e-3 * s[0]);
    for (let k = 3; k < n; k++) expect(s[k]).toBeLessThan(1e-14 * s[0]);
    expect(offIdentity(v, v, n)).toBeLessThan(1e-9);
  });

  it('agrees with numpy.linalg.svd on the singular values and with numpy Procrustes on the rotation', async () => {
    const n = 40;
    const rows = 200;
    const source = uniform(rows * n, 7);
    const target = uniform(rows * n, 8);
    const m = new Float64Array(n * n);
    for (let r = 0; r < rows; r++)
      for (let j = 0; j < n; j++)
        for (let k = 0; k < n; k++) m[j * n + k] += source[r * n + j] * target[r * n + k];
    const oracle = numpy<{ s: number[]; w: number[] }>(
      `d = json.load(sys.stdin); n = d['n']
s_ = np.array(d['source']).reshape(-1, n); t_ = np.array(d['target']).reshape(-1, n)
u, s, vt = np.linalg.svd(s_.T @ t_)
print(json.dumps({'s': s.tolist(), 'w': (u @ vt).ravel().tolist()}))`,
      { n, source: Array.from(source), target: Array.from(target) },
    );
    if (!oracle) return;
    const { s } = jacobiSvd(m, n);
    for (let k = 0; k < n; k++) expect(Math.abs(s[k] - oracle.s[k])).toBeLessThan(1e-10 * s[0]);
    const fit = await orthogonalProcrustes(source, target, rows, n);
    let worst = 0;
    for (let i = 0; i < n * n; i++) worst = Math.max(worst, Math.abs(fit.rotation[i] - oracle.w[i]));
    expect(worst).toBeLessThan(1e-9);
  });

  it.skipIf(!hasSimd)(
    'the WebAssembly sweeps give the JavaScript sweeps’ SVD to rounding (odd n: padded rows), rank deficiency included',
    () => {
      const n = 61;
      const full = uniform(n * n, 9);
      // Rank 5 of 61.
      const x = uniform(n * 5, 10);
      const low = new Float64Array(n * n);
      for (let i = 0; i < n; i++)
        for (let j = 0; j < n; j++) for (let k = 0; k < 5; k++) low[i * n + j] += x[i * 5 + k] * x[j * 5 + k];
      for (const m of [full, low]) {
        const js = jacobiSvd(m, n, 'js');
        const simd = jacobiSvd(m, n, 'wasm-simd');
        expect(Math.abs(simd.sweeps - js.sweeps)).toBeLessThanOrEqual(1);
        for (let k = 0; k < n; k++) expect(Math.abs(simd.s[k] - js.s[k])).toBeLessThan(1e-12 * js.s[0]);
        // The singular vectors of the non-zero singular values agree up to rounding (same signs: same rotations).
        const nonZero = m === full ? n : 5;
        let worst = 0;
        for (let i = 0; i < n; i++)
          for (let k = 0; k < nonZero; k++) {
            worst = Math.max(worst, Math.abs(simd.u[i * n + k] - js.u[i * n + k]));
            worst = Math.max(worst, Math.abs(simd.v[i * n + k] - js.v[i * n + k]));
          }
        expect(worst).toBeLessThan(1e-9);
        expect(offIdentity(simd.v, simd.v, n)).toBeLessThan(1e-9);
      }
      expect(() => jacobiSvd(full, n, 'gpu' as 'js')).toThrow(/kernel must be 'auto', 'wasm-simd' or 'js'/);
    },
  );

  it('refuses a matrix that is not n × n', () => {
    expect(() => jacobiSvd(new Float64Array(5), 2)).toThrow(/n × n matrix, got 5 values for n = 2/);
    expect(() => jacobiSvd([], 0)).toThrow(/n × n matrix/);
  });
});
