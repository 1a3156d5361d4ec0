/**
 * A loaded model's spellings: rows to words for answers, and words to rows for query words (a hash
 * table over the same text), agreeing with the words table both ways.
 */
import { join } from 'node:path';
import { createRandom, KeyedVectors, OovError } from '@wordvec/embeddings';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VectorStore } from '../src/index.js';
import { Spellings } from '../src/model/spellings.js';
import { tempDir } from './fixtures.js';

/** Words that are prefixes, extensions and look-alikes of each other, in several scripts. */
const tricky = ['a', 'ab', 'abc', 'b', 'é', 'e\u0301', '日本', '日本語', '🙂', 'x y', 'A', 'a-b'];

function vocab(words: readonly string[]): Uint8Array {
  return new Uint8Array(Buffer.from(words.join('\n'), 'utf8'));
}

describe('Spellings.rowOf', () => {
  it('finds every word at its row and nothing else, whatever the hash collisions', () => {
    const rand = createRandom(4);
    const many = new Set(tricky);
    while (many.size < 5000) many.add(Math.floor(rand() * 1e6).toString(36));
    const words = [...many];
    const s = Spellings.fromVocab(vocab(words), words.length);
    if (!s) throw new Error('the vocabulary did not parse');
    for (const [i, w] of words.entries()) expect(s.rowOf(w)).toBe(i);
    for (const w of ['', 'abcd', 'c', 'e', '日', '日本語語', 'x', 'y', 'a ', ' a', 'a-', 'zzzzzzzzzz'])
      expect(s.rowOf(w)).toBe(-1);
    // Answers name rows from the same text.
    expect(s.wordsAt([0, words.length - 1])).toEqual([words[0], words.at(-1)]);
  });

  it('finds the one word of a one-word model and none of its prefixes', () => {
    // Two slots: 'wo' and 'wor' hash to the slot 'word' is in, where only the length tells them apart.
    const s = Spellings.fromVocab(vocab(['word']), 1);
    expect(s?.rowOf('word')).toBe(0);
    for (const w of ['w', 'wo', 'wor', 'words']) expect(s?.rowOf(w)).toBe(-1);
  });
});

describe('a loaded model looks its query words up in memory', () => {
  let dir: string;
  let cleanup: () => void;
  const dim = 8;
  const words = [...tricky, ...Array.from({ length: 200 }, (_, i) => `w${i}`)];
  beforeAll(() => {
    ({ dir, cleanup } = tempDir());
    const rand = createRandom(9);
    const vectors = Float32Array.from({ length: words.length * dim }, () => rand() - 0.5);
    const store = VectorStore.open(join(dir, 's.db'));
    store.putModel('m', new KeyedVectors({ words, vectors, dim }));
    store.close();
  });
  afterAll(() => cleanup());

  it('gives the same answers as the words table, before its table is built and after', () => {
    const store = VectorStore.open(join(dir, 's.db'), { readonly: true });
    const model = store.model('m');
    const pairs = words.map((w, i) => [w, words[(i * 7 + 3) % words.length]] as const);
    // Not loaded: similarity reads rows from SQLite and finds words through the words table.
    const before = pairs.map(([x, y]) => model.similarity(x, y));
    model.loadSync();
    // Loaded: the first 1,000 query words are still found in SQLite, the rest by the spellings' table.
    for (let round = 0; round < 4; round++)
      expect(pairs.map(([x, y]) => model.similarity(x, y))).toEqual(before);
    for (const w of tricky) {
      const answer = model.mostSimilar({ positive: [w], topn: 3, exact: true });
      expect(answer.map((a) => a.word)).not.toContain(w);
      expect(answer).toHaveLength(3);
    }
    expect(() => model.mostSimilar({ positive: ['abcd'] })).toThrow(OovError);
    expect(() => model.similarity('e', 'a')).toThrow(OovError);
    store.close();
  });
});
