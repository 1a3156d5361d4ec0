import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FormatError, InvalidArgumentError } from '../src/errors.js';
import { type Corpus, corpusFromText, MAX_SENTENCE_TOKENS, openCorpus } from '../src/text/corpus.js';

async function collect(corpus: Corpus): Promise<string[][]> {
  const out: string[][] = [];
  for await (const s of corpus.sentences()) out.push(s);
  return out;
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'wordvec-corpus-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('openCorpus over files', () => {
  it('reads one sentence per line, skipping blank lines, and can be read again', async () => {
    const file = join(dir, 'lines.txt');
    writeFileSync(file, 'The cat sat.\r\n\n   \nThe DOG ran!\nlast line without newline');
    const corpus = openCorpus(file);
    expect(corpus.name).toBe('lines.txt');
    const first = await collect(corpus);
    expect(first).toEqual([
      ['the', 'cat', 'sat'],
      ['the', 'dog', 'ran'],
      ['last', 'line', 'without', 'newline'],
    ]);
    expect(await collect(corpus)).toEqual(first);
    expect(await collect(openCorpus(file, { lowercase: false }))).toContainEqual(['The', 'DOG', 'ran']);
  });

  it('joins lines into documents separated by blank lines in documents mode', async () => {
    const file = join(dir, 'docs.txt');
    writeFileSync(file, 'one two\nthree\n\nfour\n---\nfive\n');
    expect(await collect(openCorpus(file, { mode: 'documents' }))).toEqual([
      ['one', 'two', 'three'],
      ['four', 'five'],
    ]);
  });

  it('reads .gz files', async () => {
    const file = join(dir, 'text.txt.gz');
    writeFileSync(file, gzipSync('alpha beta\ngamma\n'));
    expect(await collect(openCorpus(file))).toEqual([['alpha', 'beta'], ['gamma']]);
  });

  it('reads a directory recursively in sorted order, skipping hidden entries', async () => {
    const root = join(dir, 'tree');
    mkdirSync(join(root, 'b-sub'), { recursive: true });
    mkdirSync(join(root, '.hidden-dir'));
    writeFileSync(join(root, 'c.txt'), 'from c\n');
    writeFileSync(join(root, 'a.txt'), 'from a\n');
    writeFileSync(join(root, 'b-sub', 'inner.txt.gz'), gzipSync('from inner\n'));
    writeFileSync(join(root, '.secret'), 'hidden\n');
    writeFileSync(join(root, '.hidden-dir', 'x.txt'), 'hidden too\n');
    symlinkSync(root, join(root, 'loop')); // a link cycle must not loop forever
    const corpus = openCorpus(root);
    expect(corpus.name).toBe('tree');
    expect(await collect(corpus)).toEqual([
      ['from', 'a'],
      ['from', 'inner'],
      ['from', 'c'],
    ]);
  });

  it('cuts overly long lines into sentences of at most MAX_SENTENCE_TOKENS without splitting words', async () => {
    const file = join(dir, 'long.txt');
    const n = MAX_SENTENCE_TOKENS * 2 + 1234;
    // ~2.6 MB on one line: longer than the reader's cut-off, so it is tokenized in pieces.
    const words = Array.from(
      { length: n },
      (_, i) =>
        `w${i}xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx`,
    );
    writeFileSync(file, `${words.join(' ')}\nshort line\n`);
    const lines = await collect(openCorpus(file));
    expect(lines.map((s) => s.length)).toEqual([MAX_SENTENCE_TOKENS, MAX_SENTENCE_TOKENS, 1234, 2]);
    expect(lines.flat()).toEqual([...words, 'short', 'line']);
    // In documents mode the next line continues the same document.
    const docs = await collect(openCorpus(file, { mode: 'documents' }));
    expect(docs.map((s) => s.length)).toEqual([MAX_SENTENCE_TOKENS, MAX_SENTENCE_TOKENS, 1236]);
    expect(docs.flat()).toEqual([...words, 'short', 'line']);
  });

  it('reads a file past one read chunk (1 MiB) as the same text as a small one, across the chunk seam', async () => {
    // 1.38 MB of 6- and 11-byte lines, so the stream path runs and its chunk seam falls inside a line, maybe
    // inside a two-byte 'ö'; the small file takes the one-read path.
    const lines = Array.from({ length: 180_000 }, (_, i) => (i % 3 === 0 ? 'wörd Zwei' : 'wörd'));
    const big = join(dir, 'big.txt');
    writeFileSync(big, `${lines.join('\n')}\n`);
    const small = join(dir, 'small.txt');
    writeFileSync(small, `${lines.slice(0, 30).join('\n')}\n`);
    const fromBig = await collect(openCorpus(big));
    expect(fromBig.length).toBe(lines.length);
    expect(fromBig).toEqual(await collect(corpusFromText(lines)));
    expect(await collect(openCorpus(small))).toEqual(fromBig.slice(0, 30));
  });

  it('replaces invalid UTF-8 by default and rejects it on request', async () => {
    const file = join(dir, 'bad.txt');
    writeFileSync(
      file,
      Buffer.concat([Buffer.from('good wo'), Buffer.from([0xff, 0xfe]), Buffer.from('rd\n')]),
    );
    expect(await collect(openCorpus(file))).toEqual([['good', 'wo', 'rd']]);
    await expect(collect(openCorpus(file, { invalidUtf8: 'error' }))).rejects.toThrow(FormatError);
    await expect(collect(openCorpus(file, { invalidUtf8: 'error' }))).rejects.toThrow(
      /bad\.txt.*invalid UTF-8/,
    );
  });

  it('names a missing path and a bad mode', () => {
    const missing = join(dir, 'no-such-file.txt');
    expect(() => openCorpus(missing)).toThrow(InvalidArgumentError);
    expect(() => openCorpus(missing)).toThrow(/no-such-file\.txt.*does not exist/);
    // biome-ignore lint/suspicious/noExplicitAny: testing a bad value from untyped callers
    expect(() => openCorpus(dir, { mode: 'paragraphs' as any })).toThrow(/paragraphs/);
  });

  it('reports a corrupt .gz file as a FormatError naming it', async () => {
    const file = join(dir, 'corrupt.gz');
    writeFileSync(file, Buffer.from('this is not gzip data at all'));
    await expect(collect(openCorpus(file))).rejects.toThrow(/corrupt\.gz.*gzip/);
    const truncated = join(dir, 'truncated.txt.gz');
    const whole = gzipSync('some words that go on\n'.repeat(100));
    writeFileSync(truncated, whole.subarray(0, whole.length - 12));
    await expect(collect(openCorpus(truncated))).rejects.toThrow(FormatError);
  });

  it('rejects an empty directory', () => {
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    expect(() => openCorpus(empty)).toThrow(/holds no/);
  });
});

describe('corpusFromText', () => {
  it('tokenizes in-memory lines with the same rules', async () => {
    const corpus = corpusFromText(['The cat sat.', '', 'It’s well‐known\nsecond'], { name: 'pets' });
    expect(corpus.name).toBe('pets');
    expect(await collect(corpus)).toEqual([['the', 'cat', 'sat'], ["it's", 'well-known'], ['second']]);
    expect(await collect(corpusFromText('a b\n\nc\nd', { mode: 'documents' }))).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
  });
});
