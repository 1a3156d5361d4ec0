/**
 * fastText `.bin` written, checked against both peers for real: Facebook's fastText 0.9.2
 * (`fasttext print-word-vectors`, which prints 5 significant digits, so it is compared to that
 * precision) and gensim 4's `load_facebook_model` (float32 values as JSON, compared within 1e-5).
 * A file the tool writes, read and written again, is the same file byte for byte.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import {
  createRandom,
  detectFormat,
  type FastTextModel,
  FormatError,
  fastTextModelFromVectors,
  fitSubwordTable,
  InvalidArgumentError,
  KeyedVectors,
  loadFastTextBin,
  loadVectors,
  saveFastTextBin,
  saveVectors,
  streamVectors,
} from '@wordvec/embeddings';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const hasFastText = spawnSync('fasttext', [], { stdio: 'ignore' }).error === undefined;
const python = '/usr/bin/python3';
const hasGensim =
  existsSync(python) &&
  spawnSync(python, ['-c', 'from gensim.models.fasttext import load_facebook_model'], { stdio: 'ignore' })
    .status === 0;
if (!hasFastText)
  console.warn('fasttext-bin-write: fastText not installed (apt-get install -y fasttext); skipping it');
if (!hasGensim) console.warn('fasttext-bin-write: gensim not installed for /usr/bin/python3; skipping it');

/** gensim's vectors of `words` from `load_facebook_model(path)`, as numbers. */
function gensimVectors(path: string, words: string[]): number[][] {
  const script = `
import json, sys
from gensim.models.fasttext import load_facebook_model
m = load_facebook_model(sys.argv[1])
words = json.load(sys.stdin)
print(json.dumps([[float(x) for x in m.wv[w]] for w in words]))
`;
  const r = spawnSync(python, ['-c', script, path], { input: JSON.stringify(words), encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

/** `fasttext print-word-vectors` of `words`. */
function toolVectors(path: string, words: string[]): number[][] {
  const r = spawnSync('fasttext', ['print-word-vectors', path], {
    input: `${words.join('\n')}\n`,
    encoding: 'utf8',
  });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout
    .trim()
    .split('\n')
    .map((line) => line.trim().split(' ').slice(1).map(Number));
}

const within = (ours: ArrayLike<number>, theirs: number[], abs: number, rel = 0) => {
  expect(ours.length).toBe(theirs.length);
  for (let d = 0; d < theirs.length; d++)
    expect(Math.abs(ours[d] - theirs[d])).toBeLessThanOrEqual(abs + rel * Math.abs(theirs[d]));
};

const unseen = ['pizzaiolo', 'pizzas', 'naïveté', '日本語', 'kingdom', 'zzzq'];

describe('fastText .bin write', () => {
  let dir: string;
  /** A word-only model (random vectors with counts) and its learned subword table. */
  let kv: KeyedVectors;
  let written: FastTextModel;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'wordvec-ftw-'));
    const rand = createRandom(20);
    const words = [
      'pizza',
      'pasta',
      'cheese',
      'king',
      'queen',
      'café',
      'naïve',
      '日本',
      ...Array.from({ length: 60 }, (_, i) => `word${i}`),
    ];
    const dim = 12;
    const vectors = Float32Array.from({ length: words.length * dim }, () => rand() * 2 - 1);
    kv = new KeyedVectors({ words, vectors, dim, counts: words.map((_, i) => 1000 - i) });
    const table = fitSubwordTable({ words, dim, unit: kv.unitVectors() }, { bucket: 4096, epochs: 3 });
    written = fastTextModelFromVectors(kv, table);
    saveFastTextBin(written, join(dir, 'word-only.bin'));
    saveFastTextBin(fastTextModelFromVectors(kv), join(dir, 'no-ngrams.bin'));
  });

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('a word-only model with a learned table reads back here with its vectors and the table estimates', () => {
    const back = loadFastTextBin(join(dir, 'word-only.bin'));
    expect(back.args).toMatchObject({ dim: 12, minn: 3, maxn: 6, bucket: 4096, model: 'cbow', loss: 'ns' });
    expect(back.vectors.words).toEqual(kv.words);
    expect(Array.from(back.vectors.counts!)).toEqual(Array.from(kv.counts!));
    expect(back.ntokens).toBe(kv.counts!.reduce((s, c) => s + c, 0));
    for (const w of kv.words) within(back.wordVector(w), Array.from(kv.get(w)), 1e-5);
    for (const w of unseen)
      expect(Array.from(back.wordVector(w))).toEqual(Array.from(written.subwords.estimate(w)!));
    // No output matrix: zeros, as the module note says.
    expect(back.output!.every((v) => v === 0)).toBe(true);
    // Without a table: no n-grams, unseen words are zero vectors (fastText's answer).
    const plain = loadFastTextBin(join(dir, 'no-ngrams.bin'));
    expect(plain.args).toMatchObject({ maxn: 0, bucket: 0 });
    for (const w of kv.words) expect(Array.from(plain.wordVector(w))).toEqual(Array.from(kv.get(w)));
    expect(plain.wordVector('pizzaiolo').every((v) => v === 0)).toBe(true);
  });

  it.runIf(hasGensim)(
    "loads in gensim's load_facebook_model with the same vocabulary and OOV vectors (1e-5)",
    () => {
      const path = join(dir, 'word-only.bin');
      const words = [...kv.words.slice(0, 10), ...unseen];
      const theirs = gensimVectors(path, words);
      for (const [i, w] of words.entries()) within(written.wordVector(w), theirs[i], 1e-5);
      // And the vocabulary vectors are the word-only model's own.
      for (const [i, w] of kv.words.slice(0, 10).entries()) within(kv.get(w), theirs[i], 1e-5);
    },
  );

  it.runIf(hasFastText)(
    'loads in `fasttext print-word-vectors` with the same vocabulary and OOV vectors',
    () => {
      for (const file of ['word-only.bin', 'no-ngrams.bin']) {
        const path = join(dir, file);
        const model = loadFastTextBin(path);
        const words = [...kv.words.slice(0, 10), ...unseen];
        const theirs = toolVectors(path, words);
        // The tool prints 5 significant digits: compared to that precision (gensim checks 1e-5 above).
        for (const [i, w] of words.entries()) within(model.wordVector(w), theirs[i], 1e-7, 6e-5);
      }
    },
  );

  it('loadVectors, streamVectors and detectFormat know a .bin by its content, whatever its name', async () => {
    const renamed = join(dir, 'model.txt');
    writeFileSync(renamed, readFileSync(join(dir, 'word-only.bin')));
    expect(await detectFormat(renamed)).toBe('fasttext-bin');
    const kvBack = await loadVectors(renamed);
    expect(kvBack.words).toEqual(kv.words);
    expect(kvBack.resolve('pizzaiolo', { subword: true }).resolution.how).toBe('subword');
    expect((await loadVectors(renamed, { limit: 5 })).words).toEqual(kv.words.slice(0, 5));
    const stream = streamVectors(renamed);
    expect(await stream.header()).toEqual({ format: 'fasttext-bin', dim: 12, count: kv.size, gzip: false });
    let rows = 0;
    for await (const batch of stream) rows += batch.words.length;
    expect(rows).toBe(kv.size);
    // saveVectors writes one too, with the vectors' own subword table when they have one.
    await saveVectors(kvBack, join(dir, 'saved.bin'), { format: 'fasttext-bin' });
    expect(Array.from(loadFastTextBin(join(dir, 'saved.bin')).wordVector('pizzaiolo'))).toEqual(
      Array.from(written.wordVector('pizzaiolo')),
    );
    // A gzipped .bin, or one read with a text format forced: one message naming what the file is.
    writeFileSync(join(dir, 'model.bin.gz'), gzipSync(readFileSync(join(dir, 'word-only.bin'))));
    await expect(loadVectors(join(dir, 'model.bin.gz'))).rejects.toThrow(
      /byte 0: .*gzip-compressed fastText .bin/,
    );
    await expect(loadVectors(renamed, { format: 'glove' })).rejects.toThrow(FormatError);
    await expect(loadVectors(renamed, { format: 'glove' })).rejects.toThrow(/fastText .bin model, not glove/);
  });

  it('refuses what fastText could not read, before writing anything', () => {
    const path = join(dir, 'bad.bin');
    const bad = { ...written, args: { ...written.args, minn: 7 } };
    expect(() => saveFastTextBin(bad, path)).toThrow(/minn 7 must not exceed maxn 6/);
    expect(() => saveFastTextBin({ ...written, args: { ...written.args, loss: 'nope' } }, path)).toThrow(
      InvalidArgumentError,
    );
    expect(() => saveFastTextBin({ ...written, output: new Float32Array(3) }, path)).toThrow(/output matrix/);
    expect(existsSync(path)).toBe(false);
  });
});

describe.runIf(hasFastText)('fastText .bin round trip through the tool', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'wordvec-ftrt-'));
    const rand = createRandom(7);
    const words = [
      'pizza',
      'pasta',
      'cheese',
      'café',
      'naïve',
      '日本',
      ...Array.from({ length: 80 }, (_, i) => `w${i}`),
    ];
    const lines = Array.from({ length: 600 }, () =>
      Array.from({ length: 16 }, () => words[Math.floor(rand() * words.length)]).join(' '),
    );
    writeFileSync(join(dir, 'corpus.txt'), `${lines.join('\n')}\n`);
    for (const [name, mode, loss] of [
      ['cbow', 'cbow', 'ns'],
      ['sg-hs', 'skipgram', 'hs'],
    ] as const) {
      const r = spawnSync('fasttext', [
        mode,
        ...['-input', join(dir, 'corpus.txt'), '-output', join(dir, name), '-loss', loss],
        ...['-dim', '8', '-epoch', '1', '-minCount', '2', '-bucket', '3000', '-thread', '1', '-verbose', '0'],
      ]);
      expect(r.status).toBe(0);
    }
  }, 60_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('a .bin the tool wrote → read → write is the same file, byte for byte (ns and hs losses)', () => {
    for (const name of ['cbow', 'sg-hs']) {
      const original = join(dir, `${name}.bin`);
      const copy = join(dir, `${name}-copy.bin`);
      saveFastTextBin(loadFastTextBin(original), copy);
      expect(readFileSync(copy).equals(readFileSync(original))).toBe(true);
    }
  });

  it.runIf(hasGensim)('gensim reads the tool’s model and ours alike', () => {
    const model = loadFastTextBin(join(dir, 'cbow.bin'));
    const words = ['pizza', 'café', 'w3', ...unseen];
    const theirs = gensimVectors(join(dir, 'cbow.bin'), words);
    for (const [i, w] of words.entries()) within(model.wordVector(w), theirs[i], 1e-5);
  });
});
