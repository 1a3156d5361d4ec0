/**
 * One read of the corpus for CBOW (issue 17): readCorpusIds gives what Vocabulary.fromCorpus + encodeCorpus
 * (two reads) give, with maxVocabSize pruning, with ids spilled past the memory budget, and when streamed.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { nextUint32, seedState } from '../src/random.js';
import { type Corpus, corpusFromText, openCorpus } from '../src/text/corpus.js';
import { prepareCorpus } from '../src/text/corpus-encoding.js';
import { readCorpusIds } from '../src/text/corpus-ids.js';
import { END_OF_SENTENCE, encodeCorpus } from '../src/text/token-ids.js';
import { Vocabulary } from '../src/text/vocabulary.js';

const dir = mkdtempSync(join(tmpdir(), 'wordvec-corpus-ids-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Zipf-like lines over 4000 words (many rare ones, so pruning has work to do), some blank. */
function zipfText(seed: number, lines: number): string {
  const s = seedState(seed);
  const out: string[] = [];
  for (let i = 0; i < lines; i++) {
    const n = nextUint32(s) % 15;
    const words: string[] = [];
    for (let k = 0; k < n; k++) {
      const u = nextUint32(s) / 2 ** 32;
      words.push(`W${Math.floor(4000 ** u) - 1}`);
    }
    out.push(words.join(i % 3 ? ' ' : ', '));
  }
  return out.join('\n');
}

/** A corpus that counts how often its text is read. */
function counted(corpus: Corpus): { corpus: Corpus; reads: () => number } {
  let reads = 0;
  return {
    corpus: {
      name: corpus.name,
      sentences() {
        reads++;
        return corpus.sentences();
      },
    },
    reads: () => reads,
  };
}

async function twoPass(corpus: Corpus, minCount: number, maxVocabSize?: number) {
  const vocab = await Vocabulary.fromCorpus(corpus, { minCount, maxVocabSize });
  return { vocab, encoded: await encodeCorpus(corpus, vocab) };
}

describe('readCorpusIds', () => {
  const file = join(dir, 'zipf.txt');
  writeFileSync(file, zipfText(7, 6000));
  const big = join(dir, 'zipf-big.txt');
  writeFileSync(big, zipfText(8, 25_000));

  it.each([undefined, 3000, 800, 100])(
    'gives the two-pass vocabulary and ids in one read (maxVocabSize %s), file and string corpora',
    async (maxVocabSize) => {
      const fileCorpus = openCorpus(file);
      const expected = await twoPass(fileCorpus, 2, maxVocabSize);
      const { corpus: stringCorpus, reads } = counted({
        name: 'zipf.txt',
        sentences: () => fileCorpus.sentences(),
      });
      for (const corpus of [fileCorpus, stringCorpus]) {
        const got = await prepareCorpus(corpus, { minCount: 2, maxVocabSize });
        expect(got.vocab.words).toEqual(expected.vocab.words);
        expect([...got.vocab.counts]).toEqual([...expected.vocab.counts]);
        expect([...got.vocab.rareWords]).toEqual([...expected.vocab.rareWords]);
        expect(got.vocab.corpusTokens).toBe(expected.vocab.corpusTokens);
        expect(got.encoded).toEqual(expected.encoded);
      }
      expect(reads()).toBe(1);
      if (maxVocabSize !== undefined && maxVocabSize < 1000) {
        // Pruning really happened: fewer words than without it, and words pruned early still encoded.
        const unpruned = await Vocabulary.fromCorpus(fileCorpus, { minCount: 2 });
        expect(expected.vocab.size).toBeLessThan(unpruned.size);
      }
    },
  );

  it('spills ids past the memory budget and gives the same ids in memory when the kept ids fit', async () => {
    const corpus = openCorpus(big);
    const expected = await twoPass(corpus, 2);
    const tmp = join(dir, 'spill-a');
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp);
    // 65,536 ids are held at least; the corpus has more provisional ids than that.
    expect(expected.vocab.corpusTokens).toBeGreaterThan(2 * 65_536);
    const budget = (expected.vocab.totalCount + expected.vocab.sentences) * 4; // fits exactly
    const got = await readCorpusIds(corpus, { minCount: 2, memoryBudget: budget, shared: true, tmpDir: tmp });
    expect(got.kind).toBe('memory');
    if (got.kind !== 'memory') return;
    expect(got.encoded).toEqual(expected.encoded);
    expect(got.encoded.ids.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(readdirSync(tmp)).toEqual([]); // the spill file is gone
  });

  it('streams the ids from the spill file, epoch after epoch, without reading the text again', async () => {
    const fileCorpus = openCorpus(big);
    const expected = await twoPass(fileCorpus, 2);
    const { corpus, reads } = counted({ name: 'zipf-big.txt', sentences: () => fileCorpus.sentences() });
    const tmp = join(dir, 'spill-b');
    mkdirSync(tmp, { recursive: true });
    const got = await readCorpusIds(corpus, {
      minCount: 2,
      memoryBudget: 1000,
      chunkTokens: 50_000,
      tmpDir: tmp,
    });
    expect(got.kind).toBe('stream');
    if (got.kind !== 'stream') return;
    try {
      expect(got.description).toEqual({
        name: 'zipf-big.txt',
        tokens: expected.vocab.totalCount,
        checksum: expected.encoded.checksum,
      });
      for (let epoch = 0; epoch < 2; epoch++) {
        const chunks: Int32Array[] = [];
        for await (const chunk of got.chunks()) chunks.push(chunk.slice());
        expect(chunks.length).toBeGreaterThan(2);
        for (const c of chunks) {
          expect(c.length).toBeLessThanOrEqual(50_000);
          expect(c[c.length - 1]).toBe(END_OF_SENTENCE);
        }
        const all = new Int32Array(chunks.reduce((n, c) => n + c.length, 0));
        let at = 0;
        for (const c of chunks) {
          all.set(c, at);
          at += c.length;
        }
        expect(all).toEqual(expected.encoded.ids); // whole sentences: no sentence is longer than a chunk
      }
      expect(readdirSync(tmp).length).toBe(1);
    } finally {
      got.close();
    }
    expect(reads()).toBe(1);
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('cuts a sentence longer than a stream chunk, as the streaming trainer always did', async () => {
    const corpus = corpusFromText([Array.from({ length: 30 }, (_, i) => `w${i % 4}`).join(' '), 'w1 w2']);
    const got = await readCorpusIds(corpus, { minCount: 1, memoryBudget: 1, chunkTokens: 8 });
    if (got.kind !== 'stream') throw new Error('expected stream mode');
    const chunks: number[][] = [];
    for await (const c of got.chunks()) chunks.push([...c]);
    got.close();
    for (const c of chunks) {
      expect(c.length).toBeLessThanOrEqual(8);
      expect(c.at(-1)).toBe(END_OF_SENTENCE);
    }
    expect(chunks.flat().filter((x) => x !== END_OF_SENTENCE).length).toBe(32);
  });
});
