import { describe, expect, it } from 'vitest';
import { countCooccurrences } from '../src/cooccurrence/count.js';
import { CooccurrenceStats, ppmiMatrix } from '../src/cooccurrence/pmi.js';
import { InvalidArgumentError, OovError } from '../src/errors.js';

/**
 * Toy corpus "a b c" + "a b", window 2, uniform weights, symmetric:
 *   X_ab = X_ba = 2, X_ac = X_ca = 1, X_bc = X_cb = 1 (nothing on the diagonal)
 *   #(a) = 3, #(b) = 3, #(c) = 2, |D| = 8
 */
const words = ['a', 'b', 'c'];
async function toyStats(): Promise<CooccurrenceStats> {
  const m = await countCooccurrences(Int32Array.of(0, 1, 2, -1, 0, 1, -1), 3, {
    window: 2,
    weighting: 'uniform',
  });
  return CooccurrenceStats.fromMatrix(m, words);
}

describe('CooccurrenceStats on a hand-computed toy corpus', () => {
  it('has the counts and marginals worked out by hand', async () => {
    const s = await toyStats();
    expect(s.count('a', 'b')).toBe(2);
    expect(s.count('b', 'a')).toBe(2);
    expect(s.count('a', 'c')).toBe(1);
    expect(s.count('a', 'a')).toBe(0);
    expect([...s.rowSums]).toEqual([3, 3, 2]);
    expect([...s.colSums]).toEqual([3, 3, 2]);
    expect(s.total).toBe(8);
  });

  it('computes PMI = log(X·|D| / (#w·#c)) and the ratio over chance', async () => {
    const s = await toyStats();
    expect(s.pmi('a', 'b')).toBeCloseTo(Math.log((2 * 8) / (3 * 3)), 12);
    expect(s.pmi('a', 'c')).toBeCloseTo(Math.log((1 * 8) / (3 * 2)), 12);
    expect(s.pmi('c', 'b')).toBeCloseTo(Math.log((1 * 8) / (2 * 3)), 12);
    expect(s.ratio('a', 'b')).toBeCloseTo(16 / 9, 12);
    expect(s.pmi('a', 'a')).toBe(Number.NEGATIVE_INFINITY);
    expect(s.ppmi('a', 'a')).toBe(0);
    expect(s.ratio('a', 'a')).toBe(0);
  });

  it('applies context-distribution smoothing α and the shift k', async () => {
    const s = await toyStats();
    const smoothed = 3 ** 0.75 + 3 ** 0.75 + 2 ** 0.75; // Σ_c #(c)^α
    const pmiAC = Math.log((1 * smoothed) / (3 * 2 ** 0.75));
    expect(s.pmi('a', 'c', { alpha: 0.75 })).toBeCloseTo(pmiAC, 12);
    expect(s.ppmi('a', 'c', { alpha: 0.75 })).toBeCloseTo(Math.max(pmiAC, 0), 12);
    // log(16/9) − log 2 < 0, so SPPMI with k = 2 clips to 0; k = 1.5 leaves log(32/27).
    expect(s.ppmi('a', 'b', { shift: 2 })).toBe(0);
    expect(s.ppmi('a', 'b', { shift: 1.5 })).toBeCloseTo(Math.log(32 / 27), 12);
  });

  it('builds the sparse SPPMI matrix, dropping entries that are not positive', async () => {
    const m = await countCooccurrences(Int32Array.of(0, 1, 2, -1, 0, 1, -1), 3, {
      window: 2,
      weighting: 'uniform',
    });
    const plain = ppmiMatrix(m, { alpha: 1 });
    expect([...plain.rowPtr]).toEqual([0, 2, 4, 6]);
    expect(plain.values[0]).toBeCloseTo(Math.log(16 / 9), 12); // (a, b)
    const shifted = ppmiMatrix(m, { alpha: 1, shift: 1.5 });
    expect([...shifted.rowPtr]).toEqual([0, 1, 2, 2]);
    expect([...shifted.colIndex]).toEqual([1, 0]);
    expect(shifted.values[0]).toBeCloseTo(Math.log(32 / 27), 12);
    expect(ppmiMatrix(m, { alpha: 1, shift: 2 }).rowPtr[3]).toBe(0);
  });

  it('ranks the top PPMI contexts of a word', async () => {
    const s = await toyStats();
    const top = s.topContexts('a', { k: 5, alpha: 1 });
    expect(top.map((c) => c.word)).toEqual(['b', 'c']);
    expect(top[0].ppmi).toBeCloseTo(Math.log(16 / 9), 12);
    expect(top[0].ratio).toBeCloseTo(16 / 9, 12);
    expect(top[0].count).toBe(2);
    expect(s.topContexts('a', { k: 1 }).map((c) => c.word)).toEqual(['b']);
    // With shift k = 1.5 only (a, b) stays positive.
    expect(s.topContexts('a', { k: 5, alpha: 1, shift: 1.5 }).map((c) => c.word)).toEqual(['b']);
  });

  it('round-trips through its typed arrays and prunes to the strongest contexts', async () => {
    const s = await toyStats();
    const back = new CooccurrenceStats(s.toSerialized());
    expect(back.pmi('b', 'c')).toBe(s.pmi('b', 'c'));
    const small = s.pruned(1);
    expect(small.nnz).toBe(3);
    expect(small.pmi('a', 'b')).toBe(s.pmi('a', 'b')); // marginals kept: exact for kept pairs
    expect(small.count('a', 'c')).toBe(0);
    expect(small.count('c', 'a')).toBe(1); // c's two contexts tie: the lower id wins
  });

  it('names unknown words and bad ids', async () => {
    const s = await toyStats();
    expect(() => s.pmi('a', 'zebra')).toThrow(OovError);
    expect(() => s.pmi(0, 7)).toThrow(/word id 7 is outside \[0, 3\)/);
    expect(() => s.ppmi('a', 'b', { alpha: 2 })).toThrow(InvalidArgumentError);
    expect(() => s.ppmi('a', 'b', { shift: 0.5 })).toThrow(/shift k .* 0.5/);
  });
});
