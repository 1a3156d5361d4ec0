import { InvalidArgumentError, OovError } from '../errors.js';
import { selectTopK } from '../linalg/top-k.js';
import { createRowScorer, type RowScorer } from './row-scorer.js';

/** What a {@link KeyedVectors} is made from. */
export interface KeyedVectorsInit {
  /** Words in row order; must be unique. */
  words: readonly string[];
  /** Row-major matrix of `words.length × dim` float32 values. Kept by reference, not copied. */
  vectors: Float32Array;
  /** Vector dimension. */
  dim: number;
  /** Corpus frequency of each word (same order as `words`), when known. */
  counts?: ArrayLike<number>;
  /** L2 norm of each row, when already known (e.g. stored beside the vectors); computed lazily otherwise. */
  norms?: Float32Array;
  /**
   * A scorer (see `createRowScorer`) whose `matrix` already holds the unit-normalised rows, e.g. filled
   * straight from a store. Queries then scan it instead of building a normalised copy of `vectors`.
   */
  rowScorer?: RowScorer;
}

/** A query term: a word of the vocabulary, or a raw vector of `dim` values. */
export type QueryItem = string | Float32Array | Float64Array;

/** One neighbour in a similarity answer. */
export interface Similar {
  word: string;
  /** Cosine similarity for {@link KeyedVectors.mostSimilar}; the 3CosMul objective for {@link KeyedVectors.mostSimilarCosmul}. */
  score: number;
}

/** Options shared by the neighbour queries. */
export interface NeighbourOptions {
  /** How many neighbours to return (integer ≥ 0; gensim returns `[]` for 0). Default 10. */
  topn?: number;
  /** Only the first `restrictVocab` rows are candidates (gensim `restrict_vocab`). Default: all rows. */
  restrictVocab?: number;
}

/** Arguments of {@link KeyedVectors.mostSimilar} and {@link KeyedVectors.mostSimilarCosmul}. */
export interface MostSimilarOptions extends NeighbourOptions {
  /** Terms pulling towards the answer (weight +1). A single word or vector may be given bare. */
  positive?: QueryItem | readonly QueryItem[];
  /** Terms pushing away from the answer (weight −1). */
  negative?: QueryItem | readonly QueryItem[];
}

/** Options of {@link KeyedVectors.analogy}. */
export interface AnalogyOptions extends NeighbourOptions {
  /** `add` = 3CosAdd (vector offset, gensim `most_similar`), `mul` = 3CosMul (`most_similar_cosmul`). Default `add`. */
  method?: 'add' | 'mul';
}

/** Options of {@link KeyedVectors.doesntMatch}. */
export interface DoesntMatchOptions {
  /**
   * gensim 4 drops words missing from the vocabulary (and logs a warning). By default we throw
   * {@link OovError} instead, like every other query; pass `true` for gensim's behaviour.
   */
  ignoreOov?: boolean;
  /** Called with the dropped words when `ignoreOov` drops any (gensim's warning, as a hook: the library never prints). */
  onOov?: (words: readonly string[]) => void;
}

/** Rows of the nearest vectors to a query, as returned by {@link KeyedVectors.nearestRows}. */
export interface NearestRows {
  rows: Int32Array;
  scores: Float32Array;
}

/** Options of {@link KeyedVectors.nearestRows}. */
export interface NearestRowsOptions extends NeighbourOptions {
  /** Rows never returned. */
  exclude?: ArrayLike<number>;
}

const DEFAULT_TOPN = 10;
/** Levy & Goldberg (2014), eq. 4: ε keeps the 3CosMul quotient finite. gensim uses the same 1e-6. */
const COSMUL_EPSILON = 1e-6;

/**
 * Word → vector look-up with gensim 4 `KeyedVectors` query semantics.
 *
 * Similarity queries run over the unit-normalised matrix ({@link KeyedVectors.unitVectors}),
 * computed once on first use. A zero vector stays zero there, so its cosine with anything is 0,
 * never NaN.
 *
 * @example
 * ```ts
 * const kv = new KeyedVectors({ words: ['a', 'b'], dim: 2, vectors: new Float32Array([1, 0, 0, 1]) });
 * kv.has('a'); // true
 * kv.get('b'); // Float32Array [0, 1]
 * kv.similarity('a', 'b'); // 0
 * kv.mostSimilar({ positive: ['a'], topn: 1 }); // [{ word: 'b', score: 0 }]
 * ```
 */
export class KeyedVectors {
  readonly dim: number;
  readonly words: readonly string[];
  readonly vectors: Float32Array;
  readonly counts: Float64Array | undefined;
  readonly #index: Map<string, number>;
  #norms: Float32Array | undefined;
  /** Owns the unit matrix and one score per row, reused by every query (queries are synchronous). */
  #scorer: RowScorer | undefined;

  constructor(init: KeyedVectorsInit) {
    const { words, vectors, dim } = init;
    if (!Number.isInteger(dim) || dim <= 0)
      throw new InvalidArgumentError(`dim must be a positive integer, got ${dim}`);
    if (vectors.length !== words.length * dim) {
      throw new InvalidArgumentError(
        `vectors has ${vectors.length} values, expected words.length × dim = ${words.length} × ${dim} = ${words.length * dim}`,
      );
    }
    if (init.counts && init.counts.length !== words.length) {
      throw new InvalidArgumentError(`counts has ${init.counts.length} entries, expected ${words.length}`);
    }
    if (init.norms && init.norms.length !== words.length) {
      throw new InvalidArgumentError(`norms has ${init.norms.length} entries, expected ${words.length}`);
    }
    this.dim = dim;
    this.words = words;
    this.vectors = vectors;
    this.counts = init.counts ? Float64Array.from(init.counts) : undefined;
    this.#norms = init.norms;
    if (init.rowScorer) {
      const { matrix, scores } = init.rowScorer;
      if (matrix.length !== vectors.length || scores.length !== words.length) {
        throw new InvalidArgumentError(
          `rowScorer holds ${scores.length} rows of ${matrix.length / Math.max(1, scores.length)} values, expected ${words.length} × ${dim}`,
        );
      }
      this.#scorer = init.rowScorer;
    }
    this.#index = new Map();
    for (let i = 0; i < words.length; i++) {
      if (this.#index.has(words[i])) {
        throw new InvalidArgumentError(
          `duplicate word ${JSON.stringify(words[i])} at rows ${this.#index.get(words[i])} and ${i}`,
        );
      }
      this.#index.set(words[i], i);
    }
  }

  /** Number of words. */
  get size(): number {
    return this.words.length;
  }

  /** Whether `word` has a vector. */
  has(word: string): boolean {
    return this.#index.has(word);
  }

  /** Row of `word`, or -1 when absent. */
  index(word: string): number {
    return this.#index.get(word) ?? -1;
  }

  /**
   * The vector of `word`: a view into the matrix, not a copy.
   * @throws {@link OovError} when `word` is absent.
   */
  get(word: string): Float32Array {
    const i = this.#index.get(word);
    if (i === undefined) throw new OovError([word]);
    return this.vectors.subarray(i * this.dim, (i + 1) * this.dim);
  }

  /**
   * The unit-length vector of `word` (a view into {@link KeyedVectors.unitVectors}); zero stays zero.
   * @throws {@link OovError} when `word` is absent.
   */
  getUnit(word: string): Float32Array {
    const i = this.#index.get(word);
    if (i === undefined) throw new OovError([word]);
    return this.unitVectors().subarray(i * this.dim, (i + 1) * this.dim);
  }

  /**
   * L2 norm of every row (gensim `norms`), computed once.
   *
   * @example
   * ```ts
   * new KeyedVectors({ words: ['a'], dim: 2, vectors: new Float32Array([3, 4]) }).norms; // Float32Array [5]
   * ```
   */
  get norms(): Float32Array {
    if (!this.#norms) {
      const { dim, vectors } = this;
      const norms = new Float32Array(this.size);
      for (let r = 0, base = 0; r < norms.length; r++, base += dim) {
        let s = 0;
        for (let j = 0; j < dim; j++) s += vectors[base + j] * vectors[base + j];
        norms[r] = Math.sqrt(s);
      }
      this.#norms = norms;
    }
    return this.#norms;
  }

  /**
   * The matrix with every row scaled to unit length (gensim `get_normed_vectors()`), computed once
   * on first use and cached. Rows of norm 0 stay 0 (gensim would give NaN). The cache assumes
   * `vectors` is not modified afterwards.
   *
   * @example
   * ```ts
   * new KeyedVectors({ words: ['a'], dim: 2, vectors: new Float32Array([3, 4]) }).unitVectors(); // [0.6, 0.8]
   * ```
   */
  unitVectors(): Float32Array {
    return this.#rowScorer().matrix;
  }

  /** Which kernel scores the rows: WebAssembly SIMD where the engine has it, else plain JavaScript. */
  get kernel(): RowScorer['kernel'] {
    return this.#rowScorer().kernel;
  }

  #rowScorer(): RowScorer {
    if (!this.#scorer) {
      const { dim, vectors, norms } = this;
      const scorer = createRowScorer(this.size, dim);
      const unit = scorer.matrix;
      for (let r = 0, base = 0; r < norms.length; r++, base += dim) {
        const n = norms[r];
        if (!(n > 0)) continue;
        // float32 ÷ float32 rounded once to float32: the same value numpy's `vectors / norms` gives.
        for (let j = 0; j < dim; j++) unit[base + j] = vectors[base + j] / n;
      }
      this.#scorer = scorer;
    }
    return this.#scorer;
  }

  /**
   * The `topn` words closest to the mean of the positive terms minus the negative ones
   * (gensim `most_similar`, 3CosAdd): query = unit(mean of +unit(positive) and −unit(negative)),
   * rows ranked by cosine with it. Input words are never returned; raw vector inputs don't exclude anything.
   *
   * Deliberate difference from gensim 4.2: vector inputs are unit-normalised like words before the
   * mean (gensim adds raw vectors). For a single vector the answer is the same.
   *
   * @throws {@link OovError} naming every input word missing from the vocabulary.
   * @throws {@link InvalidArgumentError} for no input, a bad `topn`/`restrictVocab`, or a vector of the wrong length.
   * @example
   * ```ts
   * kv.mostSimilar({ positive: ['king', 'woman'], negative: ['man'], topn: 1 }); // [{ word: 'queen', score: 0.71 }]
   * ```
   */
  mostSimilar(options: MostSimilarOptions): Similar[] {
    const positive = asList(options.positive);
    const negative = asList(options.negative);
    const topn = checkTopn(options.topn);
    const end = this.#restrictEnd(options.restrictVocab);
    const { query, exclude } = this.#combine(positive, negative);
    if (topn === 0) return [];
    return this.#toSimilar(this.nearestRows(query, { topn, restrictVocab: end, exclude }));
  }

  /**
   * The `topn` words maximising 3CosMul (Levy & Goldberg 2014, eq. 4; gensim `most_similar_cosmul`):
   * Π over positives of (1 + cos)/2 ÷ (Π over negatives of (1 + cos)/2 + 1e-6). The shift of cosines
   * to [0, 1] is the paper's footnote 7. Input words are never returned.
   *
   * Differences from gensim 4.2: vector inputs are unit-normalised (gensim uses them raw, which
   * can push (1 + x)/2 outside [0, 1]), and `restrictVocab` is honoured (gensim ignores it here).
   *
   * @throws {@link OovError} naming every missing word; {@link InvalidArgumentError} when `positive` is empty.
   * @example
   * ```ts
   * kv.mostSimilarCosmul({ positive: ['king', 'woman'], negative: ['man'], topn: 1 }); // [{ word: 'queen', score: 0.93 }]
   * ```
   */
  mostSimilarCosmul(options: MostSimilarOptions): Similar[] {
    const positive = asList(options.positive);
    const negative = asList(options.negative);
    const topn = checkTopn(options.topn);
    const end = this.#restrictEnd(options.restrictVocab);
    this.#checkOov([...positive, ...negative]);
    if (positive.length === 0)
      throw new InvalidArgumentError('mostSimilarCosmul needs at least one positive term');
    const posQueries = positive.map((item) => this.#unitOf(item));
    const negQueries = negative.map((item) => this.#unitOf(item));
    const exclude = this.#inputRows([...positive, ...negative]);
    if (topn === 0) return [];

    const scorer = this.#rowScorer();
    const scores = scorer.scores;
    const numerator = new Float32Array(end).fill(1);
    const denominator = new Float32Array(end).fill(1);
    for (const [queries, product] of [
      [posQueries, numerator],
      [negQueries, denominator],
    ] as const) {
      for (const q of queries) {
        scorer.score(q, 0, end);
        for (let r = 0; r < end; r++) product[r] *= (1 + scores[r]) / 2;
      }
    }
    // With no negatives the denominator stays 1 + ε, as in gensim (the product of an empty list is 1).
    for (let r = 0; r < end; r++) scores[r] = numerator[r] / (denominator[r] + COSMUL_EPSILON);
    return this.#toSimilar(selectTopK(scores, topn, { end, exclude }));
  }

  /**
   * The `topn` words closest by cosine to `vector` (gensim `similar_by_vector`). Nothing is excluded,
   * so a word's own vector finds the word first.
   *
   * @example
   * ```ts
   * kv.similarByVector(kv.get('cat'), { topn: 3 }); // [{ word: 'cat', score: 1 }, …]
   * ```
   */
  similarByVector(vector: Float32Array | Float64Array, options: NeighbourOptions = {}): Similar[] {
    return this.mostSimilar({ ...options, positive: [vector] });
  }

  /**
   * The `topn` words closest by cosine to `word`, the word itself excluded (gensim `similar_by_word`).
   *
   * @example
   * ```ts
   * kv.similarByWord('cat', { topn: 2 }); // [{ word: 'dog', score: 0.8 }, { word: 'kitten', score: 0.79 }]
   * ```
   */
  similarByWord(word: string, options: NeighbourOptions = {}): Similar[] {
    return this.mostSimilar({ ...options, positive: [word] });
  }

  /**
   * Low-level nearest-neighbour search: rows with the highest dot product between `query` (used as
   * given: pass a unit vector to get cosines) and each unit row. Used by the queries above and by
   * evaluation, which needs to exclude rows rather than words.
   *
   * @example
   * ```ts
   * const { rows, scores } = kv.nearestRows(kv.getUnit('cat'), { topn: 5, exclude: [kv.index('cat')] });
   * ```
   */
  nearestRows(query: Float32Array, options: NearestRowsOptions = {}): NearestRows {
    if (query.length !== this.dim) {
      throw new InvalidArgumentError(`query vector has ${query.length} values, expected dim = ${this.dim}`);
    }
    const topn = checkTopn(options.topn);
    const end = this.#restrictEnd(options.restrictVocab);
    const scorer = this.#rowScorer();
    scorer.score(query, 0, end);
    return selectTopK(scorer.scores, topn, { end, exclude: options.exclude });
  }

  /**
   * Cosine similarity of two words (gensim `similarity`); 0 when either vector is zero.
   * @throws {@link OovError} naming every missing word.
   * @example
   * ```ts
   * kv.similarity('cat', 'dog'); // 0.76
   * ```
   */
  similarity(a: string, b: string): number {
    this.#checkOov([a, b]);
    return dot(this.getUnit(a), this.getUnit(b));
  }

  /**
   * Cosine distance, 1 − {@link KeyedVectors.similarity} (gensim `distance`).
   * @example
   * ```ts
   * kv.distance('cat', 'cat'); // 0
   * ```
   */
  distance(a: string, b: string): number {
    return 1 - this.similarity(a, b);
  }

  /**
   * Cosine similarity between the means of two word sets (gensim `n_similarity`: means of the raw,
   * not normalised, vectors). Unlike gensim, which silently skips unknown words here, missing words
   * throw like everywhere else.
   *
   * @throws {@link InvalidArgumentError} when either set is empty; {@link OovError} naming every missing word.
   * @example
   * ```ts
   * kv.nSimilarity(['sushi', 'shop'], ['japanese', 'restaurant']); // 0.6
   * ```
   */
  nSimilarity(first: readonly string[], second: readonly string[]): number {
    if (first.length === 0 || second.length === 0) {
      throw new InvalidArgumentError('nSimilarity needs at least one word in each set');
    }
    this.#checkOov([...first, ...second]);
    const mean = (words: readonly string[]) => {
      const acc = new Float64Array(this.dim);
      for (const w of words) {
        const v = this.get(w);
        for (let j = 0; j < this.dim; j++) acc[j] += v[j];
      }
      return unitOf(acc);
    };
    return dot(mean(first), mean(second));
  }

  /**
   * The word that fits least: the one with the lowest cosine to the unit mean of the words' unit
   * vectors (gensim `doesnt_match` / `rank_by_centrality`). Missing words throw by default; see
   * {@link DoesntMatchOptions.ignoreOov} for gensim's drop-and-warn behaviour.
   *
   * @throws {@link InvalidArgumentError} when no usable word is left; {@link OovError} for missing words.
   * @example
   * ```ts
   * kv.doesntMatch(['breakfast', 'cereal', 'dinner', 'lunch']); // 'cereal'
   * ```
   */
  doesntMatch(words: readonly string[], options: DoesntMatchOptions = {}): string {
    const missing = words.filter((w) => !this.has(w));
    if (missing.length > 0) {
      if (!options.ignoreOov) throw new OovError(missing);
      options.onOov?.(missing);
    }
    const used = words.filter((w) => this.has(w));
    if (used.length === 0)
      throw new InvalidArgumentError('doesntMatch needs at least one word in the vocabulary');
    const acc = new Float64Array(this.dim);
    for (const w of used) {
      const u = this.getUnit(w);
      for (let j = 0; j < this.dim; j++) acc[j] += u[j];
    }
    const centre = unitOf(acc);
    // gensim sorts (cosine, word) descending and takes the last: lowest cosine, ties to the smallest word.
    let worst = used[0];
    let worstScore = dot(this.getUnit(worst), centre);
    for (let i = 1; i < used.length; i++) {
      const s = dot(this.getUnit(used[i]), centre);
      if (s < worstScore || (s === worstScore && used[i] < worst)) {
        worst = used[i];
        worstScore = s;
      }
    }
    return worst;
  }

  /**
   * Every word closer to `a` than `b` is, in vocabulary order, `a` itself left out (gensim `closer_than`).
   * @throws {@link OovError} naming every missing word.
   * @example
   * ```ts
   * kv.closerThan('cat', 'animal'); // ['dog', 'kitten']
   * ```
   */
  closerThan(a: string, b: string): string[] {
    const scores = this.#scoresFrom(a, b);
    const ia = this.index(a);
    const threshold = scores[this.index(b)];
    const out: string[] = [];
    for (let r = 0; r < this.size; r++) if (scores[r] > threshold && r !== ia) out.push(this.words[r]);
    return out;
  }

  /**
   * Rank of `b` among the neighbours of `a`: 1 + how many words are closer to `a` (gensim `rank`).
   * @throws {@link OovError} naming every missing word.
   * @example
   * ```ts
   * kv.rank('cat', 'dog'); // 1 when dog is cat's nearest neighbour
   * ```
   */
  rank(a: string, b: string): number {
    const scores = this.#scoresFrom(a, b);
    const ia = this.index(a);
    const threshold = scores[this.index(b)];
    let closer = 0;
    for (let r = 0; r < this.size; r++) if (scores[r] > threshold && r !== ia) closer++;
    return closer + 1;
  }

  /**
   * Solves "`a` is to `b` as ? is to `c`" the way people say it to the bot: `a − b + c`, so
   * `analogy('king', 'man', 'woman')` → queen. That is `mostSimilar({ positive: [a, c], negative: [b] })`
   * (3CosAdd) or, with `method: 'mul'`, {@link KeyedVectors.mostSimilarCosmul} (3CosMul). The three
   * inputs are excluded from the answer.
   *
   * @example
   * ```ts
   * kv.analogy('king', 'man', 'woman', { topn: 1 }); // [{ word: 'queen', score: 0.71 }]
   * kv.analogy('paris', 'france', 'italy', { method: 'mul' }); // rome first
   * ```
   */
  analogy(a: string, b: string, c: string, options: AnalogyOptions = {}): Similar[] {
    const method = options.method ?? 'add';
    if (method !== 'add' && method !== 'mul') {
      throw new InvalidArgumentError(`analogy method must be 'add' or 'mul', got ${JSON.stringify(method)}`);
    }
    const query: MostSimilarOptions = {
      positive: [a, c],
      negative: [b],
      topn: options.topn,
      restrictVocab: options.restrictVocab,
    };
    return method === 'add' ? this.mostSimilar(query) : this.mostSimilarCosmul(query);
  }

  #scoresFrom(a: string, b: string): Float32Array {
    this.#checkOov([a, b]);
    const scorer = this.#rowScorer();
    scorer.score(this.getUnit(a), 0, this.size);
    return scorer.scores;
  }

  #restrictEnd(restrictVocab: number | undefined): number {
    if (restrictVocab === undefined) return this.size;
    if (!Number.isInteger(restrictVocab) || restrictVocab < 1) {
      throw new InvalidArgumentError(`restrictVocab must be a positive integer, got ${restrictVocab}`);
    }
    return Math.min(restrictVocab, this.size);
  }

  #checkOov(items: readonly QueryItem[]): void {
    const missing: string[] = [];
    for (const item of items) {
      if (typeof item === 'string') {
        if (!this.#index.has(item) && !missing.includes(item)) missing.push(item);
      } else if (!(item instanceof Float32Array || item instanceof Float64Array)) {
        throw new InvalidArgumentError(
          `query terms must be words or Float32Array/Float64Array vectors, got ${typeof item}`,
        );
      } else if (item.length !== this.dim) {
        throw new InvalidArgumentError(`query vector has ${item.length} values, expected dim = ${this.dim}`);
      } else if (!item.every(Number.isFinite)) {
        throw new InvalidArgumentError('query vector contains a non-finite value (NaN or ±Infinity)');
      }
    }
    if (missing.length > 0) throw new OovError(missing);
  }

  /** Unit vector of a query term (word → its unit row; vector → normalised copy). Assumes {@link #checkOov} passed. */
  #unitOf(item: QueryItem): Float32Array {
    return typeof item === 'string' ? this.getUnit(item) : unitOf(item);
  }

  #inputRows(items: readonly QueryItem[]): Int32Array {
    const rows: number[] = [];
    for (const item of items) if (typeof item === 'string') rows.push(this.index(item));
    return Int32Array.from(rows);
  }

  /** gensim `get_mean_vector(pre_normalize=True, post_normalize=True)` with weights +1 / −1. */
  #combine(
    positive: readonly QueryItem[],
    negative: readonly QueryItem[],
  ): { query: Float32Array; exclude: Int32Array } {
    this.#checkOov([...positive, ...negative]);
    if (positive.length + negative.length === 0) {
      throw new InvalidArgumentError('a similarity query needs at least one positive or negative term');
    }
    const acc = new Float64Array(this.dim);
    for (const [items, weight] of [
      [positive, 1],
      [negative, -1],
    ] as const) {
      for (const item of items) {
        const u = this.#unitOf(item);
        for (let j = 0; j < this.dim; j++) acc[j] += weight * u[j];
      }
    }
    // Dividing by the total weight (gensim's mean) does not change the direction; unitOf does the rest.
    return { query: unitOf(acc), exclude: this.#inputRows([...positive, ...negative]) };
  }

  #toSimilar({ rows, scores }: NearestRows): Similar[] {
    const out: Similar[] = new Array(rows.length);
    for (let i = 0; i < rows.length; i++) out[i] = { word: this.words[rows[i]], score: scores[i] };
    return out;
  }
}

function asList(items: QueryItem | readonly QueryItem[] | undefined): readonly QueryItem[] {
  if (items === undefined) return [];
  if (typeof items === 'string' || items instanceof Float32Array || items instanceof Float64Array)
    return [items];
  if (!Array.isArray(items))
    throw new InvalidArgumentError('positive/negative must be a word, a vector or a list of them');
  return items;
}

function checkTopn(topn: number | undefined): number {
  if (topn === undefined) return DEFAULT_TOPN;
  if (!Number.isInteger(topn) || topn < 0)
    throw new InvalidArgumentError(`topn must be a non-negative integer, got ${topn}`);
  return topn;
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let j = 0; j < a.length; j++) s += a[j] * b[j];
  return s;
}

/** `v / ‖v‖` as float32 (gensim `matutils.unitvec`); the zero vector stays zero. */
function unitOf(v: ArrayLike<number>): Float32Array {
  const n = Math.sqrt(dot(v, v));
  const out = new Float32Array(v.length);
  if (n > 0) for (let j = 0; j < v.length; j++) out[j] = v[j] / n;
  return out;
}
