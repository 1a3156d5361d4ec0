import { CooccurrenceStats, countCooccurrences, createRandom, KeyedVectors } from '@wordvec/embeddings';
import Database from 'better-sqlite3';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { StoreError, VectorStore } from '../src/index.js';
import { pruneForStorage } from '../src/model/cooccurrence-stats.js';
import { clusteredVectors, tempDir } from './fixtures.js';

const V = 80;
const words = Array.from({ length: V }, (_, i) => `w${i}`);
let stats: CooccurrenceStats;

/** A seeded Zipf-like token stream with topical bursts, so rows have many contexts of varied strength. */
beforeAll(async () => {
  const rand = createRandom(11);
  const ids = new Int32Array(30_000);
  for (let t = 0; t < ids.length; t++) {
    const topic = Math.floor(t / 40) % 8;
    ids[t] = rand() < 0.5 ? Math.floor(rand() ** 2 * V) : topic * 10 + Math.floor(rand() * 10);
    if (t % 25 === 24) ids[t] = -1;
  }
  stats = CooccurrenceStats.fromMatrix(await countCooccurrences(ids, V, { window: 5 }), words);
});

function model(list = words) {
  const base = clusteredVectors(list.length, 4, 5, 4);
  return new KeyedVectors({ words: list, vectors: base.vectors, dim: 4, counts: base.counts });
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

function expectSameArrays(a: CooccurrenceStats, b: CooccurrenceStats) {
  const x = a.toSerialized();
  const y = b.toSerialized();
  expect(y.words).toEqual(x.words);
  expect(y.vocabSize).toBe(x.vocabSize);
  expect(y.total).toBe(x.total);
  for (const key of ['rowSums', 'colSums', 'rowPtr', 'cols', 'values'] as const) {
    expect(Array.from(y[key]), key).toEqual(
      Array.from(x[key].subarray(0, key === 'rowPtr' ? V + 1 : x.rowPtr[V])),
    );
  }
}

let dir: string;
let cleanup: () => void;
let path: string;
beforeEach(() => {
  ({ dir, cleanup } = tempDir());
  path = `${dir}/store.db`;
});
afterEach(() => cleanup());

describe('co-occurrence statistics in the store', () => {
  it('round-trips every array unchanged when asked to keep all pairs', () => {
    const store = VectorStore.open(path);
    store.putModel('m', model(), { algorithm: 'ppmi', cooccurrence: stats }, { cooccurrenceContexts: 'all' });
    store.close();
    const ro = VectorStore.open(path, { readonly: true });
    const back = ro.model('m').cooccurrence();
    expect(back).toBeDefined();
    expectSameArrays(stats, back!);
    expect(back!.pmi('w3', 'w7')).toBe(stats.pmi('w3', 'w7'));
    expect(ro.model('m').cooccurrence()).toBe(back); // read once, then kept
    expect(ro.model('m').cooccurrenceInfo()).toEqual({ vocabSize: V, nnz: stats.nnz, total: stats.total });
    ro.close();
  });

  it('prunes by default to the strongest contexts by PPMI plus the most frequent, PMI of kept pairs exact', () => {
    const store = VectorStore.open(path);
    store.putModel('m', model(), { algorithm: 'ppmi', cooccurrence: stats });
    const back = store.model('m').cooccurrence()!;
    expect(stats.rowPtr[1] - stats.rowPtr[0]).toBeGreaterThan(64); // the test exercises pruning
    expect(back.nnz).toBeLessThan(stats.nnz);
    expect(store.model('m').cooccurrenceInfo()?.maxContexts).toBe(32);
    expect(Array.from(back.rowSums)).toEqual(Array.from(stats.rowSums));
    for (let i = 0; i < V; i++) {
      const kept = back.rowPtr[i + 1] - back.rowPtr[i];
      expect(kept).toBeLessThanOrEqual(64);
      // /cooccur answers identically from the pruned copy.
      expect(back.topContexts(i, { k: 10 })).toEqual(stats.topContexts(i, { k: 10 }));
      for (let e = back.rowPtr[i]; e < back.rowPtr[i + 1]; e++) {
        expect(back.pmi(i, back.cols[e])).toBe(stats.pmi(i, back.cols[e]));
      }
    }
    // The most frequent context of w0 is kept even when its PPMI is low.
    const start = stats.rowPtr[0];
    const end = stats.rowPtr[1];
    let best = start;
    for (let e = start; e < end; e++) if (stats.values[e] > stats.values[best]) best = e;
    expect(back.count(0, stats.cols[best])).toBe(stats.values[best]);
    store.close();
  });

  it('deleting or replacing a model drops its statistics; renaming carries them', () => {
    const store = VectorStore.open(path);
    store.putModel('m', model(), { cooccurrence: stats });
    const before = store.model('m').cooccurrence()!;
    store.renameModel('m', 'renamed');
    expectSameArrays(before, store.model('renamed').cooccurrence()!);
    store.putModel('renamed', model(), {}, { replace: true });
    expect(store.model('renamed').cooccurrence()).toBeUndefined();
    store.putModel('other', model(), { cooccurrence: stats });
    store.deleteModel('other');
    store.close();
    const raw = new Database(path, { readonly: true });
    expect(raw.prepare('SELECT count(*) FROM cooccurrence').pluck().get()).toBe(0);
    expect(raw.prepare("SELECT count(*) FROM chunks WHERE kind LIKE 'cooc-%'").pluck().get()).toBe(0);
    raw.close();
  });

  it('putCooccurrence adds, replaces and removes the statistics of an existing model', () => {
    const store = VectorStore.open(path);
    // A vocabulary in another order: the statistics then keep their own word list.
    store.putModel('m', model([...words].reverse()));
    const m = store.model('m');
    expect(m.cooccurrence()).toBeUndefined();
    expect(store.putCooccurrence('m', stats, { contexts: 'all' })?.nnz).toBe(stats.nnz);
    expectSameArrays(stats, m.cooccurrence()!);
    expect(m.cooccurrence()!.count('w1', 'w2')).toBe(stats.count('w1', 'w2'));
    store.putCooccurrence('m', stats, { contexts: 5 });
    expect(m.cooccurrenceInfo()?.maxContexts).toBe(5);
    expect(m.cooccurrence()!.nnz).toBe(pruneForStorage(stats, 5).nnz);
    store.putCooccurrence('m', undefined);
    expect(m.cooccurrence()).toBeUndefined();
    expect(storeError(() => store.putCooccurrence('nope', stats)).code).toBe('UNKNOWN_MODEL');
    const bare = new CooccurrenceStats({ ...stats.toSerialized(), words: undefined });
    expect(storeError(() => store.putCooccurrence('m', bare)).message).toMatch(/without words/);
    expect(storeError(() => store.putCooccurrence('m', stats, { contexts: 0 })).message).toMatch(/got 0/);
    store.close();
  });

  it('a read-only open of a store from before the statistics table answers undefined', () => {
    const store = VectorStore.open(path);
    store.putModel('m', model());
    store.close();
    const raw = new Database(path);
    raw.exec('DROP TABLE cooccurrence');
    raw.pragma('user_version = 2');
    raw.close();
    const ro = VectorStore.open(path, { readonly: true });
    expect(ro.model('m').cooccurrence()).toBeUndefined();
    expect(ro.model('m').cooccurrenceInfo()).toBeUndefined();
    ro.close();
    // A writable open upgrades it and statistics can be stored.
    const rw = VectorStore.open(path);
    rw.putCooccurrence('m', stats);
    expect(rw.model('m').cooccurrence()?.total).toBe(stats.total);
    rw.close();
  });
});
