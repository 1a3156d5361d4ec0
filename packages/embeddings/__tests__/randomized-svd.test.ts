import { describe, expect, it } from 'vitest';
import { orthonormalizeColumns, randomizedSvd } from '../src/linalg/randomized-svd.js';
import { csrFromDense } from '../src/linalg/sparse-matrix.js';
import { symmetricEigen } from '../src/linalg/symmetric-eigen.js';
import { createRandom } from '../src/random.js';

function randomMatrix(rows: number, cols: number, seed: number): Float64Array {
  const rand = createRandom(seed);
  return Float64Array.from({ length: rows * cols }, () => rand() - 0.5);
}

describe('symmetricEigen', () => {
  it('finds the eigenpairs of a small symmetric matrix', () => {
    // [[2,1,0],[1,2,0],[0,0,5]]: eigenvalues 5, 3, 1.
    const { values, vectors } = symmetricEigen(Float64Array.of(2, 1, 0, 1, 2, 0, 0, 0, 5), 3);
    expect(values[0]).toBeCloseTo(5, 12);
    expect(values[1]).toBeCloseTo(3, 12);
    expect(values[2]).toBeCloseTo(1, 12);
    // Eigenvector of 3 is ±(1, 1, 0)/√2.
    expect(Math.abs(vectors[0 * 3 + 1])).toBeCloseTo(Math.SQRT1_2, 12);
    expect(vectors[0 * 3 + 1]).toBeCloseTo(vectors[1 * 3 + 1], 12);
  });
});

describe('randomizedSvd', () => {
  it('recovers a rank-3 matrix with known singular values', async () => {
    const rows = 60;
    const cols = 40;
    const u = randomMatrix(rows, 3, 1);
    const v = randomMatrix(cols, 3, 2);
    orthonormalizeColumns(u, rows, 3);
    orthonormalizeColumns(v, cols, 3);
    const sigma = [10, 5, 2];
    const dense = new Float64Array(rows * cols);
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) {
        let x = 0;
        for (let k = 0; k < 3; k++) x += u[i * 3 + k] * sigma[k] * v[j * 3 + k];
        dense[i * cols + j] = x;
      }
    }
    const svd = await randomizedSvd(csrFromDense(dense, rows, cols), 3, { seed: 7 });
    for (let k = 0; k < 3; k++) expect(svd.s[k]).toBeCloseTo(sigma[k], 9);
    let worst = 0;
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) {
        let x = 0;
        for (let k = 0; k < 3; k++) x += svd.u[i * 3 + k] * svd.s[k] * svd.v[j * 3 + k];
        worst = Math.max(worst, Math.abs(x - dense[i * cols + j]));
      }
    }
    expect(worst).toBeLessThan(1e-9);
  });

  it('matches the leading singular values of a full-rank sparse matrix, repeatably', async () => {
    const rows = 80;
    const cols = 50;
    const rand = createRandom(3);
    const dense = Float64Array.from({ length: rows * cols }, () => (rand() < 0.2 ? rand() * 4 : 0));
    // Exact singular values: square roots of the eigenvalues of AᵀA.
    const ata = new Float64Array(cols * cols);
    for (let i = 0; i < rows; i++)
      for (let a = 0; a < cols; a++)
        for (let b = 0; b < cols; b++) ata[a * cols + b] += dense[i * cols + a] * dense[i * cols + b];
    const exact = symmetricEigen(ata, cols).values.map(Math.sqrt);
    const a = csrFromDense(dense, rows, cols);
    const svd = await randomizedSvd(a, 5, { seed: 1, powerIterations: 4 });
    // A flat random spectrum is the hard case for randomised SVD: a few 1e-4 of relative error is expected.
    for (let k = 0; k < 5; k++) expect(svd.s[k] / exact[k]).toBeCloseTo(1, 3);
    const again = await randomizedSvd(a, 5, { seed: 1, powerIterations: 4 });
    expect(again.u).toEqual(svd.u);
    const steps: number[] = [];
    await randomizedSvd(a, 5, { seed: 1, onProgress: (p) => steps.push(p.done) });
    expect(steps).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('rejects a rank beyond the matrix', async () => {
    await expect(randomizedSvd(csrFromDense([1, 0, 0, 1], 2, 2), 3)).rejects.toThrow(/rank must be .*got 3/);
  });
});
