/**
 * The one out-of-vocabulary pipeline of the query layer: exact → surface forms → lemma → subword
 * estimate → UNK policy, each step switched on by the caller, every answer saying how it was made.
 * The default is gensim's look-up (exact word or OovError).
 */
import { KeyedVectors, OovError } from '@wordvec/embeddings';
import { describe, expect, it } from 'vitest';
import { englishLemmas } from '../src/oov/english-lemmas.js';
import { resolveWord, unkVector } from '../src/oov/resolve-word.js';
import { stripAccents, surfaceForms } from '../src/oov/surface-forms.js';
import { charNgrams } from '../src/subword/char-ngrams.js';
import { SubwordTable } from '../src/subword/subword-table.js';

function model(withSubwords = false): KeyedVectors {
  const words = ['pizza', 'café', 'cafe', 'Paris', 'run', 'zero'];
  const dim = 4;
  const vectors = new Float32Array([
    1, 0, 0, 0, 0, 1, 0, 0, 0, 0.9, 0.1, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0,
  ]);
  const spec = { minn: 3, maxn: 4, bucket: 50 };
  const rows = Float32Array.from({ length: spec.bucket * dim }, (_, i) => ((i * 7919) % 13) / 13 - 0.5);
  return new KeyedVectors({
    words,
    vectors,
    dim,
    subwords: withSubwords ? new SubwordTable(spec, dim, rows) : undefined,
  });
}

/** English plural/-ing lemmas for the test: the pipeline takes any lemmatiser as a function. */
const lemmatize = (w: string) => [w.replace(/s$/, ''), w.replace(/ning$/, '')];

describe('OOV pipeline', () => {
  it('by default is gensim: the exact word, else an OovError naming it', () => {
    const kv = model();
    expect(kv.resolve('pizza')).toEqual({
      resolution: { word: 'pizza', how: 'exact', resolvedAs: 'pizza' },
      row: 0,
    });
    expect(() => kv.resolve('Pizza!')).toThrow(OovError);
    expect(() => kv.resolve('Pizza!')).toThrow(/"Pizza!"/);
  });

  it('surface forms: case, punctuation and accents, each labelled with what changed', () => {
    const kv = model();
    expect(kv.resolve('PIZZA', { forms: true }).resolution).toMatchObject({
      how: 'case',
      resolvedAs: 'pizza',
    });
    expect(kv.resolve('pizza!', { forms: true }).resolution).toMatchObject({
      how: 'punctuation',
      resolvedAs: 'pizza',
    });
    expect(kv.resolve('Café', { forms: true }).resolution).toMatchObject({ how: 'case', resolvedAs: 'café' });
    expect(kv.resolve('paris', { forms: true }).resolution).toMatchObject({
      how: 'case',
      resolvedAs: 'Paris',
    });
    expect(stripAccents('Crème brûlée')).toBe('Creme brulee');
    expect(surfaceForms('Café!').map((f) => f.form)).not.toContain('Café!');
  });

  it('lemmas after surface forms: "Pizzas!" is answered for "pizza" and says so', () => {
    const kv = model();
    expect(kv.resolve('Pizzas!', { forms: true, lemma: true, lemmatize }).resolution).toEqual({
      word: 'Pizzas!',
      how: 'lemma',
      resolvedAs: 'pizza',
    });
    expect(() => kv.resolve('pizzas', { lemma: false, lemmatize })).toThrow(OovError);
    // The default lemmatiser is English (wink-lemmatizer): irregular forms too.
    expect(kv.resolve('Pizzas!', { forms: true, lemma: true }).resolution).toMatchObject({
      how: 'lemma',
      resolvedAs: 'pizza',
    });
    expect(kv.resolve('ran', { lemma: true }).resolution).toMatchObject({ how: 'lemma', resolvedAs: 'run' });
    expect(englishLemmas('geese')).toEqual(['goose']);
    expect(englishLemmas('pizza')).toEqual([]);
  });

  it('subword estimates come from the model’s own n-gram table, with the pieces they average', () => {
    const kv = model(true);
    const got = kv.resolve('pizzaiolo', { subword: true });
    expect(got.row).toBe(-1);
    expect(got.resolution.how).toBe('subword');
    const table = kv.subwords as SubwordTable;
    expect(got.resolution.pieces).toEqual(charNgrams('pizzaiolo', table.spec).map((g) => g.ngram));
    expect(Array.from(got.vector!)).toEqual(Array.from(table.estimate('pizzaiolo')!));
    // A model without a table goes on to the UNK policy.
    expect(() => model(false).resolve('pizzaiolo', { subword: true })).toThrow(OovError);
  });

  it('UNK policies: zero, the mean unit vector, or a random unit vector fixed by the word', () => {
    const kv = model();
    expect(Array.from(kv.resolve('qzx', { unk: 'zero' }).vector!)).toEqual([0, 0, 0, 0]);
    const mean = kv.resolve('qzx', { unk: 'mean' });
    expect(mean.resolution).toEqual({ word: 'qzx', how: 'unk', unk: 'mean' });
    const unit = kv.unitVectors();
    for (let d = 0; d < 4; d++) {
      let s = 0;
      for (let r = 0; r < kv.size; r++) s += unit[r * 4 + d];
      expect(mean.vector![d]).toBeCloseTo(s / kv.size, 6);
    }
    const a = kv.resolve('qzx', { unk: 'random' }).vector!;
    expect(Array.from(kv.resolve('qzx', { unk: 'random' }).vector!)).toEqual(Array.from(a));
    expect(Math.hypot(...a)).toBeCloseTo(1, 5);
    expect(Array.from(unkVector({ dim: 4, rowOf: () => -1 }, 'other', 'random'))).not.toEqual(Array.from(a));
  });

  it('resolveTerms turns found words into words (excluded from answers) and estimates into vectors', () => {
    const kv = model(true);
    const { items, resolutions } = kv.resolveTerms(['PIZZA', 'pizzaiolo'], { forms: true, subword: true });
    expect(items[0]).toBe('pizza');
    expect(items[1]).toBeInstanceOf(Float32Array);
    expect(resolutions.map((r) => r.how)).toEqual(['case', 'subword']);
    const answer = kv.mostSimilar({ positive: items, topn: 6 }).map((s) => s.word);
    expect(answer).not.toContain('pizza');
    expect(() => kv.resolveTerms(['nope1', 'pizza', 'nope2'])).toThrow(/"nope1", "nope2"/);
  });

  it('resolveWord runs on any model shape: exact first, then the steps in order', () => {
    const rows = new Map([['b', 1]]);
    const m = { dim: 2, rowOf: (w: string) => rows.get(w) ?? -1 };
    expect(resolveWord(m, 'b')?.resolution.how).toBe('exact');
    expect(resolveWord(m, 'B', { forms: true })?.resolution.how).toBe('case');
    expect(resolveWord(m, 'zz')).toBeUndefined();
  });
});
