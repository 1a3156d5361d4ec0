/**
 * One suite of gensim-oracle query tests over every row source of the one query layer: in-memory
 * `KeyedVectors`, a stored float32 model, a stored int8 model and a stored model with an HNSW graph.
 * gensim 4 (Debian's python3-gensim) answers the same queries on the same word2vec file; without it
 * the stored sources are checked against the in-memory answers instead (which the gensim run pins).
 *
 * Stated tolerances: float32 sources give gensim's words in gensim's order with cosines within 1e-5.
 * int8 neighbour queries re-rank a candidate pool on exact rows, so their scores are exact cosines
 * (1e-5) and here, on 164 rows, their words are gensim's too; queries that score every row exactly
 * (3CosMul, closerThan, rank) need the float32 matrix and say so. The HNSW model answers exactly with
 * `exact: true`; through the graph its recall@k against gensim is stated and checked (≥ 0.95).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KeyedVectors, MostSimilarOptions, Similar } from '@wordvec/embeddings';
import { type StoredModel, StoreError, VectorStore } from '@wordvec/vector-store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  analogyFixture,
  gensimAvailable,
  runGensim,
  writeWord2vecText,
} from '../packages/embeddings/__tests__/gensim-oracle.js';

interface Answers {
  mostSimilar: [string, number][][];
  cosmul: [string, number][][];
  doesntMatch: string[];
  similarity: number[];
  nSimilarity: number[];
  closerThan: string[][];
  rank: number[];
}

const kv = analogyFixture();
const mostSimilarQueries = [
  { positive: ['b0'], negative: [] as string[], topn: 10 },
  { positive: ['b1_r0', 'b2'], negative: ['b1'], topn: 7 },
  { positive: ['b5', 'b6', 'b7_r2'], negative: ['b8', 'b9_r1'], topn: 12 },
  { positive: [] as string[], negative: ['b4'], topn: 5 },
  { positive: ['b10'], negative: [] as string[], topn: 6, restrictVocab: 50 },
  { positive: ['b11'], negative: [] as string[], topn: 6, restrictVocab: 0 },
];
const cosmulQueries = [
  { positive: ['b1_r0', 'b2'], negative: ['b1'], topn: 7 },
  { positive: ['b3_r1', 'b4', 'b5'], negative: ['b3', 'filler2'], topn: 5 },
  { positive: ['b11'], negative: [] as string[], topn: 4 },
];
const mismatchLists = [
  ['b0', 'b0_r0', 'b0_r1', 'b17'],
  ['b1_r0', 'b2_r0', 'b3_r0', 'b4_r0', 'filler3'],
];
const pairs: [string, string][] = [
  ['b0', 'b0_r0'],
  ['b3', 'filler7'],
  ['b12_r2', 'b12_r1'],
  ['B1', 'b1'],
];
const nPairs: [string[], string[]][] = [
  [['b0', 'b1'], ['b0_r0']],
  [
    ['b2', 'b3_r1', 'filler1'],
    ['b5', 'b6'],
  ],
];

const GENSIM = `
import json, sys
from gensim.models import KeyedVectors
q = json.load(sys.stdin)
kv = KeyedVectors.load_word2vec_format(q['path'])
out = {
  'mostSimilar': [kv.most_similar(positive=x['positive'], negative=x['negative'], topn=x['topn'],
                                  restrict_vocab=x.get('restrictVocab')) for x in q['mostSimilar']],
  'cosmul': [kv.most_similar_cosmul(positive=x['positive'], negative=x['negative'], topn=x['topn']) for x in q['cosmul']],
  'doesntMatch': [kv.doesnt_match(w) for w in q['doesntMatch']],
  'similarity': [float(kv.similarity(a, b)) for a, b in q['pairs']],
  'nSimilarity': [float(kv.n_similarity(a, b)) for a, b in q['nPairs']],
  'closerThan': [kv.closer_than(a, b) for a, b in q['pairs']],
  'rank': [kv.rank(a, b) for a, b in q['pairs']],
}
print(json.dumps(out))
`;

/** The same answers from our in-memory vectors: the reference when gensim is not installed. */
function ourAnswers(model: KeyedVectors): Answers {
  const pairsOf = (xs: Similar[]) => xs.map((s): [string, number] => [s.word, s.score]);
  return {
    mostSimilar: mostSimilarQueries.map((q) => pairsOf(model.mostSimilar(q))),
    cosmul: cosmulQueries.map((q) => pairsOf(model.mostSimilarCosmul(q))),
    doesntMatch: mismatchLists.map((w) => model.doesntMatch(w)),
    similarity: pairs.map(([a, b]) => model.similarity(a, b)),
    nSimilarity: nPairs.map(([a, b]) => model.nSimilarity(a, b)),
    closerThan: pairs.map(([a, b]) => model.closerThan(a, b)),
    rank: pairs.map(([a, b]) => model.rank(a, b)),
  };
}

const withGensim = gensimAvailable();
let dir: string;
let store: VectorStore;
let int8Store: VectorStore;
let reference: Answers;
const stored: Record<string, StoredModel> = {};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'wordvec-sources-'));
  if (withGensim) {
    const path = join(dir, 'model.txt');
    writeWord2vecText(kv, path);
    reference = runGensim<Answers>(GENSIM, {
      path,
      mostSimilar: mostSimilarQueries,
      cosmul: cosmulQueries,
      doesntMatch: mismatchLists,
      pairs,
      nPairs,
    });
  } else {
    reference = ourAnswers(kv);
  }
  store = VectorStore.open(join(dir, 'store.db'));
  store.putModel('f32', kv);
  store.putModel('ann', kv, {}, { ann: { M: 8, efConstruction: 64, seed: 2 } });
  stored.f32 = store.model('f32');
  stored.ann = store.model('ann');
  // A second store object, so the same model can be held as int8 beside the float32 one.
  int8Store = VectorStore.open(join(dir, 'store.db'), { readonly: true });
  stored.int8 = int8Store.model('f32');
  stored.int8.loadSync({ precision: 'int8' });
}, 120_000);

afterAll(() => {
  store?.close();
  int8Store?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const expectSameNeighbours = (ours: Similar[], theirs: [string, number][]) => {
  expect(ours.map((r) => r.word)).toEqual(theirs.map(([w]) => w));
  for (let i = 0; i < ours.length; i++) expect(ours[i].score).toBeCloseTo(theirs[i][1], 5);
};

/** A source as the suite sees it: a name, the model, and how its neighbour queries are asked. */
interface Source {
  name: string;
  model: () => KeyedVectors | StoredModel;
  /** Whether 3CosMul, closerThan and rank (every row scored exactly) are answered. */
  scansExactly: boolean;
  /** Extra options of neighbour queries. */
  extra?: { exact?: boolean };
}

const sources: Source[] = [
  { name: 'in-memory KeyedVectors', model: () => kv, scansExactly: true },
  { name: 'stored float32 model', model: () => stored.f32, scansExactly: true },
  { name: 'stored int8 model', model: () => stored.int8, scansExactly: false },
  {
    name: 'stored model with HNSW, exact: true',
    model: () => stored.ann,
    scansExactly: true,
    extra: { exact: true },
  },
];

describe.each(sources)('gensim 4 query semantics on the $name', (source) => {
  // Without gensim the in-memory answers are the reference, so comparing them with themselves proves nothing.
  const runIt = withGensim || source.name !== 'in-memory KeyedVectors' ? it : it.skip;
  const mostSimilar = (q: MostSimilarOptions) =>
    (source.model() as StoredModel).mostSimilar({ ...q, ...source.extra });

  runIt('most_similar: same words, same order, same cosines (positive, negative, restrict_vocab, 0)', () => {
    for (const [i, q] of mostSimilarQueries.entries())
      expectSameNeighbours(mostSimilar(q), reference.mostSimilar[i]);
  });

  runIt('most_similar_cosmul: same words and 3CosMul scores, or a clear NOT_SUPPORTED on int8', () => {
    for (const [i, q] of cosmulQueries.entries()) {
      if (source.scansExactly) expectSameNeighbours(source.model().mostSimilarCosmul(q), reference.cosmul[i]);
      else expect(() => source.model().mostSimilarCosmul(q)).toThrow(/needs the float32 matrix.*int8/);
    }
  });

  runIt(
    'doesnt_match, similarity, n_similarity agree; closer_than and rank where rows are scanned exactly',
    () => {
      const model = source.model();
      expect(mismatchLists.map((w) => model.doesntMatch(w))).toEqual(reference.doesntMatch);
      pairs.forEach(([a, b], i) => {
        expect(model.similarity(a, b)).toBeCloseTo(reference.similarity[i], 5);
        if (source.scansExactly) {
          expect(model.closerThan(a, b)).toEqual(reference.closerThan[i]);
          expect(model.rank(a, b)).toBe(reference.rank[i]);
        } else {
          expect(() => model.rank(a, b)).toThrow(StoreError);
        }
      });
      for (const [i, [a, b]] of nPairs.entries())
        expect(model.nSimilarity(a, b)).toBeCloseTo(reference.nSimilarity[i], 5);
    },
  );
});

describe('gensim 4 most_similar through the HNSW graph of a stored model', () => {
  it("finds ≥ 95 % of gensim's neighbours (recall@k), each with its exact cosine; restricted queries scan exactly", () => {
    let found = 0;
    let wanted = 0;
    for (const [i, q] of mostSimilarQueries.entries()) {
      const got = stored.ann.mostSimilar(q);
      const theirs = new Map(reference.mostSimilar[i]);
      wanted += theirs.size;
      for (const { word, score } of got) {
        if (!theirs.has(word)) continue;
        found++;
        expect(score).toBeCloseTo(theirs.get(word) as number, 5);
      }
      if (q.restrictVocab) expectSameNeighbours(got, reference.mostSimilar[i]);
    }
    expect(found / wanted).toBeGreaterThanOrEqual(0.95);
    expect(stored.ann.info.ann).toMatchObject({ kind: 'hnsw', M: 8 });
  });
});
