/**
 * Subword estimates for word-only models: the learned n-gram table (least squares on the vocabulary)
 * and the Magnitude-style blend, on a seeded vocabulary whose vectors are built from stems and
 * suffixes, so held-out words have a true vector to compare with.
 */
import { createRandom, KeyedVectors } from '@wordvec/embeddings';
import { describe, expect, it } from 'vitest';
import { dot } from '../src/linalg/dot.js';
import { charNgrams } from '../src/subword/char-ngrams.js';
import { MagnitudeEstimator } from '../src/subword/magnitude-estimator.js';
import { fitSubwordTable } from '../src/subword/subword-estimator.js';

const DIM = 16;
const rand = createRandom(11);
const gauss = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
const letter = () => String.fromCharCode(97 + Math.floor(rand() * 26));
const stems = Array.from({ length: 60 }, () =>
  Array.from({ length: 6 + Math.floor(rand() * 3) }, letter).join(''),
);
const suffixes = ['', 'ing', 'ed', 'er', 'ness'];
const stemVec = new Map(stems.map((s) => [s, Array.from({ length: DIM }, gauss)]));
const sufVec = new Map(suffixes.map((s) => [s, Array.from({ length: DIM }, () => 0.6 * gauss())]));
const parts = new Map(stems.flatMap((st) => suffixes.map((x) => [st + x, [st, x]] as const)));
const all = [...parts.keys()];
const truth = (w: string) => {
  const [st, x] = parts.get(w)!;
  const v = stemVec.get(st)!.map((a, d) => a + sufVec.get(x)![d]);
  const n = Math.hypot(...v);
  return Float32Array.from(v, (a) => a / n);
};
// Every 7th word is held out: never seen by the estimators.
const heldOut = all.filter((_, i) => i % 7 === 3);
const known = all.filter((_, i) => i % 7 !== 3);
const kv = new KeyedVectors({
  words: known,
  dim: DIM,
  vectors: Float32Array.from(known.flatMap((w) => Array.from(truth(w)))),
});
const rows = { words: kv.words, dim: DIM, unit: kv.unitVectors() };
const cosine = (a: Float32Array, b: Float32Array) =>
  dot(a, b) / (Math.sqrt(dot(a, a)) * Math.sqrt(dot(b, b)) || 1);
const meanCosine = (estimate: (w: string) => Float32Array | undefined) =>
  heldOut.reduce((s, w) => s + cosine(estimate(w) ?? new Float32Array(DIM), truth(w)), 0) / heldOut.length;

describe('subword estimates for models without n-grams', () => {
  const table = fitSubwordTable(rows, { bucket: 1 << 14, epochs: 30, seed: 2 });
  const magnitude = new MagnitudeEstimator(rows);
  const mean = kv.resolve('x', { unk: 'mean' }).vector!;

  it('the learned table reproduces vocabulary words and estimates held-out words far above the UNK mean', () => {
    const fit = known.slice(0, 50).reduce((s, w) => s + cosine(table.estimate(w)!, truth(w)), 0) / 50;
    expect(fit).toBeGreaterThan(0.9);
    const learned = meanCosine((w) => table.estimate(w));
    const unk = meanCosine(() => mean);
    expect(learned).toBeGreaterThan(0.6);
    expect(learned).toBeGreaterThan(unk + 0.3);
  });

  it('Magnitude-style estimates land near the words they share n-grams with (misspellings)', () => {
    const target = known[10];
    const typo = `${target.slice(0, 3)}${target.slice(4)}`; // one letter dropped
    const got = magnitude.explain(typo)!;
    expect(got.pieces.length).toBeGreaterThan(0);
    expect(Math.hypot(...got.vector)).toBeCloseTo(1, 5);
    const best = kv.similarByVector(got.vector, { topn: 5 }).map((s) => s.word);
    expect(best).toContain(target);
    expect(meanCosine((w) => magnitude.explain(w)?.vector)).toBeGreaterThan(meanCosine(() => mean));
    expect(magnitude.explain('qqqqqqqq')).toBeUndefined(); // no n-gram any vocabulary word has
  });

  it('Magnitude pieces are exactly the word’s n-grams some vocabulary word has, each once, in order', () => {
    const spec = { minn: 3, maxn: 6, bucket: 1 };
    const vocabularyGrams = new Set(known.flatMap((w) => charNgrams(w, spec).map((g) => g.ngram)));
    for (const word of [...heldOut.slice(0, 10), `${known[3]}${known[3]}`, 'ing']) {
      const expected = [...new Set(charNgrams(word, spec).map((g) => g.ngram))].filter((g) =>
        vocabularyGrams.has(g),
      );
      expect(magnitude.explain(word)?.pieces ?? [], word).toEqual(expected);
    }
  });

  it('a stored index over a row reader answers exactly as the estimator built in memory', () => {
    const reader = {
      size: rows.words.length,
      dim: DIM,
      wordsAt: (at: ArrayLike<number>) => Array.from(at, (r) => rows.words[r]),
      unitRow: (r: number) => rows.unit.slice(r * DIM, (r + 1) * DIM),
    };
    const index = magnitude.index;
    const copy = {
      ...index,
      hashes: index.hashes.slice(),
      offsets: index.offsets.slice(),
      postings: index.postings.slice(),
      gramCounts: index.gramCounts.slice(),
    };
    const again = new MagnitudeEstimator(reader, magnitude.settings, copy);
    const rebuilt = new MagnitudeEstimator(reader);
    for (const word of heldOut.slice(0, 15)) {
      expect(again.explain(word), word).toEqual(magnitude.explain(word));
      expect(rebuilt.explain(word), word).toEqual(magnitude.explain(word));
    }
    expect(() => new MagnitudeEstimator(reader, { minn: 2 }, copy)).toThrow(/other n-gram lengths/);
  });

  it('the query layer uses an estimator given in the OOV options, and labels the answer', () => {
    const word = heldOut[0];
    const { resolution, vector } = kv.resolve(word, { subword: true, estimator: table });
    expect(resolution).toMatchObject({ word, how: 'subword' });
    expect(resolution.pieces?.[0]).toBe(`<${word.slice(0, 2)}`);
    expect(Array.from(vector!)).toEqual(Array.from(table.estimate(word)!));
  });

  it('options are checked', () => {
    expect(() => fitSubwordTable(rows, { epochs: 0 })).toThrow(/epochs/);
    expect(() => new MagnitudeEstimator(rows, { randomWeight: 2 })).toThrow(/randomWeight/);
  });
});
