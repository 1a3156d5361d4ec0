/**
 * The one implementation of gensim 4's `KeyedVectors` query semantics, over any {@link RowSource}:
 * input words excluded, unit-normalised means, 3CosAdd and 3CosMul, gensim's tie-breaking, and an
 * `OovError` naming every missing word. `KeyedVectors` (in memory) and the store's `StoredModel`
 * both extend it, so the library and the bot cannot answer the same question differently.
 *
 * Sums run in float64 and the result is rounded once to float32, like numpy's float32 arrays
 * accumulate in gensim closely enough that answers and scores agree with gensim to ~1e-6.
 */
import { InvalidArgumentError, OovError } from '../errors.js';
import { dot } from '../linalg/dot.js';
import { selectTopK } from '../linalg/top-k.js';
import {
  explainWord,
  type OovModel,
  type OovOptions,
  type OovStepOutcome,
  type Resolution,
  type ResolvedWord,
  resolveWord,
} from '../oov/resolve-word.js';
import type { SubwordEstimator } from '../subword/subword-estimator.js';
import {
  asList,
  checkTopn,
  checkVector,
  codePointLess,
  combine,
  inputRows,
  lookUp,
  restrictEnd,
  unitOf,
  unitOfItem,
} from './query-terms.js';
import type { NearestRows, RowSource } from './row-source.js';
import { VectorQueries } from './vector-queries.js';

/**
 * A query term: a word of the vocabulary, or a raw vector of `dim` values.
 *
 * @example
 * ```ts
 * const terms: QueryItem[] = ['king', kv.get('woman')];
 * kv.mostSimilar({ positive: terms });
 * ```
 */
export type QueryItem = string | Float32Array | Float64Array;

/**
 * One neighbour in a similarity answer.
 *
 * @example
 * ```ts
 * const [best]: Similar[] = kv.similarByWord('cat', { topn: 1 }); // { word: 'dog', score: 0.8 }
 * ```
 */
export interface Similar {
  word: string;
  /** Cosine similarity for `mostSimilar`; the 3CosMul objective for `mostSimilarCosmul`. */
  score: number;
}

/**
 * Options shared by the neighbour queries.
 *
 * @example
 * ```ts
 * const options: NeighbourOptions = { topn: 5, restrictVocab: 30000 };
 * kv.similarByWord('cat', options);
 * ```
 */
export interface NeighbourOptions {
  /** How many neighbours to return (integer ≥ 0; gensim returns `[]` for 0). Default 10. */
  topn?: number;
  /**
   * Only the first `restrictVocab` rows are candidates (gensim `restrict_vocab`). Default, and
   * like gensim also for 0: all rows. A value above the vocabulary size means all rows.
   */
  restrictVocab?: number;
}

/**
 * Arguments of {@link WordQueries.mostSimilar} and {@link WordQueries.mostSimilarCosmul}.
 *
 * @example
 * ```ts
 * const query: MostSimilarOptions = { positive: ['king', 'woman'], negative: ['man'], topn: 3 };
 * kv.mostSimilar(query);
 * ```
 */
export interface MostSimilarOptions extends NeighbourOptions {
  /** Terms pulling towards the answer (weight +1). A single word or vector may be given bare. */
  positive?: QueryItem | readonly QueryItem[];
  /** Terms pushing away from the answer (weight −1). */
  negative?: QueryItem | readonly QueryItem[];
}

/**
 * Options of {@link WordQueries.analogy}.
 *
 * @example
 * ```ts
 * const options: AnalogyOptions = { method: 'mul', topn: 1 };
 * kv.analogy('paris', 'france', 'italy', options); // [{ word: 'rome', … }]
 * ```
 */
export interface AnalogyOptions extends NeighbourOptions {
  /** `add` = 3CosAdd (vector offset, gensim `most_similar`), `mul` = 3CosMul (`most_similar_cosmul`). Default `add`. */
  method?: 'add' | 'mul';
}

/**
 * Options of {@link WordQueries.doesntMatch}.
 *
 * @example
 * ```ts
 * const options: DoesntMatchOptions = { ignoreOov: true, onOov: (w) => console.warn('ignored', w) };
 * kv.doesntMatch(['breakfast', 'cereal', 'dinner', 'lunnch'], options); // 'cereal'
 * ```
 */
export interface DoesntMatchOptions {
  /**
   * gensim 4 drops words missing from the vocabulary (and logs a warning). By default we throw
   * {@link OovError} instead, like every other query; pass `true` for gensim's behaviour.
   */
  ignoreOov?: boolean;
  /** Called with the dropped words when `ignoreOov` drops any (gensim's warning, as a hook: the library never prints). */
  onOov?: (words: readonly string[]) => void;
}

/**
 * Options of {@link WordQueries.nearestRows}.
 *
 * @example
 * ```ts
 * const options: NearestRowsOptions = { topn: 5, exclude: [kv.index('cat')] };
 * kv.nearestRows(kv.getUnit('cat'), options);
 * ```
 */
export interface NearestRowsOptions extends NeighbourOptions {
  /** Rows never returned. */
  exclude?: ArrayLike<number>;
}

/** Levy & Goldberg (2014), eq. 4: ε keeps the 3CosMul quotient finite. gensim uses the same 1e-6. */
const COSMUL_EPSILON = 1e-6;

/**
 * gensim 4 `KeyedVectors` queries over the rows of a {@link RowSource}. Subclasses supply the rows
 * ({@link WordQueries.rowSource}); every query below is written once, here.
 *
 * @typeParam Extra - options the source's search strategy takes beside the query's (the store's `{ exact, ef }`).
 * @example
 * ```ts
 * class MyVectors extends WordQueries {
 *   protected rowSource(): RowSource { return mySource; }
 * }
 * new MyVectors().mostSimilar({ positive: ['king', 'woman'], negative: ['man'], topn: 1 });
 * ```
 */
export abstract class WordQueries<Extra extends object = object> extends VectorQueries<Extra> {
  /** The rows to answer from, fetched once per query (a store checks here that its model is current). */
  protected abstract override rowSource(): RowSource<Extra>;

  /** The model's own subword model (a fastText model's n-gram table), when it has one. */
  protected subwordEstimator(): SubwordEstimator | undefined {
    return undefined;
  }

  /** The mean of the unit rows, for the `mean` UNK policy, when the model can give it cheaply. */
  protected meanUnitVector(): Float32Array | undefined {
    return undefined;
  }

  /**
   * Resolves a typed word through the one out-of-vocabulary pipeline (exact → case / accents /
   * punctuation → lemma → subword estimate → UNK policy, each step as `oov` enables it) and says how.
   * With no options this is gensim's look-up: the exact word or an {@link OovError}.
   *
   * @throws {@link OovError} when no enabled step finds the word and the UNK policy is `error`.
   * @example
   * ```ts
   * kv.resolve('Pizza!', { forms: true }).resolution; // { word: 'Pizza!', how: 'punctuation', resolvedAs: 'pizza' }
   * fastText.vectors.resolve('pizzaiolo', { subword: true }).resolution.pieces; // ['<pi', 'piz', …]
   * ```
   */
  resolve(typed: string, oov: OovOptions = {}): ResolvedWord {
    const got = resolveWord(this.#oovModel(oov), typed, oov);
    if (!got) throw new OovError([typed]);
    return got;
  }

  /**
   * What each step of the OOV pipeline would give for `typed`, every enabled step run on its own
   * (see `explainWord`): for explanations such as the bot's `/oov`.
   *
   * @example
   * ```ts
   * kv.explainResolution('pizzas', { forms: true, lemma: true, subword: true }).map((s) => `${s.step}: ${s.status}`);
   * // ['exact: none', 'forms: none', 'lemma: found', 'subword: unavailable', 'unk: none']
   * ```
   */
  explainResolution(typed: string, oov: OovOptions = {}): OovStepOutcome[] {
    return explainWord(this.#oovModel(oov), typed, oov);
  }

  /**
   * Whether this model can make subword estimates by itself (a fastText model's n-gram table, or a
   * stored model's subword model); without one, `subword` estimates need `oov.estimator`.
   *
   * @example
   * ```ts
   * kv.hasSubwordModel(); // false for vectors loaded from a word2vec or GloVe text file
   * ```
   */
  hasSubwordModel(): boolean {
    return this.subwordEstimator() !== undefined;
  }

  /**
   * The model's own subword model, if any: pass it as `oov.estimator` where another copy of the
   * vectors resolves words (an in-memory `toKeyedVectors()` of a stored model, for evaluation).
   *
   * @example
   * ```ts
   * const estimator = stored.subwordModel();
   * stored.toKeyedVectors().resolve('pizzaiolo', { subword: true, estimator });
   * ```
   */
  subwordModel(): SubwordEstimator | undefined {
    return this.subwordEstimator();
  }

  #oovModel(oov: OovOptions): OovModel {
    const source = this.rowSource();
    const estimator = oov.estimator ?? (oov.subword ? this.subwordEstimator() : undefined);
    return {
      dim: source.dim,
      rowOf: (w) => source.rowOf(w),
      estimate: estimator && ((w) => estimator.explain(w)),
      meanVector: () => {
        const mean = this.meanUnitVector();
        if (!mean)
          throw new InvalidArgumentError("this model gives no mean vector for the 'mean' UNK policy");
        return mean;
      },
    };
  }

  /**
   * Query terms with every word resolved by {@link WordQueries.resolve}: a word found (itself or a
   * variant) stays a word, so it is excluded from answers as gensim excludes inputs; an estimate or
   * UNK stand-in becomes a vector. Pass `items` on to any query; show `resolutions` to the user.
   *
   * @throws {@link OovError} naming every word no enabled step resolves.
   * @example
   * ```ts
   * const { items, resolutions } = kv.resolveTerms(['Pizzas', 'pizzaiolo'], { forms: true, subword: true });
   * kv.mostSimilar({ positive: items, topn: 5 });
   * ```
   */
  resolveTerms(
    items: readonly QueryItem[],
    oov: OovOptions = {},
  ): { items: QueryItem[]; resolutions: Resolution[] } {
    const out: QueryItem[] = [];
    const resolutions: Resolution[] = [];
    const missing: string[] = [];
    for (const item of items) {
      if (typeof item !== 'string') {
        out.push(item);
        continue;
      }
      try {
        const { resolution, vector } = this.resolve(item, oov);
        resolutions.push(resolution);
        out.push(vector ?? (resolution.resolvedAs as string));
      } catch (e) {
        if (!(e instanceof OovError)) throw e;
        missing.push(item);
      }
    }
    if (missing.length > 0) throw new OovError(missing);
    return { items: out, resolutions };
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
   * @throws {@link InvalidArgumentError} for no input, a bad `topn`/`restrictVocab`, or a vector of the wrong length or with NaN.
   * @example
   * ```ts
   * kv.mostSimilar({ positive: ['king', 'woman'], negative: ['man'], topn: 1 }); // [{ word: 'queen', score: 0.71 }]
   * ```
   */
  mostSimilar(options: MostSimilarOptions & Extra): Similar[] {
    const source = this.rowSource();
    const positive = asList(options.positive);
    const negative = asList(options.negative);
    const topn = checkTopn(options.topn);
    const end = restrictEnd(options.restrictVocab, source.size);
    const { query, exclude } = combine(source, positive, negative);
    if (topn === 0) return [];
    return toSimilar(source, source.nearest(query, { topn, end, exclude }, options));
  }

  /**
   * The `topn` words maximising 3CosMul (Levy & Goldberg 2014, eq. 4; gensim `most_similar_cosmul`):
   * Π over positives of (1 + cos)/2 ÷ (Π over negatives of (1 + cos)/2 + 1e-6). The shift of cosines
   * to [0, 1] is the paper's footnote 7. Input words are never returned. Scores every row exactly.
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
    const source = this.rowSource();
    const positive = asList(options.positive);
    const negative = asList(options.negative);
    const topn = checkTopn(options.topn);
    const end = restrictEnd(options.restrictVocab, source.size);
    const rows = lookUp(source, [...positive, ...negative]);
    if (positive.length === 0)
      throw new InvalidArgumentError('mostSimilarCosmul needs at least one positive term');
    if (topn === 0) return [];
    const numerator = new Float32Array(end).fill(1);
    const denominator = new Float32Array(end).fill(1);
    for (const [items, product] of [
      [positive, numerator],
      [negative, denominator],
    ] as const) {
      for (const item of items) {
        const cos = source.scanRows(unitOfItem(source, rows, item), end);
        for (let r = 0; r < end; r++) product[r] *= (1 + cos[r]) / 2;
      }
    }
    // With no negatives the denominator stays 1 + ε, as in gensim (the product of an empty list is 1).
    const scores = numerator;
    for (let r = 0; r < end; r++) scores[r] = numerator[r] / (denominator[r] + COSMUL_EPSILON);
    return toSimilar(source, selectTopK(scores, topn, { end, exclude: inputRows(rows) }));
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
  similarByVector(vector: Float32Array | Float64Array, options: NeighbourOptions & Extra): Similar[];
  similarByVector(vector: Float32Array | Float64Array, options?: NeighbourOptions): Similar[];
  similarByVector(vector: Float32Array | Float64Array, options: NeighbourOptions = {}): Similar[] {
    return this.mostSimilar({ ...options, positive: [vector] } as MostSimilarOptions & Extra);
  }

  /**
   * The `topn` words closest by cosine to `word`, the word itself excluded (gensim `similar_by_word`).
   *
   * @example
   * ```ts
   * kv.similarByWord('cat', { topn: 2 }); // [{ word: 'dog', score: 0.8 }, { word: 'kitten', score: 0.79 }]
   * ```
   */
  similarByWord(word: string, options: NeighbourOptions & Extra): Similar[];
  similarByWord(word: string, options?: NeighbourOptions): Similar[];
  similarByWord(word: string, options: NeighbourOptions = {}): Similar[] {
    return this.mostSimilar({ ...options, positive: [word] } as MostSimilarOptions & Extra);
  }

  /**
   * Low-level nearest-neighbour search: rows with the highest dot product between `query` (used as
   * given: pass a unit vector to get cosines) and each unit row, through the source's search
   * strategy. Used by evaluation, which needs to exclude rows rather than words.
   *
   * @example
   * ```ts
   * const { rows, scores } = kv.nearestRows(kv.getUnit('cat'), { topn: 5, exclude: [kv.index('cat')] });
   * ```
   */
  nearestRows(query: Float32Array, options: NearestRowsOptions & Extra): NearestRows;
  nearestRows(query: Float32Array, options?: NearestRowsOptions): NearestRows;
  nearestRows(query: Float32Array, options: NearestRowsOptions = {}): NearestRows {
    const source = this.rowSource();
    checkVector(query, source.dim);
    const topn = checkTopn(options.topn);
    const end = restrictEnd(options.restrictVocab, source.size);
    const exclude = Int32Array.from(options.exclude ?? []);
    if (topn === 0) return { rows: new Int32Array(0), scores: new Float32Array(0) };
    return source.nearest(query, { topn, end, exclude }, options as Extra);
  }

  /**
   * Cosine similarity of two words (gensim `similarity`); 0 when either vector is zero. Either may
   * be a vector instead (an OOV estimate from {@link WordQueries.resolveTerms}).
   * @throws {@link OovError} naming every missing word.
   * @example
   * ```ts
   * kv.similarity('cat', 'dog'); // 0.76
   * ```
   */
  similarity(a: QueryItem, b: QueryItem): number {
    const source = this.rowSource();
    const rows = lookUp(source, [a, b]);
    return dot(unitOfItem(source, rows, a), unitOfItem(source, rows, b));
  }

  /**
   * Cosine distance, 1 − {@link WordQueries.similarity} (gensim `distance`).
   * @example
   * ```ts
   * kv.distance('cat', 'cat'); // 0
   * ```
   */
  distance(a: string, b: string): number {
    return 1 - this.similarity(a, b);
  }

  /**
   * Cosine similarity between the means of two word sets (gensim `n_similarity`: `getMeanVector` of
   * the raw, not normalised, vectors, so words missing from the vocabulary are skipped, as gensim skips
   * them; `onOov` hears which). A set with no known word has the zero mean: similarity 0, as in gensim.
   *
   * @throws {@link InvalidArgumentError} when either set is empty.
   * @example
   * ```ts
   * kv.nSimilarity(['sushi', 'shop'], ['japanese', 'restaurant']); // 0.6
   * ```
   */
  nSimilarity(
    first: readonly string[],
    second: readonly string[],
    options: { onOov?: (words: readonly string[]) => void } = {},
  ): number {
    if (first.length === 0 || second.length === 0) {
      throw new InvalidArgumentError('nSimilarity needs at least one word in each set');
    }
    const mean = (words: readonly string[]) =>
      unitOf(this.getMeanVector(words, { preNormalize: false, onOov: options.onOov }));
    return dot(mean(first), mean(second));
  }

  /**
   * The word that fits least: the one with the lowest cosine to the unit mean of the words' unit
   * vectors (gensim `doesnt_match`); ties go to the smallest word, as gensim's sort of
   * (cosine, word) pairs gives. Missing words throw by default; see
   * {@link DoesntMatchOptions.ignoreOov} for gensim's drop-and-warn behaviour.
   *
   * @throws {@link InvalidArgumentError} when no usable word is left; {@link OovError} for missing words.
   * @example
   * ```ts
   * kv.doesntMatch(['breakfast', 'cereal', 'dinner', 'lunch']); // 'cereal'
   * ```
   */
  doesntMatch(words: readonly string[], options: DoesntMatchOptions = {}): string {
    const source = this.rowSource();
    const rows = new Map<string, number>();
    const missing: string[] = [];
    for (const w of words) {
      if (rows.has(w) || missing.includes(w)) continue;
      const r = source.rowOf(w);
      if (r < 0) missing.push(w);
      else rows.set(w, r);
    }
    if (missing.length > 0) {
      if (!options.ignoreOov) throw new OovError(missing);
      options.onOov?.(missing);
    }
    const used = words.filter((w) => rows.has(w));
    if (used.length === 0)
      throw new InvalidArgumentError('doesntMatch needs at least one word in the vocabulary');
    return used[this.oddOneOut(used)];
  }

  /**
   * {@link WordQueries.doesntMatch} over query items (words or vectors, e.g. OOV estimates from
   * {@link WordQueries.resolveTerms}): the index of the item with the lowest cosine to the unit mean
   * of the items' unit vectors. Ties go to the smallest of `labels` (default: the words; vectors
   * without a label rank after words, by position).
   *
   * @throws {@link InvalidArgumentError} for no items; {@link OovError} naming every missing word.
   * @example
   * ```ts
   * const { items } = kv.resolveTerms(['breakfast', 'cereal', 'dinner', 'lunnch'], { subword: true, estimator });
   * kv.oddOneOut(items); // 1: cereal
   * ```
   */
  oddOneOut(items: readonly QueryItem[], labels?: readonly string[]): number {
    if (items.length === 0) throw new InvalidArgumentError('oddOneOut needs at least one item');
    const source = this.rowSource();
    const rows = lookUp(source, items);
    const units = items.map((item) => unitOfItem(source, rows, item));
    const label = (i: number) =>
      labels?.[i] ?? (typeof items[i] === 'string' ? (items[i] as string) : undefined);
    const acc = new Float64Array(source.dim);
    for (const u of units) for (let j = 0; j < acc.length; j++) acc[j] += u[j];
    const centre = unitOf(acc);
    let worst = 0;
    let worstScore = dot(units[0], centre);
    for (let i = 1; i < units.length; i++) {
      const s = dot(units[i], centre);
      if (s > worstScore) continue;
      const a = label(i);
      const b = label(worst);
      const before = a !== undefined && (b === undefined || codePointLess(a, b));
      if (s < worstScore || before) {
        worst = i;
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
    const source = this.rowSource();
    const closer = closerRows(source, a, b);
    return source.wordsAt(closer);
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
    return closerRows(this.rowSource(), a, b).length + 1;
  }

  /**
   * Solves "`a` is to `b` as ? is to `c`" the way people say it to the bot: `a − b + c`, so
   * `analogy('king', 'man', 'woman')` → queen. That is `mostSimilar({ positive: [a, c], negative: [b] })`
   * (3CosAdd) or, with `method: 'mul'`, {@link WordQueries.mostSimilarCosmul} (3CosMul). The three
   * inputs are excluded from the answer.
   *
   * @example
   * ```ts
   * kv.analogy('king', 'man', 'woman', { topn: 1 }); // [{ word: 'queen', score: 0.71 }]
   * kv.analogy('paris', 'france', 'italy', { method: 'mul' }); // rome first
   * ```
   */
  analogy(a: QueryItem, b: QueryItem, c: QueryItem, options: AnalogyOptions & Extra): Similar[];
  analogy(a: QueryItem, b: QueryItem, c: QueryItem, options?: AnalogyOptions): Similar[];
  analogy(a: QueryItem, b: QueryItem, c: QueryItem, options: AnalogyOptions = {}): Similar[] {
    const { method = 'add', ...rest } = options;
    if (method !== 'add' && method !== 'mul') {
      throw new InvalidArgumentError(`analogy method must be 'add' or 'mul', got ${JSON.stringify(method)}`);
    }
    const query = { ...rest, positive: [a, c], negative: [b] } as MostSimilarOptions & Extra;
    return method === 'add' ? this.mostSimilar(query) : this.mostSimilarCosmul(query);
  }
}

/** Rows strictly closer to `a` than `b` is, in row order, `a`'s own row left out (gensim `closer_than`). */
function closerRows(source: RowSource<object>, a: string, b: string): number[] {
  const rows = lookUp(source, [a, b]);
  const ra = rows.get(a) as number;
  const rb = rows.get(b) as number;
  const scores = source.scanRows(source.unitRow(ra), source.size);
  const threshold = scores[rb];
  const out: number[] = [];
  for (let r = 0; r < source.size; r++) if (scores[r] > threshold && r !== ra) out.push(r);
  return out;
}

function toSimilar(source: RowSource<object>, { rows, scores }: NearestRows): Similar[] {
  const words = source.wordsAt(rows);
  const out: Similar[] = new Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = { word: words[i], score: scores[i] };
  return out;
}
