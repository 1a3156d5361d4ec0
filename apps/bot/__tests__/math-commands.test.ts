/**
 * `/math` (weighted 3CosAdd, gensim's input exclusion) and `/analogy … method:mul` (3CosMul) on a real
 * store through StoreCatalog, compared with the store model's own mostSimilar / mostSimilarCosmul
 * (which test/query-sources.test.ts pins against gensim), and /math's bad input.
 */
import { describe, expect, it } from 'vitest';
import { commands } from '../src/commands/index.js';
import { parseCommandLine } from '../src/core/parse-command-line.js';
import { CommandRunner } from '../src/core/runner.js';
import { parseVectorExpression } from '../src/core/vector-expression.js';
import { StoreCatalog } from '../src/store-catalog.js';
import { worldStore } from './support/world-store.js';

async function setUp() {
  const { VectorStore } = await import('@wordvec/vector-store');
  const store = VectorStore.open(worldStore(), { readonly: true });
  const runner = new CommandRunner({ catalog: new StoreCatalog(store as never) });
  const model = store.model('world');
  await model.load();
  return {
    store,
    model,
    ask: (line: string) => runner.run({ ...parseCommandLine(line, commands)!, user: 'u1' }),
  };
}

describe('/math and /analogy method:mul', () => {
  it('king - man + woman is 3CosAdd with the inputs left out, as gensim most_similar', async () => {
    const { store, model, ask } = await setUp();
    const reply = await ask('/math king - man + woman count:3');
    expect(reply.error).toBeFalsy();
    const expected = model.mostSimilar({ positive: ['king', 'woman'], negative: ['man'], topn: 3 });
    const got = (reply.data as { results: { word: string; score: number }[] }).results;
    expect(got.map((r) => r.word)).toEqual(expected.map((r) => r.word));
    got.forEach((r, i) => {
      expect(r.score).toBeCloseTo(expected[i].score, 5);
    });
    expect(reply.title).toBe(`king − man + woman ≈ “${expected[0].word}”`);
    // include:yes lets the input words back in: the same query, nothing excluded.
    const all = await ask('/math king - man + woman include:yes count:3');
    const query = model.getMeanVector(['king', 'man', 'woman'], { weights: [1, -1, 1], postNormalize: true });
    expect((all.data as { results: { word: string }[] }).results.map((r) => r.word)).toEqual(
      model.similarByVector(query, { topn: 3 }).map((r) => r.word),
    );
    store.close();
  });

  it('weights scale a term (2*king) and change the answer towards it', async () => {
    const { store, model, ask } = await setUp();
    const reply = await ask('/math 3*king - man + woman count:2');
    const query = model.getMeanVector(['king', 'man', 'woman'], { weights: [3, -1, 1], postNormalize: true });
    const expected = model
      .similarByVector(query, { topn: 5 })
      .filter((r) => !['king', 'man', 'woman'].includes(r.word))
      .slice(0, 2);
    expect((reply.data as { results: { word: string }[] }).results.map((r) => r.word)).toEqual(
      expected.map((r) => r.word),
    );
    expect(reply.title).toMatch(/^3×king − man \+ woman/);
    store.close();
  });

  it('/analogy method:mul answers 3CosMul (mostSimilarCosmul)', async () => {
    const { store, model, ask } = await setUp();
    const reply = await ask('/analogy king man woman method:mul count:3');
    const expected = model.mostSimilarCosmul({ positive: ['king', 'woman'], negative: ['man'], topn: 3 });
    expect((reply.data as { method: string }).method).toBe('mul');
    expect((reply.data as { results: { word: string }[] }).results.map((r) => r.word)).toEqual(
      expected.map((r) => r.word),
    );
    store.close();
  });

  it('refuses no positive term, unknown words, more than 10 terms and bad weights, clearly', async () => {
    const { store, ask } = await setUp();
    const none = await ask('/math - king - man');
    expect(none.error).toBe(true);
    expect(none.lines.join(' ')).toMatch(/at least one word with a \+/);
    const unknown = await ask('/math king - zzzq + woman');
    expect(unknown.error).toBe(true);
    expect(JSON.stringify(unknown)).toMatch(/zzzq/);
    const many = await ask(`/math ${Array.from({ length: 11 }, () => 'king').join(' + ')}`);
    expect(many.lines.join(' ')).toMatch(/At most 10 terms/);
    const weight = await ask('/math 0*king + woman');
    expect(weight.lines.join(' ')).toMatch(/Weights must be above 0/);
    store.close();
  });

  it('parses signs, weights and hyphenated words', () => {
    expect(parseVectorExpression('2*king - man + 0.5 * woman')).toEqual([
      { word: 'king', weight: 2 },
      { word: 'man', weight: -1 },
      { word: 'woman', weight: 0.5 },
    ]);
    expect(parseVectorExpression('well-known + x')).toEqual([
      { word: 'well-known', weight: 1 },
      { word: 'x', weight: 1 },
    ]);
    expect(parseVectorExpression('-man + king')).toEqual([
      { word: 'man', weight: -1 },
      { word: 'king', weight: 1 },
    ]);
    expect(() => parseVectorExpression('king + + man')).toThrow(/needs a word/);
  });
});
