import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../src/errors.js';
import { openCorpus } from '../src/text/corpus.js';
import { brownCorpus, type StarterSource, starterCorpus } from '../src/text/starter-corpus.js';

async function firstSentences(source: StarterSource, n: number): Promise<string[][]> {
  const out: string[][] = [];
  for await (const sentence of starterCorpus({ sources: [source] }).sentences()) {
    out.push(sentence);
    if (out.length === n) break;
  }
  return out;
}

describe('brown', () => {
  it('yields about 1.0 M tokens in about 57,000 sentences with the tags stripped', async () => {
    const corpus = openCorpus('brown');
    expect(corpus.name).toBe('brown');
    let tokens = 0;
    let sentences = 0;
    let tagged = 0;
    let first: string[] | undefined;
    for await (const sentence of corpus.sentences()) {
      first ??= sentence;
      tokens += sentence.length;
      sentences++;
      for (const word of sentence) if (word.includes('/')) tagged++;
    }
    expect(first?.slice(0, 6)).toEqual(['the', 'fulton', 'county', 'grand', 'jury', 'said']);
    expect(tokens).toBeGreaterThan(950_000);
    expect(tokens).toBeLessThan(1_100_000);
    expect(sentences).toBeGreaterThan(50_000);
    expect(tagged).toBe(0);
  });

  it('keeps case when asked', async () => {
    for await (const sentence of brownCorpus({ lowercase: false }).sentences()) {
      expect(sentence.slice(0, 3)).toEqual(['The', 'Fulton', 'County']);
      break;
    }
  });
});

describe('starter', () => {
  it('is named starter and reads brown, nlp-corpus and wordnet in that order', async () => {
    expect(openCorpus('starter').name).toBe('starter');
    expect(starterCorpus({ sources: ['wordnet'] }).name).toBe('starter:wordnet');
    const nlp = await firstSentences('nlp-corpus', 200);
    expect(nlp[0].slice(0, 3)).toEqual(['creakiness', 'and', 'atmosphere']);
    const glosses = await firstSentences('wordnet', 3);
    // The license header is skipped; the first gloss of data.noun is that of "entity".
    expect(glosses[0].slice(0, 4)).toEqual(['that', 'which', 'is', 'perceived']);
    expect(glosses.flat().some((w) => /^\d{8}$/.test(w))).toBe(false); // no synset offsets leak in
  });

  it('rejects an unknown source, naming it', () => {
    // biome-ignore lint/suspicious/noExplicitAny: testing a bad value from untyped callers
    expect(() => starterCorpus({ sources: ['reuters' as any] })).toThrow(InvalidArgumentError);
    // biome-ignore lint/suspicious/noExplicitAny: testing a bad value from untyped callers
    expect(() => starterCorpus({ sources: ['reuters' as any] })).toThrow(/reuters/);
  });
});
