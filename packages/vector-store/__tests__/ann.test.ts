import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { KeyedVectors } from '@wordvec/embeddings';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildHnsw, floatScorer, searchHnsw } from '../src/ann/hnsw.js';
import { StoreError, VectorStore } from '../src/index.js';
import { clusteredVectors, tempDir } from './fixtures.js';

const N = 3000;
const DIM = 24;
const data = clusteredVectors(N, DIM, 11, 60);
const kv = new KeyedVectors(data);
const queries = Array.from({ length: 60 }, (_, i) => `w${i * 37}`);

/** Mean share of the exact top 10 found by `answer`. */
function recallAt10(answer: (word: string) => string[]): number {
  let hit = 0;
  for (const q of queries) {
    const exact = new Set(kv.mostSimilar({ positive: [q], topn: 10 }).map((s) => s.word));
    hit += answer(q).filter((w) => exact.has(w)).length;
  }
  return hit / (10 * queries.length);
}

let dir: string;
let cleanup: () => void;
let path: string;
beforeAll(() => {
  ({ dir, cleanup } = tempDir());
  path = join(dir, 'ann.db');
  const store = VectorStore.open(path);
  store.putModel('ann', kv, {}, { ann: { M: 12, efConstruction: 80, seed: 3 } });
  store.putModel('plain', kv);
  store.close();
});
afterAll(() => cleanup());

describe('approximate search', () => {
  it('builds the same graph from the same seed, and a different one from another seed', () => {
    const unit = kv.unitVectors();
    const a = buildHnsw(unit, DIM, { M: 8, efConstruction: 40, seed: 5 });
    const b = buildHnsw(unit, DIM, { M: 8, efConstruction: 40, seed: 5 });
    const c = buildHnsw(unit, DIM, { M: 8, efConstruction: 40, seed: 6 });
    expect(Buffer.from(a.links0.buffer).equals(Buffer.from(b.links0.buffer))).toBe(true);
    expect(Buffer.from(a.levels).equals(Buffer.from(c.levels))).toBe(false);
    // Every node is reachable on layer 0 through at least one link.
    for (let i = 0; i < N; i++) expect(a.deg0[i]).toBeGreaterThan(0);
    const q = unit.subarray(0, DIM);
    const found = searchHnsw(a, floatScorer(unit, DIM, q), 5, 50);
    expect(found.ids[0]).toBe(0);
    expect(found.scores[0]).toBeCloseTo(1, 5);
    for (let i = 1; i < found.scores.length; i++)
      expect(found.scores[i]).toBeLessThanOrEqual(found.scores[i - 1]);
  });

  it('shrinks a full neighbour list with the selection heuristic, so links in other directions survive', () => {
    // Row 0 is A = e1. Rows 1–20 lie on one arc towards e2, each closer to A than the one before, so
    // each keeps A among its links and fills A's list (M0 = 8) with strong back links (cos 0.946–0.969).
    // Rows 21–33 are cos 0.45 · e1 + sin 0.45 · e3…e15, each pointing another way: weaker to A (0.900)
    // than any arc row, and farther from the arc (≤ 0.872) and from each other (0.810) than from A.
    // Dropping the weakest link could never let them in; shrinking by Alg. 4 keeps one arc row (the
    // others are closer to it than to A) and makes room for them.
    const dim = 16;
    const arc = 20;
    const ring = 13;
    const rows = new Float32Array((1 + arc + ring) * dim);
    rows[0] = 1;
    for (let t = 0; t < arc; t++) {
      const theta = 0.33 - (0.08 * t) / (arc - 1);
      rows[(1 + t) * dim] = Math.cos(theta);
      rows[(1 + t) * dim + 1] = Math.sin(theta);
    }
    for (let j = 0; j < ring; j++) {
      rows[(1 + arc + j) * dim] = Math.cos(0.45);
      rows[(1 + arc + j) * dim + 2 + j] = Math.sin(0.45);
    }
    const index = buildHnsw(rows, dim, { M: 4, efConstruction: 64, seed: 1 });
    const links = Array.from(index.links0.subarray(0, index.deg0[0]));
    const arcLinks = links.filter((id) => id >= 1 && id <= arc);
    const ringLinks = links.filter((id) => id > arc);
    expect(arcLinks.length).toBeGreaterThanOrEqual(1);
    expect(ringLinks.length).toBeGreaterThanOrEqual(5);
  });

  it('persists the index and answers with recall@10 ≥ 0.98 against exact search', () => {
    const store = VectorStore.open(path, { readonly: true });
    const model = store.model('ann');
    expect(model.info.ann).toMatchObject({ kind: 'hnsw', M: 12, efConstruction: 80, seed: 3 });
    const recall = recallAt10((q) => model.mostSimilar({ positive: [q], topn: 10 }).map((s) => s.word));
    expect(recall).toBeGreaterThanOrEqual(0.98);
    // exact: true bypasses the graph and matches KeyedVectors exactly.
    expect(model.mostSimilar({ positive: ['w5'], topn: 10, exact: true }).map((s) => s.word)).toEqual(
      kv.mostSimilar({ positive: ['w5'], topn: 10 }).map((s) => s.word),
    );
    // A tiny beam visibly loses recall, so the graph (not a scan) is answering; by default it walks
    // at the width calibrated when it was built (hnsw-calibration.test.ts tests the measurement).
    const narrow = recallAt10((q) =>
      model.mostSimilar({ positive: [q], topn: 10, ef: 10 }).map((s) => s.word),
    );
    expect(narrow).toBeLessThan(1);
    const ef = model.info.ann?.calibration?.ef as number;
    expect(recallAt10((q) => model.mostSimilar({ positive: [q], topn: 10, ef }).map((s) => s.word))).toBe(
      recall,
    );
    expect(store.model('plain').info.ann).toBeUndefined();
    store.close();
  });

  it('walks the graph whether it was read with the matrix (ann: true) or on the first graph query', () => {
    const store = VectorStore.open(path, { readonly: true });
    const eager = store.model('ann');
    eager.loadSync({ ann: true });
    const narrowEager = recallAt10((q) =>
      eager.mostSimilar({ positive: [q], topn: 10, ef: 10 }).map((s) => s.word),
    );
    const lazy = VectorStore.open(path, { readonly: true });
    const model = lazy.model('ann');
    // The first query is exact (no graph needed); the graph is read by the next one.
    expect(model.mostSimilar({ positive: ['w3'], topn: 5, exact: true })).toHaveLength(5);
    const narrowLazy = recallAt10((q) =>
      model.mostSimilar({ positive: [q], topn: 10, ef: 10 }).map((s) => s.word),
    );
    // Same graph either way, and a narrow beam shows it is the graph answering, not a scan.
    expect(narrowLazy).toBe(narrowEager);
    expect(narrowEager).toBeLessThan(1);
    lazy.close();
    store.close();
  });

  it('int8 precision re-ranks to recall@10 ≥ 0.98 with and without the graph, with exact scores', () => {
    const store = VectorStore.open(path, { readonly: true });
    for (const name of ['ann', 'plain']) {
      const model = store.model(name);
      model.loadSync({ precision: 'int8' });
      expect(model.precision).toBe('int8');
      const recall = recallAt10((q) => model.mostSimilar({ positive: [q], topn: 10 }).map((s) => s.word));
      expect(recall).toBeGreaterThanOrEqual(0.98);
      const top = model.mostSimilar({ positive: ['w9'], topn: 1 })[0];
      expect(top.score).toBeCloseTo(kv.similarity('w9', top.word), 5);
      expect(model.similarity('w1', 'w2')).toBeCloseTo(kv.similarity('w1', 'w2'), 5);
      expect(() => model.mostSimilarCosmul({ positive: ['w1'] })).toThrow(/loaded as int8/);
    }
    store.close();
  });

  it('refuses a graph piece of the wrong size with a StoreError instead of reading past it', () => {
    const damaged = join(dir, 'damaged.db');
    copyFileSync(path, damaged);
    const db = new Database(damaged);
    // Cut the last layer-0 links piece short by one link.
    db.prepare(
      `UPDATE chunks SET data = substr(data, 1, length(data) - 4)
        WHERE kind = 'hnsw-links0' AND model_id = (SELECT id FROM models WHERE name = 'ann')
          AND seq = (SELECT max(seq) FROM chunks WHERE kind = 'hnsw-links0'
                       AND model_id = (SELECT id FROM models WHERE name = 'ann'))`,
    ).run();
    db.close();
    const store = VectorStore.open(damaged, { readonly: true });
    const model = store.model('ann');
    let error: unknown;
    try {
      model.mostSimilar({ positive: ['w1'], topn: 3 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).message).toMatch(
      new RegExp(`hnsw-links0 .*expected ${N * 2 * 12 * 4} bytes`),
    );
    store.close();
  });
});
