import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { AbortedError, InvalidArgumentError } from '../src/errors.js';
import { corpusFromText, openCorpus } from '../src/text/corpus.js';
import { compareCodePoints, pruneCounts, Vocabulary } from '../src/text/vocabulary.js';

const text = ['b a c a b a', 'd a b c e', 'a b'];
// counts: a 5, b 4, c 2, d 1, e 1

describe('Vocabulary.fromCorpus', () => {
  it('orders by count descending, then by word, and keeps counts', async () => {
    const vocab = await Vocabulary.fromCorpus(corpusFromText(text), { minCount: 1 });
    expect(vocab.words).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect([...vocab.counts]).toEqual([5, 4, 2, 1, 1]);
    expect(vocab.size).toBe(5);
    expect(vocab.totalCount).toBe(13);
    expect(vocab.corpusTokens).toBe(13);
    expect(vocab.sentences).toBe(3);
    expect(vocab.index('c')).toBe(2);
    expect(vocab.index('zzz')).toBe(-1);
    expect(vocab.word(1)).toBe('b');
    expect(vocab.count('b')).toBe(4);
    expect(vocab.count('zzz')).toBe(0);
    expect(() => vocab.word(5)).toThrow(InvalidArgumentError);
  });

  it('drops words under minCount but remembers their counts', async () => {
    const vocab = await Vocabulary.fromCorpus(corpusFromText(text), { minCount: 3 });
    expect(vocab.words).toEqual(['a', 'b']);
    expect(vocab.minCount).toBe(3);
    expect(vocab.totalCount).toBe(9);
    expect(vocab.corpusTokens).toBe(13);
    expect(vocab.rareCount('c')).toBe(2);
    expect(vocab.rareCount('d')).toBe(1);
    expect(vocab.rareCount('a')).toBe(0); // in the vocabulary, not rare
    expect(vocab.rareCount('never-seen')).toBe(0);
    expect([...vocab.rareWords.keys()].sort()).toEqual(['c', 'd', 'e']);
  });

  it('defaults to minCount 5', async () => {
    const vocab = await Vocabulary.fromCorpus(corpusFromText(text));
    expect(vocab.words).toEqual(['a']);
  });

  it('prunes like word2vec when maxVocabSize is reached', async () => {
    // Trace (limit 3): {x:3, y:2, p:1}; q makes 4 → drop count ≤ 1 (p, q), threshold 2;
    // r, s make 4 → drop count ≤ 2 (y, r, s), threshold 3; then x:4 and y, z start again from 1.
    const lines = ['x x x y y', 'p q r s', 'x y z'];
    const vocab = await Vocabulary.fromCorpus(corpusFromText(lines), { minCount: 1, maxVocabSize: 3 });
    expect(vocab.words).toEqual(['x', 'y', 'z']);
    expect([...vocab.counts]).toEqual([4, 1, 1]); // y's earlier count was forgotten, as in word2vec
    expect(vocab.corpusTokens).toBe(12);
    expect(vocab.rareCount('p')).toBe(0); // pruned words are not remembered
  });

  it('stops when aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(Vocabulary.fromCorpus(corpusFromText(text), { signal: controller.signal })).rejects.toThrow(
      AbortedError,
    );
  });

  it('rejects bad options, naming the value', async () => {
    await expect(Vocabulary.fromCorpus(corpusFromText(text), { minCount: 0 })).rejects.toThrow(/minCount.*0/);
    expect(() => Vocabulary.fromCounts(new Map(), { maxVocabSize: 1.5 })).toThrow(/maxVocabSize.*1\.5/);
    expect(() => Vocabulary.fromCounts(new Map([['a', -1]]))).toThrow(/"a".*-1/);
  });
});

describe('pruneCounts', () => {
  it('drops counts at or under a threshold that rises until the table fits', () => {
    const counts = new Map([
      ['a', 1],
      ['b', 2],
      ['c', 3],
      ['d', 1],
      ['e', 5],
    ]);
    // Round 1 drops count ≤ 1 (a, d): 3 left, still > 2; round 2 drops count ≤ 2 (b).
    expect(pruneCounts(counts, 2, 1)).toBe(3);
    expect([...counts.keys()]).toEqual(['c', 'e']);
    // Already small enough: nothing changes, the threshold stays.
    expect(pruneCounts(counts, 5, 3)).toBe(3);
    expect(counts.size).toBe(2);
  });
});

describe('Vocabulary.fromCounts', () => {
  it('applies minCount and orders ties by code point', () => {
    const counts = new Map([
      ['b', 3],
      ['a', 3],
      ['\u{1F600}', 3], // astral: sorts after U+FFFD by code point, before it in UTF-16
      ['\uFFFD', 3],
      ['z', 7],
      ['rare', 1],
    ]);
    const vocab = Vocabulary.fromCounts(counts, { minCount: 2 });
    expect(vocab.words).toEqual(['z', 'a', 'b', '\uFFFD', '\u{1F600}']);
    expect(vocab.rareCount('rare')).toBe(1);
    expect(vocab.corpusTokens).toBe(20);
  });

  it('prunes with maxVocabSize the same way as while counting', () => {
    const counts = new Map([
      ['a', 10],
      ['b', 2],
      ['c', 1],
      ['d', 1],
    ]);
    const vocab = Vocabulary.fromCounts(counts, { minCount: 1, maxVocabSize: 2 });
    expect(vocab.words).toEqual(['a', 'b']);
    expect(counts.size).toBe(4); // the caller's map is not modified
  });
});

describe('compareCodePoints', () => {
  it('orders by code point, not UTF-16 code unit', () => {
    expect(compareCodePoints('a', 'b')).toBeLessThan(0);
    expect(compareCodePoints('ab', 'a')).toBeGreaterThan(0);
    expect(compareCodePoints('\u{10000}', '\uFFFF')).toBeGreaterThan(0);
    expect('\u{10000}' < '\uFFFF').toBe(true); // what plain < would say
    expect(compareCodePoints('same', 'same')).toBe(0);
  });
});

describe('new Vocabulary', () => {
  it('rebuilds a stored vocabulary and rejects inconsistent input', () => {
    const vocab = new Vocabulary({ words: ['the', 'cat'], counts: [10, 3] });
    expect(vocab.index('cat')).toBe(1);
    expect(vocab.totalCount).toBe(13);
    expect(() => new Vocabulary({ words: ['a'], counts: [1, 2] })).toThrow(/1 words but 2 counts/);
    expect(() => new Vocabulary({ words: ['a', 'a'], counts: [1, 2] })).toThrow(/"a" twice/);
  });
});

describe('memory', () => {
  // 12 lines of ~900 KB (mostly spaces, cheap to tokenize), each ending in a long word of its own.
  // Written by a function so the text is garbage before the baseline is taken.
  function writeBigFile(file: string): void {
    const filler = ' '.repeat(900_000);
    const lines = Array.from({ length: 12 }, (_, i) => `${filler}uncharacteristically${i}`);
    writeFileSync(file, `${lines.join('\n')}\n`);
  }

  it('does not keep the corpus text alive through the words it keeps', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const dir = mkdtempSync(join(tmpdir(), 'wordvec-vocab-'));
    try {
      const file = join(dir, 'big.txt');
      writeBigFile(file);
      gc();
      const before = process.memoryUsage().heapUsed;
      const vocab = await Vocabulary.fromCorpus(openCorpus(file), { minCount: 1 });
      gc();
      const held = process.memoryUsage().heapUsed - before;
      expect(vocab.size).toBe(12);
      // Words that slice into the text would keep its 1 MB chunks: about 20 MB here (measured). The
      // words themselves are a few hundred bytes.
      expect(held).toBeLessThan(8e6);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
