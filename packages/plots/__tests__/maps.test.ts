import { InvalidArgumentError, KeyedVectors, OovError } from '@wordvec/embeddings';
import { describe, expect, it } from 'vitest';
import { analogyPicture, MAX_PLOT_WORDS, neighbourhoodPicture, wordListPicture } from '../src/index.js';
import { plantedModel } from './fixtures.js';

describe('neighbourhoodPicture', () => {
  it('draws the word and its k nearest neighbours, the word highlighted, caption naming model and projection', async () => {
    const model = plantedModel();
    const picture = await neighbourhoodPicture(model, { word: 'c2w3', k: 7, model: 'planted' });
    const expected = ['c2w3', ...model.mostSimilar({ positive: ['c2w3'], topn: 7 }).map((s) => s.word)];
    expect(picture.data.points.map((p) => p.label)).toEqual(expected);
    expect(picture.data.points[0].role).toBe('query');
    expect(picture.caption).toMatch(/^model planted · 8 words · PCA of unit vectors/);
    expect(picture.svg).toContain('Neighbourhood of c2w3');
    expect(picture.svg).toContain('font-weight="bold" fill="#1a1a1a">c2w3</text>');
  });

  it('adds the neighbours of the neighbours, each word once, and bounds the total', async () => {
    const model = plantedModel(4, 12);
    const picture = await neighbourhoodPicture(model, { word: 'c0w0', k: 5, secondOrder: 3 });
    const labels = picture.data.points.map((p) => p.label);
    expect(new Set(labels).size).toBe(labels.length);
    expect(picture.data.points.filter((p) => p.role === 'second').length).toBeGreaterThan(0);
    await expect(neighbourhoodPicture(model, { word: 'c0w0', k: 10, secondOrder: 5 })).rejects.toThrow(
      /at most 50/,
    );
    await expect(neighbourhoodPicture(model, { word: 'c0w0', k: 0 })).rejects.toThrow(InvalidArgumentError);
  });

  it('draws what a model has when it has fewer words than asked, and says so', async () => {
    const small = new KeyedVectors({
      words: ['a', 'b', 'c'],
      dim: 2,
      vectors: Float32Array.of(1, 0, 0, 1, 1, 1),
    });
    const picture = await neighbourhoodPicture(small, { word: 'a', k: 10 });
    expect(picture.data.points.length).toBe(3);
    expect(picture.notes[0]).toBe('The model has only 2 other words; all are drawn.');
  });

  it('names an unknown word, and marks an estimated one', async () => {
    const model = plantedModel();
    await expect(neighbourhoodPicture(model, { word: 'nope' })).rejects.toThrow(OovError);
    const estimate = model.get('c1w1').map((v) => v * 0.9);
    const picture = await neighbourhoodPicture(model, {
      word: { word: 'c1w1x', vector: estimate, estimated: true },
      k: 5,
    });
    expect(picture.data.points[0]).toMatchObject({ label: 'c1w1x', estimated: true });
    expect(picture.svg).toContain('c1w1x*');
    expect(picture.notes).toContain('Estimated (not in the vocabulary): c1w1x.');
  });
});

describe('wordListPicture', () => {
  it('draws each word once, leaves out and names unknown words', async () => {
    const model = plantedModel();
    const picture = await wordListPicture(model, {
      words: ['king', 'queen', 'man', 'zzz', 'woman', 'king', 'yyy'],
    });
    expect(picture.data.points.map((p) => p.label)).toEqual(['king', 'queen', 'man', 'woman']);
    expect(picture.data.missing).toEqual(['zzz', 'yyy']);
    expect(picture.notes[0]).toBe('Not in the vocabulary, left out: zzz, yyy.');
  });

  it('draws the neighbourhood of a single word', async () => {
    const picture = await wordListPicture(plantedModel(), { words: ['king', 'qqq'], model: 'm' });
    expect(picture.kind).toBe('neighbourhood');
    expect(picture.notes[0]).toBe('Only one word to draw: showing its neighbourhood.');
    expect(picture.data.missing).toEqual(['qqq']);
  });

  it('refuses more than 50 words, and no known word at all', async () => {
    const model = plantedModel(6, 9);
    const words = model.words.slice(0, MAX_PLOT_WORDS + 1);
    await expect(wordListPicture(model, { words })).rejects.toThrow(
      'at most 50 words in one picture, got 51',
    );
    await expect(wordListPicture(model, { words: words.slice(0, 50) })).resolves.toBeDefined();
    await expect(wordListPicture(model, { words: ['x1', 'x2'] })).rejects.toThrow(OovError);
    await expect(wordListPicture(model, { words: [] })).rejects.toThrow('no words to draw');
  });
});

describe('analogyPicture', () => {
  it('draws a − b + c with the two offsets parallel and equal under PCA, and the answer', async () => {
    const model = plantedModel();
    const picture = await analogyPicture(model, { a: 'king', b: 'man', c: 'woman', model: 'planted' });
    const at = (label: string) =>
      picture.data.points.find((p) => p.label === label) as { x: number; y: number };
    expect(picture.svg).toContain('king − man + woman ≈ queen');
    const answer = picture.data.points.find((p) => p.role === 'answer');
    expect(answer?.label).toBe('queen');
    const [a, b, c, t] = [at('king'), at('man'), at('woman'), at('king − man + woman')];
    expect(t.x - c.x).toBeCloseTo(a.x - b.x, 3);
    expect(t.y - c.y).toBeCloseTo(a.y - b.y, 3);
    await expect(analogyPicture(model, { a: 'king', b: 'nope', c: 'zip' })).rejects.toThrow(
      new OovError(['nope', 'zip']).message,
    );
  });
});
