/**
 * `/compare word model_a model_b` on a real store with two small models: model B is model A rotated
 * (plus a little noise) with one word moved, so after the Procrustes alignment the moved word shows a
 * large shift and the others almost none; the alignment is kept per pair and fitted again when a
 * model is replaced; bad input (other dimension, unknown word, same model twice) gets a clear reply.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRandom, KeyedVectors } from '@wordvec/embeddings';
import { VectorStore } from '@wordvec/vector-store';
import { describe, expect, it } from 'vitest';
import { commands } from '../src/commands/index.js';
import { parseCommandLine } from '../src/core/parse-command-line.js';
import { CommandRunner } from '../src/core/runner.js';
import { StoreCatalog } from '../src/store-catalog.js';

const DIM = 16;
const N = 400;

function gaussian(n: number, seed: number): Float64Array {
  const rand = createRandom(seed);
  return Float64Array.from(
    { length: n },
    () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand()),
  );
}

/** Gram–Schmidt on a Gaussian matrix: a random orthogonal DIM × DIM matrix. */
function rotation(seed: number): Float64Array {
  const q = gaussian(DIM * DIM, seed);
  for (let j = 0; j < DIM; j++) {
    for (let i = 0; i < j; i++) {
      let d = 0;
      for (let r = 0; r < DIM; r++) d += q[r * DIM + i] * q[r * DIM + j];
      for (let r = 0; r < DIM; r++) q[r * DIM + j] -= d * q[r * DIM + i];
    }
    let norm = 0;
    for (let r = 0; r < DIM; r++) norm += q[r * DIM + j] ** 2;
    for (let r = 0; r < DIM; r++) q[r * DIM + j] /= Math.sqrt(norm);
  }
  return q;
}

const words = Array.from({ length: N }, (_, i) => `w${i}`);
const base = gaussian(N * DIM, 1);

/** Model A's vectors rotated, with noise, and `moved` given the vector of `movedTo`. */
function rotatedCopy(seed: number, moved: number, movedTo: number): Float32Array {
  const w = rotation(seed);
  const noise = gaussian(N * DIM, seed + 1);
  const out = new Float32Array(N * DIM);
  for (let i = 0; i < N; i++) {
    const src = i === moved ? movedTo : i;
    for (let j = 0; j < DIM; j++) {
      let x = 0;
      for (let k = 0; k < DIM; k++) x += base[src * DIM + k] * w[k * DIM + j];
      out[i * DIM + j] = x + 0.02 * noise[i * DIM + j];
    }
  }
  return out;
}

function setUp() {
  const dir = mkdtempSync(join(tmpdir(), 'wordvec-compare-'));
  const path = join(dir, 'wordvec.db');
  const writer = VectorStore.open(path);
  const counts = words.map((_, i) => N - i);
  writer.putModel('books', new KeyedVectors({ words, vectors: Float32Array.from(base), dim: DIM, counts }), {
    algorithm: 'cbow',
  });
  // In "news", w7 took the place of w300: its neighbours and its direction are w300's.
  writer.putModel(
    'news',
    new KeyedVectors({
      words: [...words, 'newsonly'],
      vectors: Float32Array.from([...rotatedCopy(5, 7, 300), ...new Float32Array(DIM).fill(1)]),
      dim: DIM,
      counts: [...counts, 1],
    }),
    { algorithm: 'cbow' },
  );
  writer.putModel(
    'small',
    new KeyedVectors({
      words: words.slice(0, 50),
      vectors: Float32Array.from(base.subarray(0, 50 * 8)),
      dim: 8,
    }),
    { algorithm: 'glove' },
  );
  const reader = VectorStore.open(path, { readonly: true });
  const runner = new CommandRunner({ catalog: new StoreCatalog(reader as never) });
  const ask = (line: string) => runner.run({ ...parseCommandLine(line, commands)!, user: 'u1' });
  return { writer, reader, ask };
}

type CompareData = {
  word: string;
  neighboursA: { word: string; score: number }[];
  neighboursB: { word: string; score: number }[];
  shared: string[];
  jaccard: number;
  cosine?: number;
  shift?: number;
  alignment?: { words: number; targetRows: number; meanCosineAfter: number; reused: boolean };
};

describe('/compare', () => {
  it('lists the shared neighbours and the shift after aligning model_b onto model_a', async () => {
    const { writer, reader, ask } = setUp();
    const moved = await ask('/compare w7 books news count:5');
    expect(moved.error).toBeFalsy();
    const d = moved.data as CompareData;
    // The neighbours are each model's own, as /similar lists them.
    expect(d.neighboursA.map((n) => n.word)).toEqual(
      reader
        .model('books')
        .mostSimilar({ positive: ['w7'], topn: 5 })
        .map((n) => n.word),
    );
    expect(d.neighboursB.map((n) => n.word)).toEqual(
      reader
        .model('news')
        .mostSimilar({ positive: ['w7'], topn: 5 })
        .map((n) => n.word),
    );
    const inB = new Set(d.neighboursB.map((n) => n.word));
    const shared = d.neighboursA.map((n) => n.word).filter((w) => inB.has(w));
    expect(d.shared).toEqual(shared);
    expect(d.jaccard).toBeCloseTo(shared.length / (10 - shared.length), 10);
    // w7 in news points where w300 points in books: the cosine across is books' cos(w7, w300).
    expect(d.cosine).toBeCloseTo(reader.model('books').similarity('w7', 'w300'), 1);
    expect(d.shift).toBeGreaterThan(0.5);
    expect(d.alignment).toMatchObject({ words: 400, targetRows: 400, reused: false });
    expect(d.alignment!.meanCosineAfter).toBeGreaterThan(0.99);
    expect(moved.title).toBe('“w7” in books and news');
    expect(moved.lines).toContain(
      `Only in books: ${
        d.neighboursA
          .map((n) => n.word)
          .filter((w) => !inB.has(w))
          .join(', ') || 'none'
      }`,
    );
    expect(moved.lines.at(-1)).toMatch(
      /^Alignment: orthogonal Procrustes \(Hamilton et al\. 2016\) on 400 shared words/,
    );

    // An unchanged word: the same neighbours, no shift; the alignment is reused.
    const kept = await ask('/compare w42 model_a:books model_b:news');
    const k = kept.data as CompareData;
    expect(k.jaccard).toBe(1);
    expect(k.shift).toBeLessThan(0.01);
    expect(k.alignment!.reused).toBe(true);
    expect(kept.lines.at(-1)).toMatch(/, reused\.$/);
    writer.close();
    reader.close();
  });

  it('fits again when a model is replaced', async () => {
    const { writer, reader, ask } = setUp();
    const first = (await ask('/compare w7 books news')).data as CompareData;
    expect(first.shift).toBeGreaterThan(0.5);
    // news again, now with w7 left where it was (another rotation).
    writer.putModel(
      'news',
      new KeyedVectors({ words, vectors: rotatedCopy(9, 7, 7), dim: DIM }),
      { algorithm: 'cbow' },
      { replace: true },
    );
    const again = (await ask('/compare w7 books news')).data as CompareData;
    expect(again.alignment!.reused).toBe(false);
    expect(again.shift).toBeLessThan(0.01);
    writer.close();
    reader.close();
  });

  it('says what is wrong: other dimension, unknown word, the same model twice, unknown model', async () => {
    const { writer, reader, ask } = setUp();
    const dims = await ask('/compare w3 books small');
    expect(dims.error).toBeFalsy();
    expect(dims.lines.at(-1)).toBe(
      'No cosine shift: an alignment needs models of the same dimension, and books has 16, small 8.',
    );
    expect((dims.data as CompareData).cosine).toBeUndefined();

    const oov = await ask('/compare newsonly books news');
    expect(oov.error).toBe(true);
    expect(oov.title).toBe('Unknown word');
    expect(oov.lines[0]).toMatch(
      /^“newsonly” is not in the vocabulary of books\. .*estimated vector .* is not aligned/,
    );

    const neither = await ask('/compare zzzq books news');
    expect(neither.lines[0]).toMatch(/^“zzzq” is not in the vocabulary of books and news\./);

    const same = await ask('/compare w3 books books');
    expect(same.title).toBe('Same model twice');
    expect(same.lines[0]).toMatch(/both books; \/compare needs two different models/);

    const unknown = await ask('/compare w3 books nope');
    expect(unknown.title).toBe('Unknown model');
    expect(unknown.lines[0]).toMatch(/There is no model “nope”/);
    writer.close();
    reader.close();
  });
});
