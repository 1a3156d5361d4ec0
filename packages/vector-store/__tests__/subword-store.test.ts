/**
 * Subword tables in the store: a model's n-gram rows persisted next to it, read lazily (one OOV
 * word reads the few pieces holding its rows), answering exactly what the same table in memory
 * answers, versioned, removed with the model, checked (a damaged table is a StoreError), and a
 * fastText `.bin` imported whole (vectors, buckets, word rows, output) and exported as the same file.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  createRandom,
  fastTextModelFromVectors,
  fitSubwordTable,
  KeyedVectors,
  loadFastTextBin,
  SubwordTable,
  saveFastTextBin,
} from '@wordvec/embeddings';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StoreError, VectorStore } from '../src/index.js';
import { SUBWORD_LAYOUT_VERSION, subwordRowsPerPiece } from '../src/model/subword-store.js';
import { tempDir } from './fixtures.js';

const hasFastText = spawnSync('fasttext', [], { stdio: 'ignore' }).error === undefined;
if (!hasFastText)
  console.warn('subword-store: fastText not installed (apt-get install -y fasttext); skipping its part');

const words = [
  'pizza',
  'pasta',
  'cheese',
  'king',
  'queen',
  'café',
  'naïve',
  '日本',
  ...Array.from({ length: 40 }, (_, i) => `word${i}`),
];
const dim = 8;
const unseen = ['pizzaiolo', 'pizzas', 'naïveté', '日本語', 'kingdom', 'zzzq', 'x'];

function wordModel() {
  const rand = createRandom(13);
  const vectors = Float32Array.from({ length: words.length * dim }, () => rand() * 2 - 1);
  return new KeyedVectors({ words, vectors, dim, counts: words.map((_, i) => 500 - i) });
}

/** A random table of `bucket` rows (a fastText-like table: every row non-zero). */
function randomTable(bucket: number, seed = 3): SubwordTable {
  const rand = createRandom(seed);
  return new SubwordTable(
    { minn: 3, maxn: 6, bucket },
    dim,
    Float32Array.from({ length: bucket * dim }, () => rand() - 0.5),
  );
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

describe('subword tables in the store', () => {
  let dir: string;
  let cleanup: () => void;
  let path: string;

  beforeEach(() => {
    ({ dir, cleanup } = tempDir());
    path = join(dir, 'store.db');
  });
  afterEach(() => cleanup());

  it('persists a table with the model, survives reopening, answers OOV words as the table in memory does', () => {
    const kv = wordModel();
    const table = randomTable(5000);
    let store = VectorStore.open(path);
    store.putModel('m', kv, { subwords: { table, source: 'learned', builder: 'test' } });
    store.close();
    store = VectorStore.open(path, { readonly: true });
    const model = store.model('m');
    expect(model.info.subword).toMatchObject({
      version: SUBWORD_LAYOUT_VERSION,
      source: 'learned',
      minn: 3,
      maxn: 6,
      bucket: 5000,
      dim,
      precision: 'float32',
      builder: 'test',
    });
    expect(store.models()[0].subword?.bucket).toBe(5000);
    for (const w of unseen) {
      const got = model.resolve(w, { subword: true });
      expect(got.resolution.how).toBe('subword');
      expect(got.resolution.pieces).toEqual(table.explain(w)!.pieces);
      // Bit for bit the in-memory estimate: the pipeline does not care where the table lives.
      expect(Array.from(got.vector!)).toEqual(Array.from(table.estimate(w)!));
    }
    // Vocabulary words are still exact look-ups.
    expect(model.resolve('pizza', { subword: true }).resolution.how).toBe('exact');
    // The whole table reads back as it was.
    expect(Buffer.from(model.subwords()!.readAll().rows.buffer).equals(Buffer.from(table.rows.buffer))).toBe(
      true,
    );
    store.close();
  });

  it('reads lazily: one OOV word reads only the pieces holding its n-grams', () => {
    const table = randomTable(200_000);
    const store = VectorStore.open(path);
    store.putModel('m', wordModel(), { subwords: { table, source: 'fasttext' } });
    const stored = store.model('m').subwords()!;
    expect(stored.bytesRead).toBe(0);
    stored.explain('pizzaiolo');
    const grams = table.rowsOf('pizzaiolo').length;
    const pieceBytes = subwordRowsPerPiece(dim) * (dim * 4 + 4);
    expect(stored.bytesRead).toBeGreaterThan(0);
    expect(stored.bytesRead).toBeLessThanOrEqual(grams * pieceBytes);
    expect(stored.bytesRead * 10).toBeLessThan(table.rows.byteLength);
    store.close();
  });

  it('is removed with the model, replaced with it, kept on rename; putSubwords adds, replaces and removes', () => {
    const store = VectorStore.open(path);
    store.putModel('m', wordModel(), { subwords: { table: randomTable(300), source: 'learned' } });
    const chunks = () =>
      (store as unknown as { model(n: string): unknown }) &&
      new Database(path, { readonly: true })
        .prepare("SELECT count(*) AS n FROM chunks WHERE kind = 'subword'")
        .pluck()
        .get();
    expect(chunks()).toBeGreaterThan(0);
    store.renameModel('m', 'n');
    expect(store.model('n').subwordInfo()?.bucket).toBe(300);
    store.putSubwords('n', { table: randomTable(700, 9), source: 'learned', builder: 'again' });
    expect(store.model('n').subwordInfo()).toMatchObject({ bucket: 700, builder: 'again' });
    expect(Array.from(store.model('n').subwords()!.estimate('pizzaiolo')!)).toEqual(
      Array.from(randomTable(700, 9).estimate('pizzaiolo')!),
    );
    store.putSubwords('n', undefined);
    expect(store.model('n').subwords()).toBeUndefined();
    expect(() => store.model('n').resolve('pizzaiolo', { subword: true })).toThrow(/pizzaiolo/);
    store.putSubwords('n', { table: randomTable(300), source: 'learned' });
    store.putModel('n', wordModel(), {}, { replace: true });
    expect(store.model('n').subwords()).toBeUndefined();
    store.putSubwords('n', { table: randomTable(300), source: 'learned' });
    store.deleteModel('n');
    expect(chunks()).toBe(0);
    store.close();
  });

  it('a damaged or truncated table is a StoreError naming it, never a wrong vector', () => {
    const store = VectorStore.open(path);
    store.putModel('m', wordModel(), { subwords: { table: randomTable(3000), source: 'learned' } });
    store.close();
    const raw = new Database(path);
    const row = randomTable(3000).rowsOf('pizzaiolo')[0];
    const seq = Math.floor(row / subwordRowsPerPiece(dim));
    const data = raw
      .prepare("SELECT data FROM chunks WHERE kind = 'subword' AND seq = ?")
      .pluck()
      .get(seq) as Buffer;
    const flipped = Buffer.from(data);
    flipped[(row % subwordRowsPerPiece(dim)) * dim * 4 + 1] ^= 0x40;
    const set = raw.prepare("UPDATE chunks SET data = ? WHERE kind = 'subword' AND seq = ?");
    set.run(flipped, seq);
    const open = () => VectorStore.open(path, { readonly: true });
    let ro = open();
    expect(storeError(() => ro.model('m').resolve('pizzaiolo', { subword: true })).message).toMatch(
      /subword table of model \d+ is damaged: row \d+ does not match its checksum/,
    );
    ro.close();
    set.run(data.subarray(0, data.length - 10), seq);
    ro = open();
    expect(storeError(() => ro.model('m').subwords()!.explain('pizzaiolo')).message).toMatch(
      /piece \d+ has \d+ bytes/,
    );
    expect(storeError(() => ro.model('m').subwords()!.readAll()).message).toMatch(/damaged/);
    ro.close();
    raw.prepare("DELETE FROM chunks WHERE kind = 'subword' AND seq = ?").run(seq);
    raw.prepare('UPDATE subword_tables SET version = 99').run();
    raw.close();
    ro = open();
    expect(storeError(() => ro.model('m').subwords()).code).toBe('NEWER_SCHEMA');
    ro.close();
  });

  it('refuses a table of another dimension or with non-finite values, and the store stays as it was', () => {
    const store = VectorStore.open(path);
    store.putModel('m', wordModel());
    const wrong = new SubwordTable({ minn: 3, maxn: 6, bucket: 10 }, 4, new Float32Array(40));
    expect(storeError(() => store.putSubwords('m', { table: wrong, source: 'learned' })).message).toMatch(
      /4 dimensions, the model 8/,
    );
    const nan = randomTable(10);
    nan.rows[17] = Number.NaN;
    expect(storeError(() => store.putSubwords('m', { table: nan, source: 'learned' })).message).toMatch(
      /non-finite value in row 2/,
    );
    expect(() => store.putModel('p', wordModel(), { subwords: { table: nan, source: 'learned' } })).toThrow(
      StoreError,
    );
    expect(store.models().map((m) => m.name)).toEqual(['m']);
    expect(store.model('m').subwords()).toBeUndefined();
    store.close();
  });

  it('importFile builds a table for a word-only file inside the import; a failing builder leaves nothing', async () => {
    const kv = wordModel();
    const file = join(dir, 'vectors.txt');
    writeFileSync(file, kv.words.map((w) => `${w} ${Array.from(kv.get(w)).join(' ')}`).join('\n'));
    const store = VectorStore.open(path);
    await expect(
      store.importFile(file, {
        name: 'bad',
        buildSubwords: () => {
          throw new Error('builder failed');
        },
      }),
    ).rejects.toThrow(/builder failed/);
    expect(store.models()).toEqual([]);
    const info = await store.importFile(file, {
      name: 'g',
      buildSubwords: (rows) => ({
        table: fitSubwordTable(rows, { bucket: 2048, epochs: 2 }),
        source: 'learned',
      }),
    });
    expect(info.subword).toMatchObject({ source: 'learned', bucket: 2048 });
    const expected = fitSubwordTable(
      { words: kv.words, dim, unit: kv.unitVectors() },
      { bucket: 2048, epochs: 2 },
    );
    expect(Array.from(store.model('g').resolve('pizzaiolo', { subword: true }).vector!)).toEqual(
      Array.from(expected.estimate('pizzaiolo')!),
    );
    store.close();
  });

  it('a word-only model with a learned table exports as a fastText .bin that reproduces it', () => {
    const kv = wordModel();
    const table = fitSubwordTable({ words, dim, unit: kv.unitVectors() }, { bucket: 1024, epochs: 2 });
    const store = VectorStore.open(path);
    store.putModel('m', kv, { subwords: { table, source: 'learned' } });
    const out = join(dir, 'm.bin');
    saveFastTextBin(store.model('m').toFastTextModel(), out);
    const back = loadFastTextBin(out);
    expect(Array.from(back.wordVector('pizzaiolo'))).toEqual(Array.from(table.estimate('pizzaiolo')!));
    for (const w of words.slice(0, 5)) {
      const a = back.wordVector(w);
      const b = kv.get(w);
      for (let d = 0; d < dim; d++) expect(Math.abs(a[d] - b[d])).toBeLessThan(1e-5);
    }
    store.close();
  });
});

describe.runIf(hasFastText)('a fastText .bin in the store', () => {
  let dir: string;
  let cleanup: () => void;
  let bin: string;

  beforeEach(() => {
    ({ dir, cleanup } = tempDir());
    const rand = createRandom(4);
    const lines = Array.from({ length: 500 }, () =>
      Array.from({ length: 15 }, () => words[Math.floor(rand() * words.length)]).join(' '),
    );
    writeFileSync(join(dir, 'corpus.txt'), `${lines.join('\n')}\n`);
    const r = spawnSync('fasttext', [
      'skipgram',
      ...['-input', join(dir, 'corpus.txt'), '-output', join(dir, 'ft'), '-dim', `${dim}`, '-epoch', '1'],
      ...['-minCount', '1', '-bucket', '20000', '-thread', '1', '-verbose', '0'],
    ]);
    expect(r.status).toBe(0);
    bin = join(dir, 'ft.bin');
  }, 60_000);
  afterEach(() => cleanup());

  it('imports by content (any name), answers OOV words as fastText, exports the same file byte for byte', async () => {
    const renamed = join(dir, 'model.data');
    writeFileSync(renamed, readFileSync(bin));
    const store = VectorStore.open(join(dir, 'store.db'));
    const info = await store.importFile(renamed, { name: 'ft' });
    const ft = loadFastTextBin(bin);
    expect(info).toMatchObject({
      vocabSize: ft.vectors.size,
      dim,
      subword: { source: 'fasttext', bucket: 20000 },
    });
    expect(info.hyperParameters).toMatchObject({ format: 'fasttext-bin', model: 'skipgram', bucket: 20000 });
    const model = store.model('ft');
    for (const w of unseen) {
      expect(Array.from(model.resolve(w, { subword: true }).vector!)).toEqual(Array.from(ft.wordVector(w)));
    }
    const out = join(dir, 'again.bin');
    saveFastTextBin(model.toFastTextModel(), out);
    expect(readFileSync(out).equals(readFileSync(bin))).toBe(true);
    // Stored size: the buckets and their checksums, 4 bytes per row on top of the float32 rows.
    expect(info.subword!.bytes).toBe(20000 * (dim * 4 + 4));
    store.close();
    expect(statSync(join(dir, 'store.db')).size).toBeGreaterThan(info.subword!.bytes);
  });

  it('a truncated or wrong .bin is refused with its byte offset and the store is unchanged', async () => {
    const store = VectorStore.open(join(dir, 'store.db'));
    const good = readFileSync(bin);
    const cut = join(dir, 'cut.bin');
    writeFileSync(cut, good.subarray(0, good.length - 64));
    await expect(store.importFile(cut, { name: 'x' })).rejects.toThrow(/truncated/);
    const version = join(dir, 'version.bin');
    const b = Buffer.from(good);
    b.writeInt32LE(99, 4);
    writeFileSync(version, b);
    await expect(store.importFile(version, { name: 'x' })).rejects.toThrow(
      /byte 4: fastText model version 99/,
    );
    const minmax = Buffer.from(good);
    minmax.writeInt32LE(9, 8 + 36);
    writeFileSync(version, minmax);
    await expect(store.importFile(version, { name: 'x' })).rejects.toThrow(
      /byte \d+: bad n-gram arguments: minn 9/,
    );
    expect(store.models()).toEqual([]);
    store.close();
  });

  it('an exported model without an output matrix writes zeros there (documented) and loads in fastText', () => {
    const kv = wordModel();
    const model = fastTextModelFromVectors(kv, randomTable(100));
    const out = join(dir, 'zeros.bin');
    saveFastTextBin(model, out);
    const r = spawnSync('fasttext', ['print-word-vectors', out], { input: 'pizzaiolo\n', encoding: 'utf8' });
    expect(r.status).toBe(0);
    const theirs = r.stdout.trim().split(' ').slice(1).map(Number);
    const ours = randomTable(100).estimate('pizzaiolo')!;
    for (let d = 0; d < dim; d++)
      expect(Math.abs(theirs[d] - ours[d])).toBeLessThanOrEqual(6e-5 * Math.abs(ours[d]) + 1e-7);
  });
});
