import { join } from 'node:path';
import { createRandom, KeyedVectors } from '@wordvec/embeddings';
import { createInt8Matrix, hasWasmRowScorer } from '@wordvec/embeddings/kernels';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StoreError, VectorStore } from '../src/index.js';
import { clusteredVectors, tempDir } from './fixtures.js';

const wasm = hasWasmRowScorer() && createInt8Matrix(1, 8).kernel === 'wasm-simd';
// Uniform rows (scores close together, so int8 alone would misorder some answers), one clustered
// half, and some exact repeats, so that ties (and the tie rule) are part of the answers compared.
const data = clusteredVectors(3000, 40, 13, 50);
const rand = createRandom(17);
for (let i = 0; i < 1500 * 40; i++) data.vectors[i] = rand() - 0.5;
for (let r = 100; r < 3000; r += 97) data.vectors.copyWithin(r * 40, (r - 50) * 40, (r - 49) * 40);

let cleanup: () => void;
let path: string;
beforeAll(() => {
  let dir: string;
  ({ dir, cleanup } = tempDir());
  path = join(dir, 'prefilter.db');
  const store = VectorStore.open(path);
  store.putModel('m', new KeyedVectors(data));
  store.close();
});
afterAll(() => cleanup());

describe('the int8 pre-filter of a stored model', () => {
  it.runIf(wasm)('gives the exact scan’s answers, bit for bit, and can be turned off again', () => {
    const store = VectorStore.open(path, { readonly: true });
    const fast = store.model('m');
    fast.loadSync({ int8Prefilter: true });
    const other = VectorStore.open(path, { readonly: true });
    const plain = other.model('m');
    plain.loadSync();
    for (let i = 0; i < 80; i++) {
      const q = {
        positive: i % 4 === 0 ? [`w${i * 31}`, `w${i * 7}`] : [`w${i * 31}`],
        negative: i % 5 === 0 ? [`w${i + 3}`] : [],
        topn: 1 + (i % 25),
        restrictVocab: i % 6 === 0 ? 1500 : undefined,
      };
      expect(fast.mostSimilar(q), `query ${i}`).toEqual(plain.mostSimilar(q));
    }
    const v = Float32Array.from({ length: 40 }, (_, d) => Math.sin(d));
    const a = fast.nearestRows(v, { topn: 30, exclude: [5] });
    const b = plain.nearestRows(v, { topn: 30, exclude: [5] });
    expect(Array.from(a.rows)).toEqual(Array.from(b.rows));
    expect(Array.from(a.scores)).toEqual(Array.from(b.scores));
    fast.loadSync({ int8Prefilter: false });
    expect(fast.mostSimilar({ positive: ['w9'] })).toEqual(plain.mostSimilar({ positive: ['w9'] }));
    store.close();
    other.close();
  });

  it('refuses a value other than true or false', () => {
    const store = VectorStore.open(path, { readonly: true });
    let error: unknown;
    try {
      store.model('m').loadSync({ int8Prefilter: 'yes' as never });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).message).toBe('int8Prefilter must be true or false, got "yes"');
    store.close();
  });
});
