import { createRandom, InvalidArgumentError, KeyedVectors, OovError } from '@wordvec/embeddings';
import { createRowScorer, hasWasmRowScorer, selectTopK } from '@wordvec/embeddings/kernels';
import { describe, expect, it } from 'vitest';
import { analogyFixture } from './gensim-oracle.js';

/** Words on the unit circle at the given angles (degrees), scaled by `norms`, plus a zero vector. */
function circle(): KeyedVectors {
  const spec: [string, number, number][] = [
    ['a', 0, 1],
    ['b', 10, 5],
    ['c', 30, 0.5],
    ['d', 90, 2],
    ['e', 180, 1],
  ];
  const words = spec.map(([w]) => w).concat('zero');
  const vectors = new Float32Array(words.length * 2);
  spec.forEach(([, deg, n], i) => {
    vectors[2 * i] = n * Math.cos((deg * Math.PI) / 180);
    vectors[2 * i + 1] = n * Math.sin((deg * Math.PI) / 180);
  });
  return new KeyedVectors({ words, vectors, dim: 2 });
}

/** king/man/woman/queen in 3-d: king − man + woman points at queen. */
function royals(): KeyedVectors {
  const rows: Record<string, number[]> = {
    man: [1, 0, 0],
    woman: [0, 1, 0],
    king: [1, 0, 1],
    queen: [0, 1, 1],
    apple: [1, 1, 1],
    stone: [0, 0, -1],
  };
  const words = Object.keys(rows);
  return new KeyedVectors({ words, dim: 3, vectors: new Float32Array(words.flatMap((w) => rows[w])) });
}

const cosine = (x: number[], y: number[]) => {
  const d = x.reduce((s, v, i) => s + v * y[i], 0);
  return d / (Math.hypot(...x) * Math.hypot(...y));
};
const cosDeg = (deg: number) => Math.cos((deg * Math.PI) / 180);

describe('KeyedVectors: look-up and normalisation', () => {
  it('gensim get_normed_vectors: rows scaled to unit length, computed once', () => {
    const kv = new KeyedVectors({ words: ['a', 'b'], dim: 2, vectors: new Float32Array([3, 4, 0, -2]) });
    expect(Array.from(kv.norms)).toEqual([5, 2]);
    const u = kv.unitVectors();
    expect(u[0]).toBeCloseTo(0.6, 6);
    expect(u[1]).toBeCloseTo(0.8, 6);
    expect(Array.from(u.subarray(2))).toEqual([0, -1]);
    expect(kv.unitVectors()).toBe(u);
  });

  it('a zero vector stays zero in the unit matrix (gensim would give NaN) and its cosines are 0', () => {
    const kv = circle();
    expect(Array.from(kv.getUnit('zero'))).toEqual([0, 0]);
    expect(kv.similarity('a', 'zero')).toBe(0);
    const res = kv.mostSimilar({ positive: ['zero'], topn: 5 });
    expect(res.every((r) => r.score === 0)).toBe(true);
    // all tied at 0: lower rows first
    expect(res.map((r) => r.word)).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('uses stored norms when given, and checks their length', () => {
    const kv = new KeyedVectors({
      words: ['a'],
      dim: 2,
      vectors: new Float32Array([3, 4]),
      norms: new Float32Array([10]),
    });
    expect(kv.unitVectors()[0]).toBeCloseTo(0.3, 6);
    expect(
      () =>
        new KeyedVectors({
          words: ['a'],
          dim: 2,
          vectors: new Float32Array([3, 4]),
          norms: new Float32Array(2),
        }),
    ).toThrow(InvalidArgumentError);
  });
});

describe('KeyedVectors: mostSimilar (gensim most_similar)', () => {
  it('ranks by cosine, whatever the vector norms, and excludes the input word', () => {
    const res = circle().mostSimilar({ positive: ['a'] });
    expect(res.map((r) => r.word)).toEqual(['b', 'c', 'd', 'zero', 'e']);
    expect(res[0].score).toBeCloseTo(cosDeg(10), 6);
    expect(res[1].score).toBeCloseTo(cosDeg(30), 6);
    expect(res[4].score).toBeCloseTo(-1, 6);
  });

  it('gensim: a bare string is a one-word positive list; topn limits the answer', () => {
    const kv = circle();
    expect(kv.mostSimilar({ positive: 'a', topn: 2 })).toEqual(kv.mostSimilar({ positive: ['a'], topn: 2 }));
    expect(kv.mostSimilar({ positive: 'a', topn: 2 })).toHaveLength(2);
  });

  it('gensim: query is the unit mean of +unit positives and −unit negatives', () => {
    const kv = circle();
    // unit(b) − unit(d): angles 10° and 90° → direction −40°; c at 30° is 70° away, a at 0° is 40° away.
    const res = kv.mostSimilar({ positive: ['b'], negative: ['d'], topn: 3 });
    expect(res[0].word).toBe('a');
    expect(res[0].score).toBeCloseTo(cosDeg(40), 5);
    expect(res[1].word).toBe('c');
    expect(res[1].score).toBeCloseTo(cosDeg(70), 5);
  });

  it('gensim: vector inputs are not excluded from the results (similar_by_vector finds the word itself)', () => {
    const kv = circle();
    const res = kv.similarByVector(kv.get('b'), { topn: 1 });
    expect(res[0].word).toBe('b');
    expect(res[0].score).toBeCloseTo(1, 6);
    expect(kv.similarByWord('b', { topn: 1 })[0].word).toBe('a');
  });

  it('vector inputs are unit-normalised before the mean (documented difference from gensim 4.2, which adds them raw)', () => {
    const kv = circle();
    const d = kv.get('d'); // norm 2 at 90°
    const scaled = Float64Array.from(d, (x) => x * 50);
    const a = kv.mostSimilar({ positive: ['a', scaled], topn: 6 });
    const b = kv.mostSimilar({ positive: ['a', kv.getUnit('d')], topn: 6 });
    expect(a).toEqual(b);
    // unit(a) + unit(d) points at 45°: c (30°) first, then b (10°)
    expect(a.slice(0, 2).map((r) => r.word)).toEqual(['c', 'b']);
    expect(a[0].score).toBeCloseTo(cosDeg(15), 5);
  });

  it('gensim restrict_vocab: only the first N rows are candidates', () => {
    const kv = circle();
    expect(kv.mostSimilar({ positive: ['e'], restrictVocab: 3 }).map((r) => r.word)).toEqual(['c', 'b', 'a']);
  });

  it('gensim restrict_vocab=0 is falsy there ("if restrict_vocab:"), so 0 means every row, like no limit', () => {
    const kv = circle();
    const all = kv.mostSimilar({ positive: ['e'] });
    expect(kv.mostSimilar({ positive: ['e'], restrictVocab: 0 })).toEqual(all);
    expect(all).toHaveLength(5);
    expect(kv.mostSimilarCosmul({ positive: ['e'], restrictVocab: 0 })).toHaveLength(5);
  });

  it('gensim doesnt_match ties: sorted((cosine, word))[0], so equal cosines go to the smallest word by code point', () => {
    // "zeta" and "alpha" share a vector and fit least; gensim answers "alpha" whatever the input order.
    const words = ['zeta', 'alpha', 'm1', 'm2', 'm3', '\u{1F600}x', '\uFF5Ex'];
    const vectors = new Float32Array([1, 0, 1, 0, 0, 1, 0, 1, 0, 1, 1, 0, 1, 0]);
    const kv = new KeyedVectors({ words, vectors, dim: 2 });
    expect(kv.doesntMatch(['zeta', 'alpha', 'm1', 'm2', 'm3'])).toBe('alpha');
    // Python orders U+1F600 after U+FF5E (code points); JavaScript's < would put its surrogate first.
    expect(kv.doesntMatch(['\u{1F600}x', '\uFF5Ex', 'm1', 'm2', 'm3'])).toBe('\uFF5Ex');
  });

  it('gensim: topn 0 returns nothing; a bad topn or restrictVocab is an InvalidArgumentError naming the value', () => {
    const kv = circle();
    expect(kv.mostSimilar({ positive: ['a'], topn: 0 })).toEqual([]);
    expect(() => kv.mostSimilar({ positive: ['a'], topn: -1 })).toThrow(/topn.*-1/);
    expect(() => kv.mostSimilar({ positive: ['a'], topn: 2.5 })).toThrow(InvalidArgumentError);
    expect(() => kv.mostSimilar({ positive: ['a'], restrictVocab: -1 })).toThrow(/restrictVocab.*-1/);
    expect(() => kv.mostSimilar({ positive: ['a'], restrictVocab: 1.5 })).toThrow(InvalidArgumentError);
    expect(() => kv.mostSimilar({})).toThrow(InvalidArgumentError);
    expect(() => kv.mostSimilar({ positive: [new Float32Array(3)] })).toThrow(/3 values.*dim = 2/);
    expect(() => kv.mostSimilar({ positive: [new Float32Array([Number.NaN, 0])] })).toThrow(/non-finite/);
  });

  it('an OOV input raises OovError naming every missing word, positive and negative', () => {
    const kv = circle();
    let err: unknown;
    try {
      kv.mostSimilar({ positive: ['x', 'a', 'y'], negative: ['w', 'x'] });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(OovError);
    expect((err as OovError).words).toEqual(['x', 'y', 'w']);
    expect((err as OovError).message).toContain('"w"');
  });
});

describe('KeyedVectors: analogy and 3CosMul', () => {
  it('analogy(a, b, c) = a − b + c: king man woman → queen, inputs excluded (gensim most_similar(positive=[a, c], negative=[b]))', () => {
    const kv = royals();
    const res = kv.analogy('king', 'man', 'woman');
    expect(res.map((r) => r.word)).not.toContain('king');
    expect(res.map((r) => r.word)).not.toContain('woman');
    expect(res[0].word).toBe('queen');
    const s = Math.SQRT1_2;
    const q = [s - 1, 1, s]; // unit(king) + unit(woman) − unit(man)
    expect(res[0].score).toBeCloseTo(cosine(q, [0, 1, 1]), 5);
  });

  it('Levy & Goldberg 3CosMul: Π (1+cos)/2 over positives / (Π over negatives + 1e-6)', () => {
    const kv = royals();
    const res = kv.analogy('king', 'man', 'woman', { method: 'mul' });
    expect(res[0].word).toBe('queen');
    const shifted = (x: number[], y: number[]) => (1 + cosine(x, y)) / 2;
    const queen = [0, 1, 1];
    const expected =
      (shifted(queen, [1, 0, 1]) * shifted(queen, [0, 1, 0])) / (shifted(queen, [1, 0, 0]) + 1e-6);
    expect(res[0].score).toBeCloseTo(expected, 5);
    const apple = res.find((r) => r.word === 'apple')!;
    const expApple =
      (shifted([1, 1, 1], [1, 0, 1]) * shifted([1, 1, 1], [0, 1, 0])) /
      (shifted([1, 1, 1], [1, 0, 0]) + 1e-6);
    expect(apple.score).toBeCloseTo(expApple, 5);
  });

  it('gensim: with one positive word, most_similar_cosmul ranks like most_similar', () => {
    const kv = analogyFixture();
    const add = kv.mostSimilar({ positive: ['b3'], topn: 8 }).map((r) => r.word);
    const mul = kv.mostSimilarCosmul({ positive: ['b3'], topn: 8 }).map((r) => r.word);
    expect(mul).toEqual(add);
  });

  it('restrictVocab limits 3CosMul candidates too (gensim 4.2 ignores it there)', () => {
    const kv = royals();
    const res = kv.analogy('king', 'man', 'woman', { method: 'mul', restrictVocab: 3 });
    expect(res.map((r) => r.word)).toEqual([]); // rows 0–2 are man, woman, king: all inputs
    expect(kv.analogy('king', 'man', 'woman', { method: 'mul', restrictVocab: 4 })[0].word).toBe('queen');
  });

  it('gensim: most_similar_cosmul needs a positive term; analogy rejects unknown methods', () => {
    const kv = royals();
    expect(() => kv.mostSimilarCosmul({ negative: ['man'] })).toThrow(InvalidArgumentError);
    expect(() => kv.analogy('king', 'man', 'woman', { method: 'div' as 'add' })).toThrow(/div/);
    expect(() => kv.analogy('king', 'mann', 'wommen')).toThrow(OovError);
  });
});

describe('KeyedVectors: pairwise queries', () => {
  it('gensim similarity / distance: cosine and 1 − cosine', () => {
    const kv = circle();
    expect(kv.similarity('a', 'c')).toBeCloseTo(cosDeg(30), 6);
    expect(kv.distance('a', 'c')).toBeCloseTo(1 - cosDeg(30), 6);
    expect(kv.distance('a', 'a')).toBeCloseTo(0, 6);
    expect(() => kv.similarity('q', 'r')).toThrow(/"q", "r"/);
  });

  it('gensim n_similarity: cosine between means of the raw (not normalised) vectors', () => {
    const kv = circle();
    // raw mean of b (norm 5, 10°) and d (norm 2, 90°) is dominated by b
    const b = [5 * cosDeg(10), 5 * Math.sin(Math.PI / 18)];
    const d = [0, 2];
    const mean = [(b[0] + d[0]) / 2, (b[1] + d[1]) / 2];
    expect(kv.nSimilarity(['b', 'd'], ['a'])).toBeCloseTo(cosine(mean, [1, 0]), 5);
    expect(() => kv.nSimilarity([], ['a'])).toThrow(InvalidArgumentError);
  });

  it('gensim doesnt_match: the word farthest from the unit mean of unit vectors', () => {
    const kv = circle();
    expect(kv.doesntMatch(['a', 'b', 'c', 'e'])).toBe('e');
    expect(kv.doesntMatch(['a', 'b', 'd'])).toBe('d');
  });

  it('doesntMatch throws OovError by default; ignoreOov drops unknown words like gensim and reports them', () => {
    const kv = circle();
    expect(() => kv.doesntMatch(['a', 'nope', 'e'])).toThrow(OovError);
    const dropped: string[] = [];
    expect(
      kv.doesntMatch(['a', 'nope', 'b', 'e'], { ignoreOov: true, onOov: (w) => dropped.push(...w) }),
    ).toBe('e');
    expect(dropped).toEqual(['nope']);
    expect(() => kv.doesntMatch(['nope'], { ignoreOov: true })).toThrow(InvalidArgumentError);
  });

  it('gensim closer_than / rank: words strictly closer to a than b is, in vocabulary order, a excluded', () => {
    const kv = circle();
    expect(kv.closerThan('a', 'd')).toEqual(['b', 'c']);
    expect(kv.rank('a', 'd')).toBe(3);
    expect(kv.rank('a', 'b')).toBe(1);
    expect(kv.closerThan('a', 'e')).toEqual(['b', 'c', 'd', 'zero']);
  });
});

describe('selectTopK', () => {
  const rand = createRandom(3);

  it('matches a full sort (score desc, row asc) on random data with ties, ranges and exclusions', () => {
    for (let t = 0; t < 50; t++) {
      const n = 1 + Math.floor(rand() * 300);
      // coarse values force many ties
      const scores = Float32Array.from({ length: n }, () => Math.floor(rand() * 20) / 20);
      const k = Math.floor(rand() * 25);
      const start = Math.floor(rand() * n * 0.3);
      const end = start + Math.floor(rand() * (n - start + 1));
      const exclude = [Math.floor(rand() * n), Math.floor(rand() * n)];
      const expected = Array.from({ length: end - start }, (_, i) => i + start)
        .filter((r) => !exclude.includes(r))
        .sort((x, y) => scores[y] - scores[x] || x - y)
        .slice(0, k);
      const got = selectTopK(scores, k, { start, end, exclude });
      expect(Array.from(got.rows)).toEqual(expected);
      expect(Array.from(got.scores)).toEqual(expected.map((r) => scores[r]));
    }
  });

  it.runIf(hasWasmRowScorer())(
    "with the row scorer's wasm firstAbove skip, the same rows and scores as without (ties, NaN, ranges, exclusions)",
    () => {
      for (let t = 0; t < 60; t++) {
        const n = 1 + Math.floor(rand() * 2000);
        const scorer = createRowScorer(n, 1, { kernel: 'wasm-simd', threads: 1 });
        // coarse values force ties; a few NaN and −∞ rows
        for (let r = 0; r < n; r++) {
          const u = rand();
          scorer.matrix[r] = u < 0.02 ? Number.NaN : u < 0.04 ? -1 : Math.floor(rand() * 40) / 40;
        }
        scorer.score(new Float32Array([t % 2 ? 1 : Number.POSITIVE_INFINITY]), 0, n);
        const k = Math.floor(rand() * 30);
        const start = Math.floor(rand() * n * 0.3);
        const end = start + Math.floor(rand() * (n - start + 1));
        const exclude = [Math.floor(rand() * n), Math.floor(rand() * n)];
        const plain = selectTopK(scorer.scores, k, { start, end, exclude });
        const skipped = selectTopK(scorer.scores, k, { start, end, exclude, firstAbove: scorer.firstAbove });
        expect(scorer.firstAbove).toBeDefined();
        expect(Array.from(skipped.rows)).toEqual(Array.from(plain.rows));
        expect(Array.from(skipped.scores)).toEqual(Array.from(plain.scores));
      }
    },
  );

  it.runIf(hasWasmRowScorer())('firstAbove finds the first greater score, NaN never, or returns end', () => {
    const scorer = createRowScorer(40, 1, { kernel: 'wasm-simd', threads: 1 });
    scorer.matrix.fill(0.5);
    scorer.matrix[3] = Number.NaN;
    scorer.matrix[21] = 0.75;
    scorer.matrix[39] = 0.9;
    scorer.score(new Float32Array([1]), 0, 40);
    const above = scorer.firstAbove as (from: number, end: number, threshold: number) => number;
    expect(above(0, 40, 0.5)).toBe(21); // inside the second 16-row step
    expect(above(22, 40, 0.5)).toBe(39); // in the tail
    expect(above(0, 39, 0.75)).toBe(39); // none: end
    expect(above(0, 40, 0.4)).toBe(0);
    expect(above(3, 4, -1)).toBe(4); // NaN is not greater
    expect(above(10, 10, 0)).toBe(10);
  });

  it('never selects NaN and validates k and the range', () => {
    const got = selectTopK(new Float32Array([Number.NaN, 1, Number.NaN, 0.5]), 3);
    expect(Array.from(got.rows)).toEqual([1, 3]);
    expect(() => selectTopK(new Float32Array(3), -1)).toThrow(InvalidArgumentError);
    expect(() => selectTopK(new Float32Array(3), 1, { end: 4 })).toThrow(/\[0, 4\)/);
  });
});

// The comparison with gensim itself runs over every row source (in-memory and stored) in
// test/query-sources.test.ts.
