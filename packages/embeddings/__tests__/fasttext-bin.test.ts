/**
 * fastText `.bin` read against Facebook's fastText 0.9.2 itself (Debian's `fasttext`): a model the
 * tool trains loads here with the vectors `fasttext print-word-vectors` prints, for vocabulary words
 * and for words it has never seen (n-gram estimates), non-ASCII ones included (fastText hashes bytes as
 * signed chars). The tool prints 5 significant digits, so values are compared to that precision.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRandom, FormatError, InvalidArgumentError } from '@wordvec/embeddings';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FASTTEXT_MAGIC, loadFastTextBin } from '../src/formats/fasttext-bin.js';
import { charNgrams, checkNgramSpec, fastTextHash, ngramRows } from '../src/subword/char-ngrams.js';

const hasFastText = spawnSync('fasttext', [], { stdio: 'ignore' }).error === undefined;
if (!hasFastText)
  console.warn('fastText (apt-get install -y fasttext) not installed: skipping the comparisons with it');

describe('character n-grams (fastText Dictionary::computeSubwords)', () => {
  it('wraps the word in < >, keeps n from minn to maxn, never a lone boundary mark', () => {
    expect(charNgrams('pizza', { minn: 3, maxn: 3, bucket: 1000 }).map((g) => g.ngram)).toEqual([
      '<pi',
      'piz',
      'izz',
      'zza',
      'za>',
    ]);
    // n = 1 keeps inner characters only: "<" and ">" alone are not n-grams.
    expect(charNgrams('ab', { minn: 1, maxn: 2, bucket: 1000 }).map((g) => g.ngram)).toEqual([
      '<a',
      'a',
      'ab',
      'b',
      'b>',
    ]);
  });

  it('counts characters as UTF-8 code points, never splitting one', () => {
    expect(charNgrams('日本', { minn: 2, maxn: 2, bucket: 1000 }).map((g) => g.ngram)).toEqual([
      '<日',
      '日本',
      '本>',
    ]);
  });

  it('hashes with 32-bit FNV-1a over signed bytes: ASCII as plain FNV-1a, bytes ≥ 0x80 sign-extended', () => {
    const enc = new TextEncoder();
    // Plain FNV-1a 32 of "a" is 0xe40c292c.
    expect(fastTextHash(enc.encode('a'))).toBe(0xe40c292c);
    // é = C3 A9: a signed-char hash differs from the unsigned one.
    let unsigned = 2166136261;
    for (const b of enc.encode('é')) unsigned = Math.imul((unsigned ^ b) >>> 0, 16777619) >>> 0;
    expect(fastTextHash(enc.encode('é'))).not.toBe(unsigned);
    expect(ngramRows('pizza', { minn: 3, maxn: 6, bucket: 2_000_000 })).toHaveLength(5 + 4 + 3 + 2);
  });

  it('refuses minn > maxn, negative sizes and bucket 0 with n-grams', () => {
    expect(() => checkNgramSpec({ minn: 5, maxn: 3, bucket: 10 })).toThrow(/minn 5 must not exceed maxn 3/);
    expect(() => checkNgramSpec({ minn: 3, maxn: 6, bucket: 0 })).toThrow(InvalidArgumentError);
    expect(() => checkNgramSpec({ minn: -1, maxn: 6, bucket: 10 })).toThrow(/minn/);
    expect(() => checkNgramSpec({ minn: 0, maxn: 0, bucket: 0 })).not.toThrow();
  });
});

describe.runIf(hasFastText)("fastText .bin models from Facebook's fastText 0.9.2", () => {
  let dir: string;
  const vocabulary = ['pizza', 'pasta', 'cheese', 'king', 'queen', 'café', 'naïve', '日本', 'über', 'crème'];
  const unseen = ['pizzaiolo', 'pizzas', 'naïveté', '日本語', 'kingdom', 'zzzq', 'é'];

  /** `word v1 … vD` lines of `fasttext print-word-vectors`. */
  const printed = (model: string, words: string[]) => {
    const r = spawnSync('fasttext', ['print-word-vectors', model], {
      input: `${words.join('\n')}\n`,
      encoding: 'utf8',
    });
    expect(r.status).toBe(0);
    return r.stdout
      .trim()
      .split('\n')
      .map((line) => line.trim().split(' ').slice(1).map(Number));
  };
  const expectPrinted = (ours: Float32Array, theirs: number[]) => {
    expect(ours.length).toBe(theirs.length);
    for (const [d, v] of ours.entries()) {
      expect(Math.abs(v - theirs[d])).toBeLessThanOrEqual(6e-5 * Math.abs(theirs[d]) + 1e-7);
    }
  };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'wordvec-fasttext-'));
    const rand = createRandom(3);
    const words = [...vocabulary, ...Array.from({ length: 150 }, (_, i) => `w${i}`)];
    const lines = Array.from({ length: 1200 }, () =>
      Array.from({ length: 20 }, () => words[Math.floor(rand() * words.length)]).join(' '),
    );
    writeFileSync(join(dir, 'corpus.txt'), `${lines.join('\n')}\n`);
    for (const [name, args] of [
      ['sg', ['skipgram', '-minn', '2', '-maxn', '4']],
      ['cbow', ['cbow', '-minn', '3', '-maxn', '6']],
      ['nongram', ['skipgram', '-maxn', '0']],
    ] as const) {
      const r = spawnSync('fasttext', [
        ...args,
        '-input',
        join(dir, 'corpus.txt'),
        '-output',
        join(dir, name),
        '-dim',
        '8',
        '-epoch',
        '1',
        '-minCount',
        '2',
        '-bucket',
        '5000',
        '-thread',
        '1',
        '-verbose',
        '0',
      ]);
      expect(r.status).toBe(0);
    }
    writeFileSync(join(dir, 'labels.txt'), '__label__a good food\n__label__b bad food\n'.repeat(50));
    spawnSync('fasttext', [
      'supervised',
      '-input',
      join(dir, 'labels.txt'),
      '-output',
      join(dir, 'sup'),
      '-epoch',
      '1',
      '-verbose',
      '0',
    ]);
  }, 60_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('reads args and vocabulary, and gives every word the vector print-word-vectors gives (skip-gram, cbow)', () => {
    for (const name of ['sg', 'cbow']) {
      const path = join(dir, `${name}.bin`);
      const model = loadFastTextBin(path);
      expect(model.args).toMatchObject({ dim: 8, bucket: 5000, model: name === 'sg' ? 'skipgram' : 'cbow' });
      expect(model.vectors.has('pizza')).toBe(true);
      expect(model.vectors.words[0]).toBe('</s>');
      // The output matrix comes along: one trained row per vocabulary word.
      expect(model.output).toHaveLength(model.vectors.size * 8);
      expect(model.output!.some((v) => v !== 0)).toBe(true);
      const all = [...vocabulary, ...unseen];
      const theirs = printed(path, all);
      for (const [i, w] of all.entries()) expectPrinted(model.wordVector(w), theirs[i]);
      // The query layer's OOV pipeline answers unseen words with the same estimate, labelled as one.
      // A word whose every n-gram row is zero (fastText prints 0 … 0 for it) gets no estimate: a
      // zero vector has no direction, so the pipeline says so instead of answering with it.
      for (const w of unseen) {
        const theirs = model.wordVector(w);
        if (theirs.every((x) => x === 0)) {
          expect(() => model.vectors.resolve(w, { subword: true })).toThrow(/not in the vocabulary/);
          continue;
        }
        const { resolution, vector } = model.vectors.resolve(w, { subword: true });
        expect(resolution.how).toBe('subword');
        expect(Array.from(vector!)).toEqual(Array.from(theirs));
      }
      // The KeyedVectors rows are the same vocabulary vectors fastText writes to its .vec file.
      const vec = readFileSync(join(dir, `${name}.vec`), 'utf8')
        .trim()
        .split('\n')
        .slice(1);
      for (const line of vec.slice(0, 20)) {
        const [word, ...values] = line.trim().split(' ');
        expectPrinted(model.vectors.get(word), values.map(Number));
      }
    }
  });

  it('a model without n-grams (maxn 0) gives unseen words a zero vector, as fastText', () => {
    const path = join(dir, 'nongram.bin');
    const model = loadFastTextBin(path);
    expect(Array.from(model.wordVector('pizzaiolo'))).toEqual(new Array(8).fill(0));
    expectPrinted(model.wordVector('pizza'), printed(path, ['pizza'])[0]);
  });

  it('refuses a supervised model, a wrong magic or version, a truncated file, bad n-gram sizes: one message with the offset', () => {
    const good = readFileSync(join(dir, 'sg.bin'));
    const variant = (name: string, edit: (b: Buffer) => Buffer) => {
      const p = join(dir, name);
      writeFileSync(p, edit(Buffer.from(good)));
      return p;
    };
    const withInt32 = (b: Buffer, offset: number, value: number) => {
      b.writeInt32LE(value, offset);
      return b;
    };
    const error = (path: string) => {
      try {
        loadFastTextBin(path);
      } catch (e) {
        expect(e).toBeInstanceOf(FormatError);
        return (e as FormatError).message;
      }
      throw new Error(`${path} loaded`);
    };
    expect(error(join(dir, 'sup.bin'))).toMatch(/supervised \(classification\)/);
    expect(error(variant('magic.bin', (b) => withInt32(b, 0, 12345)))).toMatch(
      /byte 0: not a fastText model/,
    );
    expect(error(variant('version.bin', (b) => withInt32(b, 4, 99)))).toMatch(/byte 4: .*version 99/);
    expect(error(variant('short.bin', (b) => b.subarray(0, b.length - 100)))).toMatch(/truncated/);
    expect(error(variant('header.bin', (b) => b.subarray(0, 30)))).toMatch(/truncated/);
    // args: dim at 8, … minn at 8 + 36, maxn at 8 + 40.
    expect(error(variant('minmax.bin', (b) => withInt32(b, 8 + 36, 7)))).toMatch(/minn 7, maxn 4/);
    expect(error(variant('dim.bin', (b) => withInt32(b, 8, 1 << 30)))).toMatch(/dimension .* out of range/);
    expect(good.readInt32LE(0)).toBe(FASTTEXT_MAGIC);
  });
});
