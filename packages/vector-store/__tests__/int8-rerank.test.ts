import { createInt8Matrix, dot, quantizeRows } from '@wordvec/embeddings/kernels';
import { describe, expect, it } from 'vitest';
import { approximateNearest } from '../src/ann/approximate-nearest.js';

import { clusteredVectors } from './fixtures.js';

describe('int8 scan re-rank', () => {
  it('stops re-ranking once no candidate left can make the answer, and answers as the exact scan', () => {
    const n = 2000;
    const dim = 24;
    const m = clusteredVectors(n, dim, 5, 40).vectors;
    for (let r = 0; r < n; r++) {
      const row = m.subarray(r * dim, (r + 1) * dim);
      const norm = Math.sqrt(dot(row, row));
      for (let d = 0; d < dim; d++) row[d] /= norm;
    }
    const q8 = createInt8Matrix(n, dim);
    quantizeRows(m, 0, n, q8);
    let reads = 0;
    let pooled = 0;
    for (let q = 0; q < 50; q++) {
      const query = m.slice(q * 37 * dim, (q * 37 + 1) * dim);
      const exclude = new Int32Array([q * 37]);
      const got = approximateNearest(
        { dim, int8: { matrix: q8, scores: new Float32Array(n) } },
        query,
        { topn: 10, end: n, exclude },
        64,
        (r) => {
          reads++;
          return m.subarray(r * dim, (r + 1) * dim);
        },
      );
      pooled += 20;
      const exact = Array.from({ length: n }, (_, r) => r)
        .filter((r) => r !== q * 37)
        .sort((a, b) => dot(m, query, dim, b * dim) - dot(m, query, dim, a * dim) || a - b)
        .slice(0, 10);
      expect(Array.from(got.rows)).toEqual(exact);
      for (const [i, r] of got.rows.entries())
        expect(got.scores[i]).toBeCloseTo(dot(m, query, dim, r * dim), 5);
    }
    // The fixed pool read 20 rows a query; the bound stops well before.
    expect(reads).toBeLessThan(0.8 * pooled);
    expect(reads).toBeGreaterThanOrEqual(10 * 50);
  });
});
