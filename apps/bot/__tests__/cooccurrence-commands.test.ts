import { describe, expect, it } from 'vitest';
import { describeRatio, formatCount } from '../src/core/cooccurrence.js';
import { CommandRunner } from '../src/core/runner.js';
import { StoreCatalog } from '../src/store-catalog.js';
import { MemoryCatalog, MemoryModel, WORLD } from './support/memory-catalog.js';
import { worldCooccurrence } from './support/world-cooccurrence.js';
import { worldStore } from './support/world-store.js';

const stats = worldCooccurrence();

function catalog(maxContexts?: number) {
  return new MemoryCatalog([
    new MemoryModel('world', WORLD, { isDefault: true, cooccurrence: { stats, maxContexts } }),
    new MemoryModel('plain', WORLD),
  ]);
}
const ask = (command: string, options: Record<string, string | number>, maxContexts?: number) =>
  new CommandRunner({ catalog: catalog(maxContexts) }).run({ command, options, user: 'u1' });

describe('/pmi and /cooccur on a model with co-occurrence statistics', () => {
  it('/pmi gives how many times more often than chance, and the PMI, as the statistics compute them', async () => {
    const reply = await ask('pmi', { a: 'pizza', b: 'pasta' });
    expect(reply.error).toBeFalsy();
    const ratio = stats.ratio('pizza', 'pasta');
    const pmi = stats.pmi('pizza', 'pasta');
    expect(ratio).toBeGreaterThan(1);
    expect(pmi).toBeCloseTo(Math.log(ratio), 12);
    expect(reply.data).toEqual({
      model: 'world',
      a: 'pizza',
      b: 'pasta',
      count: stats.count('pizza', 'pasta'),
      pmi,
      ratio,
      ppmi: stats.ppmi('pizza', 'pasta', { alpha: 0.75 }),
    });
    expect(reply.title).toBe('PMI of “pizza” and “pasta”');
    expect(reply.lines[0]).toBe(
      `“pizza” and “pasta” co-occur ${ratio.toFixed(1)}× more often than chance, PMI ${pmi.toFixed(2)}.`,
    );
    expect(reply.footer).toBe('model world (cbow, 6 dimensions)');
  });

  it('/pmi normalises typed words and reads pairs rarer than chance as "less often"', async () => {
    const reply = await ask('pmi', { a: 'Pizza!', b: 'PASTA' });
    expect(reply.data).toMatchObject({ a: 'pizza', b: 'pasta' });
    // man and pizza co-occur once, while both are frequent: below chance.
    const below = stats.ratio('man', 'pizza');
    expect(below).toBeGreaterThan(0);
    expect(below).toBeLessThan(1);
    const low = await ask('pmi', { a: 'man', b: 'pizza' });
    expect(low.lines[0]).toContain(`${(1 / below).toFixed(1)}× less often than chance`);
    expect((low.data as { pmi: number }).pmi).toBeLessThan(0);
  });

  it('/pmi of a pair never counted together says so, and mentions pruning when the store pruned', async () => {
    expect(stats.count('king', 'pizza')).toBe(0);
    const reply = await ask('pmi', { a: 'king', b: 'pizza' });
    expect(reply.error).toBeFalsy();
    expect(reply.lines).toEqual([
      '“king” and “pizza” were never counted together within the training window: PMI −∞, PPMI 0.',
    ]);
    const pruned = await ask('pmi', { a: 'king', b: 'pizza' }, 32);
    expect(pruned.lines[1]).toMatch(/keeps only each word's 32 strongest and 32 most frequent contexts/);
  });

  it('/cooccur lists the strongest contexts by smoothed PPMI, as topContexts ranks them', async () => {
    const reply = await ask('cooccur', { word: 'pizza', count: 3 });
    const expected = stats.topContexts('pizza', { k: 3, alpha: 0.75 });
    expect(expected).toHaveLength(3);
    const results = (reply.data as { results: { word: string; ppmi: number; ratio: number }[] }).results;
    expect(results.map((r) => r.word)).toEqual(expected.map((c) => c.word));
    expect(results.map((r) => r.ppmi)).toEqual(expected.map((c) => c.ppmi));
    expect(reply.title).toBe('Strongest contexts of “pizza”');
    expect(reply.lines[0]).toBe(
      `1. ${expected[0].word} — PPMI ${expected[0].ppmi.toFixed(2)} (${expected[0].ratio.toFixed(1)}× more often than chance, count ${expected[0].count})`,
    );
    expect(reply.lines).toHaveLength(4);
    // The default count (10) caps at the contexts that beat chance.
    const all = await ask('cooccur', { word: 'pizza' });
    expect((all.data as { results: unknown[] }).results).toHaveLength(
      stats.topContexts('pizza', { k: 10 }).length,
    );
  });

  it('unknown words get the same ephemeral OOV reply as the other commands, naming every one', async () => {
    const both = await ask('pmi', { a: 'pizzza', b: 'quen' });
    expect(both).toMatchObject({ error: true, ephemeral: true, title: 'Unknown words' });
    expect(both.lines[0]).toMatch(/“pizzza” is not in the vocabulary of model world\. Did you mean: pizza/);
    expect(both.lines[1]).toMatch(/“quen” is not in the vocabulary.*queen/);
    const one = await ask('cooccur', { word: 'dgo' });
    expect(one).toMatchObject({
      error: true,
      ephemeral: true,
      title: 'Unknown word',
      footer: '/oov dgo explains why',
    });
  });

  it('a model stored without statistics gets a clear ephemeral reply naming the models that have them (as /lens)', async () => {
    for (const command of ['pmi', 'cooccur']) {
      const options: Record<string, string> =
        command === 'pmi' ? { a: 'pizza', b: 'pasta', model: 'plain' } : { word: 'pizza', model: 'plain' };
      const reply = await ask(command, options);
      expect(reply).toMatchObject({ error: true, ephemeral: true, title: 'No co-occurrence statistics' });
      expect(reply.lines[0]).toContain(`Model plain (cbow) was stored without the co-occurrence counts`);
      expect(reply.lines[0]).toContain(`/${command} cannot answer`);
      // The catalog's other models that have statistics are named (the same refusal as /lens).
      expect(reply.lines[0]).toContain('Models that have them: world; pick one with the model option.');
    }
    const alone = await new CommandRunner({
      catalog: new MemoryCatalog([new MemoryModel('plain', WORLD, { isDefault: true })]),
    }).run({ command: 'pmi', options: { a: 'pizza', b: 'pasta' }, user: 'u1' });
    expect(alone.lines[0]).toContain(
      'No model here has them: models trained with “wordvec train ppmi|glove|cbow” keep them.',
    );
  });

  it('formats ratios and weighted counts for reading', () => {
    expect(describeRatio(7.31)).toBe('7.3× more often than chance');
    expect(describeRatio(1309.6)).toBe('1,310× more often than chance');
    expect(describeRatio(0.4)).toBe('2.5× less often than chance');
    expect(formatCount(20234.83)).toBe('20,234.8');
    expect(formatCount(3)).toBe('3');
  });

  it('word options autocomplete from the vocabulary, model from the model names', () => {
    const runner = new CommandRunner({ catalog: catalog() });
    expect(runner.autocomplete('pmi', { name: 'b', value: 'piz' }, {}).map((c) => c.value)).toEqual([
      'pizza',
      'pizzeria',
    ]);
    expect(runner.autocomplete('cooccur', { name: 'model', value: 'pl' }, {})).toEqual([
      { name: 'plain', value: 'plain' },
    ]);
  });

  it('answers from a real store through StoreCatalog (statistics read from SQLite)', async () => {
    const { VectorStore } = await import('@wordvec/vector-store');
    const store = VectorStore.open(worldStore(), { readonly: true });
    const runner = new CommandRunner({ catalog: new StoreCatalog(store as never) });
    const reply = await runner.run({ command: 'pmi', options: { a: 'cat', b: 'dog' }, user: 'u' });
    expect((reply.data as { pmi: number }).pmi).toBe(stats.pmi('cat', 'dog'));
    const none = await runner.run({ command: 'cooccur', options: { word: 'a', model: 'tiny' }, user: 'u' });
    expect(none.title).toBe('No co-occurrence statistics');
    store.close();
  });

  it('mentions pruning for a pair never counted together only when both words lost contexts to it', async () => {
    const { VectorStore } = await import('@wordvec/vector-store');
    const store = VectorStore.open(worldStore());
    const runner = new CommandRunner({ catalog: new StoreCatalog(store as never) });
    const ask = () => runner.run({ command: 'pmi', options: { a: 'king', b: 'pizza' }, user: 'u' });
    // Stored with the default 32 contexts a word: every row of this 15-word model is whole.
    expect((await ask()).lines).toHaveLength(1);
    store.putCooccurrence('world', stats, { contexts: 2 });
    const pruned = await ask();
    expect(pruned.lines[1]).toMatch(/keeps only each word's 2 strongest and 2 most frequent contexts/);
    store.close();
  });
});
