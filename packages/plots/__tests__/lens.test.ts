import {
  CooccurrenceStats,
  corpusFromText,
  countCooccurrences,
  encodeCorpus,
  InvalidArgumentError,
  KeyedVectors,
  OovError,
  spearman,
  Vocabulary,
} from '@wordvec/embeddings';
import { describe, expect, it } from 'vitest';
import {
  computeLens,
  lensModelNames,
  lensPicture,
  pngSize,
  renderPng,
  sampleLensWords,
} from '../src/index.js';

async function smallStats(): Promise<CooccurrenceStats> {
  const lines: string[] = [];
  const words = [
    'coffee',
    'tea',
    'milk',
    'sugar',
    'cup',
    'hot',
    'cold',
    'drink',
    'morning',
    'bean',
    'water',
    'pot',
  ];
  // Deterministic text where coffee co-occurs with its neighbours at different rates.
  for (let i = 0; i < 400; i++) {
    const a = words[(i * 7) % words.length];
    const b = words[(i * 3 + 1) % words.length];
    lines.push(`coffee ${a} ${b} ${words[i % 5]} tea ${words[(i * 5) % words.length]}`);
  }
  const corpus = corpusFromText(lines.join('\n'));
  const vocab = await Vocabulary.fromCorpus(corpus, { minCount: 1 });
  const encoded = await encodeCorpus(corpus, vocab);
  const matrix = await countCooccurrences(encoded.ids, vocab.size, { window: 2 });
  return CooccurrenceStats.fromMatrix(matrix, vocab.words);
}

/** A model whose w·c for `word` is `f(PMI)` exactly: w = e0, c = f(PMI(w, c))·e0 + its own orthogonal part. */
function modelFromPmi(stats: CooccurrenceStats, word: string, f: (pmi: number) => number): KeyedVectors {
  // Every context of the word (by count: PMI low and high alike).
  const contexts = stats.frequentContexts(word, { k: 100 }).filter((c) => c.word !== word);
  const words = [word, ...contexts.map((c) => c.word)];
  const dim = words.length + 1;
  const vectors = new Float32Array(words.length * dim);
  vectors[0] = 1;
  contexts.forEach((c, i) => {
    vectors[(i + 1) * dim] = f(c.pmi);
    vectors[(i + 1) * dim + i + 2] = 1;
  });
  return new KeyedVectors({ words, vectors, dim });
}

describe('computeLens', () => {
  it('finds ρ = 1 for a model whose w·c is a monotone function of PMI, ρ = −1 for a reversed one', async () => {
    const stats = await smallStats();
    const good = modelFromPmi(stats, 'coffee', (p) => Math.exp(p));
    const bad = modelFromPmi(stats, 'coffee', (p) => -p);
    const lens = computeLens({
      words: ['coffee'],
      reference: 'counts',
      stats,
      models: [
        { name: 'good', source: good },
        { name: 'bad', source: bad },
      ],
    });
    expect(lens.pairs.length).toBeGreaterThanOrEqual(5);
    expect(lens.models[0].spearman).toBeCloseTo(1, 10);
    expect(lens.models[1].spearman).toBeCloseTo(-1, 10);
    // The pairs hold the numbers behind ρ.
    expect(
      spearman(
        lens.pairs.map((p) => p.pmi),
        lens.pairs.map((p) => p.dot[0]),
      ),
    ).toBeCloseTo(1, 10);
    for (const p of lens.pairs) expect(p.pmi).toBeCloseTo(stats.pmi('coffee', p.context), 10);
  });

  it('scores every model on the same pairs, dropping contexts a model lacks', async () => {
    const stats = await smallStats();
    const full = modelFromPmi(stats, 'coffee', (p) => p);
    const fewer = new KeyedVectors({
      words: full.words.slice(0, 5),
      vectors: full.vectors.slice(0, 5 * full.dim),
      dim: full.dim,
    });
    const lens = computeLens({
      words: ['coffee'],
      reference: 'counts',
      stats,
      models: [
        { name: 'full', source: full },
        { name: 'fewer', source: fewer },
      ],
    });
    expect(lens.pairs.length).toBe(4);
    expect(lens.dropped).toBe(full.size - 5);
    expect(() =>
      lensPicture({
        words: ['coffee'],
        reference: 'counts',
        stats,
        models: [{ name: 'fewer', source: fewer }],
      }),
    ).toThrow(/has only 4 strong contexts in counts's counts that every model knows; the lens needs 5/);
    expect(() =>
      computeLens({ words: ['absent'], reference: 'r', stats, models: [{ name: 'full', source: full }] }),
    ).toThrow(OovError);
    expect(() => computeLens({ words: ['coffee'], reference: 'r', stats, models: [] })).toThrow(
      InvalidArgumentError,
    );
  });

  it('draws one column per model with ρ on the picture, as a valid PNG', async () => {
    const stats = await smallStats();
    const models = [
      { name: 'good', algorithm: 'ppmi', source: modelFromPmi(stats, 'coffee', (p) => p) },
      { name: 'bad', algorithm: 'cbow', source: modelFromPmi(stats, 'coffee', (p) => -p) },
    ];
    const picture = lensPicture({ words: ['coffee'], reference: 'counts', stats, models });
    expect(picture.svg).toContain('good (ppmi)');
    expect(picture.svg).toContain('ρ = 1.00');
    expect(picture.svg).toContain('ρ = -1.00');
    const png = renderPng(picture.svg);
    expect(pngSize(png)).toEqual({ width: 960, height: 720 });
    expect(
      Buffer.compare(
        png,
        renderPng(lensPicture({ words: ['coffee'], reference: 'counts', stats, models }).svg),
      ),
    ).toBe(0);
  });
});

describe('lensModelNames', () => {
  const models = [
    { name: 'b-cbow', corpus: { checksum: 'B' } },
    { name: 'a-ppmi', corpus: { checksum: 'A' } },
    { name: 'imported' },
    { name: 'a-glove', corpus: { checksum: 'A' } },
    { name: 'a-cbow', corpus: { checksum: 'A' } },
    { name: 'a-ft', corpus: { checksum: 'A' } },
    { name: 'a-more', corpus: { checksum: 'A' } },
  ];
  it('puts the reference first, then the models of the same corpus, at most four', () => {
    expect(lensModelNames(models, 'a-glove')).toEqual(['a-glove', 'a-ppmi', 'a-cbow', 'a-ft']);
    expect(lensModelNames(models, 'b-cbow')).toEqual(['b-cbow']);
    expect(lensModelNames(models, 'imported')).toEqual(['imported']); // no checksum: no companions
  });
  it('takes an explicit list as given (reference first, once), and refuses more than four', () => {
    expect(lensModelNames(models, 'a-ppmi', ['b-cbow', 'a-ppmi', ''])).toEqual(['a-ppmi', 'b-cbow']);
    expect(() => lensModelNames(models, 'a-ppmi', ['a', 'b', 'c', 'd'])).toThrow(
      'at most 4 models side by side, got 5',
    );
  });
});

describe('sampleLensWords', () => {
  it('draws distinct words of ranks 101–10,000 in rank order, the same for a seed', () => {
    const words = Array.from({ length: 20_000 }, (_, i) => `w${i}`);
    const sample = sampleLensWords(words, 300, 4);
    expect(new Set(sample).size).toBe(300);
    const ranks = sample.map((w) => Number(w.slice(1)));
    expect(Math.min(...ranks)).toBeGreaterThanOrEqual(100);
    expect(Math.max(...ranks)).toBeLessThan(10_000);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    expect(sampleLensWords(words, 300, 4)).toEqual(sample);
    expect(sampleLensWords(words, 300, 5)).not.toEqual(sample);
    expect(() => sampleLensWords(words.slice(0, 150), 60)).toThrow(/needs 160 words in the vocabulary/);
  });
});
