import { createRandom } from '@wordvec/embeddings';
import { GATHER_MAX } from '@wordvec/embeddings/kernels';
import { describe, expect, it } from 'vitest';
import { createGatherDots } from '../src/ann/gather-dots.js';
import { buildHnsw } from '../src/ann/hnsw.js';
import { StoreError } from '../src/errors.js';

/** Seeded rows of a width that exercises every step of the kernel (16-wide, 4-wide and scalar tail). */
function rows(n: number, dim: number): Float32Array {
  const rand = createRandom(7);
  return Float32Array.from({ length: n * dim }, () => rand() - 0.5);
}

describe('gathered inner products', () => {
  for (const dim of [3, 4, 16, 50, 71]) {
    it(`wasm and JavaScript kernels both match a plain dot product at dim ${dim}`, () => {
      const n = 40;
      const m = rows(n, dim);
      const ids = [5, 0, 39, 17, 17, 2];
      for (const kernel of ['auto', 'wasm-simd', 'js'] as const) {
        const g = createGatherDots(m, dim, kernel);
        g.ids.set(ids);
        g.score(11, ids.length);
        ids.forEach((id, k) => {
          let want = 0;
          for (let d = 0; d < dim; d++) want += m[11 * dim + d] * m[id * dim + d];
          expect(g.out[k]).toBeCloseTo(want, 5);
        });
      }
    });
  }

  it('scores lists of any length the same as one row at a time, and writes nothing past the list', () => {
    // The wasm kernel touches the rows' lines 32 rows at a time before it scores them: lists
    // shorter than, equal to and longer than one step, the longest list, and the matrix's last row.
    const n = 1100;
    const dim = 50;
    const m = rows(n, dim);
    const g = createGatherDots(m, dim, 'wasm-simd');
    const single = new Float32Array(n);
    for (let id = 0; id < n; id++) {
      g.ids[0] = id;
      g.score(3, 1);
      single[id] = g.out[0];
    }
    for (const count of [0, 1, 31, 32, 33, 65, 100, GATHER_MAX]) {
      for (let k = 0; k < count; k++) g.ids[k] = (k * 389 + count) % n;
      if (count > 0) g.ids[count - 1] = n - 1;
      g.out.fill(Number.NaN);
      g.score(3, count);
      for (let k = 0; k < count; k++) expect(g.out[k]).toBe(single[g.ids[k]]);
      if (count < GATHER_MAX) expect(g.out[count]).toBeNaN();
    }
  });

  it('uses WebAssembly SIMD on this runtime (Node 20+ has it)', () => {
    expect(createGatherDots(rows(2, 8), 8).kernel).toBe('wasm-simd');
    expect(createGatherDots(rows(2, 8), 8, 'wasm-simd').kernel).toBe('wasm-simd');
    expect(createGatherDots(rows(2, 8), 8, 'js').kernel).toBe('js');
  });

  it('rejects a kernel outside the one vocabulary with a StoreError naming the valid values', () => {
    const bad = () => createGatherDots(rows(2, 8), 8, 'wasm' as 'js');
    expect(bad).toThrow(StoreError);
    expect(bad).toThrow(`HNSW kernel must be 'auto', 'wasm-simd' or 'js', got "wasm"`);
    // buildHnsw checks the option before anything else, even for an empty matrix.
    expect(() => buildHnsw(new Float32Array(0), 8, { kernel: 'wasm' as 'js' })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
  });

  it('the wasm and JavaScript kernels build the same graph on well-separated rows', () => {
    const m = rows(60, 12);
    const a = buildHnsw(m, 12, { M: 4, efConstruction: 20, kernel: 'wasm-simd' });
    const b = buildHnsw(m, 12, { M: 4, efConstruction: 20, kernel: 'js' });
    // Float32 (wasm) and float64 (JS) sums differ in the last bits only; no near-tie on these rows.
    expect(a.deg0.reduce((x, y) => x + y, 0)).toBeGreaterThan(0);
    expect(a.deg0).toEqual(b.deg0);
    expect(a.links0).toEqual(b.links0);
  });
});
