import { createRandom } from '@wordvec/embeddings';

import {
  createInt8Matrix,
  int8ScoreRows,
  int8Scorer,
  quantizeRows,
  selectTopK,
} from '@wordvec/embeddings/kernels';
import { describe, expect, it } from 'vitest';

function unitRows(n: number, dim: number, seed = 3): Float32Array {
  const rand = createRandom(seed);
  const m = Float32Array.from({ length: n * dim }, () => rand() * 2 - 1);
  for (let r = 0; r < n; r++) {
    let s = 0;
    for (let d = 0; d < dim; d++) s += m[r * dim + d] ** 2;
    for (let d = 0; d < dim; d++) m[r * dim + d] /= Math.sqrt(s);
  }
  return m;
}

/** The score by definition: integer dot product of the codes times both scales. */
function byDefinition(m: Float32Array, dim: number, r: number, q: Float32Array): number {
  const code = (v: Float32Array, o: number) => {
    let max = 0;
    for (let d = 0; d < dim; d++) max = Math.max(max, Math.abs(v[o + d]));
    const scale = max / 127;
    return { scale, codes: Array.from({ length: dim }, (_, d) => Math.round(v[o + d] / scale)) };
  };
  const a = code(m, r * dim);
  const b = code(q, 0);
  let s = 0;
  for (let d = 0; d < dim; d++) s += a.codes[d] * b.codes[d];
  return s * Math.fround(a.scale) * Math.fround(b.scale);
}

describe('int8 rows (absmax codes, query quantised too)', () => {
  for (const dim of [1, 15, 16, 17, 50, 300]) {
    it(`wasm SIMD and JavaScript give the same scores, the integer dot product × scales, at dim ${dim}`, () => {
      const n = 41;
      const m = unitRows(n, dim);
      const q = unitRows(1, dim, 9);
      const wasm = createInt8Matrix(n, dim, { kernel: 'wasm-simd' });
      const js = createInt8Matrix(n, dim, { kernel: 'js' });
      expect(wasm.kernel).toBe('wasm-simd');
      expect(js.kernel).toBe('js');
      // Two blocks, as a store loads them.
      for (const target of [wasm, js]) {
        quantizeRows(m.subarray(0, 20 * dim), 0, 20, target);
        quantizeRows(m.subarray(20 * dim), 20, n - 20, target);
      }
      const a = Float32Array.from(int8ScoreRows(wasm, q, 0, n));
      const b = Float32Array.from(int8ScoreRows(js, q, 0, n));
      for (let r = 0; r < n; r++) {
        const want = byDefinition(m, dim, r, q);
        expect(a[r]).toBeCloseTo(want, 4);
        expect(b[r]).toBeCloseTo(a[r], 6);
        // And close to the exact cosine: quantisation error only.
        let exact = 0;
        for (let d = 0; d < dim; d++) exact += m[r * dim + d] * q[d];
        expect(Math.abs(a[r] - exact)).toBeLessThan(0.05);
      }
      // A scan starting inside a group of four, ending inside another: four-row steps, then single rows.
      for (const [target, full] of [
        [wasm, a],
        [js, b],
      ] as const) {
        const part = int8ScoreRows(target, q, 1, 39);
        for (let r = 1; r < 39; r++) expect(part[r]).toBe(full[r]);
      }
      const ids = [40, 3, 3, 0];
      for (const target of [wasm, js]) {
        const g = int8Scorer(target, q);
        g.ids.set(ids);
        g.score(ids.length);
        for (const [k, id] of ids.entries()) expect(g.out[k]).toBeCloseTo(a[id], 5);
      }
    });
  }

  it.runIf(createInt8Matrix(1, 8).kernel === 'wasm-simd')(
    'a scan split between the caller and the helper thread gives the one-thread scores bit for bit',
    () => {
      const n = 100_003;
      const dim = 50; // 60 bytes a row: 17,477 rows per 1 MiB chunk, 6 chunks per full scan
      const m = unitRows(n, dim, 5);
      const two = createInt8Matrix(n, dim, { kernel: 'wasm-simd', threads: 2, helperTimeoutMs: 10_000 });
      const one = createInt8Matrix(n, dim, { kernel: 'wasm-simd', threads: 1 });
      expect(two.threads).toBe(2);
      expect(one.threads).toBe(1);
      for (const target of [two, one]) quantizeRows(m, 0, n, target);
      const rand = createRandom(17);
      const compare = (job: number, q: Float32Array, start: number, end: number) => {
        two.scan(0, n).fill(Number.NaN);
        const a = int8ScoreRows(two, q, start, end);
        const b = int8ScoreRows(one, q, start, end);
        for (let r = start; r < end; r++) {
          if (!Object.is(a[r], b[r])) throw new Error(`job ${job}: row ${r}: ${a[r]} vs ${b[r]}`);
        }
        if (start > 0 && !Number.isNaN(a[start - 1])) throw new Error(`job ${job}: row before written`);
        if (end < n && !Number.isNaN(a[end])) throw new Error(`job ${job}: row after written`);
        // The top-k's wasm skip over these scores picks what the plain loop picks.
        const options = { start, end, exclude: [start + 1] };
        const plain = selectTopK(a, 20, options);
        const skipped = selectTopK(a, 20, { ...options, firstAbove: two.firstAbove });
        expect(Array.from(skipped.rows)).toEqual(Array.from(plain.rows));
        expect(Array.from(skipped.scores)).toEqual(Array.from(plain.scores));
      };
      // Full scans and sub-ranges whose chunks start inside a group of four rows; the worker
      // starts during the first jobs, so later ones are shared between the two threads.
      for (let job = 0; job < 80; job++) {
        const q = unitRows(1, dim, 100 + job);
        const start = job % 2 === 0 ? 0 : Math.floor(rand() * n);
        const end = job % 2 === 0 ? n : start + Math.floor(rand() * (n - start + 1));
        compare(job, q, start, end);
      }
      // a chunk claimed but never run would have made the caller give the helper up
      expect(two.threads).toBe(2);
      // The fallback: without its helper the matrix scans on the caller alone, same scores.
      two.stopHelper();
      expect(two.threads).toBe(1);
      compare(80, unitRows(1, dim, 99), 0, n);
      compare(81, unitRows(1, dim, 98), 3, n - 5);
    },
  );

  it('refuses a thread count other than 1 or 2', () => {
    expect(() => createInt8Matrix(4, 8, { threads: 3 })).toThrow('threads must be 1 or 2, got 3');
  });

  it('a scan of part of the rows writes only those', () => {
    const m = unitRows(10, 8);
    const q8 = createInt8Matrix(10, 8);
    quantizeRows(m, 0, 10, q8);
    const before = Float32Array.from(int8ScoreRows(q8, m.subarray(0, 8), 0, 10));
    const part = int8ScoreRows(q8, m.subarray(8, 16), 2, 5);
    expect(part[0]).toBe(before[0]);
    expect(part[6]).toBe(before[6]);
    expect(part[3]).not.toBe(before[3]);
  });

  it('pads rows to 8 bytes with zero codes', () => {
    const q8 = createInt8Matrix(2, 2);
    quantizeRows(new Float32Array([0.6, 0.8, 1, 0]), 0, 2, q8);
    expect(q8.stride).toBe(8);
    expect(Array.from(q8.codes.subarray(0, 4))).toEqual([95, 127, 0, 0]);
    expect(Array.from(q8.codes.subarray(8, 10))).toEqual([127, 0]);
    expect(createInt8Matrix(1, 50).stride).toBe(56);
  });
});
