/**
 * PPMI-SVD embeddings, the count-based trainer: co-occurrence counts → shifted PPMI with context-distribution
 * smoothing → randomised truncated SVD → W = U_d · Σ_d^p (Levy, Goldberg & Dagan 2015, §3.3 "eigenvalue
 * weighting", p = 0.5 by default; Bullinaria & Levy 2012 for p < 1).
 */
import { countCooccurrences } from '../../cooccurrence/count.js';
import type { CooccurrenceMatrix } from '../../cooccurrence/matrix.js';
import { CooccurrenceStats } from '../../cooccurrence/pmi.js';
import { AbortedError, InvalidArgumentError } from '../../errors.js';
import { randomizedSvd } from '../../linalg/randomized-svd.js';
import type { OnProgress } from '../../progress.js';
import { KeyedVectors } from '../../query/keyed-vectors.js';
import type { Corpus } from '../../text/corpus.js';
import { prepareCorpus } from '../../text/corpus-encoding.js';
import { describeCorpus } from '../../text/token-ids.js';
import { Vocabulary } from '../../text/vocabulary.js';
import type { CorpusDescription, TrainedModel } from '../trained-model.js';

/**
 * Factorisation settings of {@link ppmiSvdFromCooccurrence}.
 *
 * @example
 * ```ts
 * const model = await ppmiSvdFromCooccurrence(counts, vocab, { dim: 300, shift: 5, eigenvalueWeighting: 0, seed: 1 });
 * ```
 */
export interface PpmiSvdFactorOptions {
  /** Vector size d. Default 100. */
  dim?: number;
  /** Context-distribution smoothing exponent α. Default 0.75. */
  cds?: number;
  /** Shift k of SPPMI (subtract log k). Default 1. */
  shift?: number;
  /** Eigenvalue weighting p in W = U · Σ^p. Default 0.5 (0 gives U alone, 1 the plain SVD). */
  eigenvalueWeighting?: number;
  /** Randomised SVD oversampling. Default 10. */
  oversample?: number;
  /** Randomised SVD power iterations. Default 2. */
  powerIterations?: number;
  seed?: number;
  onProgress?: OnProgress;
  signal?: AbortSignal;
}

/**
 * Options of {@link trainPpmiSvd}: the factorisation plus how words are counted.
 *
 * @example
 * ```ts
 * let stats: CooccurrenceStats | undefined;
 * const model = await trainPpmiSvd(openCorpus('brown'), {
 *   dim: 100,
 *   window: 2,
 *   minCount: 10,
 *   seed: 1,
 *   onCooccurrenceStats: (s) => (stats = s),
 * });
 * ```
 */
export interface PpmiSvdOptions extends PpmiSvdFactorOptions {
  /** Words seen fewer times are dropped. Default 5. */
  minCount?: number;
  maxVocabSize?: number;
  /** Co-occurrence window. Default 5. */
  window?: number;
  /** Default true. */
  symmetric?: boolean;
  /** Default `harmonic` (1/distance). */
  weighting?: 'harmonic' | 'uniform';
  /** Bytes the counting may use before spilling. Default 1 GiB. */
  memoryBudget?: number;
  tmpDir?: string;
  /** Accepted for the common trainer shape; PPMI-SVD runs on the main thread. */
  workers?: number;
  /**
   * Receives the co-occurrence statistics the vectors were factorised from (with the vocabulary's words),
   * so a caller can store them for `/pmi` and `/cooccur` without counting again.
   */
  onCooccurrenceStats?: (stats: CooccurrenceStats) => void;
}

/**
 * Word list and counts a model is built over (a {@link Vocabulary} fits).
 *
 * @example
 * ```ts
 * const model = await ppmiSvdFromCooccurrence(counts, { words: ['cat', 'dog', 'fish'] }, { dim: 2 });
 * ```
 */
export interface WordCounts {
  words: readonly string[];
  counts?: ArrayLike<number>;
}

/**
 * Trains PPMI-SVD vectors on a corpus: vocabulary, token ids, co-occurrence counts, then
 * {@link ppmiSvdFromCooccurrence}. Progress stages: `vocabulary`, `encode`, `cooccurrence`, `svd`.
 *
 * @example
 * ```ts
 * const model = await trainPpmiSvd(openCorpus('brown'), { dim: 100, window: 5, seed: 1 });
 * model.vectors.mostSimilar({ positive: ['king'] });
 * ```
 */
export async function trainPpmiSvd(corpus: Corpus, options: PpmiSvdOptions = {}): Promise<TrainedModel> {
  const minCount = options.minCount ?? 5;
  const window = options.window ?? 5;
  const symmetric = options.symmetric ?? true;
  const weighting = options.weighting ?? 'harmonic';
  if (!Number.isInteger(minCount) || minCount < 1)
    throw new InvalidArgumentError(`minCount must be a positive integer, got ${minCount}`);
  const { onProgress, signal } = options;
  if (signal?.aborted) throw new AbortedError('PPMI-SVD training');
  const { vocab, encoded } = await prepareCorpus(corpus, {
    minCount,
    maxVocabSize: options.maxVocabSize,
    onProgress,
    signal,
  });
  const matrix = await countCooccurrences(encoded.ids, vocab.size, {
    window,
    symmetric,
    weighting,
    memoryBudget: options.memoryBudget,
    tmpDir: options.tmpDir,
    onProgress,
    signal,
  });
  options.onCooccurrenceStats?.(CooccurrenceStats.fromMatrix(matrix, vocab.words));
  const model = await ppmiSvdFromCooccurrence(matrix, vocab, options, describeCorpus(encoded));
  return {
    ...model,
    hyperParameters: { ...model.hyperParameters, minCount, window, symmetric, weighting },
    rareWords: vocab.rareWords,
  };
}

/**
 * Factorises co-occurrence counts into PPMI-SVD vectors: SPPMI_k with smoothing α (see pmi.ts), then the
 * rank-d randomised SVD U Σ Vᵀ of that sparse matrix, and W = U · Σ^p.
 *
 * @param matrix - counts over `vocab.words` (e.g. from `countCooccurrences`).
 * @param corpus - recorded in the returned model (defaults to an unnamed description).
 *
 * @example
 * ```ts
 * const { vocab, encoded } = await countAndEncodeCorpus(openCorpus('brown'), { minCount: 5 });
 * const counts = await countCooccurrences(encoded.ids, vocab.size, { window: 5 });
 * const model = await ppmiSvdFromCooccurrence(counts, vocab, { dim: 100, seed: 1 }, describeCorpus(encoded));
 * ```
 */
export async function ppmiSvdFromCooccurrence(
  matrix: CooccurrenceMatrix,
  vocab: WordCounts,
  options: PpmiSvdFactorOptions = {},
  corpus: CorpusDescription = { name: 'cooccurrence', tokens: 0, checksum: '' },
): Promise<TrainedModel> {
  const {
    cds = 0.75,
    shift = 1,
    eigenvalueWeighting = 0.5,
    oversample = 10,
    powerIterations = 2,
    seed = 1,
    onProgress,
    signal,
  } = options;
  const V = vocab.words.length;
  if (matrix.vocabSize !== V) {
    throw new InvalidArgumentError(
      `co-occurrence matrix is over ${matrix.vocabSize} words but the vocabulary has ${V}`,
    );
  }
  const dim = options.dim ?? Math.min(100, V);
  if (!Number.isInteger(dim) || dim < 1 || dim > V) {
    throw new InvalidArgumentError(`dim must be an integer in [1, ${V}] (the vocabulary size), got ${dim}`);
  }
  if (!Number.isFinite(eigenvalueWeighting) || eigenvalueWeighting < 0 || eigenvalueWeighting > 1) {
    throw new InvalidArgumentError(`eigenvalueWeighting p must be in [0, 1], got ${eigenvalueWeighting}`);
  }
  const ppmi = CooccurrenceStats.fromMatrix(matrix).ppmiMatrix({ alpha: cds, shift });
  const svd = await randomizedSvd(ppmi, dim, { oversample, powerIterations, seed, onProgress, signal });
  const vectors = new Float32Array(V * dim);
  const scale = new Float64Array(dim);
  for (let k = 0; k < dim; k++) scale[k] = eigenvalueWeighting === 0 ? 1 : svd.s[k] ** eigenvalueWeighting;
  for (let i = 0; i < V; i++)
    for (let k = 0; k < dim; k++) vectors[i * dim + k] = svd.u[i * dim + k] * scale[k];
  return {
    vectors: new KeyedVectors({ words: vocab.words, vectors, dim, counts: vocab.counts }),
    algorithm: 'ppmi',
    hyperParameters: { dim, cds, shift, eigenvalueWeighting, oversample, powerIterations, seed },
    corpus,
  };
}
