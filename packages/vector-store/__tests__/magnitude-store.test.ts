/**
 * A Magnitude n-gram index in the store: persisted beside a word-only model, read back on the first
 * OOV estimate after reopening, answering exactly what KeyedVectors answers with the same estimator,
 * versioned in the model's metadata, checked (a damaged index is a StoreError), removed with the
 * model; learned tables stored before keep working beside it.
 */
import { join } from 'node:path';
import { createRandom, fitSubwordTable, KeyedVectors, MagnitudeEstimator } from '@wordvec/embeddings';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAGNITUDE_LAYOUT_VERSION, StoreError, VectorStore } from '../src/index.js';
import { Spellings } from '../src/model/spellings.js';
import { readPieces } from '../src/sqlite/chunks.js';
import { tempDir } from './fixtures.js';

const words = [
  'pizza',
  'pasta',
  'cheese',
  'king',
  'kingdom',
  'queen',
  'breakfast',
  'café',
  'naïve',
  '日本',
  ...Array.from({ length: 60 }, (_, i) => `word${i}`),
];
const dim = 16;
const unseen = ['pizzza', 'brekfast', 'kingdoms', 'naïveté', '日本語', 'word7x', 'qeen'];

function wordModel(): KeyedVectors {
  const rand = createRandom(21);
  const vectors = Float32Array.from({ length: words.length * dim }, () => rand() * 2 - 1);
  return new KeyedVectors({ words, vectors, dim, counts: words.map((_, i) => 900 - i) });
}

function magnitudeOf(kv: KeyedVectors): MagnitudeEstimator {
  return new MagnitudeEstimator({ words: kv.words, dim: kv.dim, unit: kv.unitVectors() });
}

function storeError(fn: () => unknown): StoreError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(StoreError);
    return e as StoreError;
  }
  throw new Error('expected a StoreError');
}

describe('Magnitude index in the store', () => {
  let cleanup: () => void;
  let path: string;

  beforeEach(() => {
    let dir: string;
    ({ dir, cleanup } = tempDir());
    path = join(dir, 'store.db');
  });
  afterEach(() => cleanup());

  it('after reopening, a stored model estimates OOV words exactly as KeyedVectors with the same estimator', () => {
    const kv = wordModel();
    const magnitude = magnitudeOf(kv);
    let store = VectorStore.open(path);
    store.putModel('m', kv, { subwords: { magnitude, source: 'magnitude', builder: 'test' } });
    store.close();
    store = VectorStore.open(path, { readonly: true });
    const model = store.model('m');
    expect(model.info.subword).toMatchObject({
      version: MAGNITUDE_LAYOUT_VERSION,
      source: 'magnitude',
      minn: 3,
      maxn: 6,
      bucket: 0,
      dim,
      builder: 'test',
      bytes: magnitude.indexBytes,
      magnitude: { words: words.length, neighbours: 3, randomWeight: 0.3 },
    });
    expect(model.subwords()).toBeUndefined(); // no table: the index answers
    expect(model.hasSubwordModel()).toBe(true);
    for (const w of unseen) {
      const fromStore = model.resolve(w, { subword: true });
      const fromLibrary = kv.resolve(w, { subword: true, estimator: magnitude });
      expect(fromStore.resolution).toEqual(fromLibrary.resolution);
      expect(fromStore.resolution.how).toBe('subword');
      expect(Array.from(fromStore.vector!)).toEqual(Array.from(fromLibrary.vector!));
    }
    // The matrix was never loaded: words and unit rows are looked up by row.
    expect(model.isLoaded).toBe(false);
    // Loaded, the same answers (unit rows from memory).
    model.loadSync();
    const again = model.resolve('pizzza', { subword: true });
    expect(Array.from(again.vector!)).toEqual(
      Array.from(kv.resolve('pizzza', { subword: true, estimator: magnitude }).vector!),
    );
    expect(again.resolution.similarWords?.[0]).toBe('pizza');
    store.close();
  });

  it('holds the spellings of the first rows in memory, in row order (what estimates name)', () => {
    const store = VectorStore.open(path);
    store.putModel(
      'other',
      new KeyedVectors({ words: ['zz', 'yy'], vectors: new Float32Array(2 * dim).fill(1), dim }),
    );
    store.putModel('m', wordModel());
    store.close();
    const db = new Database(path, { readonly: true });
    const id = db.prepare("SELECT id FROM models WHERE name = 'm'").pluck().get() as number;
    const all = Spellings.read(db, id, 1_000);
    expect(all.size).toBe(words.length);
    const rows = [9, 0, 7, 8, 69, 3, 3];
    expect(all.wordsAt(rows)).toEqual(rows.map((r) => words[r]));
    const first = Spellings.read(db, id, 10);
    expect(first.size).toBe(10);
    expect(first.wordsAt([8, 9, 0])).toEqual(['naïve', '日本', 'pizza']);
    // The same from the stored vocabulary (UTF-8, newline-joined), which a loaded model reads.
    const vocab = readPieces(db, id, 'vocab');
    const fromVocab = Spellings.fromVocab(vocab, words.length) as Spellings;
    expect(fromVocab.size).toBe(words.length);
    expect(fromVocab.wordsAt(rows)).toEqual(rows.map((r) => words[r]));
    expect(fromVocab.wordsAt([8, 9, 0, words.length - 1])).toEqual(['naïve', '日本', 'pizza', words.at(-1)]);
    // A vocabulary of another length is not taken (the words table answers instead).
    expect(Spellings.fromVocab(vocab, words.length - 1)).toBeUndefined();
    expect(Spellings.fromVocab(vocab, words.length + 1)).toBeUndefined();
    expect(Spellings.fromVocab(undefined, words.length)).toBeUndefined();
    db.close();
  });

  it('a loaded model names its answers from memory, the same words as from SQLite, and after a replacement the new ones', async () => {
    const store = VectorStore.open(path);
    store.putModel('m', wordModel());
    const reader = VectorStore.open(path, { readonly: true });
    const m = reader.model('m');
    const query = { positive: [words[3]], topn: 8 };
    const fromSql = m.mostSimilar(query);
    await m.load();
    expect(m.mostSimilar(query)).toEqual(fromSql);
    expect(m.mostSimilar({ positive: ['日本'], topn: 5 })).toEqual(
      (() => {
        m.unload();
        return m.mostSimilar({ positive: ['日本'], topn: 5 });
      })(),
    );
    // Another writer replaces the model with other words: the loaded spellings must not name the new rows.
    await m.load();
    const renamed = new KeyedVectors({
      words: words.map((w) => `${w}-2`),
      vectors: wordModel().vectors,
      dim,
    });
    store.putModel('m', renamed, {}, { replace: true });
    expect(m.mostSimilar({ positive: [`${words[3]}-2`], topn: 8 }).map((r) => r.word)).toEqual(
      fromSql.map((r) => `${r.word}-2`),
    );
    reader.close();
    store.close();
  });

  it('is removed with the model and replaced by putSubwords; a learned table stored before still answers', () => {
    const kv = wordModel();
    const store = VectorStore.open(path);
    const table = fitSubwordTable(
      { words: kv.words, dim, unit: kv.unitVectors() },
      { bucket: 4096, epochs: 2 },
    );
    store.putModel('old', kv, { subwords: { table, source: 'learned' } });
    store.putModel('m', kv, { subwords: { magnitude: magnitudeOf(kv), source: 'magnitude' } });
    const db = new Database(path, { readonly: true });
    const chunks = (kind: string) =>
      db.prepare('SELECT count(*) FROM chunks WHERE kind = ?').pluck().get(kind) as number;
    expect(chunks('mag-postings')).toBe(1);
    expect(store.model('old').resolve('pizzza', { subword: true }).vector).toEqual(table.estimate('pizzza'));
    // Replaced by a learned table: the index's pieces go.
    store.putSubwords('m', { table, source: 'learned' });
    expect(chunks('mag-postings')).toBe(0);
    expect(store.model('m').subwordInfo()?.source).toBe('learned');
    store.putSubwords('m', { magnitude: magnitudeOf(kv), source: 'magnitude' });
    expect(chunks('mag-hashes')).toBe(1);
    store.deleteModel('m');
    for (const kind of ['mag-hashes', 'mag-offsets', 'mag-postings', 'mag-grams'])
      expect(chunks(kind)).toBe(0);
    expect(db.prepare('SELECT count(*) FROM subword_tables').pluck().get()).toBe(1); // 'old' keeps its table
    db.close();
    store.close();
  });

  it('refuses an index of another vocabulary; a damaged index is a StoreError, never a wrong vector', () => {
    const kv = wordModel();
    const store = VectorStore.open(path);
    store.putModel('m', kv);
    const other = new MagnitudeEstimator({ words: ['a', 'b'], dim, unit: new Float32Array(2 * dim) });
    expect(
      storeError(() => store.putSubwords('m', { magnitude: other, source: 'magnitude' })).message,
    ).toMatch(/covers 2 words, the model has 70/);
    store.putSubwords('m', { magnitude: magnitudeOf(kv), source: 'magnitude' });
    store.close();
    const raw = new Database(path);
    const data = raw.prepare("SELECT data FROM chunks WHERE kind = 'mag-postings'").pluck().get() as Buffer;
    const flipped = Buffer.from(data);
    flipped[5] ^= 0x01;
    raw.prepare("UPDATE chunks SET data = ? WHERE kind = 'mag-postings'").run(flipped);
    let ro = VectorStore.open(path, { readonly: true });
    expect(storeError(() => ro.model('m').resolve('pizzza', { subword: true })).message).toMatch(
      /Magnitude index of model \d+ is damaged: mag-postings does not match its checksum/,
    );
    ro.close();
    raw.prepare('UPDATE subword_tables SET version = 99').run();
    raw.close();
    ro = VectorStore.open(path, { readonly: true });
    expect(storeError(() => ro.model('m').subwordInfo()).code).toBe('NEWER_SCHEMA');
    ro.close();
  });
});
