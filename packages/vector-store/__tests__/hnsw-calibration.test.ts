import { join } from 'node:path';
import { createRandom, KeyedVectors } from '@wordvec/embeddings';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGatherDots } from '../src/ann/gather-dots.js';
import { buildHnsw, floatScorer, searchHnsw } from '../src/ann/hnsw.js';
import { calibrateEf, wilsonLower } from '../src/ann/hnsw-calibration.js';
import { StoreError, VectorStore } from '../src/index.js';
import { clusteredVectors, tempDir } from './fixtures.js';

const DIM = 16;
const clustered = new KeyedVectors(clusteredVectors(4000, DIM, 5, 50));

/** Seeded rows spread evenly over the sphere: the hard case for a graph. */
function uniformVectors(n: number, dim: number, seed: number) {
  const rand = createRandom(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  return {
    words: Array.from({ length: n }, (_, i) => `u${i}`),
    vectors: Float32Array.from({ length: n * dim }, gauss),
    dim,
  };
}

/** Recall@10 of the graph at `ef` for `rows` as queries (each row's 10 nearest other rows), by brute force. */
function recallAt(kv: KeyedVectors, index: ReturnType<typeof buildHnsw>, ef: number, rows: number[]): number {
  const unit = kv.unitVectors();
  const dim = kv.dim;
  let hits = 0;
  for (const r of rows) {
    const q = unit.subarray(r * dim, (r + 1) * dim);
    const scores = Array.from({ length: kv.size }, (_, i) => {
      let s = 0;
      for (let d = 0; d < dim; d++) s += unit[i * dim + d] * q[d];
      return { i, s };
    });
    const truth = new Set(
      scores
        .filter((x) => x.i !== r)
        .sort((a, b) => b.s - a.s || a.i - b.i)
        .slice(0, 10)
        .map((x) => x.i),
    );
    const found = [...searchHnsw(index, floatScorer(unit, dim, q), 11, Math.max(ef, 11)).ids]
      .filter((i) => i !== r)
      .slice(0, 10);
    hits += found.filter((i) => truth.has(i)).length;
  }
  return hits / (10 * rows.length);
}

describe('calibrated default beam width', () => {
  it('picks a width that reaches the target on rows it did not sample, and a narrower one for a lower target', () => {
    const unit = clustered.unitVectors();
    const g = createGatherDots(unit, DIM);
    const index = buildHnsw(unit, DIM, { M: 8, efConstruction: 60, seed: 2 }, g);
    const high = calibrateEf(index, g, { targetRecall: 0.99, queries: 300, seed: 4 });
    const low = calibrateEf(index, g, { targetRecall: 0.8, queries: 300, seed: 4 });
    expect(high.ef).not.toBeNull();
    expect(high.queries).toBe(300);
    expect(high.recall).toBeGreaterThanOrEqual(0.99);
    expect(low.ef as number).toBeLessThan(high.ef as number);
    expect(low.recall).toBeLessThan(high.recall);
    // The same seed measures the same; the width holds on other queries (seeded, not the sample).
    expect(calibrateEf(index, g, { targetRecall: 0.99, queries: 300, seed: 4 })).toEqual(high);
    const rand = createRandom(99);
    const others = Array.from({ length: 150 }, () => Math.floor(rand() * clustered.size));
    expect(recallAt(clustered, index, high.ef as number, others)).toBeGreaterThanOrEqual(0.98);
  });

  it('reports no width when none up to maxEf reaches the target', () => {
    const kv = new KeyedVectors(uniformVectors(3000, 32, 3));
    const unit = kv.unitVectors();
    const index = buildHnsw(unit, 32, { M: 2, efConstruction: 4, seed: 1 });
    const c = calibrateEf(index, createGatherDots(unit, 32), {
      targetRecall: 0.999,
      maxEf: 16,
      queries: 100,
    });
    expect(c.ef).toBeNull();
    expect(c.queries).toBe(100);
    // The recall reported is the graph's at the widest beam tried, short of the target as other rows show too.
    expect(c.recall).toBeGreaterThan(0);
    expect(c.recall).toBeLessThan(0.999);
    expect(recallAt(kv, index, 16, [0, 500, 1000, 1500, 2000, 2500])).toBeLessThan(0.999);
  });

  it('refuses a bad target, sample size or maxEf', () => {
    const unit = clustered.unitVectors();
    const index = buildHnsw(unit.subarray(0, 200 * DIM), DIM, { M: 4, efConstruction: 20 });
    for (const bad of [{ targetRecall: 0 }, { targetRecall: 1.5 }, { queries: 0 }, { maxEf: 8 }]) {
      expect(() => calibrateEf(index, createGatherDots(unit.subarray(0, 200 * DIM), DIM), bad)).toThrow(
        StoreError,
      );
    }
  });

  it('gives a Wilson lower bound that holds at 95 %: below the true rate in ≥ 93 % of seeded trials', () => {
    const rand = createRandom(11);
    const p = 0.99;
    const n = 2000;
    let below = 0;
    const trials = 400;
    for (let t = 0; t < trials; t++) {
      let hits = 0;
      for (let i = 0; i < n; i++) if (rand() < p) hits++;
      if (wilsonLower(hits, n) <= p) below++;
    }
    expect(below / trials).toBeGreaterThanOrEqual(0.93);
    // And it is not vacuous: 99.5 % observed on 4,000 clears 99 %, 99.1 % does not.
    expect(wilsonLower(3980, 4000)).toBeGreaterThan(0.99);
    expect(wilsonLower(3964, 4000)).toBeLessThan(0.99);
    expect(wilsonLower(0, 0)).toBe(0);
  });
});

describe('stored graphs use their calibrated width', () => {
  let dir: string;
  let cleanup: () => void;
  beforeAll(() => ({ dir, cleanup } = tempDir()));
  afterAll(() => cleanup());

  it('records the calibration and answers with it by default; a graph that cannot reach the target is not walked unless asked', () => {
    const path = join(dir, 'cal.db');
    const store = VectorStore.open(path);
    store.putModel('easy', clustered, {}, { ann: { M: 8, efConstruction: 60, seed: 2 } });
    const hard = new KeyedVectors(uniformVectors(3000, 32, 3));
    store.putModel('hard', hard, {}, { ann: { M: 2, efConstruction: 4, targetRecall: 0.999 } });
    store.putModel(
      'unmeasured',
      clustered,
      {},
      { ann: { M: 8, efConstruction: 60, seed: 2, targetRecall: false } },
    );
    const easy = store.model('easy');
    const cal = easy.info.ann?.calibration;
    expect(cal).toMatchObject({ queries: 400, targetRecall: 0.99 });
    expect(cal?.ef).toBeGreaterThanOrEqual(12);
    expect(store.model('unmeasured').info.ann?.calibration).toBeUndefined();
    const words = ['w3', 'w77', 'w1200', 'w3999'];
    for (const w of words) {
      const byDefault = easy.mostSimilar({ positive: [w], topn: 10 });
      expect(byDefault).toEqual(easy.mostSimilar({ positive: [w], topn: 10, ef: cal?.ef as number }));
    }
    const m = store.model('hard');
    expect(m.info.ann?.calibration?.ef).toBeNull();
    // Without ef the answer is the exact scan's; with one, the graph's (M 2 misses neighbours).
    let differs = 0;
    for (const w of ['u1', 'u50', 'u999', 'u2500', 'u2999']) {
      const exact = m.mostSimilar({ positive: [w], topn: 10, exact: true });
      expect(m.mostSimilar({ positive: [w], topn: 10 })).toEqual(exact);
      if (JSON.stringify(m.mostSimilar({ positive: [w], topn: 10, ef: 12 })) !== JSON.stringify(exact))
        differs++;
    }
    expect(differs).toBeGreaterThan(0);
    store.close();
  });

  it('refuses bad graph parameters with a message naming them, and writes nothing', () => {
    const path = join(dir, 'bad.db');
    const store = VectorStore.open(path);
    const bad = [
      { ann: { targetRecall: 2 }, message: /target recall must be a number in \(0, 1\], got 2/ },
      { ann: { M: 1 }, message: /HNSW M must be an integer in 2…127, got 1/ },
      { ann: { efConstruction: 0 }, message: /efConstruction must be a positive integer/ },
    ];
    for (const { ann, message } of bad) {
      expect(() => store.putModel('x', clustered, {}, { ann })).toThrow(message);
    }
    expect(store.models()).toHaveLength(0);
    store.close();
  });
});
