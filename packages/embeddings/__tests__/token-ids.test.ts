import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { AbortedError } from '../src/errors.js';
import { corpusFromText, openCorpus } from '../src/text/corpus.js';
import { CorpusHash, describeCorpus, END_OF_SENTENCE, encodeCorpus } from '../src/text/token-ids.js';
import { Vocabulary } from '../src/text/vocabulary.js';

const dir = mkdtempSync(join(tmpdir(), 'wordvec-ids-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('encodeCorpus', () => {
  it('maps tokens to ids, ends sentences with -1 and drops OOV tokens and empty sentences', async () => {
    const corpus = corpusFromText(['a b rare a', 'rare', 'b c'], { name: 'abc' });
    const vocab = Vocabulary.fromCounts(
      new Map([
        ['a', 5],
        ['b', 4],
        ['c', 3],
      ]),
      { minCount: 1 },
    );
    const encoded = await encodeCorpus(corpus, vocab);
    expect([...encoded.ids]).toEqual([0, 1, 0, END_OF_SENTENCE, 1, 2, END_OF_SENTENCE]);
    expect(encoded.tokens).toBe(5);
    expect(encoded.corpusTokens).toBe(7);
    expect(encoded.sentences).toBe(2);
    expect(encoded.name).toBe('abc');
    expect(encoded.ids.buffer).toBeInstanceOf(ArrayBuffer);
    expect(encoded.checksum).toMatch(/^[0-9a-f]{64}$/);
    expect(describeCorpus(encoded)).toEqual({ name: 'abc', tokens: 5, checksum: encoded.checksum });
  });

  it('backs ids with a SharedArrayBuffer on request and grows past its first guess', async () => {
    const lines = Array.from({ length: 3000 }, (_, i) => `w${i % 7} w${i % 3}`);
    const corpus = corpusFromText(lines);
    const vocab = Vocabulary.fromCounts(new Map([['w1', 1]]), { minCount: 1 }); // first guess is tiny
    const full = await Vocabulary.fromCorpus(corpus, { minCount: 1 });
    const shared = await encodeCorpus(corpus, full, { shared: true });
    expect(shared.ids.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(shared.ids.length).toBe(3000 * 3);
    expect(shared.tokens).toBe(6000);
    const sparse = await encodeCorpus(corpus, vocab);
    expect(sparse.tokens).toBe(
      lines
        .join(' ')
        .split(' ')
        .filter((w) => w === 'w1').length,
    );
    expect(sparse.checksum).toBe(shared.checksum); // the checksum does not depend on the vocabulary
  });

  it('gives the same checksum for the same text however it is laid out in files', async () => {
    const one = join(dir, 'one.txt');
    writeFileSync(one, 'The cat sat.\nOn the mat!\n\nA dog.\n');
    const split = join(dir, 'split');
    mkdirSync(split);
    writeFileSync(join(split, '1.txt'), 'the   cat, sat\r\n');
    writeFileSync(join(split, '2.txt.gz'), gzipSync('on the mat\n'));
    writeFileSync(join(split, '3.txt'), '\n\na dog');
    const vocab = await Vocabulary.fromCorpus(openCorpus(one), { minCount: 1 });
    const a = await encodeCorpus(openCorpus(one), vocab);
    const b = await encodeCorpus(openCorpus(split), vocab);
    expect(b.checksum).toBe(a.checksum);
    expect([...b.ids]).toEqual([...a.ids]);
    const c = await encodeCorpus(corpusFromText(['the cat sat', 'on the rug', 'a dog']), vocab);
    expect(c.checksum).not.toBe(a.checksum);
    // Sentence boundaries are part of the text.
    const d = await encodeCorpus(corpusFromText(['the cat sat on the mat', 'a dog']), vocab);
    expect(d.checksum).not.toBe(a.checksum);
    // CorpusHash gives the same digest when streaming, however the hashing is split into pieces.
    const hash = new CorpusHash();
    for await (const sentence of openCorpus(split).sentences()) hash.add(sentence);
    hash.add([]);
    expect(hash.digest()).toBe(a.checksum);
    const long = Array.from({ length: 20_000 }, (_, i) => `sentence number ${i}`);
    const streamed = new CorpusHash();
    for (const line of long) streamed.add(line.split(' '));
    const { createHash } = await import('node:crypto');
    expect(streamed.digest()).toBe(
      createHash('sha256')
        .update(long.map((l) => `${l}\n`).join(''))
        .digest('hex'),
    );
  });

  it('stops when aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const vocab = new Vocabulary({ words: ['a'], counts: [1] });
    await expect(encodeCorpus(corpusFromText(['a']), vocab, { signal: controller.signal })).rejects.toThrow(
      AbortedError,
    );
  });
});
