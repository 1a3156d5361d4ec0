import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidArgumentError, KeyedVectors } from '@wordvec/embeddings';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StoreError, VectorStore } from '../src/index.js';
import { APPLICATION_ID, SCHEMA_VERSION } from '../src/sqlite/schema.js';
import { clusteredVectors, gloveText, tempDir } from './fixtures.js';

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

function storeError(fn: () => unknown): StoreError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(StoreError);
    return e as StoreError;
  }
  throw new Error('expected a StoreError');
}

const vocabWords = ['the', 'receive', 'relieve', 'London', 'long', 'longer', 'king', 'queen', 'man', 'woman'];

function smallModel() {
  const dim = 8;
  const base = clusteredVectors(vocabWords.length, dim, 3, 3);
  return new KeyedVectors({
    words: vocabWords,
    vectors: base.vectors,
    dim,
    counts: [100, 50, 40, 30, 20, 10, 9, 8, 7, 6],
  });
}

let dir: string;
let cleanup: () => void;
let path: string;
beforeEach(() => {
  ({ dir, cleanup } = tempDir());
  path = join(dir, 'store.db');
});
afterEach(() => cleanup());

describe('VectorStore', () => {
  it('stores a model and answers look-ups from SQLite before loading the matrix', () => {
    const kv = smallModel();
    const store = VectorStore.open(path);
    const info = store.putModel('small', kv, {
      algorithm: 'cbow',
      hyperParameters: { window: 5, minCount: 5 },
      corpus: { name: 'test', tokens: 1234, checksum: 'abc' },
      rareWords: new Map([['recieve', 3]]),
    });
    expect(info).toMatchObject({
      name: 'small',
      dim: 8,
      vocabSize: 10,
      algorithm: 'cbow',
      status: 'ready',
      isDefault: true,
      minCount: 5,
    });
    expect(info.corpus).toEqual({ name: 'test', tokens: 1234, checksum: 'abc' });
    const model = store.model('small');
    expect(model.isLoaded).toBe(false);
    expect(model.has('king')).toBe(true);
    expect(model.has('King')).toBe(false);
    const got = model.get('queen');
    const want = kv.get('queen');
    for (let d = 0; d < 8; d++) expect(got[d]).toBeCloseTo(want[d], 5);
    expect(model.count('receive')).toBe(50);
    expect(model.count('recieve')).toBe(3);
    expect(model.rareCount('recieve')).toBe(3);
    expect(model.count('zzz')).toBe(0);
    expect(model.rank('the')).toBe(1);
    expect(model.rank('woman')).toBe(10);
    expect(model.complete('LON', 5)).toEqual(['London', 'long', 'longer']);
    expect(model.complete('lo', 2)).toEqual(['London', 'long']);
    expect(model.suggest('recieve', 5)).toEqual(['receive', 'relieve']);
    expect(model.suggest('londn', 5)).toEqual(['London', 'long']);
    expect(model.suggest('london', 5)).toEqual(['London']);
    expect(() => model.get('nope')).toThrow(/"nope" is not in the vocabulary/);
    expect(model.isLoaded).toBe(false);
    expect(store.defaultModel()?.name).toBe('small');
    store.close();
  });

  it('ranks by count when rows are not in frequency order', () => {
    const store = VectorStore.open(path);
    const words = ['apple', 'apply', 'ample', 'maple'];
    store.putModel('f', { words, vectors: new Float32Array(8).fill(1), dim: 2, counts: [1, 100, 50, 75] });
    const model = store.model('f');
    expect(words.map((w) => model.rank(w))).toEqual([4, 1, 3, 2]);
    expect(model.complete('ap', 5)).toEqual(['apply', 'apple']);
    expect(model.suggest('appel', 5)).toEqual(['apply', 'ample', 'apple']);
    store.close();
  });

  it("one query layer: the store gives KeyedVectors' answers to the last bit (the drift it used to have)", () => {
    const { words, vectors, dim, counts } = clusteredVectors(300, 16);
    const kv = new KeyedVectors({ words, vectors, dim, counts });
    const store = VectorStore.open(path);
    store.putModel('m', kv);
    const model = store.model('m');
    // Sums in float64 in both (the store summed in float32): identical scores, not merely close.
    const q = { positive: ['w1', 'w2', 'w8'], negative: ['w3', 'w4'], topn: 8 };
    expect(model.mostSimilar(q)).toEqual(kv.mostSimilar(q));
    // n_similarity means raw vectors; the store keeps unit rows × norms, equal to ~1 ulp of float32.
    expect(model.nSimilarity(['w1', 'w2', 'w5'], ['w3'])).toBeCloseTo(
      kv.nSimilarity(['w1', 'w2', 'w5'], ['w3']),
      6,
    );
    // gensim's restrict_vocab=0 is falsy: every row (the store answered [] and KeyedVectors threw).
    expect(model.mostSimilar({ positive: ['w9'], restrictVocab: 0 })).toEqual(
      kv.mostSimilar({ positive: ['w9'] }),
    );
    // A NaN query vector is refused by both (the store used to scan with it).
    const nan = new Float32Array(dim).fill(Number.NaN);
    expect(() => model.mostSimilar({ positive: [nan] })).toThrow(/non-finite/);
    expect(() => model.similarByVector(nan)).toThrow(InvalidArgumentError);
    // Bad arguments are the embeddings layer's InvalidArgumentError, as from KeyedVectors.
    expect(() => model.mostSimilar({ positive: 42 as never })).toThrow(InvalidArgumentError);
    expect(() => model.mostSimilar({ positive: ['w1'], topn: -1 })).toThrow(/topn.*-1/);
    store.close();
  });

  it('resolves OOV words through the same pipeline as KeyedVectors (forms from SQLite, mean from the matrix)', () => {
    const { words, vectors, dim, counts } = clusteredVectors(200, 8);
    const kv = new KeyedVectors({ words, vectors, dim, counts });
    const store = VectorStore.open(path);
    store.putModel('oov', kv);
    const model = store.model('oov');
    expect(model.resolve('W12', { forms: true })).toEqual(kv.resolve('W12', { forms: true }));
    expect(model.isLoaded).toBe(false);
    expect(() => model.resolve('W12')).toThrow(/"W12" is not in the vocabulary/);
    const mean = model.resolve('nothing', { unk: 'mean' });
    expect(mean.resolution).toEqual({ word: 'nothing', how: 'unk', unk: 'mean' });
    const want = kv.resolve('nothing', { unk: 'mean' }).vector!;
    for (const [d, v] of mean.vector!.entries()) expect(v).toBeCloseTo(want[d], 6);
    store.close();
  });

  it('gensim doesnt_match ties go to the smallest word in the store too (it used to take the first given)', () => {
    const words = ['zeta', 'alpha', 'm1', 'm2', 'm3'];
    const vectors = new Float32Array([1, 0, 1, 0, 0, 1, 0, 1, 0, 1]);
    const store = VectorStore.open(path);
    store.putModel('ties', new KeyedVectors({ words, vectors, dim: 2 }));
    const model = store.model('ties');
    expect(model.doesntMatch(['zeta', 'alpha', 'm1', 'm2', 'm3'])).toBe('alpha');
    expect(model.isLoaded).toBe(false); // answered from single rows read from SQLite
    model.loadSync();
    expect(model.doesntMatch(['m1', 'zeta', 'm2', 'alpha', 'm3'])).toBe('alpha');
    store.close();
  });

  it('answers similarity queries exactly like KeyedVectors once loaded', () => {
    const { words, vectors, dim, counts } = clusteredVectors(300, 16);
    const kv = new KeyedVectors({ words, vectors, dim, counts });
    const store = VectorStore.open(path);
    store.putModel('m', kv);
    const model = store.model('m');
    const got = model.mostSimilar({ positive: ['w1', 'w2'], negative: ['w3'], topn: 5 });
    expect(model.isLoaded).toBe(true);
    const want = kv.mostSimilar({ positive: ['w1', 'w2'], negative: ['w3'], topn: 5 });
    expect(got.map((s) => s.word)).toEqual(want.map((s) => s.word));
    for (let i = 0; i < 5; i++) expect(got[i].score).toBeCloseTo(want[i].score, 5);
    expect(model.similarity('w1', 'w7')).toBeCloseTo(kv.similarity('w1', 'w7'), 5);
    expect(model.doesntMatch(['w1', 'w2', 'w3', 'w4'])).toBe(kv.doesntMatch(['w1', 'w2', 'w3', 'w4']));
    expect(model.analogy('w1', 'w2', 'w3', { topn: 3 }).map((s) => s.word)).toEqual(
      kv.analogy('w1', 'w2', 'w3', { topn: 3 }).map((s) => s.word),
    );
    const vec = Float32Array.from(vectors.subarray(40 * dim, 41 * dim), (x) => x * 3);
    const names = (xs: { word: string }[]) => xs.map((x) => x.word);
    expect(names(model.mostSimilar({ positive: [vec, 'w2'], topn: 5 }))).toEqual(
      names(kv.mostSimilar({ positive: [vec, 'w2'], topn: 5 })),
    );
    expect(names(model.similarByVector(vec, { topn: 4 }))).toEqual(
      names(kv.similarByVector(vec, { topn: 4 })),
    );
    expect(names(model.mostSimilar({ positive: ['w9'], topn: 5, restrictVocab: 50 }))).toEqual(
      names(kv.mostSimilar({ positive: ['w9'], topn: 5, restrictVocab: 50 })),
    );
    expect(model.doesntMatch(['w1', 'w2', 'w3', 'w4', 'w5', 'w6'])).toBe(
      kv.doesntMatch(['w1', 'w2', 'w3', 'w4', 'w5', 'w6']),
    );
    expect(model.nSimilarity(['w1', 'w2'], ['w3'])).toBeCloseTo(kv.nSimilarity(['w1', 'w2'], ['w3']), 5);
    expect(model.rank('w1', 'w2')).toBe(kv.rank('w1', 'w2'));
    expect(model.closerThan('w1', 'w2').sort()).toEqual(kv.closerThan('w1', 'w2').sort());
    expect(() => model.mostSimilar({ positive: ['w1', 'nope'] })).toThrow(/"nope" is not in the vocabulary/);
    expect(model.mostSimilarCosmul({ positive: ['w5'], topn: 3 }).map((s) => s.word)).toEqual(
      kv.mostSimilarCosmul({ positive: ['w5'], topn: 3 }).map((s) => s.word),
    );
    store.close();
  });

  it('names the unknown model and lists those that exist', () => {
    const store = VectorStore.open(path);
    expect(storeError(() => store.model('x')).message).toMatch(
      /no model named "x" .*the store has no models/,
    );
    store.putModel('b', smallModel());
    store.putModel('a', smallModel());
    const e = storeError(() => store.model('glove'));
    expect(e.code).toBe('UNKNOWN_MODEL');
    expect(e.message).toMatch(/no model named "glove" in .*; models: "a", "b"/);
    store.close();
  });

  it('refuses a name clash unless replace, and replaces keeping the default flag', () => {
    const store = VectorStore.open(path);
    store.putModel('m', smallModel());
    expect(storeError(() => store.putModel('m', smallModel())).code).toBe('MODEL_EXISTS');
    const other = clusteredVectors(50, 4);
    const info = store.putModel('m', other, {}, { replace: true });
    expect(info).toMatchObject({ vocabSize: 50, dim: 4, isDefault: true });
    expect(store.models().map((m) => m.name)).toEqual(['m']);
    expect(store.model('m').has('w49')).toBe(true);
    store.close();
  });

  it('deletes, renames, sets the default and evaluation scores', () => {
    const store = VectorStore.open(path);
    store.putModel('a', smallModel());
    store.putModel('b', smallModel());
    expect(store.defaultModel()?.name).toBe('a');
    store.setDefault('b');
    expect(store.models().map((m) => [m.name, m.isDefault])).toEqual([
      ['a', false],
      ['b', true],
    ]);
    store.setEvaluation('b', { analogies: 0.5 });
    store.setEvaluation('b', { wordsim: 0.6 });
    expect(store.model('b').info.evaluation).toEqual({ analogies: 0.5, wordsim: 0.6 });
    store.renameModel('a', 'c');
    expect(storeError(() => store.renameModel('c', 'b')).code).toBe('MODEL_EXISTS');
    expect(store.models().map((m) => m.name)).toEqual(['b', 'c']);
    store.deleteModel('b');
    expect(store.defaultModel()).toBeUndefined();
    expect(storeError(() => store.deleteModel('b')).code).toBe('UNKNOWN_MODEL');
    const db = new Database(path, { readonly: true });
    expect(db.prepare('SELECT count(*) FROM words').pluck().get()).toBe(10);
    db.close();
    store.close();
  });

  it('rejects bad input with messages naming the value', () => {
    const store = VectorStore.open(path);
    expect(storeError(() => store.putModel(' x', smallModel())).message).toMatch(/" x"/);
    const bad = { words: ['a', 'a\nb'], vectors: new Float32Array(4), dim: 2 };
    expect(storeError(() => store.putModel('bad', bad)).message).toMatch(/"a\\nb"/);
    expect(store.models()).toEqual([]);
    store.close();
  });

  it('opens read-only without writing a byte, and refuses writes', () => {
    const store = VectorStore.open(path);
    store.putModel('m', smallModel());
    store.close();
    const before = sha(path);
    const ro = VectorStore.open(path, { readonly: true });
    expect(ro.model('m').mostSimilar({ positive: ['king'], topn: 2 })).toHaveLength(2);
    expect(storeError(() => ro.setDefault('m')).code).toBe('READONLY');
    ro.close();
    expect(sha(path)).toBe(before);
    expect(storeError(() => VectorStore.open(join(dir, 'missing.db'), { readonly: true })).code).toBe(
      'NOT_FOUND',
    );
  });

  it('versions the schema and marks the file as a wordvec store', () => {
    VectorStore.open(path).close();
    const db = new Database(path, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('reads an older schema read-only as it is, and upgrades it on a writable open', () => {
    const store = VectorStore.open(path);
    store.putModel('m', smallModel());
    store.close();
    const raw = new Database(path);
    raw.pragma('user_version = 1');
    raw.close();
    const before = sha(path);
    const ro = VectorStore.open(path, { readonly: true });
    expect(ro.model('m').suggest('quen', 2)).toEqual(['queen']);
    ro.close();
    expect(sha(path)).toBe(before);
    VectorStore.open(path).close();
    const db = new Database(path, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    db.close();
  });

  it('refuses foreign and newer files without changing them', () => {
    const text = join(dir, 'notes.txt');
    writeFileSync(text, 'hello, this is not a database\n'.repeat(200));
    const other = join(dir, 'other.db');
    const o = new Database(other);
    o.exec('CREATE TABLE t (x)');
    o.close();
    const newer = join(dir, 'newer.db');
    VectorStore.open(newer).close();
    const n = new Database(newer);
    n.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    n.close();
    for (const [file, code, pattern] of [
      [text, 'NOT_A_STORE', /not a wordvec store \(not an SQLite database\)/],
      [other, 'NOT_A_STORE', /SQLite database but not a wordvec store/],
      [newer, 'NEWER_SCHEMA', /newer than this wordvec understands/],
    ] as const) {
      const before = sha(file);
      for (const readonly of [false, true]) {
        const e = storeError(() => VectorStore.open(file, { readonly }));
        expect(e.code).toBe(code);
        expect(e.message).toMatch(pattern);
      }
      expect(sha(file)).toBe(before);
    }
  });

  it('removes leftovers of an interrupted import on the next writable open only', () => {
    const store = VectorStore.open(path);
    store.putModel('keep', smallModel());
    store.close();
    const db = new Database(path);
    db.prepare(
      `INSERT INTO models (id, name, status, dim, vocab_size, algorithm, hyper_parameters, created_at, block_rows, has_counts)
       VALUES (99, 'half', 'importing', 2, 0, 'x', '{}', '2026-01-01', 10, 0)`,
    ).run();
    db.prepare(
      "INSERT INTO words (model_id, idx, word, folded, length, rank, norm) VALUES (99, 0, 'a', 'a', 1, 1, 1)",
    ).run();
    db.close();
    const ro = VectorStore.open(path, { readonly: true });
    expect(ro.models().map((m) => m.name)).toEqual(['keep']);
    ro.close();
    const rows = () => {
      const d = new Database(path, { readonly: true });
      const r = d.prepare('SELECT count(*) FROM words WHERE model_id = 99').pluck().get();
      d.close();
      return r;
    };
    expect(rows()).toBe(1);
    VectorStore.open(path).close();
    expect(rows()).toBe(0);
  });

  it('imports a GloVe text file by streaming, with limit, and writes nothing on abort or a bad file', async () => {
    const { words, vectors, dim } = clusteredVectors(120, 6);
    const file = join(dir, 'vectors.txt');
    writeFileSync(file, gloveText(words, vectors, dim));
    const store = VectorStore.open(path);
    const progress: number[] = [];
    const info = await store.importFile(file, { name: 'g', onProgress: (p) => progress.push(p.done) });
    expect(info).toMatchObject({
      name: 'g',
      dim: 6,
      vocabSize: 120,
      algorithm: 'imported',
      hasCounts: false,
    });
    expect(progress.at(-1)).toBe(120);
    const model = store.model('g');
    expect(model.rank('w5')).toBe(6);
    expect(model.get('w7')[2]).toBeCloseTo(vectors[7 * dim + 2], 5);
    expect((await store.importFile(file, { name: 'g10', limit: 10 })).vocabSize).toBe(10);
    const ac = new AbortController();
    ac.abort();
    await expect(store.importFile(file, { name: 'aborted', signal: ac.signal })).rejects.toMatchObject({
      code: 'ABORTED',
    });
    const bad = join(dir, 'bad.txt');
    writeFileSync(bad, `${gloveText(words.slice(0, 5), vectors, dim)}oops 1 2\n`);
    await expect(store.importFile(bad, { name: 'bad' })).rejects.toThrow(/bad\.txt/);
    expect(store.models().map((m) => m.name)).toEqual(['g', 'g10']);
    store.close();
  });
});
