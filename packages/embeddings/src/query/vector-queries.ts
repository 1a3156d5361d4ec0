/**
 * The rest of gensim 4's `KeyedVectors` query API, written once over a {@link RowSource}:
 * `get_mean_vector`, `distances`, `words_closer_than`, `most_similar_to_given`,
 * `relative_cosine_similarity` and `wmdistance`. {@link WordQueries} extends this class, so every
 * model (in memory or stored) has them; the core queries stay in word-queries.ts.
 */
import { InvalidArgumentError, OovError } from '../errors.js';
import { dot } from '../linalg/dot.js';
import {
  type AlignmentOptions,
  alignedRowSimilarity,
  alignRowSources,
  type ModelAlignment,
} from './model-alignment.js';
import { checkTopn, checkVector, unitOf } from './query-terms.js';
import type { RowSource } from './row-source.js';
import { wordMoversDistance } from './word-movers-distance.js';
import type { QueryItem } from './word-queries.js';

/**
 * Options of {@link VectorQueries.getMeanVector} (gensim `get_mean_vector`).
 *
 * @example
 * ```ts
 * const options: MeanVectorOptions = { weights: [2, 1], postNormalize: true };
 * kv.getMeanVector(['king', 'queen'], options);
 * ```
 */
export interface MeanVectorOptions {
  /** One weight per key (default 1 each); the mean divides by the sum of their absolute values. */
  weights?: ArrayLike<number>;
  /** Unit-normalise each word's vector before the mean (default true, as gensim). Raw vectors given as keys are used as they are. */
  preNormalize?: boolean;
  /** Unit-normalise the mean (default false, as gensim). */
  postNormalize?: boolean;
  /** Skip words missing from the vocabulary (default true, as gensim); false throws {@link OovError} naming them all. */
  ignoreMissing?: boolean;
  /** Called with the skipped words when `ignoreMissing` skips any (gensim logs nothing here; the hook lets a caller say so). */
  onOov?: (words: readonly string[]) => void;
}

/**
 * Options of {@link VectorQueries.wmdistance}.
 *
 * @example
 * ```ts
 * kv.wmdistance(['obama', 'speaks'], ['president', 'greets'], { norm: false });
 * ```
 */
export interface WmdOptions {
  /** Unit-normalise the word vectors before the distances (default true, as gensim). */
  norm?: boolean;
  /** Called with the out-of-vocabulary words dropped from each document (gensim logs their number). */
  onOov?: (dropped: { first: readonly string[]; second: readonly string[] }) => void;
}

/**
 * gensim 4 `KeyedVectors` queries beyond neighbour search, over the rows of a {@link RowSource}.
 * Extended by {@link WordQueries}; use them from any model.
 *
 * @typeParam Extra - the source's search options (see {@link WordQueries}).
 * @example
 * ```ts
 * kv.getMeanVector(['king', 'queen']); // Float32Array(dim)
 * kv.wmdistance(['obama', 'speaks', 'media'], ['president', 'greets', 'press']); // 1.02
 * ```
 */
export abstract class VectorQueries<Extra extends object = object> {
  /** The rows to answer from (see {@link WordQueries}). */
  protected abstract rowSource(): RowSource<Extra>;

  /** gensim `closer_than`; implemented by {@link WordQueries}. */
  abstract closerThan(a: string, b: string): string[];

  /**
   * The weighted mean of the keys' vectors (gensim `get_mean_vector`): Σ wᵢ·vᵢ / Σ |wᵢ|, each word's
   * vector unit-normalised first unless `preNormalize` is false; raw vectors are used as given.
   * Missing words are skipped by default, as gensim does; when nothing is left the mean is zeros.
   *
   * @throws {@link InvalidArgumentError} for no keys, or `weights` of another length or not finite.
   * @throws {@link OovError} naming every missing word when `ignoreMissing` is false.
   * @example
   * ```ts
   * kv.getMeanVector(['king', 'woman'], { weights: [1, 1], postNormalize: true });
   * ```
   */
  getMeanVector(keys: readonly QueryItem[], options: MeanVectorOptions = {}): Float32Array {
    const { weights, preNormalize = true, postNormalize = false, ignoreMissing = true } = options;
    if (!Array.isArray(keys) || keys.length === 0)
      throw new InvalidArgumentError('getMeanVector needs at least one key');
    if (weights !== undefined) {
      if (weights.length !== keys.length) {
        throw new InvalidArgumentError(
          `getMeanVector got ${keys.length} keys but ${weights.length} weights; they must match`,
        );
      }
      for (let i = 0; i < weights.length; i++) {
        if (!Number.isFinite(weights[i]))
          throw new InvalidArgumentError(`weight ${i} must be a finite number, got ${weights[i]}`);
      }
    }
    const source = this.rowSource();
    const acc = new Float64Array(source.dim);
    const missing: string[] = [];
    let totalWeight = 0;
    for (let k = 0; k < keys.length; k++) {
      const key = keys[k];
      const w = weights === undefined ? 1 : weights[k];
      let v: ArrayLike<number>;
      if (typeof key === 'string') {
        const row = source.rowOf(key);
        if (row < 0) {
          if (!missing.includes(key)) missing.push(key);
          continue;
        }
        v = preNormalize ? source.unitRow(row) : source.vector(row);
      } else if (key instanceof Float32Array || key instanceof Float64Array) {
        checkVector(key, source.dim);
        v = key;
      } else {
        throw new InvalidArgumentError(
          `keys must be words or Float32Array/Float64Array vectors, got ${typeof key}`,
        );
      }
      for (let j = 0; j < acc.length; j++) acc[j] += w * v[j];
      totalWeight += Math.abs(w);
    }
    if (missing.length > 0) {
      if (!ignoreMissing) throw new OovError(missing);
      options.onOov?.(missing);
    }
    if (postNormalize) return unitOf(acc);
    return Float32Array.from(acc, (x) => (totalWeight > 0 ? x / totalWeight : x));
  }

  /**
   * Cosine distances (1 − cosine) from a word or vector to each of `others`, or to every row in
   * row order when `others` is empty (gensim `distances`, the word itself included). A zero row is at
   * distance 1 here, where gensim divides by its zero norm and gives NaN.
   *
   * @throws {@link OovError} naming every missing word; {@link InvalidArgumentError} for a bad vector.
   * @example
   * ```ts
   * kv.distances('cat', ['dog', 'car']); // Float32Array [0.24, 0.81]
   * ```
   */
  distances(
    wordOrVector: string | Float32Array | Float64Array,
    others: readonly string[] = [],
  ): Float32Array {
    const source = this.rowSource();
    const missing: string[] = [];
    const rowOf = (w: string) => {
      const r = source.rowOf(w);
      if (r < 0 && !missing.includes(w)) missing.push(w);
      return r;
    };
    let query: Float32Array | undefined;
    if (typeof wordOrVector === 'string') {
      const r = rowOf(wordOrVector);
      if (r >= 0) query = source.unitRow(r);
    } else {
      checkVector(wordOrVector, source.dim);
      query = unitOf(wordOrVector);
    }
    const rows = others.map(rowOf);
    if (missing.length > 0) throw new OovError(missing);
    const q = query as Float32Array;
    if (others.length === 0) {
      const scores = source.scanRows(q, source.size);
      return Float32Array.from(scores.subarray(0, source.size), (s) => 1 - s);
    }
    return Float32Array.from(rows, (r) => 1 - dot(q, source.unitRow(r)));
  }

  /**
   * gensim's older name for {@link WordQueries.closerThan}: every word closer to `a` than `b` is.
   * @example
   * ```ts
   * kv.wordsCloserThan('cat', 'animal'); // ['dog', 'kitten']
   * ```
   */
  wordsCloserThan(a: string, b: string): string[] {
    return this.closerThan(a, b);
  }

  /**
   * The word of `candidates` most similar to `word` by cosine, the first on ties (gensim
   * `most_similar_to_given`, numpy's argmax).
   *
   * @throws {@link InvalidArgumentError} when `candidates` is empty; {@link OovError} naming every missing word.
   * @example
   * ```ts
   * kv.mostSimilarToGiven('music', ['water', 'sound', 'backpack', 'mouse']); // 'sound'
   * ```
   */
  mostSimilarToGiven(word: string, candidates: readonly string[]): string {
    if (candidates.length === 0)
      throw new InvalidArgumentError('mostSimilarToGiven needs at least one candidate');
    const scores = this.distances(word, candidates);
    let best = 0;
    for (let i = 1; i < scores.length; i++) if (scores[i] < scores[best]) best = i;
    return candidates[best];
  }

  /**
   * Relative cosine similarity (Leeuwenberg et al. 2016, eq. 1; gensim `relative_cosine_similarity`):
   * cos(a, b) divided by the sum of the cosines of `a`'s `topn` nearest neighbours. Above 1/topn,
   * `b` is closer to `a` than an average top-`topn` neighbour (the paper's synonym threshold 0.10 for 10).
   *
   * @throws {@link OovError} naming every missing word; {@link InvalidArgumentError} when `a` has no neighbours (topn 0 or a one-word model).
   * @example
   * ```ts
   * kv.relativeCosineSimilarity('good', 'nice', 10); // 0.11
   * ```
   */
  relativeCosineSimilarity(a: string, b: string, topn = 10): number {
    const source = this.rowSource();
    const n = checkTopn(topn);
    const ra = source.rowOf(a);
    const rb = source.rowOf(b);
    const missing = [...new Set([a, b].filter((_w, i) => (i === 0 ? ra : rb) < 0))];
    if (missing.length > 0) throw new OovError(missing);
    const unitA = source.unitRow(ra);
    const { scores } =
      n === 0
        ? { scores: new Float32Array(0) }
        : source.nearest(unitA, { topn: n, end: source.size, exclude: Int32Array.of(ra) }, undefined);
    if (scores.length === 0)
      throw new InvalidArgumentError(
        'relative cosine similarity needs at least one neighbour of the first word',
      );
    let sum = 0;
    for (const s of scores) sum += s;
    return dot(unitA, source.unitRow(rb)) / sum;
  }

  /**
   * Word Mover's Distance between two documents (Kusner et al. 2015; gensim `wmdistance`): the least
   * total distance the words of one document must travel to become the other's, each document a
   * normalised bag of words and a word's cost the Euclidean distance between the (unit, with `norm`)
   * vectors. Solved exactly (our own transport solver, `linalg/transport.ts`; gensim calls POT's
   * exact EMD). As gensim: out-of-vocabulary words are dropped; a document left empty gives Infinity;
   * one shared word gives 0; an all-zero distance matrix gives Infinity.
   *
   * @example
   * ```ts
   * kv.wmdistance(['obama', 'speaks', 'media', 'illinois'], ['president', 'greets', 'press', 'chicago']);
   * ```
   */
  wmdistance(first: readonly string[], second: readonly string[], options: WmdOptions = {}): number {
    const source = this.rowSource();
    const keep = (doc: readonly string[]) => doc.filter((w) => source.rowOf(w) >= 0);
    const a = keep(first);
    const b = keep(second);
    if (a.length < first.length || b.length < second.length) {
      options.onOov?.({
        first: first.filter((w) => source.rowOf(w) < 0),
        second: second.filter((w) => source.rowOf(w) < 0),
      });
    }
    return wordMoversDistance(source, a, b, options.norm ?? true);
  }
  /**
   * Orthogonal Procrustes alignment of this model onto `target` (Hamilton et al. 2016, eq. 4): the
   * rotation W minimising ‖B·W − A‖_F over orthogonal W, B this model's and A the target's unit rows
   * of the words both hold (W = U·Vᵀ from the SVD BᵀA = U·Σ·Vᵀ, `orthogonalProcrustes`). Fitted on
   * at most `maxWords` shared words (default 10,000), the first in the target's row order (its most
   * frequent, for trained models and the usual files). A rotation keeps every cosine inside this
   * model; it only makes cosines across the two meaningful ({@link VectorQueries.alignedSimilarity}).
   *
   * @throws {@link InvalidArgumentError} when the models differ in dimension, share fewer words
   *   than the dimension, or `maxWords` is out of range; `AbortedError` when `signal` aborts.
   * @example
   * ```ts
   * const alignment = await news.alignOnto(books, { maxWords: 5000 });
   * news.alignedSimilarity(books, 'gay', alignment); // 0.41: used differently in the two corpora
   * ```
   */
  alignOnto(target: VectorQueries<object>, options: AlignmentOptions = {}): Promise<ModelAlignment> {
    return alignRowSources(target.rowSource(), this.rowSource(), options);
  }

  /**
   * The cosine of `word` in `target` with its vector here rotated by `alignment` (from
   * {@link VectorQueries.alignOnto} of this model onto `target`); 1 − it is Hamilton et al.'s
   * semantic displacement of the word between the two models.
   *
   * @throws {@link OovError} when either model lacks `word`; {@link InvalidArgumentError} when the
   *   alignment is for another dimension.
   * @example
   * ```ts
   * const shift = 1 - news.alignedSimilarity(books, 'gay', alignment);
   * ```
   */
  alignedSimilarity(target: VectorQueries<object>, word: string, alignment: ModelAlignment): number {
    return alignedRowSimilarity(target.rowSource(), this.rowSource(), word, alignment);
  }
}
