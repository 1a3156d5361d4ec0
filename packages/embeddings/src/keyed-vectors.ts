import { InvalidArgumentError, OovError } from './errors.js';

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
}

/**
 * Word → vector look-up with gensim 4 `KeyedVectors` query semantics.
 *
 * @example
 * ```ts
 * const kv = new KeyedVectors({ words: ['a', 'b'], dim: 2, vectors: new Float32Array([1, 0, 0, 1]) });
 * kv.has('a'); // true
 * kv.get('b'); // Float32Array [0, 1]
 * ```
 */
export class KeyedVectors {
  readonly dim: number;
  readonly words: readonly string[];
  readonly vectors: Float32Array;
  readonly counts: Float64Array | undefined;
  readonly #index: Map<string, number>;

  constructor(init: KeyedVectorsInit) {
    const { words, vectors, dim } = init;
    if (!Number.isInteger(dim) || dim <= 0) throw new InvalidArgumentError(`dim must be a positive integer, got ${dim}`);
    if (vectors.length !== words.length * dim) {
      throw new InvalidArgumentError(
        `vectors has ${vectors.length} values, expected words.length × dim = ${words.length} × ${dim} = ${words.length * dim}`,
      );
    }
    if (init.counts && init.counts.length !== words.length) {
      throw new InvalidArgumentError(`counts has ${init.counts.length} entries, expected ${words.length}`);
    }
    this.dim = dim;
    this.words = words;
    this.vectors = vectors;
    this.counts = init.counts ? Float64Array.from(init.counts) : undefined;
    this.#index = new Map();
    for (let i = 0; i < words.length; i++) {
      if (this.#index.has(words[i])) throw new InvalidArgumentError(`duplicate word ${JSON.stringify(words[i])} at rows ${this.#index.get(words[i])} and ${i}`);
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
}
