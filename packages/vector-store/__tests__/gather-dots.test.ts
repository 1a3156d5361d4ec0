import { createRandom } from '@wordvec/embeddings';
import { describe, expect, it } from 'vitest';
import { createGatherDots } from '../src/ann/gather-dots.js';

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
      for (const kernel of ['auto', 'js'] as const) {
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

  it('uses WebAssembly SIMD on this runtime (Node 20+ has it)', () => {
    expect(createGatherDots(rows(2, 8), 8).kernel).toBe('wasm-simd');
  });
});
