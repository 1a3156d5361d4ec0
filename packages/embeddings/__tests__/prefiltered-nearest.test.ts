import { createRandom, InvalidArgumentError, KeyedVectors } from '@wordvec/embeddings';
import {
  createInt8Matrix,
  createRowScorer,
  hasWasmRowScorer,
  int8ScoreRows,
  quantizeRows,
} from '@wordvec/embeddings/kernels';
import { describe, expect, it } from 'vitest';

const wasm = hasWasmRowScorer() && createInt8Matrix(1, 8).kernel === 'wasm-simd';

/**
 * Clustered rows (as word vectors are): `clusters` centres plus noise, some rows repeated exactly
 * (equal scores, where the tie rule decides), some zero, some with one dominant component (a large
 * quantisation step for the rest of the row).
 */
function clustered(rows: number, dim: number, seed: number): Float32Array {
  const rand = createRandom(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const clusters = Math.max(2, Math.floor(rows / 60));
  const centres = Float32Array.from({ length: clusters * dim }, gauss);
  const m = new Float32Array(rows * dim);
  for (let r = 0; r < rows; r++) {
    const kind = rand();
    if (kind < 0.02) continue; // zero row
    if (kind < 0.06 && r > 0) {
      const from = Math.floor(rand() * r);
      m.copyWithin(r * dim, from * dim, (from + 1) * dim); // an exact repeat of an earlier row
      continue;
    }
    const c = Math.floor(rand() * clusters);
    for (let d = 0; d < dim; d++) m[r * dim + d] = centres[c * dim + d] + 0.6 * gauss();
    if (kind < 0.1) m[r * dim + Math.floor(rand() * dim)] *= 40; // spiky
  }
  return m;
}

function models(rows: number, dim: number, seed: number): [KeyedVectors, KeyedVectors] {
  const words = Array.from({ length: rows }, (_, i) => `w${i}`);
  const vectors = clustered(rows, dim, seed);
  return [
    new KeyedVectors({ words, vectors, dim, int8Prefilter: true }),
    new KeyedVectors({ words, vectors, dim, int8Prefilter: false }),
  ];
}

describe('the int8 pre-filter of exact queries', () => {
  it.runIf(wasm)('gives exactly the answers of the float32 scan: rows, scores and tie order', () => {
    for (const [rows, dim, seed] of [
      [3000, 300, 1],
      [4000, 50, 2],
      [2500, 17, 3],
      [2000, 3, 4],
    ] as const) {
      const [fast, plain] = models(rows, dim, seed);
      expect(fast.usesInt8Prefilter).toBe(true);
      expect(plain.usesInt8Prefilter).toBe(false);
      const rand = createRandom(seed + 100);
      const pick = () => fast.words[Math.floor(rand() * rows)];
      for (let i = 0; i < 60; i++) {
        const query = {
          positive: i % 3 === 0 ? [pick(), pick()] : [pick()],
          negative: i % 4 === 0 ? [pick()] : [],
          topn: 1 + Math.floor(rand() * 30),
          restrictVocab: i % 5 === 0 ? Math.floor(rows / 2) : undefined,
        };
        const a = fast.mostSimilar(query);
        const b = plain.mostSimilar(query);
        expect(a, `${rows} × ${dim}, query ${i}`).toEqual(b);
        // bit for bit, not only to toEqual's tolerance-free number equality
        expect(a.map((x) => Object.is(x.score, b[a.indexOf(x)].score)).every(Boolean)).toBe(true);
      }
      // and for a vector given outright (no row of the model), with a row excluded by hand
      const v = Float32Array.from({ length: dim }, () => rand() - 0.5);
      const options = { topn: 25, exclude: [0, 1, 2] };
      const a = fast.nearestRows(v, options);
      const b = plain.nearestRows(v, options);
      expect(Array.from(a.rows)).toEqual(Array.from(b.rows));
      expect(Array.from(a.scores)).toEqual(Array.from(b.scores));
    }
  });

  it.runIf(wasm)('answers when fewer rows than topn are left, and for a model of one row', () => {
    const [fast, plain] = models(40, 16, 7);
    const q = { positive: ['w3'], topn: 100 };
    expect(fast.mostSimilar(q)).toEqual(plain.mostSimilar(q));
    const one = new KeyedVectors({
      words: ['x'],
      dim: 4,
      vectors: new Float32Array([1, 2, 3, 4]),
      int8Prefilter: true,
    });
    expect(one.mostSimilar({ positive: ['x'] })).toEqual([]);
  });

  it.runIf(wasm)('bounds every row’s int8 score within exactSlack of its float32 score', () => {
    for (const [rows, dim, seed] of [
      [1500, 300, 11],
      [1500, 50, 12],
      [1500, 9, 13],
    ] as const) {
      const [kv] = models(rows, dim, seed);
      const unit = kv.unitVectors();
      const scorer = createRowScorer(rows, dim, { threads: 1 });
      scorer.matrix.set(unit);
      const int8 = createInt8Matrix(rows, dim, { threads: 1 });
      quantizeRows(unit, 0, rows, int8);
      const rand = createRandom(seed);
      let worst = 0;
      for (let i = 0; i < 30; i++) {
        // unit queries (as the query layer sends them) and one of another length
        const q = Float32Array.from({ length: dim }, () => rand() - 0.5);
        const n = Math.hypot(...q) / (i === 0 ? 3 : 1);
        for (let d = 0; d < dim; d++) q[d] /= n;
        const approx = Float32Array.from(int8ScoreRows(int8, q, 0, rows));
        const slack = int8.exactSlack();
        scorer.score(q, 0, rows);
        for (let r = 0; r < rows; r++) {
          const gap = Math.abs(approx[r] - scorer.scores[r]);
          const own = int8.rowSlack(r);
          worst = Math.max(worst, gap / own);
          if (gap > own) throw new Error(`${dim}d query ${i} row ${r}: gap ${gap} > its slack ${own}`);
          if (own > slack) throw new Error(`${dim}d row ${r}: its slack ${own} > the largest ${slack}`);
        }
      }
      // The bound is certain, so loose; it must still be tight enough to filter (a few times the
      // typical error, not a hundred), or the pre-filter would let every row through.
      expect(worst).toBeGreaterThan(0.05);
    }
  });

  it.runIf(wasm)(
    'is small enough to rule out most rows: under 0.03 at 300 dimensions for most unit rows',
    () => {
      const [kv] = models(2000, 300, 21);
      const int8 = createInt8Matrix(2000, 300, { threads: 1 });
      quantizeRows(kv.unitVectors(), 0, 2000, int8);
      int8.setQuery(kv.getUnit('w5'));
      const slacks = Array.from({ length: 2000 }, (_, r) => int8.rowSlack(r)).sort((x, y) => x - y);
      expect(slacks[1000]).toBeLessThan(0.03);
      expect(slacks[0]).toBeGreaterThan(0);
      // the spiky rows (one component × 40) have larger steps, so a larger slack: the largest bounds them all
      expect(slacks[1999]).toBeGreaterThan(1.5 * slacks[1000]);
      expect(int8.exactSlack()).toBeGreaterThanOrEqual(slacks[1999]);
    },
  );

  it('is used by default only for matrices of 16 MiB or more, and can be refused or forced', () => {
    const [, plain] = models(100, 8, 5);
    expect(plain.usesInt8Prefilter).toBe(false);
    const auto = new KeyedVectors({ words: ['a', 'b'], dim: 2, vectors: new Float32Array([1, 0, 0, 1]) });
    expect(auto.usesInt8Prefilter).toBe(false);
    const forced = new KeyedVectors({
      words: ['a', 'b'],
      dim: 2,
      vectors: new Float32Array([1, 0, 0, 1]),
      int8Prefilter: true,
    });
    expect(forced.usesInt8Prefilter).toBe(wasm);
    expect(
      () =>
        new KeyedVectors({
          words: ['a'],
          dim: 1,
          vectors: new Float32Array([1]),
          int8Prefilter: 'yes' as never,
        }),
    ).toThrow(InvalidArgumentError);
  });

  it.runIf(wasm)('can be turned off and on again on a model, with the same answers', () => {
    const [fast, plain] = models(800, 24, 8);
    const q = { positive: ['w10'], topn: 7 };
    const before = fast.mostSimilar(q);
    fast.int8Prefilter = false;
    expect(fast.usesInt8Prefilter).toBe(false);
    expect(fast.mostSimilar(q)).toEqual(before);
    fast.int8Prefilter = true;
    expect(fast.usesInt8Prefilter).toBe(true);
    expect(fast.mostSimilar(q)).toEqual(plain.mostSimilar(q));
    expect(() => {
      fast.int8Prefilter = 2 as never;
    }).toThrow("int8Prefilter must be true, false or 'auto', got");
  });

  it.runIf(wasm)('rebuilds the int8 copy after fillNorms({ force: true })', () => {
    const [fast, plain] = models(500, 12, 9);
    fast.mostSimilar({ positive: ['w1'] });
    fast.vectors.set(fast.vectors.subarray(12 * 7, 12 * 8), 12 * 3); // w3 := w7, in place
    plain.fillNorms({ force: true });
    fast.fillNorms({ force: true });
    const q = { positive: ['w7'], topn: 5 };
    expect(fast.mostSimilar(q)).toEqual(plain.mostSimilar(q));
    expect(fast.mostSimilar(q)[0]).toEqual({ word: 'w3', score: expect.closeTo(1, 6) });
  });
});

describe('int8 quantisation on both kernels', () => {
  it.runIf(wasm)('gives the same codes and scales bit for bit, halves rounded to even', () => {
    const dim = 13;
    // Row 0 has scale exactly 1 (max 127), so the other values are their own code before rounding.
    const halves = [127, 2.5, -2.5, 3.5, -3.5, 0.5, -0.5, 1.5, 126.5, -126.5, 0, 4.49999, -0.50001];
    const rand = createRandom(31);
    const rows = 57;
    const src = new Float32Array(rows * dim);
    src.set(halves);
    for (let i = dim; i < src.length; i++) src[i] = (rand() - 0.5) * (i % 7 === 0 ? 30 : 1);
    const w = createInt8Matrix(rows, dim, { kernel: 'wasm-simd' });
    const j = createInt8Matrix(rows, dim, { kernel: 'js' });
    quantizeRows(src, 0, rows, w);
    quantizeRows(src, 0, rows, j);
    expect(Array.from(w.codes.subarray(0, dim))).toEqual([127, 2, -2, 4, -4, 0, 0, 2, 126, -126, 0, 4, -1]);
    expect(Array.from(w.codes)).toEqual(Array.from(j.codes));
    expect(Array.from(w.scales)).toEqual(Array.from(j.scales));
    expect(w.scales[0]).toBe(1);
  });

  it('refuses rows outside the matrix and too few values', () => {
    const m = createInt8Matrix(4, 3);
    expect(() => m.quantizeRows(new Float32Array(9), 2, 3)).toThrow('rows [2, 5) are not inside [0, 4)');
    expect(() => m.quantizeRows(new Float32Array(5), 0, 2)).toThrow('2 rows need 6 values, got 5');
  });
});
