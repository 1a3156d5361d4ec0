import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, OovError } from '../src/errors.js';
import { orthogonalProcrustes, rotateRow } from '../src/linalg/procrustes.js';
import { orthonormalizeColumns } from '../src/linalg/randomized-svd.js';
import { KeyedVectors } from '../src/query/keyed-vectors.js';
import { neighbourOverlap } from '../src/query/model-alignment.js';
import { createRandom } from '../src/random.js';

function gaussian(n: number, seed: number): Float64Array {
  const rand = createRandom(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  return out;
}

/** A random orthogonal matrix: Gram–Schmidt on a Gaussian one (with a reflection half the time, as Haar). */
function randomRotation(dim: number, seed: number): Float64Array {
  const q = gaussian(dim * dim, seed);
  orthonormalizeColumns(q, dim, dim);
  return q;
}

/** rows (n × dim) times w (dim × dim). */
function times(rows: Float64Array, n: number, w: Float64Array, dim: number): Float64Array {
  const out = new Float64Array(n * dim);
  for (let i = 0; i < n; i++) out.set(rotateRow(rows.subarray(i * dim, (i + 1) * dim), w, dim), i * dim);
  return out;
}

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
};

describe('orthogonalProcrustes', () => {
  it('recovers a known random rotation from rotated rows', async () => {
    const dim = 24;
    const n = 300;
    const b = gaussian(n * dim, 11);
    const w = randomRotation(dim, 12);
    const a = times(b, n, w, dim);
    const fit = await orthogonalProcrustes(b, a, n, dim);
    expect(maxAbsDiff(fit.rotation, w)).toBeLessThan(1e-9);
    // Orthogonal: WᵀW = I.
    const wtw = new Float64Array(dim * dim);
    for (let i = 0; i < dim; i++)
      for (let j = 0; j < dim; j++) {
        let x = 0;
        for (let k = 0; k < dim; k++) x += fit.rotation[k * dim + i] * fit.rotation[k * dim + j];
        wtw[i * dim + j] = x - (i === j ? 1 : 0);
      }
    expect(maxAbsDiff(wtw, new Float64Array(dim * dim))).toBeLessThan(1e-9);
  });

  it('under noise, fits better than the true rotation perturbed, and close to it', async () => {
    const dim = 16;
    const n = 2000;
    const b = gaussian(n * dim, 21);
    const w = randomRotation(dim, 22);
    const noise = gaussian(n * dim, 23);
    const a = times(b, n, w, dim).map((x, i) => x + 0.1 * noise[i]);
    const fit = await orthogonalProcrustes(b, a, n, dim);
    expect(maxAbsDiff(fit.rotation, w)).toBeLessThan(0.02);
    // The agreement is Σᵢ (bᵢ·W)·aᵢ, what rotating every row and summing would give.
    const bw = times(b, n, fit.rotation, dim);
    let summed = 0;
    for (let i = 0; i < bw.length; i++) summed += bw[i] * a[i];
    expect(Math.abs(fit.agreement - summed)).toBeLessThan(1e-9 * summed);
    expect(Math.abs(fit.agreement - fit.singularValues.reduce((x, y) => x + y))).toBeLessThan(1e-9 * summed);
    const residual = (r: Float64Array) => {
      const bw = times(b, n, r, dim);
      let s = 0;
      for (let i = 0; i < bw.length; i++) s += (bw[i] - a[i]) ** 2;
      return s;
    };
    // The least-squares optimum is no worse than the rotation that generated the data.
    expect(residual(fit.rotation)).toBeLessThanOrEqual(residual(w) + 1e-9);
  });

  it('refuses too few rows, ragged input, non-finite values and rank-deficient rows', async () => {
    await expect(orthogonalProcrustes(new Float64Array(6), new Float64Array(6), 2, 3)).rejects.toThrow(
      /at least 3 shared rows, got 2/,
    );
    await expect(orthogonalProcrustes(new Float64Array(9), new Float64Array(8), 3, 3)).rejects.toThrow(
      /3 × 3 = 9 values, got 9 and 8/,
    );
    const bad = gaussian(12, 1);
    bad[5] = Number.NaN;
    await expect(orthogonalProcrustes(bad, gaussian(12, 2), 4, 3)).rejects.toThrow(InvalidArgumentError);
    await expect(orthogonalProcrustes(bad, gaussian(12, 2), 4, 3)).rejects.toThrow(
      /source row 1 holds a value that is not finite \(NaN\)/,
    );
    const inf = gaussian(12, 3);
    inf[11] = Number.POSITIVE_INFINITY;
    await expect(orthogonalProcrustes(gaussian(12, 2), inf, 4, 3)).rejects.toThrow(/target row 3 holds/);
    const huge = gaussian(12, 4).map((x) => x * 1e300);
    await expect(orthogonalProcrustes(huge, huge, 4, 3)).rejects.toThrow(/overflows float64/);
    // Every row on one line: the other directions are undetermined.
    const line = Float64Array.from({ length: 30 }, (_, i) => (i % 3 === 0 ? i + 1 : 0));
    await expect(orthogonalProcrustes(line, line, 10, 3)).rejects.toThrow(/span fewer than 3 directions/);
  });
});

describe('VectorQueries.alignOnto / alignedSimilarity', () => {
  const dim = 8;
  const n = 400;
  const words = Array.from({ length: n }, (_, i) => `w${i}`);
  const base = gaussian(n * dim, 31);
  const w = randomRotation(dim, 32);

  it('aligns a rotated copy onto the original: cosines 1, the rotation recovered', async () => {
    const a = new KeyedVectors({ words, vectors: Float32Array.from(base), dim });
    const b = new KeyedVectors({ words, vectors: Float32Array.from(times(base, n, w, dim)), dim });
    const alignment = await b.alignOnto(a, { maxWords: 100 });
    expect(alignment.words).toBe(100);
    expect(alignment.targetRows).toBe(100);
    expect(alignment.meanCosineAfter).toBeGreaterThan(0.99999);
    expect(alignment.meanCosineBefore).toBeLessThan(0.9);
    // B = A·W, so B's rotation onto A is Wᵀ.
    const wt = new Float64Array(dim * dim);
    for (let i = 0; i < dim; i++) for (let j = 0; j < dim; j++) wt[i * dim + j] = w[j * dim + i];
    expect(maxAbsDiff(alignment.rotation, wt)).toBeLessThan(1e-5);
    expect(b.alignedSimilarity(a, 'w399', alignment)).toBeCloseTo(1, 5);
    expect(b.similarity('w1', 'w2')).toBeCloseTo(a.similarity('w1', 'w2'), 5);
  });

  it('fits on the shared words only, the first in the target row order, and reports a moved word', async () => {
    const moved = base.slice();
    // In B, w301 (past the fitted words) takes w302's vector: after alignment its cosine with A's
    // w301 is A's cos(w301, w302).
    moved.set(base.subarray(302 * dim, 303 * dim), 301 * dim);
    const bWords = words.map((x, i) => (i % 2 === 0 || i === 301 || i === 3 ? x : `other${i}`));
    const a = new KeyedVectors({ words, vectors: Float32Array.from(base), dim });
    const b = new KeyedVectors({ words: bWords, vectors: Float32Array.from(times(moved, n, w, dim)), dim });
    const alignment = await b.alignOnto(a, { maxWords: 50 });
    expect(alignment.words).toBe(50);
    // w0, w2, w3, w4, w6, …, w96: the 50th shared word is w96, row 96.
    expect(alignment.targetRows).toBe(97);
    expect(alignment.meanCosineAfter).toBeGreaterThan(0.99999);
    expect(b.alignedSimilarity(a, 'w301', alignment)).toBeCloseTo(a.similarity('w301', 'w302'), 5);
    expect(b.alignedSimilarity(a, 'w300', alignment)).toBeCloseTo(1, 5);
    expect(() => b.alignedSimilarity(a, 'w7', alignment)).toThrow(OovError);
  });

  it('refuses different dimensions, too few shared words and a bad cap', async () => {
    const a = new KeyedVectors({ words, vectors: Float32Array.from(base), dim });
    const c = new KeyedVectors({
      words: words.slice(0, 100),
      vectors: new Float32Array(100 * 4).fill(1),
      dim: 4,
    });
    await expect(c.alignOnto(a)).rejects.toThrow(/same dimension; the target has 8 dimensions, the source 4/);
    const few = new KeyedVectors({
      words: ['w1', 'w2', 'zz'],
      vectors: Float32Array.from(base.subarray(0, 3 * dim)),
      dim,
    });
    await expect(few.alignOnto(a)).rejects.toThrow(/share 2 words; aligning 8 dimensions needs at least 8/);
    await expect(a.alignOnto(a, { maxWords: 3 })).rejects.toThrow(/maxWords must be an integer/);
  });
});

describe('neighbourOverlap', () => {
  it('lists the shared words in the first ranking’s order and their Jaccard index', () => {
    const n = (...ws: string[]) => ws.map((word) => ({ word, score: 0 }));
    expect(neighbourOverlap(n('a', 'b', 'c', 'd'), n('d', 'x', 'b'))).toEqual({
      shared: ['b', 'd'],
      jaccard: 2 / 5,
    });
    expect(neighbourOverlap(n(), n())).toEqual({ shared: [], jaccard: 0 });
  });
});
