/**
 * The pruned candidate pool of the Magnitude estimator (rarest n-gram lists first, no new candidate
 * once none can reach the pool) against a brute-force reference that scores every vocabulary word's
 * n-gram set: the same rows, in the same order, with bit-identical overlaps, on a seeded vocabulary
 * of syllable words (many shared n-grams, so lists are long enough for the pruning to run) and
 * seeded queries: one-edit misspellings, rare and long words, vocabulary words, short words, and
 * words with no n-gram the vocabulary has.
 */
import { createRandom, KeyedVectors } from '@wordvec/embeddings';
import { describe, expect, it } from 'vitest';
import { ngramHashes } from '../src/subword/char-ngrams.js';
import { MagnitudeEstimator } from '../src/subword/magnitude-estimator.js';
import { OverlapPool } from '../src/subword/overlap-pool.js';

const POOL = 32;
const rand = createRandom(31);
const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
const syllables = [
  'ka',
  'ri',
  'to',
  'men',
  'sa',
  'lo',
  'ne',
  'ti',
  'ra',
  'on',
  'es',
  'ing',
  'ed',
  'ver',
  'al',
  'co',
];
const rareSyllables = ['zux', 'qwo', 'yph', 'jix'];
const vocabulary = [
  ...new Set(
    Array.from({ length: 40_000 }, () => {
      const n = 1 + Math.floor(rand() * 6);
      return Array.from({ length: n }, () => (rand() < 0.02 ? pick(rareSyllables) : pick(syllables))).join(
        '',
      );
    }),
  ),
];
const spec = { minn: 3, maxn: 6, bucket: 1 };
const wordSets = vocabulary.map((w) => new Set(ngramHashes(w, spec)));

/** Every word scored: Jaccard overlap of distinct n-gram hashes, best `POOL`, ties to the lower row. */
const reference = new Map<string, { rows: number[]; scores: number[] }>();
function bruteForce(query: string): { rows: number[]; scores: number[] } {
  const known = reference.get(query);
  if (known) return known;
  const q = new Set(ngramHashes(query, spec));
  const scored: { row: number; score: number }[] = [];
  wordSets.forEach((set, row) => {
    let c = 0;
    for (const h of set) if (q.has(h)) c++;
    if (c > 0) scored.push({ row, score: c / (q.size + set.size - c) });
  });
  scored.sort((a, b) => b.score - a.score || a.row - b.row);
  const best = scored.slice(0, POOL);
  const result = { rows: best.map((s) => s.row), scores: best.map((s) => s.score) };
  reference.set(query, result);
  return result;
}

function typo(word: string): string {
  const i = Math.floor(rand() * word.length);
  switch (Math.floor(rand() * 4)) {
    case 0:
      return word.slice(0, i) + word.slice(i + 1);
    case 1:
      return i > 0 ? word.slice(0, i - 1) + word[i] + word[i - 1] + word.slice(i + 1) : `${word}s`;
    case 2:
      return word.slice(0, i) + word[i] + word.slice(i);
    default:
      return word.slice(0, i) + String.fromCharCode(97 + Math.floor(rand() * 26)) + word.slice(i + 1);
  }
}

const queries = [
  ...Array.from({ length: 60 }, () => typo(pick(vocabulary.filter((w) => w.length >= 6)))),
  ...Array.from({ length: 15 }, () => `${pick(rareSyllables)}${pick(syllables)}${pick(rareSyllables)}`),
  ...Array.from({ length: 15 }, () => pick(vocabulary)),
  ...Array.from({ length: 5 }, () => Array.from({ length: 20 }, () => pick(syllables)).join('')),
  'ka',
  'ingedcomen',
  'xyzzyq',
  '12345',
  'жжжж',
];

describe('the Magnitude candidate pool', () => {
  const kv = new KeyedVectors({
    words: vocabulary,
    dim: 2,
    vectors: new Float32Array(vocabulary.length * 2).fill(1),
  });
  const { index } = new MagnitudeEstimator({ words: kv.words, dim: 2, unit: kv.unitVectors() });
  // Settling the threshold whenever it can close a list (at 400k words it waits for long lists).
  const pool = new OverlapPool(vocabulary.length, POOL, 0);
  // The same, walking the lists by the WebAssembly loop over its own copy of the postings.
  const wasmPool = new OverlapPool(vocabulary.length, POOL, 0);
  const wasmIndex = { ...index, postings: wasmPool.usePostings(index.postings.slice()) };
  const position = new Map(Array.from(index.hashes, (h, at) => [h, at]));
  const collect = (query: string, which = pool, from = index) => {
    const distinct = [...new Set(ngramHashes(query, spec))];
    const positions = distinct.flatMap((h) => position.get(h) ?? []);
    const n = which.collect(from, positions, positions.length, distinct.length);
    return { rows: Array.from(which.rows.subarray(0, n)), scores: Array.from(which.scores.subarray(0, n)) };
  };

  it('holds exactly the rows and overlaps of scoring every word, pruned or not', () => {
    let pruned = 0;
    for (const query of queries) {
      expect(collect(query), query).toEqual(bruteForce(query));
      if (pool.work.closedLists > 0) pruned++;
    }
    // The comparison covers the pruned path: most misspellings close some lists.
    expect(pruned).toBeGreaterThan(30);
  });

  it('walks the lists in WebAssembly with the same rows and overlaps', () => {
    // The postings moved into the pool's memory: a new array, the same numbers.
    expect(wasmIndex.postings === index.postings).toBe(false);
    expect(wasmIndex.postings.length).toBe(index.postings.length);
    expect(wasmIndex.postings.every((r, i) => r === index.postings[i])).toBe(true);
    // More rows than one block of counts, so the walk crosses blocks.
    expect(vocabulary.length).toBeGreaterThan(16_384);
    let pruned = 0;
    for (const query of queries) {
      expect(collect(query, wasmPool, wasmIndex), query).toEqual(bruteForce(query));
      if (wasmPool.work.closedLists > 0) pruned++;
    }
    expect(pruned).toBeGreaterThan(30);
    // The index it was not given is walked in JavaScript, with the same answers.
    for (const query of queries.slice(0, 20))
      expect(collect(query, wasmPool, index)).toEqual(bruteForce(query));
  });

  it('is empty for a word with no known n-gram, and the scratch counts are clean between queries', () => {
    expect(collect('жжжж')).toEqual({ rows: [], scores: [] });
    const again = queries.slice(0, 10).map((q) => collect(q));
    expect(queries.slice(0, 10).map((q) => collect(q))).toEqual(again);
    const wasmAgain = queries.slice(0, 10).map((q) => collect(q, wasmPool, wasmIndex));
    expect(wasmAgain).toEqual(again);
    expect(collect('жжжж', wasmPool, wasmIndex)).toEqual({ rows: [], scores: [] });
  });
});
