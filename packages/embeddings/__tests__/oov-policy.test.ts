/**
 * The pieces the CLI and the bot build on: named OOV policies, every step's outcome (`/oov`), the one
 * plain-words description of a resolution, queries over estimated vectors, evaluation with OOV items
 * answered by the pipeline, the subword model switch, and refusals of words no vocabulary can hold.
 */
import {
  buildSubwordEstimator,
  DEFAULT_SUBWORD_METHOD,
  describeResolution,
  isEstimate,
  KeyedVectors,
  MagnitudeEstimator,
  parseAnalogies,
  parseOovPolicy,
  parseWordPairs,
  resolvesBeyondExact,
  SubwordTable,
  scoreWordAnalogies,
  scoreWordPairs,
} from '@wordvec/embeddings';
import { describe, expect, it } from 'vitest';

const q = (w: string) => `“${w}”`;

function world(): KeyedVectors {
  const words = ['king', 'queen', 'man', 'woman', 'pizza', 'pasta', 'bread', 'Paris'];
  const vecs = [
    [1, 1, 0, 0],
    [1, 0, 1, 0],
    [0, 1, 0, 0.1],
    [0, 0, 1, 0.1],
    [0, 0, 0, 1],
    [0, 0.1, 0, 1],
    [0.1, 0, 0, 1],
    [0.5, 0.5, 0.5, 0.2],
  ];
  return new KeyedVectors({ words, dim: 4, vectors: Float32Array.from(vecs.flat()) });
}

describe('named OOV policies', () => {
  it('parses the names and step lists, and refuses anything else naming what is accepted', () => {
    expect(parseOovPolicy('exact')).toEqual({ forms: false, lemma: false, subword: false, unk: 'error' });
    expect(parseOovPolicy('estimate')).toEqual({ forms: true, lemma: true, subword: true, unk: 'error' });
    expect(parseOovPolicy('normalize', 'mean')).toEqual({
      forms: true,
      lemma: true,
      subword: false,
      unk: 'mean',
    });
    expect(parseOovPolicy('forms, subword')).toMatchObject({ forms: true, lemma: false, subword: true });
    expect(() => parseOovPolicy('guess')).toThrow(
      /unknown OOV policy or step "guess": use exact, forms, normalize, estimate/,
    );
    expect(() => parseOovPolicy('forms,x'.repeat(100))).toThrow(/^.{0,250}$/);
    expect(() => parseOovPolicy('exact', 'avg')).toThrow(
      /unknown UNK policy "avg": use error, mean, zero, random/,
    );
    expect(resolvesBeyondExact(parseOovPolicy('exact'))).toBe(false);
    expect(resolvesBeyondExact(parseOovPolicy('exact', 'zero'))).toBe(true);
  });
});

describe('every step on its own (for /oov)', () => {
  it('reports found / none / off / unavailable per step, and the same first answer as resolve', () => {
    const kv = world();
    const steps = kv.explainResolution('Pizzas', parseOovPolicy('estimate'));
    expect(steps.map((s) => `${s.step}:${s.status}`)).toEqual([
      'exact:none',
      'forms:none',
      'lemma:found',
      'subword:unavailable',
      'unk:none',
    ]);
    expect(steps[2].answer?.resolution).toEqual({ word: 'Pizzas', how: 'lemma', resolvedAs: 'pizza' });
    expect(kv.resolve('Pizzas', parseOovPolicy('estimate')).resolution).toEqual(steps[2].answer?.resolution);
    expect(kv.explainResolution('pizza', {}).map((s) => s.status)).toEqual([
      'found',
      'off',
      'off',
      'off',
      'none',
    ]);
    const magnitude = new MagnitudeEstimator({ words: kv.words, dim: kv.dim, unit: kv.unitVectors() });
    const est = kv.explainResolution('pizzza', { subword: true, estimator: magnitude });
    expect(est[3]).toMatchObject({ step: 'subword', status: 'found' });
    expect(est[3].answer?.resolution.similarWords?.[0]).toBe('pizza');
    expect(kv.hasSubwordModel()).toBe(false);
  });

  it('refuses an empty word and one longer than a vocabulary word can be, plainly', () => {
    const kv = world();
    expect(() => kv.resolve('', parseOovPolicy('estimate'))).toThrow(/non-empty/);
    expect(() => kv.resolve('a'.repeat(1001), parseOovPolicy('estimate', 'random'))).toThrow(
      /^"aaaaaaaaaaaaaaaaaaaa…" \(1001 characters\) is longer than the 1,000 characters a word can have$/,
    );
    expect(kv.resolve('a'.repeat(1000), { unk: 'random' }).resolution.how).toBe('unk');
  });
});

describe('describeResolution: one honest sentence per kind', () => {
  it('names the entry answered for, or says the vector is an estimate or a stand-in', () => {
    expect(describeResolution({ word: 'pizza', how: 'exact', resolvedAs: 'pizza' }, q)).toBeUndefined();
    expect(describeResolution({ word: 'pizzas', how: 'lemma', resolvedAs: 'pizza' }, q)).toBe(
      'answered for “pizza” (the lemma of “pizzas”)',
    );
    expect(describeResolution({ word: 'PIZZA', how: 'case', resolvedAs: 'pizza' }, q)).toBe(
      'answered for “pizza” (“PIZZA” with other capitals)',
    );
    const pieces = ['piz', 'izz', 'zza', 'aio', 'iol', 'olo'];
    const sub = { word: 'pizzaiolo', how: 'subword' as const, pieces };
    expect(describeResolution(sub, q)).toBe(
      '“pizzaiolo” is not in the vocabulary; its vector is estimated from its pieces ⟨piz, izz, zza, aio, iol, olo⟩ (an estimate, not a trained vector)',
    );
    const many = describeResolution({ ...sub, pieces: Array.from({ length: 20 }, (_, i) => `g${i}`) }, q);
    expect(many).toContain('g11, … 8 more⟩');
    expect(describeResolution({ word: 'qzx', how: 'unk', unk: 'mean' }, q)).toMatch(
      /no estimate could be made; it stands for the model's mean vector \(the UNK policy mean\), not a vector of the word$/,
    );
    expect(isEstimate(sub)).toBe(true);
    expect(isEstimate({ word: 'pizzas', how: 'lemma', resolvedAs: 'pizza' })).toBe(false);
  });
});

describe('queries over estimated vectors', () => {
  it('similarity, analogy and oddOneOut take vectors where words were missing', () => {
    const kv = world();
    expect(kv.similarity(kv.get('pizza'), 'pasta')).toBeCloseTo(kv.similarity('pizza', 'pasta'), 6);
    expect(kv.analogy(kv.get('king'), 'man', 'woman', { topn: 1 })[0].word).toBe('queen');
    expect(kv.oddOneOut(['pizza', 'pasta', 'bread', 'king'])).toBe(3);
    expect(
      kv.oddOneOut(['pizza', 'pasta', kv.get('king'), 'bread'], ['pizza', 'pasta', 'kingg', 'bread']),
    ).toBe(2);
    expect(kv.doesntMatch(['pizza', 'pasta', 'bread', 'king'])).toBe('king');
  });
});

describe('evaluation with OOV words answered by the pipeline', () => {
  it('without oov: gensim’s scores; with it: the skipped items answered and counted', () => {
    const kv = world();
    const pairs = parseWordPairs(
      'pizza\tpasta\t9\npizzas\tbread\t8\nking\tqueen\t7\nking\tpizzzzzq\t1\nman\tpasta\t2\n',
    );
    const gensim = scoreWordPairs(kv, pairs, {});
    expect(gensim).toMatchObject({ pairs: 3, oov: 2, estimated: 0 });
    expect(scoreWordPairs(kv, pairs, { oov: parseOovPolicy('exact') })).toEqual(gensim);
    const withOov = scoreWordPairs(kv, pairs, { oov: parseOovPolicy('normalize') });
    expect(withOov).toMatchObject({ pairs: 4, oov: 1, estimated: 1 });
    const analogies = parseAnalogies(
      ': royal\nman king woman queen\nMen king women queen\nman king woman queenz\n',
    );
    const a = scoreWordAnalogies(kv, analogies, {});
    expect(a).toMatchObject({ questions: 3, oov: 2, estimated: 0 });
    const b = scoreWordAnalogies(kv, analogies, { oov: parseOovPolicy('normalize') });
    // "Men"/"women" reach man/woman by their lemmas; an unknown expected word stays skipped.
    expect(b).toMatchObject({ questions: 3, oov: 1, estimated: 1, estimatedCorrect: 1 });
    expect(b.total.correct).toBe(2);
  });
});

describe('the subword model switch (what `--oov subword` builds)', () => {
  it('builds the default method, Magnitude, or the learned table, and refuses others', () => {
    const kv = world();
    const rows = { words: kv.words, dim: kv.dim, unit: kv.unitVectors() };
    expect(DEFAULT_SUBWORD_METHOD).toBe('magnitude');
    const built = buildSubwordEstimator(rows);
    expect(built.method).toBe('magnitude');
    expect(built.estimator.explain('pizzza')?.similarWords?.[0]).toBe('pizza');
    const learned = buildSubwordEstimator(rows, {
      method: 'learned',
      learned: { bucket: 1 << 12, epochs: 3 },
    });
    expect(learned.method === 'learned' && learned.table).toBeInstanceOf(SubwordTable);
    expect(() => buildSubwordEstimator(rows, { method: 'other' as never })).toThrow(
      /unknown subword method "other"/,
    );
  });

  it('a stored Magnitude index gives the same estimates as a fresh one', () => {
    const kv = world();
    const rows = { words: kv.words, dim: kv.dim, unit: kv.unitVectors() };
    const fresh = new MagnitudeEstimator(rows);
    const again = new MagnitudeEstimator(rows, {}, fresh.index);
    expect(again.explain('pastta')).toEqual(fresh.explain('pastta'));
    expect(fresh.indexBytes).toBeGreaterThan(0);
    expect(() => new MagnitudeEstimator({ ...rows, words: rows.words.slice(1) }, {}, fresh.index)).toThrow(
      /covers 8 words, the model 7/,
    );
  });

  it('a fitted table gives no estimate for a word whose every n-gram row is untrained', () => {
    const kv = world();
    const table = buildSubwordEstimator(
      { words: kv.words, dim: kv.dim, unit: kv.unitVectors() },
      { method: 'learned', learned: { bucket: 1 << 16, epochs: 2 } },
    ).estimator;
    expect(table.explain('pizzas')?.pieces).toContain('pizz');
    expect(table.explain('qqxqq')).toBeUndefined();
  });
});
