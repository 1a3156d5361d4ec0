import { describe, expect, it } from 'vitest';
import { addUniformSigned, createRandom } from '../src/random.js';

describe('addUniformSigned', () => {
  it('adds the same draws, in the same order, as createRandom(seed)() * 2 - 1', () => {
    for (const seed of [0, 1, 42, 0x9e3779b9, 2 ** 32 - 1]) {
      const start = Float64Array.from({ length: 301 }, (_, i) => i / 7 - 20);
      const got = start.slice();
      addUniformSigned(seed, got);
      const next = createRandom(seed);
      const want = start.map((v) => v + (next() * 2 - 1));
      expect(Array.from(got)).toEqual(Array.from(want));
      // the draws are in [-1, 1) and not all alike
      const draws = got.map((v, i) => v - start[i]);
      expect(Math.min(...draws)).toBeGreaterThanOrEqual(-1);
      expect(Math.max(...draws)).toBeLessThan(1);
      expect(new Set(draws).size).toBeGreaterThan(290);
    }
  });

  it('continues the stream across the whole array (not one draw repeated)', () => {
    const a = new Float64Array(4);
    addUniformSigned(5, a);
    const next = createRandom(5);
    const b = [next(), next(), next(), next()].map((u) => u * 2 - 1);
    expect(Array.from(a)).toEqual(b);
  });
});
