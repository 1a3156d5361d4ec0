import { createRandom, InvalidArgumentError } from '@wordvec/embeddings';
import { describe, expect, it } from 'vitest';
import { clusterRows, projectRows } from '../src/index.js';
import { plantedModel } from './fixtures.js';

function correlation(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i] / n;
    mb += b[i] / n;
  }
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) ** 2;
    sbb += (b[i] - mb) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
}

describe('projectRows', () => {
  it('PCA recovers planted principal axes and their share of the variance', async () => {
    // Rows = 0.5·a·e1 + 0.2·b·e2 + a constant + tiny noise.
    const random = createRandom(3);
    const n = 40;
    const dim = 10;
    // A full 8 × 5 grid: a and b are exactly uncorrelated, so the principal axes are e1 and e2.
    const a = Float64Array.from({ length: n }, (_, i) => (i % 8) - 3.5);
    const b = Float64Array.from({ length: n }, (_, i) => Math.floor(i / 8) - 2);
    const rows = new Float32Array(n * dim);
    for (let i = 0; i < n; i++) {
      rows[i * dim] = 0.5 * a[i];
      rows[i * dim + 1] = 0.2 * b[i];
      rows[i * dim + 2] = 10;
      for (let d = 3; d < dim; d++) rows[i * dim + d] = (random() - 0.5) * 0.002;
    }
    const p = await projectRows(rows, n, dim, { normalize: false });
    expect(p.projection).toBe('pca');
    expect(Math.abs(correlation(p.x, a))).toBeGreaterThan(0.999);
    expect(Math.abs(correlation(p.y, b))).toBeGreaterThan(0.999);
    // Variance 0.25·var(a) = 1.3125 against 0.04·var(b) = 0.08: the first axis holds 94 % of it.
    const [first, second] = p.explained ?? [0, 0];
    expect(first).toBeCloseTo(1.3125 / (1.3125 + 0.08), 4);
    expect(first + second).toBeGreaterThan(0.999);
  });

  it('PCA coordinates keep the pairwise distances of points that lie in a plane', async () => {
    const n = 12;
    const dim = 6;
    const random = createRandom(9);
    const rows = new Float32Array(n * dim);
    const u = [0.6, 0.8, 0, 0, 0, 0];
    const v = [0, 0, 0.6, 0.8, 0, 0];
    for (let i = 0; i < n; i++) {
      const s = random() * 4;
      const t = random() * 4;
      for (let d = 0; d < dim; d++) rows[i * dim + d] = s * u[d] + t * v[d];
    }
    const p = await projectRows(rows, n, dim, { normalize: false });
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < i; j++) {
        let d2 = 0;
        for (let d = 0; d < dim; d++) d2 += (rows[i * dim + d] - rows[j * dim + d]) ** 2;
        expect(Math.hypot(p.x[i] - p.x[j], p.y[i] - p.y[j])).toBeCloseTo(Math.sqrt(d2), 4);
      }
    }
  });

  it('UMAP keeps planted clusters apart and repeats exactly for a seed', async () => {
    const model = plantedModel(3, 10, 16);
    const n = 30;
    const rows = model.vectors.slice(0, n * 16);
    const p = await projectRows(rows, n, 16, { projection: 'umap', seed: 5 });
    const again = await projectRows(rows, n, 16, { projection: 'umap', seed: 5 });
    expect(p.projection).toBe('umap');
    expect([...again.x]).toEqual([...p.x]);
    // Every point's nearest point in the plane is from its own cluster.
    for (let i = 0; i < n; i++) {
      let best = -1;
      let bestD = Number.POSITIVE_INFINITY;
      for (let j = 0; j < n; j++) {
        const d = Math.hypot(p.x[i] - p.x[j], p.y[i] - p.y[j]);
        if (j !== i && d < bestD) {
          bestD = d;
          best = j;
        }
      }
      expect(Math.floor(best / 10)).toBe(Math.floor(i / 10));
    }
  });

  it('falls back to PCA for UMAP on a handful of points, handles one and two points, refuses bad input', async () => {
    const rows = Float32Array.of(1, 0, 0, 1, 1, 1);
    expect((await projectRows(rows, 3, 2, { projection: 'umap' })).projection).toBe('pca');
    const one = await projectRows(Float32Array.of(1, 2), 1, 2);
    expect([one.x[0], one.y[0]]).toEqual([0, 0]);
    const two = await projectRows(Float32Array.of(1, 0, 0, 1), 2, 2);
    expect(two.x[0]).not.toBe(two.x[1]);
    await expect(projectRows(Float32Array.of(1, Number.NaN), 1, 2)).rejects.toThrow(InvalidArgumentError);
    await expect(projectRows(Float32Array.of(1, 2, 3), 2, 2)).rejects.toThrow(InvalidArgumentError);
    // @ts-expect-error: checked at run time for callers in plain JavaScript
    await expect(projectRows(rows, 3, 2, { projection: 'tsne' })).rejects.toThrow(
      /projection must be one of pca, umap/,
    );
  });
});

describe('clusterRows', () => {
  it('finds planted clusters, numbered by first member', () => {
    const model = plantedModel(3, 8, 16);
    const groups = clusterRows(model.vectors.slice(0, 24 * 16), 24, 16, { k: 3 });
    expect([...groups]).toEqual([...Array(8).fill(0), ...Array(8).fill(1), ...Array(8).fill(2)]);
  });
});
