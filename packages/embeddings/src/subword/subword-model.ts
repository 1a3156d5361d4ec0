/**
 * The one place that decides how a word-only model (word2vec, GloVe, PPMI, any imported text file)
 * gets its subword model: `buildSubwordEstimator` is what `--oov subword` on import and train, and
 * `wordvec oov-index`, call. The default method was chosen by `pnpm bench oov` (see the package
 * README, "Which subword estimator"); switching it is one constant.
 */
import { InvalidArgumentError } from '../errors.js';
import type { OnProgress } from '../progress.js';
import { MagnitudeEstimator, type MagnitudeOptions } from './magnitude-estimator.js';
import { type FitSubwordOptions, fitSubwordTable, type UnitRows } from './subword-estimator.js';
import type { SubwordTable } from './subword-table.js';

/** `learned`: least-squares n-gram table ({@link fitSubwordTable}); `magnitude`: {@link MagnitudeEstimator}. */
export type SubwordMethod = 'learned' | 'magnitude';

/** Every method, for option parsers. */
export const SUBWORD_METHODS: readonly SubwordMethod[] = ['magnitude', 'learned'];

/**
 * The method word-only models get unless asked otherwise: `magnitude`, by `pnpm bench oov` (one-edit
 * misspellings find the intended word far more often, it builds in seconds at 400k words and needs no
 * vector table; the learned table has the higher mean cosine on held-out words).
 */
export const DEFAULT_SUBWORD_METHOD: SubwordMethod = 'magnitude';

/** A built subword model: the estimator plus what to persist of it. */
export type BuiltSubwordModel =
  | { method: 'learned'; estimator: SubwordTable; table: SubwordTable }
  | { method: 'magnitude'; estimator: MagnitudeEstimator; magnitude: MagnitudeEstimator };

/** Options of {@link buildSubwordEstimator}. */
export interface BuildSubwordOptions {
  /** Default {@link DEFAULT_SUBWORD_METHOD}. */
  method?: SubwordMethod;
  /** Options of the learned table (n-gram lengths, buckets, epochs, seed). */
  learned?: FitSubwordOptions;
  /** Options of the Magnitude estimator (n-gram lengths, neighbours, weights). */
  magnitude?: MagnitudeOptions;
  onProgress?: OnProgress;
}

/**
 * Builds the subword model of a word-only model from its unit rows.
 *
 * @throws {@link InvalidArgumentError} for an unknown method or bad options.
 * @example
 * ```ts
 * const built = buildSubwordEstimator({ words: kv.words, dim: kv.dim, unit: kv.unitVectors() });
 * kv.resolve('pizzaiolo', { subword: true, estimator: built.estimator });
 * ```
 */
export function buildSubwordEstimator(rows: UnitRows, options: BuildSubwordOptions = {}): BuiltSubwordModel {
  const method = options.method ?? DEFAULT_SUBWORD_METHOD;
  if (method === 'learned') {
    const table = fitSubwordTable(rows, { ...options.learned, onProgress: options.onProgress });
    return { method, estimator: table, table };
  }
  if (method === 'magnitude') {
    const magnitude = new MagnitudeEstimator(rows, options.magnitude);
    options.onProgress?.({ stage: 'subword', done: 1, total: 1, unit: 'indexes' });
    return { method, estimator: magnitude, magnitude };
  }
  throw new InvalidArgumentError(
    `unknown subword method ${JSON.stringify(String(method))}: use ${SUBWORD_METHODS.join(' or ')}`,
  );
}
