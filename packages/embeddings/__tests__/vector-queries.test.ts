/**
 * The rest of gensim's KeyedVectors API (getMeanVector, distances, wordsCloserThan,
 * mostSimilarToGiven, relativeCosineSimilarity, nSimilarity skipping unknown words, wmdistance,
 * addVectors, fillNorms), pinned against gensim 4 (Debian's python3-gensim) on the same word2vec file.
 * gensim 4.2's wmdistance imports pyemd; the oracle hands it POT's exact `ot.emd2` instead (python3-pot),
 * which is the solver gensim ≥ 4.3 calls. Without gensim the hand-checked cases below still run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidArgumentError, KeyedVectors, OovError } from '@wordvec/embeddings';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { earthMoversDistance } from '../src/linalg/transport.js';
import { analogyFixture, gensimAvailable, runGensim, writeWord2vecText } from './gensim-oracle.js';

const kv = analogyFixture();
const meanQueries = [
  { keys: ['b0', 'b1', 'b2_r1'], weights: null, pre: true, post: false },
  { keys: ['b0', 'b1', 'nope'], weights: [2, -1, 5], pre: true, post: true },
  { keys: ['b3', 'b4'], weights: [0.5, 1.5], pre: false, post: false },
  { keys: ['b3', 'filler9'], weights: null, pre: false, post: true },
];
const distanceQueries: [string, string[]][] = [
  ['b0', ['b0_r0', 'b1', 'filler3']],
  ['b7_r2', []],
];
const closerPairs: [string, string][] = [
  ['b0', 'b0_r0'],
  ['b5', 'filler1'],
];
const givenQueries: [string, string[]][] = [
  ['b0', ['b1', 'b0_r0', 'b0_r1', 'filler2']],
  ['b9_r1', ['b9', 'b9_r0', 'b9_r2']],
];
const rcsQueries: [string, string, number][] = [
  ['b0', 'b0_r0', 10],
  ['b4_r2', 'b4', 3],
  ['b11', 'filler5', 1],
];
const nPairs: [string[], string[]][] = [
  [
    ['b0', 'unknown1', 'b1'],
    ['b0_r0', 'unknown2'],
  ],
  [['b2', 'b2', 'b3_r1'], ['b5']],
  [['unknown'], ['b5']],
];
const documents: [string[], string[]][] = [
  [
    ['b0', 'b1', 'b2', 'b3'],
    ['b0_r0', 'b1_r0', 'b2_r1', 'filler3'],
  ],
  [
    ['b4', 'b4', 'b5', 'oov'],
    ['b6_r2', 'b5', 'b7'],
  ],
  [['b8'], ['b8']],
  [['b8', 'b8'], ['b8']],
  [['b9', 'b10', 'b11', 'b12', 'b13'], ['b9_r1']],
  [['oov'], ['b1']],
  [
    ['b1', 'b2'],
    ['b3', 'b4', 'b5', 'b6', 'b1', 'b2', 'b2'],
  ],
];

const GENSIM = `
import json, sys, types, math
import numpy as np
q = json.load(sys.stdin)
try:
    import ot
    shim = types.ModuleType('pyemd')
    shim.emd = lambda a, b, m: ot.emd2(a, b, m)
    sys.modules['pyemd'] = shim
    have_pot = True
except ImportError:
    have_pot = False
from gensim.models import KeyedVectors
kv = KeyedVectors.load_word2vec_format(q['path'])
clean = lambda xs: [None if math.isnan(x) else float(x) for x in xs]
out = {
  'mean': [kv.get_mean_vector(x['keys'], weights=x['weights'], pre_normalize=x['pre'], post_normalize=x['post']).tolist() for x in q['mean']],
  'distances': [clean(kv.distances(w, tuple(o))) for w, o in q['distances']],
  'closer': [kv.words_closer_than(a, b) for a, b in q['closer']],
  'given': [kv.most_similar_to_given(w, l) for w, l in q['given']],
  'rcs': [float(kv.relative_cosine_similarity(a, b, n)) for a, b, n in q['rcs']],
  'nSimilarity': [float(kv.n_similarity(a, b)) for a, b in q['nPairs']],
  'wmd': [(lambda d: None if math.isinf(d) else float(d))(kv.wmdistance(a, b)) for a, b in q['documents']] if have_pot else None,
  'wmdRaw': [(lambda d: None if math.isinf(d) else float(d))(kv.wmdistance(a, b, norm=False)) for a, b in q['documents']] if have_pot else None,
}
added = KeyedVectors.load_word2vec_format(q['path'])
added.add_vectors(['b0', 'brand_new'], np.array([[1.0] * added.vector_size, [0.5] * added.vector_size], dtype=np.float32))
replaced = KeyedVectors.load_word2vec_format(q['path'])
replaced.add_vectors(['b0', 'brand_new'], np.array([[1.0] * added.vector_size, [0.5] * added.vector_size], dtype=np.float32), replace=True)
out['added'] = {'size': len(added), 'b0': added['b0'].tolist(), 'last': added.index_to_key[-1],
                'similar': added.most_similar('brand_new', topn=3)}
out['replaced'] = {'size': len(replaced), 'b0': replaced['b0'].tolist(), 'similar': replaced.most_similar('b0', topn=3)}
print(json.dumps(out))
`;

interface Answers {
  mean: number[][];
  distances: (number | null)[][];
  closer: string[][];
  given: string[];
  rcs: number[];
  nSimilarity: number[];
  wmd: (number | null)[] | null;
  wmdRaw: (number | null)[] | null;
  added: { size: number; b0: number[]; last: string; similar: [string, number][] };
  replaced: { size: number; b0: number[]; similar: [string, number][] };
}

const withGensim = gensimAvailable();
let dir: string;
let gensim: Answers;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'wordvec-vq-'));
  if (!withGensim) return;
  const path = join(dir, 'model.txt');
  writeWord2vecText(kv, path);
  gensim = runGensim<Answers>(GENSIM, {
    path,
    mean: meanQueries,
    distances: distanceQueries,
    closer: closerPairs,
    given: givenQueries,
    rcs: rcsQueries,
    nPairs,
    documents,
  });
  if (!gensim.wmd)
    console.warn('POT (python3-pot) not installed: wmdistance is checked against hand-solved cases only');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const closeAll = (ours: ArrayLike<number>, theirs: readonly (number | null)[], digits = 5) => {
  expect(ours.length).toBe(theirs.length);
  for (let i = 0; i < theirs.length; i++) {
    if (theirs[i] === null) continue;
    expect(ours[i]).toBeCloseTo(theirs[i] as number, digits);
  }
};

describe.skipIf(!withGensim)('gensim 4 KeyedVectors: the rest of the API', () => {
  it('getMeanVector: weights, preNormalize, postNormalize and skipped unknown words as gensim', () => {
    meanQueries.forEach((q, i) => {
      const ours = kv.getMeanVector(q.keys, {
        weights: q.weights ?? undefined,
        preNormalize: q.pre,
        postNormalize: q.post,
      });
      closeAll(ours, gensim.mean[i], 6);
    });
    expect(() => kv.getMeanVector(['b0', 'nope'], { ignoreMissing: false })).toThrow(OovError);
    expect(() => kv.getMeanVector([])).toThrow(InvalidArgumentError);
    expect(() => kv.getMeanVector(['b0'], { weights: [1, 2] })).toThrow(/1 keys but 2 weights/);
  });

  it('distances to given words and to every row (a zero row is 1 here, NaN in gensim)', () => {
    distanceQueries.forEach(([w, others], i) => {
      closeAll(kv.distances(w, others), gensim.distances[i], 5);
    });
    const all = kv.distances('b7_r2');
    expect(all[kv.index('zero')]).toBe(1);
    expect(gensim.distances[1][kv.index('zero')]).toBeNull();
    expect(() => kv.distances('b0', ['b1', 'nope', 'nada'])).toThrow(/nope.*nada/);
  });

  it('wordsCloserThan, mostSimilarToGiven and relativeCosineSimilarity as gensim', () => {
    // The zero row: cosine 0 here, NaN in gensim (never "closer"); below a negative threshold only we list it.
    const ours = closerPairs.map(([a, b]) => kv.wordsCloserThan(a, b));
    expect(ours.map((ws) => ws.filter((w) => w !== 'zero'))).toEqual(gensim.closer);
    expect(ours[1]).toContain('zero');
    expect(givenQueries.map(([w, l]) => kv.mostSimilarToGiven(w, l))).toEqual(gensim.given);
    rcsQueries.forEach(([a, b, n], i) => {
      expect(kv.relativeCosineSimilarity(a, b, n)).toBeCloseTo(gensim.rcs[i], 5);
    });
    expect(() => kv.relativeCosineSimilarity('b0', 'b1', 0)).toThrow(InvalidArgumentError);
  });

  it('nSimilarity skips unknown words as gensim does (a set with none known scores 0)', () => {
    const skipped: string[] = [];
    nPairs.forEach(([a, b], i) => {
      expect(kv.nSimilarity(a, b, { onOov: (w) => skipped.push(...w) })).toBeCloseTo(
        gensim.nSimilarity[i],
        5,
      );
    });
    expect(skipped).toEqual(['unknown1', 'unknown2', 'unknown']);
  });

  it('wmdistance equals gensim with POT exact EMD (norm on and off; OOV dropped, Infinity, 0)', (ctx) => {
    if (!gensim.wmd || !gensim.wmdRaw) ctx.skip();
    const toNull = (d: number) => (Number.isFinite(d) ? d : null);
    documents.forEach(([a, b], i) => {
      expect(toNull(kv.wmdistance(a, b))).toBeCloseTo(gensim.wmd?.[i] as number, 6);
      expect(toNull(kv.wmdistance(a, b, { norm: false }))).toBeCloseTo(gensim.wmdRaw?.[i] as number, 5);
    });
    expect(gensim.wmd?.[5]).toBeNull(); // a document with no known word
    expect(gensim.wmd?.[2]).toBe(0);
  });

  it('addVectors appends new words and keeps or replaces existing ones as gensim add_vectors', () => {
    const ones = new Float32Array(kv.dim).fill(1);
    const halves = new Float32Array(kv.dim).fill(0.5);
    const both = new Float32Array([...ones, ...halves]);
    const added = kv.addVectors(['b0', 'brand_new'], both);
    expect(added.size).toBe(gensim.added.size);
    expect(added.words[added.size - 1]).toBe(gensim.added.last);
    closeAll(added.get('b0'), gensim.added.b0, 6);
    expect(added.similarByWord('brand_new', { topn: 3 }).map((s) => s.word)).toEqual(
      gensim.added.similar.map(([w]) => w),
    );
    const replaced = kv.addVectors(['b0', 'brand_new'], both, { replace: true });
    expect(replaced.size).toBe(gensim.replaced.size);
    closeAll(replaced.get('b0'), gensim.replaced.b0, 6);
    expect(replaced.similarByWord('b0', { topn: 3 }).map((s) => s.word)).toEqual(
      gensim.replaced.similar.map(([w]) => w),
    );
    expect(kv.has('brand_new')).toBe(false); // the original is left as it was
  });
});

describe('fillNorms and addVectors arguments', () => {
  it('fillNorms({ force }) recomputes norms and unit rows after an in-place edit', () => {
    const v = new KeyedVectors({ words: ['a', 'b'], dim: 2, vectors: new Float32Array([3, 4, 1, 0]) });
    expect(v.norms[0]).toBe(5);
    expect(v.similarity('a', 'b')).toBeCloseTo(0.6, 6);
    v.vectors.set([0, 2], 0);
    v.fillNorms();
    expect(v.norms[0]).toBe(5); // not forced: gensim keeps stale norms too
    v.fillNorms({ force: true });
    expect(v.norms[0]).toBe(2);
    expect(v.similarity('a', 'b')).toBeCloseTo(0, 6);
  });

  it('addVectors refuses duplicates and a wrong number of values', () => {
    expect(() => kv.addVectors(['x', 'x'], new Float32Array(2 * kv.dim))).toThrow(/twice/);
    expect(() => kv.addVectors(['x'], new Float32Array(3))).toThrow(InvalidArgumentError);
  });
});

describe('exact earth mover distance (our own solver behind wmdistance)', () => {
  it('solves hand-checked cases', () => {
    // Everything moves from one pile: the cost is the weighted mean distance.
    expect(earthMoversDistance([1], [0.25, 0.75], [4, 8])).toBeCloseTo(7, 12);
    // 2 × 2, costs a→x 0, a→y 10, b→x 4, b→y 4: straight 0.5·0 + 0.5·4 = 2 beats crossed 0.5·10 + 0.5·4 = 7.
    expect(earthMoversDistance([0.5, 0.5], [0.5, 0.5], [0, 10, 4, 4])).toBeCloseTo(2, 12);
    // Flipped costs make crossing best: a→y 0, b→x 1 → 0.5.
    expect(earthMoversDistance([0.5, 0.5], [0.5, 0.5], [9, 0, 1, 9])).toBeCloseTo(0.5, 12);
    // Unequal piles: 0.6 at a, 0.4 at b to x (0.3) and y (0.7); costs a→x 1, a→y 3, b→x 2, b→y 1.
    // Optimum: b sends 0.4 → y (0.4), a sends 0.3 → x (0.3) and 0.3 → y (0.9): 1.6.
    expect(earthMoversDistance([0.6, 0.4], [0.3, 0.7], [1, 3, 2, 1])).toBeCloseTo(1.6, 12);
  });

  it('equals the best assignment on uniform bags (Birkhoff: an optimum is a permutation)', () => {
    let seed = 11;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const permutations = (n: number): number[][] =>
      n === 0
        ? [[]]
        : permutations(n - 1).flatMap((p) =>
            Array.from({ length: n }, (_, k) => [...p.slice(0, k), n - 1, ...p.slice(k)]),
          );
    for (let trial = 0; trial < 30; trial++) {
      const n = 2 + (trial % 5);
      const cost = Array.from({ length: n * n }, () => Math.round(rand() * 100) / 10);
      const best = Math.min(...permutations(n).map((p) => p.reduce((s, j, i) => s + cost[i * n + j], 0))) / n;
      const w = new Array(n).fill(1 / n);
      expect(earthMoversDistance(w, w, cost)).toBeCloseTo(best, 9);
    }
  });

  it('refuses bad input', () => {
    expect(() => earthMoversDistance([1], [0.5], [1])).toThrow(/totals/);
    expect(() => earthMoversDistance([1], [1], [1, 2])).toThrow(/entries/);
    expect(() => earthMoversDistance([-1, 2], [1], [1, 1])).toThrow(/non-negative/);
  });
});
