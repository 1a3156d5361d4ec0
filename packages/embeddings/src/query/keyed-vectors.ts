import { InvalidArgumentError, OovError } from '../errors.js';
import { meanRow } from '../linalg/mean-row.js';
import type { SubwordEstimator } from '../subword/subword-estimator.js';
import { quoteForMessage } from '../text/quote.js';
import type { Int8Matrix } from './int8-matrix.js';
import { exactNearest } from './nearest.js';
import { createPrefilter, PREFILTER_MIN_BYTES, prefilteredNearest } from './prefiltered-nearest.js';
import { createRowScorer, type RowScorer } from './row-scorer.js';
import type { RowSource } from './row-source.js';
import { WordQueries } from './word-queries.js';
/**
 * A word → row look-up, as a {@link KeyedVectors} keeps one: a `Map<string, number>` is one, and so is
 * the set a vector file reader deduplicated the rows with.
 *
 * @example
 * ```ts
 * const index: WordIndex = new Map([['king', 0], ['queen', 1]]);
 * index.get('queen'); // 1
 * ```
 */
export interface WordIndex {
  /** Row of `word`, or undefined when absent. */
  get(word: string): number | undefined;
  /** Whether `word` has a row. */
  has(word: string): boolean;
  /** How many words it holds. */
  readonly size: number;
}

/**
 * What a {@link KeyedVectors} is made from.
 *
 * @example
 * ```ts
 * const init: KeyedVectorsInit = { words: ['a', 'b'], dim: 2, vectors: new Float32Array([1, 0, 0, 1]), counts: [9, 4] };
 * new KeyedVectors(init);
 * ```
 */
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
  /**
   * The word → row look-up of `words`, when one is already built (a vector file reader passes the set it
   * deduplicated the rows with), so it is not built again. Its size and a sample of rows are checked;
   * without it a `Map` is built.
   */
  index?: WordIndex;
  /** The model's own subword model (a fastText model's n-gram table): out-of-vocabulary words get estimates from it. */
  subwords?: SubwordEstimator;
  /**
   * Whether exact nearest-neighbour queries first scan an int8 copy of the unit matrix (a quarter
   * of its bytes more in memory, built with it) and score on float32 only the rows a certain bound
   * cannot rule out: the same answers, bit for bit, about 3 × sooner on large matrices. `'auto'`
   * (default) uses it for matrices of 16 MiB or more when WebAssembly SIMD runs; `true` also for
   * smaller ones; `false` never.
   */
  int8Prefilter?: boolean | 'auto';
}

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
export class KeyedVectors extends WordQueries {
  readonly dim: number;
  readonly words: readonly string[];
  readonly vectors: Float32Array;
  readonly counts: Float64Array | undefined;
  readonly #index: WordIndex;
  #norms: Float32Array | undefined;
  /** Owns the unit matrix and one score per row, reused by every query (queries are synchronous). */
  #scorer: RowScorer | undefined;
  #source: RowSource | undefined;
  readonly #subwords: SubwordEstimator | undefined;
  #mean: Float32Array | undefined;
  #prefilterChoice: boolean | 'auto';
  /** The int8 pre-filter of the unit matrix once built; null when it is not used. */
  #prefilter: Int8Matrix | null | undefined;

  constructor(init: KeyedVectorsInit) {
    super();
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
    this.#subwords = init.subwords;
    this.#prefilterChoice = checkPrefilterChoice(init.int8Prefilter ?? 'auto');
    if (init.rowScorer) {
      const { matrix, scores } = init.rowScorer;
      if (matrix.length !== vectors.length || scores.length !== words.length) {
        throw new InvalidArgumentError(
          `rowScorer holds ${scores.length} rows of ${matrix.length / Math.max(1, scores.length)} values, expected ${words.length} × ${dim}`,
        );
      }
      this.#scorer = init.rowScorer;
    }
    this.#index = init.index ? checkIndex(init.index, words) : buildIndex(words);
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

  /**
   * The pre-filter choice ({@link KeyedVectorsInit.int8Prefilter}); setting it drops the int8 copy, and
   * the next query builds one again if the new choice wants it. For models made by loaders and trainers.
   *
   * @example
   * ```ts
   * const kv = await loadVectors('glove.840B.300d.txt');
   * kv.int8Prefilter = false; // no int8 copy (a quarter of the unit matrix's bytes); exact queries scan float32
   * ```
   */
  get int8Prefilter(): boolean | 'auto' {
    return this.#prefilterChoice;
  }

  set int8Prefilter(choice: boolean | 'auto') {
    this.#prefilterChoice = checkPrefilterChoice(choice);
    this.#prefilter = undefined;
  }

  /**
   * Whether exact nearest-neighbour queries go through the int8 pre-filter (see
   * {@link KeyedVectorsInit.int8Prefilter}); known once the unit matrix is built, so this builds it.
   *
   * @example
   * ```ts
   * kv.usesInt8Prefilter; // true for a 400k × 300 model where WebAssembly SIMD runs
   * ```
   */
  get usesInt8Prefilter(): boolean {
    return this.#int8Prefilter(this.#rowScorer()) !== null;
  }

  #int8Prefilter(scorer: RowScorer): Int8Matrix | null {
    if (this.#prefilter === undefined) {
      const choice = this.#prefilterChoice;
      const wanted =
        choice === true || (choice === 'auto' && this.size * this.dim * 4 >= PREFILTER_MIN_BYTES);
      this.#prefilter = wanted ? createPrefilter(scorer, this.size, this.dim) : null;
    }
    return this.#prefilter;
  }

  #rowScorer(): RowScorer {
    if (!this.#scorer) {
      const { dim, vectors, norms } = this;
      const scorer = createRowScorer(this.size, dim);
      // float32 ÷ float32 rounded once to float32: the same value numpy's `vectors / norms` gives.
      scorer.setUnitRows(vectors, norms);
      this.#scorer = scorer;
    }
    return this.#scorer;
  }

  /**
   * gensim `add_vectors`, without mutation: a new {@link KeyedVectors} with `words` appended in order
   * (their rows from `vectors`, `words.length × dim`). A word already present keeps its old vector
   * unless `replace` is true, as in gensim; counts are carried over (0 for new words) when this model
   * has them. This model is left as it was, so its cached norms stay valid.
   *
   * @throws {@link InvalidArgumentError} for a duplicate among `words` or `vectors` of the wrong length.
   * @example
   * ```ts
   * const more = kv.addVectors(['newword'], new Float32Array(kv.dim).fill(0.1));
   * more.has('newword'); // true
   * ```
   */
  addVectors(
    words: readonly string[],
    vectors: Float32Array,
    options: { replace?: boolean } = {},
  ): KeyedVectors {
    const { dim } = this;
    if (vectors.length !== words.length * dim) {
      throw new InvalidArgumentError(
        `addVectors got ${vectors.length} values for ${words.length} words × dim ${dim}`,
      );
    }
    const seen = new Set<string>();
    const fresh: number[] = [];
    for (let i = 0; i < words.length; i++) {
      if (seen.has(words[i]))
        throw new InvalidArgumentError(`addVectors got ${quoteForMessage(words[i])} twice`);
      seen.add(words[i]);
      if (!this.#index.has(words[i])) fresh.push(i);
    }
    const out = new Float32Array((this.size + fresh.length) * dim);
    out.set(this.vectors);
    if (options.replace) {
      for (let i = 0; i < words.length; i++) {
        const r = this.#index.get(words[i]);
        if (r !== undefined) out.set(vectors.subarray(i * dim, (i + 1) * dim), r * dim);
      }
    }
    for (let k = 0; k < fresh.length; k++) {
      const i = fresh[k];
      out.set(vectors.subarray(i * dim, (i + 1) * dim), (this.size + k) * dim);
    }
    const counts = this.counts && [...this.counts, ...fresh.map(() => 0)];
    return new KeyedVectors({
      words: [...this.words, ...fresh.map((i) => words[i])],
      vectors: out,
      dim,
      counts,
      subwords: this.#subwords,
    });
  }

  /**
   * gensim `fill_norms`: norms (and the unit matrix and mean built on them) are computed on first use;
   * `force` recomputes them, for after `vectors` was modified in place.
   *
   * @example
   * ```ts
   * kv.vectors[0] = 3; // edited in place
   * kv.fillNorms({ force: true });
   * ```
   */
  fillNorms(options: { force?: boolean } = {}): void {
    if (options.force) {
      this.#norms = undefined;
      this.#mean = undefined;
      this.#scorer = undefined;
      this.#prefilter = undefined;
    }
    void this.norms;
  }

  /** The subword model given at construction (fastText models), else undefined. */
  get subwords(): SubwordEstimator | undefined {
    return this.#subwords;
  }

  protected override subwordEstimator(): SubwordEstimator | undefined {
    return this.#subwords;
  }

  protected override meanUnitVector(): Float32Array {
    this.#mean ??= meanRow(this.unitVectors(), this.size, this.dim);
    return this.#mean;
  }

  /** The rows the queries of {@link WordQueries} run on: this matrix, scanned exactly. */
  protected rowSource(): RowSource {
    if (!this.#source) {
      const { dim, words } = this;
      this.#source = {
        dim,
        size: words.length,
        rowOf: (word) => this.#index.get(word) ?? -1,
        unitRow: (row) => this.#rowScorer().matrix.subarray(row * dim, (row + 1) * dim),
        vector: (row) => this.vectors.subarray(row * dim, (row + 1) * dim),
        wordsAt: (rows) => Array.from(rows, (r) => words[r]),
        scanRows: (query, end) => {
          const scorer = this.#rowScorer();
          scorer.score(query, 0, end);
          return scorer.scores;
        },
        nearest: (query, options) => {
          const scorer = this.#rowScorer();
          const int8 = this.#int8Prefilter(scorer);
          return int8
            ? prefilteredNearest(scorer, int8, query, options)
            : exactNearest(scorer, query, options);
        },
      };
    }
    return this.#source;
  }
}

function checkPrefilterChoice(choice: unknown): boolean | 'auto' {
  if (choice !== true && choice !== false && choice !== 'auto') {
    throw new InvalidArgumentError(
      `int8Prefilter must be true, false or 'auto', got ${quoteForMessage(String(choice))}`,
    );
  }
  return choice;
}

/** A `Map` from each of `words` to its row. @throws {@link InvalidArgumentError} on a repeated word. */
function buildIndex(words: readonly string[]): Map<string, number> {
  const index = new Map<string, number>();
  for (let i = 0; i < words.length; i++) {
    // One look-up per word: a repeat leaves the size unchanged (rare, so its message may search).
    index.set(words[i], i);
    if (index.size !== i + 1) {
      throw new InvalidArgumentError(
        `duplicate word ${quoteForMessage(words[i])} at rows ${words.indexOf(words[i])} and ${i}`,
      );
    }
  }
  return index;
}

/** `index` after checking that it has one row per word and maps a sample of 64 words to their rows. */
function checkIndex(index: WordIndex, words: readonly string[]): WordIndex {
  const bad = (why: string) => new InvalidArgumentError(`index does not match words: ${why}`);
  if (index.size !== words.length) throw bad(`it holds ${index.size} words, words has ${words.length}`);
  const step = Math.max(1, Math.floor(words.length / 64));
  for (let i = words.length - 1; i >= 0; i -= step) {
    const row = index.get(words[i]);
    if (row !== i) throw bad(`${quoteForMessage(words[i])} is row ${i}, the index says ${row}`);
  }
  return index;
}
