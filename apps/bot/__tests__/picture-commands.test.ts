/**
 * /plot, /lens and /analogy plot:true against a real store file: the reply carries a real PNG
 * (rendered by @wordvec/plots through resvg) or, for bad input, a clear text reply and no picture.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOT_OOV_DEFAULT } from '../src/core/config.js';
import type { Reply } from '../src/core/reply.js';
import { CommandRunner } from '../src/core/runner.js';
import { openStoreCatalog, type StoreCatalog } from '../src/store-catalog.js';
import { expectPng } from './support/png-check.js';
import { worldStore } from './support/world-store.js';

let catalog: StoreCatalog;
let runner: CommandRunner;
const ask = (command: string, options: Record<string, string | number | boolean>) =>
  runner.run({ command, options, user: 'u1' });

beforeAll(async () => {
  catalog = await openStoreCatalog(worldStore());
  runner = new CommandRunner({ catalog });
});
afterAll(() => catalog?.close());

function picture(reply: Reply) {
  expect(reply.error).toBeFalsy();
  expect(reply.image).toBeDefined();
  const image = reply.image!;
  expect(expectPng(image.png)).toMatchObject({ width: image.width, height: image.height });
  expect(image.fileName).toMatch(/^[a-z0-9-]+\.png$/);
  expect(image.svg).toMatch(/^<svg[^>]* width="960" height="720"/);
  expect(image.alt.length).toBeGreaterThan(10);
  return image;
}

describe('/plot', () => {
  it('draws a map of the words typed, each one on it, and names the unknown ones', async () => {
    const reply = await ask('plot', { words: 'king queen man woman pizzas qqqqzz' });
    const image = picture(reply);
    expect(image).toMatchObject({ width: 960, height: 720, fileName: 'plot-king-queen-man-woman-pizza.png' });
    expect(reply.title).toBe('Map of 5 words');
    expect(reply.data).toMatchObject({
      words: ['king', 'queen', 'man', 'woman', 'pizza'],
      missing: ['qqqqzz'],
    });
    expect(reply.lines).toContain('Not in the vocabulary of model world, left out: qqqqzz.');
    expect(reply.lines.some((l) => /answered for “pizza”/.test(l))).toBe(true);
    for (const w of ['king', 'queen', 'man', 'woman', 'pizza']) expect(image.svg).toContain(`>${w}<`);
    expect(image.alt).toContain('king, queen, man, woman, pizza');
  });

  it('marks words the OOV policy estimated, on the picture and in the reply', async () => {
    const estimating = new CommandRunner({ catalog, oov: { ...BOT_OOV_DEFAULT, unk: 'random' } });
    const reply = await estimating.run({
      command: 'plot',
      options: { words: 'king queen qqqqzz' },
      user: 'u2',
    });
    const image = picture(reply);
    expect(reply.title).toBe('Map of 3 words (estimated)');
    expect(reply.data).toMatchObject({ estimated: ['qqqqzz'], missing: [] });
    expect(reply.lines).toContain('Estimated (not in the vocabulary): qqqqzz.');
    expect(image.svg).toContain('qqqqzz*');
    expect(image.alt).toContain('qqqqzz*');
  });

  it('draws the same bytes for the same words and seed', async () => {
    const a = await ask('plot', { words: 'cat dog pizza pasta' });
    const b = await ask('plot', { words: 'cat dog pizza pasta' });
    expect(Buffer.compare(a.image!.png, b.image!.png)).toBe(0);
  });

  it('draws a word’s neighbourhood, with UMAP when asked, and a single listed word the same way', async () => {
    const one = await ask('plot', { word: 'pizza', neighbours: 8, projection: 'umap' });
    picture(one);
    expect(one.title).toBe('Neighbourhood of “pizza”');
    expect(one.data).toMatchObject({ kind: 'neighbourhood', projection: 'umap' });
    expect((one.data as { words: string[] }).words).toHaveLength(9);
    const listed = await ask('plot', { words: 'pizza' });
    picture(listed);
    expect(listed.data).toMatchObject({ kind: 'neighbourhood' });
    expect(listed.lines).toContain('One word: showing its neighbourhood.');
  });

  it('says so when the model has fewer words than asked, and draws what it has', async () => {
    const reply = await ask('plot', { word: 'a', neighbours: 10, model: 'tiny' });
    picture(reply);
    expect(reply.lines).toContain('The model has only 2 other words; all are drawn.');
  });

  it('refuses more than 50 words, no words, both options, and only unknown words, without a picture', async () => {
    const many = Array.from({ length: 51 }, (_, i) => `w${i}`).join(' ');
    const cases: [Record<string, string | number>, string, RegExp][] = [
      [{ words: many }, 'Too many words', /at most 50 words; got 51/],
      [{}, 'Nothing to draw', /Give words/],
      [{ words: 'king', word: 'queen' }, 'Words or word', /not both/],
      [{ words: 'qqqqzz xxxxzz' }, 'Unknown words', /“qqqqzz” is not in the vocabulary/],
      [{ words: 'king queen', neighbours: 30 }, 'Cannot answer', /at most 50/],
    ];
    for (const [options, title, line] of cases) {
      const reply = await ask('plot', options);
      expect(reply.title).toBe(title);
      expect(reply.error).toBe(true);
      expect(reply.lines.join('\n')).toMatch(line);
      expect(reply.image).toBeUndefined();
    }
  });
});

describe('/lens', () => {
  it('draws PMI against w·c for the word’s contexts, with Spearman’s ρ in the reply', async () => {
    const reply = await ask('lens', { word: 'pizza' });
    const image = picture(reply);
    expect(image.fileName).toBe('lens-pizza.png');
    const data = reply.data as { models: { name: string; spearman: number }[]; pairs: number };
    expect(data.models.map((m) => m.name)).toEqual(['world']);
    expect(data.pairs).toBeGreaterThanOrEqual(5);
    expect(reply.lines[1]).toBe(
      `world (cbow): Spearman ρ(PMI, w·c) ${data.models[0].spearman.toFixed(2)}, ρ(PMI, cosine) ${(data.models[0] as unknown as { spearmanCosine: number }).spearmanCosine.toFixed(2)}`,
    );
  });

  it('refuses a model without co-occurrence statistics and names the models that have them', async () => {
    const reply = await ask('lens', { word: 'a', model: 'tiny' });
    expect(reply.title).toBe('No co-occurrence statistics');
    expect(reply.lines[0]).toMatch(/Model tiny \(ppmi\) was stored without .*Models that have them: world;/);
    expect(reply.image).toBeUndefined();
  });
});

describe('/analogy plot:true', () => {
  it('adds the picture of the offsets to the usual answer; without plot there is none', async () => {
    const plain = await ask('analogy', { a: 'king', b: 'man', c: 'woman' });
    expect(plain.image).toBeUndefined();
    const drawn = await ask('analogy', { a: 'king', b: 'man', c: 'woman', plot: 'true' });
    expect(drawn.title).toBe(plain.title);
    const image = picture(drawn);
    expect(image.fileName).toBe('analogy-king-man-woman.png');
    expect(image.svg).toContain('king − man + woman');
    // Discord sends a boolean, text transports a word.
    const fromDiscord = await ask('analogy', { a: 'king', b: 'man', c: 'woman', plot: true });
    expect(Buffer.compare(fromDiscord.image!.png, image.png)).toBe(0);
    expect((await ask('analogy', { a: 'king', b: 'man', c: 'woman', plot: 'no' })).image).toBeUndefined();
    const refused = await ask('analogy', { a: 'king', b: 'man', c: 'woman', plot: 'maybe' });
    expect(refused.lines[0]).toBe('Option “plot” of /analogy is true or false, got “maybe”.');
  });
});
