import { createRandom, InvalidArgumentError, KeyedVectors } from '@wordvec/embeddings';
import { createRowScorer, hasWasmRowScorer, scoreRows } from '@wordvec/embeddings/kernels';
import { describe, expect, it } from 'vitest';

const rand = createRandom(21);

function randomRows(rows: number, dim: number): Float32Array {
  return Float32Array.from({ length: rows * dim }, () => rand() * 2 - 1);
}

/** Reference dot products in float64. */
function reference(m: Float32Array, dim: number, q: Float32Array): number[] {
  const out: number[] = [];
  for (let r = 0; r < m.length / dim; r++) {
    let s = 0;
    for (let j = 0; j < dim; j++) s += m[r * dim + j] * q[j];
    out.push(s);
  }
  return out;
}

describe('row scoring kernels', () => {
  it('the JS kernel (4 accumulators + tail) gives the dot product of every row, for every dim mod 4', () => {
    for (const dim of [1, 2, 3, 4, 5, 7, 16, 17, 50]) {
      const m = randomRows(9, dim);
      const q = randomRows(1, dim);
      const out = new Float32Array(9);
      scoreRows(m, dim, q, 2, 9, out);
      const ref = reference(m, dim, q);
      expect(out[0]).toBe(0); // rows before start untouched
      for (let r = 2; r < 9; r++) expect(out[r]).toBeCloseTo(ref[r], 5);
    }
  });

  it.runIf(hasWasmRowScorer())(
    'the WebAssembly SIMD kernel (16-, 4- and 1-float steps) matches the reference',
    () => {
      for (const dim of [1, 3, 4, 15, 16, 19, 50, 64, 300]) {
        const rows = 37;
        const s = createRowScorer(rows, dim, { kernel: 'wasm-simd' });
        expect(s.kernel).toBe('wasm-simd');
        s.matrix.set(randomRows(rows, dim));
        const q = randomRows(1, dim);
        s.scores.fill(-7);
        s.score(q, 5, 30);
        const ref = reference(s.matrix, dim, q);
        for (let r = 0; r < rows; r++) {
          if (r < 5 || r >= 30) expect(s.scores[r]).toBe(-7);
          else expect(s.scores[r]).toBeCloseTo(ref[r], 4);
        }
      }
    },
  );

  it.runIf(hasWasmRowScorer())(
    'with a helper thread, every row of every scan is scored exactly once (consecutive jobs, sub-ranges)',
    () => {
      const rows = 100_000;
      const dim = 21; // 12,483 rows per 1 MiB chunk: 9 chunks for caller and helper to share per full scan
      const two = createRowScorer(rows, dim, { kernel: 'wasm-simd', threads: 2, helperTimeoutMs: 10_000 });
      const one = createRowScorer(rows, dim, { kernel: 'wasm-simd', threads: 1 });
      expect(two.threads).toBe(2);
      const m = randomRows(rows, dim);
      two.matrix.set(m);
      one.matrix.set(m);
      for (let job = 0; job < 120; job++) {
        const q = randomRows(1, dim);
        const start = job % 3 === 0 ? 0 : Math.floor(rand() * rows);
        const end = job % 3 === 0 ? rows : start + Math.floor(rand() * (rows - start + 1));
        two.scores.fill(Number.NaN);
        two.score(q, start, end);
        one.score(q, start, end);
        for (let r = start; r < end; r++) {
          if (two.scores[r] !== one.scores[r])
            throw new Error(`job ${job}: row ${r} differs: ${two.scores[r]} vs ${one.scores[r]}`);
        }
        if (start > 0 && !Number.isNaN(two.scores[start - 1]))
          throw new Error(`job ${job}: row before the range written`);
        if (end < rows && !Number.isNaN(two.scores[end]))
          throw new Error(`job ${job}: row after the range written`);
      }
      // a chunk claimed but never run would have made the caller give the helper up
      expect(two.threads).toBe(2);
      // Without the helper (stopped, as when it is given up), the caller scans alone: same scores.
      two.stopHelper();
      expect(two.threads).toBe(1);
      const q = randomRows(1, dim);
      two.scores.fill(Number.NaN);
      two.score(q, 0, rows);
      one.score(q, 0, rows);
      expect(Array.from(two.scores)).toEqual(Array.from(one.scores));
    },
  );

  it('refuses a thread count other than 1 or 2', () => {
    expect(() => createRowScorer(3, 4, { threads: 3 })).toThrow('threads must be 1 or 2, got 3');
    expect(() => createRowScorer(3, 4, { kernel: 'js', threads: 0 })).toThrow(InvalidArgumentError);
  });

  it('KeyedVectors uses the wasm kernel when available and answers the same as the JS kernel', () => {
    const kv = new KeyedVectors({
      words: Array.from({ length: 200 }, (_, i) => `w${i}`),
      dim: 24,
      vectors: randomRows(200, 24),
    });
    expect(kv.kernel).toBe(hasWasmRowScorer() ? 'wasm-simd' : 'js');
    const js = createRowScorer(200, 24, { kernel: 'js' });
    js.matrix.set(kv.unitVectors());
    const q = kv.getUnit('w3');
    js.score(q, 0, 200);
    const ours = kv.nearestRows(q, { topn: 200 });
    for (let i = 0; i < 200; i++) expect(ours.scores[i]).toBeCloseTo(js.scores[ours.rows[i]], 5);
  });

  it('KeyedVectors scans a given rowScorer (unit rows filled by the caller) instead of normalising again', () => {
    const words = ['a', 'b', 'c'];
    const scorer = createRowScorer(3, 2);
    scorer.matrix.set([1, 0, 0, 1, Math.SQRT1_2, Math.SQRT1_2]);
    const kv = new KeyedVectors({ words, dim: 2, vectors: scorer.matrix, rowScorer: scorer });
    expect(kv.unitVectors()).toBe(scorer.matrix);
    expect(kv.mostSimilar({ positive: ['a'], topn: 1 })[0]).toEqual({
      word: 'c',
      score: expect.closeTo(Math.SQRT1_2, 6),
    });
    expect(
      () => new KeyedVectors({ words: ['a'], dim: 2, vectors: new Float32Array(2), rowScorer: scorer }),
    ).toThrow(InvalidArgumentError);
  });

  it('takes the one kernel vocabulary and names the valid values for anything else', () => {
    expect(createRowScorer(3, 4, { kernel: 'js' }).kernel).toBe('js');
    expect(createRowScorer(3, 4, { kernel: 'auto' }).kernel).toBe(hasWasmRowScorer() ? 'wasm-simd' : 'js');
    expect(() => createRowScorer(3, 4, { kernel: 'wasm' as 'js' })).toThrow(InvalidArgumentError);
    expect(() => createRowScorer(3, 4, { kernel: 'wasm' as 'js' })).toThrow(
      `kernel must be 'auto', 'wasm-simd' or 'js', got "wasm"`,
    );
  });

  it('rejects a query of the wrong length or a row range outside the matrix', () => {
    const s = createRowScorer(4, 3);
    expect(() => s.score(new Float32Array(2), 0, 4)).toThrow(InvalidArgumentError);
    expect(() => s.score(new Float32Array(3), 2, 5)).toThrow(/\[2, 5\)/);
  });
});

describe('row scorer gather (the graph walk over the same matrix)', () => {
  for (const kernel of ['wasm-simd', 'js'] as const) {
    it.runIf(kernel === 'js' || hasWasmRowScorer())(
      `${kernel}: scores the query against listed rows only`,
      () => {
        for (const dim of [3, 16, 50, 71]) {
          const rows = 30;
          const s = createRowScorer(rows, dim, { kernel, threads: 1 });
          s.matrix.set(randomRows(rows, dim));
          const q = randomRows(1, dim);
          const ref = reference(s.matrix, dim, q);
          const g = s.gather(q);
          const ids = [29, 0, 7, 7, 12];
          g.ids.set(ids);
          g.score(ids.length);
          for (const [k, id] of ids.entries()) expect(g.out[k]).toBeCloseTo(ref[id], 5);
          // A new query replaces the old one in the same gather object.
          const q2 = randomRows(1, dim);
          expect(s.gather(q2)).toBe(g);
          g.score(1);
          expect(g.out[0]).toBeCloseTo(reference(s.matrix, dim, q2)[29], 5);
        }
      },
    );
  }

  it('refuses a query of the wrong width', () => {
    const s = createRowScorer(2, 4);
    expect(() => s.gather(new Float32Array(3))).toThrow(InvalidArgumentError);
  });
});

describe('setUnitRows', () => {
  it('divides each row by its norm, rounded once to float32, on both kernels; zero and NaN norms give zeros', () => {
    const r = createRandom(5);
    for (const dim of [1, 3, 4, 7, 50]) {
      const rows = 23;
      const vectors = Float32Array.from({ length: rows * dim }, () => (r() - 0.5) * 10);
      const norms = new Float32Array(rows);
      for (let i = 0; i < rows; i++) {
        let s = 0;
        for (let j = 0; j < dim; j++) s += vectors[i * dim + j] ** 2;
        norms[i] = Math.sqrt(s);
      }
      norms[4] = 0;
      norms[9] = Number.NaN;
      vectors.fill(-0, 4 * dim, 5 * dim);
      const want = new Float32Array(rows * dim);
      for (let i = 0; i < rows; i++) {
        if (!(norms[i] > 0)) continue;
        for (let j = 0; j < dim; j++) want[i * dim + j] = vectors[i * dim + j] / norms[i];
      }
      for (const kernel of hasWasmRowScorer() ? (['wasm-simd', 'js'] as const) : (['js'] as const)) {
        const s = createRowScorer(rows, dim, { kernel, threads: 1 });
        s.matrix.fill(7); // whatever was there before is replaced
        s.setUnitRows(vectors, norms);
        for (let k = 0; k < want.length; k++) {
          if (!Object.is(s.matrix[k], want[k])) {
            throw new Error(`${kernel} dim ${dim} value ${k}: ${s.matrix[k]} vs ${want[k]}`);
          }
        }
      }
    }
  });

  it('refuses vectors or norms of the wrong length', () => {
    const s = createRowScorer(2, 3);
    expect(() => s.setUnitRows(new Float32Array(5), new Float32Array(2))).toThrow(
      'unit rows need 2 × 3 values and 2 norms, got 5 and 2',
    );
  });
});
