import { describe, expect, it } from 'vitest';
import { boundedEditDistance } from '../src/sqlite/edit-distance.js';

/** Unbounded optimal-string-alignment distance, the plain O(nm) table, as the oracle. */
function osa(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

describe('boundedEditDistance', () => {
  it('counts substitutions, insertions, deletions and adjacent swaps', () => {
    expect(boundedEditDistance('recieve', 'receive', 2)).toBe(1);
    expect(boundedEditDistance('kitten', 'sitting', 3)).toBe(3);
    expect(boundedEditDistance('', 'ab', 2)).toBe(2);
    expect(boundedEditDistance('same', 'same', 2)).toBe(0);
  });

  it('returns max + 1 for anything further than max', () => {
    expect(boundedEditDistance('london', 'long', 2)).toBe(3);
    expect(boundedEditDistance('cat', 'elephant', 2)).toBe(3);
  });

  it('agrees with the full table on many word pairs', () => {
    const words = [
      'word',
      'words',
      'sword',
      'wrod',
      'world',
      'ward',
      'wordy',
      'swords',
      'w',
      'drow',
      'wordsmith',
      'owrd',
    ];
    for (const a of words) {
      for (const b of words) {
        const full = osa(a, b);
        expect(boundedEditDistance(a, b, 2)).toBe(full <= 2 ? full : 3);
      }
    }
  });
});
