import { describe, expect, it } from 'vitest';
import { commands } from '../src/commands/index.js';
import { parseCommandLine } from '../src/core/parse-command-line.js';
import { CommandRunner } from '../src/core/runner.js';
import { MemoryCatalog, MemoryModel, worldCatalog } from './support/memory-catalog.js';

function runner() {
  return new CommandRunner({ catalog: worldCatalog() });
}
const ask = (command: string, options: Record<string, string | number>) =>
  runner().run({ command, options, user: 'u1' });

describe('commands on an in-memory model', () => {
  it('/similar ranks neighbours by cosine, nearest first, without the word itself', async () => {
    const reply = await ask('similar', { word: 'pizza', count: 3 });
    const data = reply.data as { results: { word: string; score: number }[] };
    expect(reply.error).toBeFalsy();
    expect(data.results).toHaveLength(3);
    expect(data.results[0].word).toBe('pasta');
    expect(data.results.map((r) => r.word)).not.toContain('pizza');
    const scores = data.results.map((r) => r.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(reply.lines[0]).toMatch(/^1\. pasta — 0\.\d{3}$/);
  });

  it('/similar normalises case and punctuation of the typed word', async () => {
    const reply = await ask('similar', { word: 'Pizza!' });
    expect(reply.title).toBe('Words similar to “pizza”');
    expect((reply.data as { results: unknown[] }).results).toHaveLength(10);
  });

  it('/analogy king man woman answers queen, phrased as an analogy', async () => {
    const reply = await ask('analogy', { a: 'king', b: 'man', c: 'woman' });
    expect(reply.title).toBe('“man” is to “king” as “woman” is to “queen”');
    expect(reply.lines.some((l) => l.startsWith('2. '))).toBe(true);
  });

  it('/similarity gives the cosine and a reading', async () => {
    const same = await ask('similarity', { a: 'pizza', b: 'pasta' });
    const far = await ask('similarity', { a: 'pizza', b: 'king' });
    expect(same.lines[0]).toMatch(/very similar/);
    expect((far.data as { similarity: number }).similarity).toBeLessThan(0.2);
  });

  it('/doesntmatch finds the odd one out and refuses too few words', async () => {
    const reply = await ask('doesntmatch', { words: 'breakfast lunch dinner cat' });
    expect((reply.data as { odd: string }).odd).toBe('cat');
    const few = await ask('doesntmatch', { words: 'cat dog' });
    expect(few).toMatchObject({ error: true, ephemeral: true, title: 'Wrong number of words' });
  });

  it('/oov: count and rank in vocabulary; rare vs never seen, other forms and suggestions outside', async () => {
    const inside = await ask('oov', { word: 'dog' });
    expect(inside.data).toMatchObject({ inVocabulary: true, count: 70, rank: 3 });
    const rare = await ask('oov', { word: 'pizzaiolo' });
    expect(rare.lines[0]).toMatch(/seen 3 times.*minimum count of 5/);
    const never = await ask('oov', { word: 'pizzza' });
    expect(never.lines[0]).toMatch(/never occurs/);
    expect((never.data as { suggestions: string[] }).suggestions).toContain('pizza');
    const accented = await ask('oov', { word: 'CAFE' });
    expect((accented.data as { forms: string[] }).forms).toEqual([]);
    const cafe = await ask('oov', { word: 'Café' });
    expect(cafe.data).toMatchObject({ inVocabulary: true, word: 'café' });
    expect((await ask('oov', { word: 'DOG!' })).title).toBe('“DOG!” is in the vocabulary as “dog”');
    const plain = await ask('oov', { word: 'Cafe' });
    expect(plain.data).toMatchObject({ inVocabulary: false });
  });

  it('/oov on a model without corpus counts gives the file position instead of a count', async () => {
    const imported = new MemoryModel('imported', {
      x: { vector: [1, 0], count: 0 },
      y: { vector: [0, 1], count: 0 },
    });
    const reply = await new CommandRunner({ catalog: new MemoryCatalog([imported]) }).run({
      command: 'oov',
      options: { word: 'y' },
      user: 'u',
    });
    expect(reply.lines).toEqual([
      'This model has no corpus counts (vectors imported from a file).',
      "It is entry 2 of 2 in the file's order, usually most frequent first.",
    ]);
  });

  it('/models lists every model with its shape and scores', async () => {
    const reply = await ask('models', {});
    expect(reply.fields?.map((f) => f.name)).toEqual(['world (default)', 'tiny']);
    expect(reply.fields?.[0].value).toMatch(/cbow, 6 dimensions, 15 words/);
    expect(reply.fields?.[0].value).toMatch(/analogies 0\.500/);
  });

  it('/models reads the scores `wordvec eval` stores (as the store catalog flattens them) in words', async () => {
    const catalog = worldCatalog();
    const world = catalog.models()[0];
    world.evaluation = {
      analogyAccuracy: 0.1362,
      analogyCorrect: 1622,
      analogyTotal: 11904,
      wordPairsSpearman: 0.4901,
      wordPairsPearson: 0.48,
      wordPairsOovRatio: 1.4,
    };
    const reply = await new CommandRunner({ catalog }).run({ command: 'models', options: {}, user: 'u1' });
    const value = reply.fields?.find((f) => f.name.startsWith('world'))?.value ?? '';
    expect(value.split('\n').at(-1)).toBe('analogies 13.6 % of 11,904 questions, word pairs Spearman 0.490');
  });

  it('an OOV word in a query command names it with suggestions, ephemerally', async () => {
    const reply = await ask('analogy', { a: 'kingg', b: 'man', c: 'womn' });
    expect(reply).toMatchObject({ error: true, ephemeral: true, title: 'Unknown words' });
    expect(reply.lines[0]).toMatch(/“kingg” is not in the vocabulary of model world\. Did you mean: king/);
    expect(reply.lines[1]).toMatch(/“womn”.*woman/);
  });

  it('refuses long options, control characters, out-of-range counts and unknown models', async () => {
    expect((await ask('similar', { word: 'x'.repeat(101) })).lines[0]).toMatch(
      /101 characters.*limit is 100/,
    );
    expect((await ask('similar', { word: 'piz\u0000za' })).lines[0]).toMatch(/control character \(U\+0000\)/);
    expect((await ask('similar', { word: 'pizza', count: 26 })).lines[0]).toMatch(/1 to 25, got 26/);
    expect((await ask('similar', { word: 'pizza', count: 'ten' })).lines[0]).toMatch(
      /whole number, got “ten”/,
    );
    expect((await ask('similar', { word: 'pizza', model: 'nope' })).title).toBe('Unknown model');
  });

  it('loads an unloaded model once, calling the deferral hook before loading', async () => {
    const catalog = worldCatalog({ loaded: false });
    const r = new CommandRunner({ catalog });
    const events: string[] = [];
    const reply = await r.run({
      command: 'similar',
      options: { word: 'cat' },
      user: 'u',
      onDefer: async () => void events.push('defer'),
    });
    expect(events).toEqual(['defer']);
    expect(reply.error).toBeFalsy();
    const again: string[] = [];
    await r.run({
      command: 'similar',
      options: { word: 'cat' },
      user: 'u',
      onDefer: async () => void again.push('defer'),
    });
    expect(again).toEqual([]);
  });

  it('does not load the matrix for an OOV word', async () => {
    const catalog = worldCatalog({ loaded: false });
    const r = new CommandRunner({ catalog });
    let deferred = false;
    const reply = await r.run({
      command: 'similar',
      options: { word: 'zzz' },
      user: 'u',
      onDefer: async () => void (deferred = true),
    });
    expect(reply.title).toBe('Unknown word');
    expect(deferred).toBe(false);
    expect(catalog.model().isLoaded).toBe(false);
  });

  it('autocompletes words by frequency and model names by prefix', () => {
    const r = runner();
    expect(r.autocomplete('similar', { name: 'word', value: 'p' }, {}).map((c) => c.value)).toEqual([
      'pizza',
      'pasta',
      'prince',
      'paris',
      'pizzeria',
    ]);
    expect(r.autocomplete('similar', { name: 'model', value: 'T' }, {})).toEqual([
      { name: 'tiny', value: 'tiny' },
    ]);
    expect(
      r.autocomplete('similar', { name: 'word', value: '' }, { model: 'tiny' }).map((c) => c.value),
    ).toEqual(['a', 'b', 'c']);
    expect(r.autocomplete('similar', { name: 'word', value: 'a' }, { model: 'missing' })).toEqual([]);
  });

  it('reuses the most frequent words for empty autocomplete queries for a minute', () => {
    let t = 0;
    const catalog = worldCatalog();
    const r = new CommandRunner({ catalog, now: () => t });
    let calls = 0;
    const model = catalog.list[0];
    const complete = model.complete.bind(model);
    model.complete = (prefix, limit) => {
      calls++;
      return complete(prefix, limit);
    };
    const first = r.autocomplete('similar', { name: 'word', value: '' }, {});
    expect(first[0].value).toBe('man');
    r.autocomplete('analogy', { name: 'a', value: ' ' }, {});
    expect(calls).toBe(1);
    r.autocomplete('similar', { name: 'word', value: 'k' }, {});
    expect(calls).toBe(2);
    t = 61_000;
    r.autocomplete('similar', { name: 'word', value: '' }, {});
    expect(calls).toBe(3);
  });
});

describe('parseCommandLine', () => {
  it('reads positional and named options; the words option takes the rest of the line', () => {
    expect(parseCommandLine('/similar pizza 5', commands)).toEqual({
      command: 'similar',
      options: { word: 'pizza', count: '5' },
    });
    expect(parseCommandLine('/similar count:3 word=pizza model:tiny', commands)).toEqual({
      command: 'similar',
      options: { word: 'pizza', count: '3', model: 'tiny' },
    });
    expect(parseCommandLine('/doesntmatch cat dog car', commands)?.options).toEqual({ words: 'cat dog car' });
    expect(parseCommandLine('   ', commands)).toBeUndefined();
    expect(() => parseCommandLine('/nope', commands)).toThrow(/“\/nope” is not a command/);
    expect(() => parseCommandLine('/similarity a b c d', commands)).toThrow(/“d” is left over/);
  });
});
