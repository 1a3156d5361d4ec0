import type { KeyedVectors } from '../query/keyed-vectors.js';

/**
 * Where a model's training text came from; stored with the model.
 *
 * @example
 * ```ts
 * const { corpus } = await trainCbow(openCorpus('brown'), { seed: 1 });
 * corpus; // { name: 'brown', tokens: …, checksum: '…' }
 * ```
 */
export interface CorpusDescription {
  /** e.g. `starter`, `brown`, or the file/directory path given. */
  name: string;
  /** Tokens kept for training (after min-count filtering). */
  tokens: number;
  /** sha256 hex of the normalised token stream (same text → same checksum, whatever the file layout). */
  checksum: string;
}

/**
 * What every trainer (`trainCbow`, `trainGlove`, `trainPpmiSvd`) resolves to.
 *
 * @example
 * ```ts
 * const model: TrainedModel = await trainGlove(openCorpus('brown'), { dim: 50, seed: 1 });
 * store.putModel('brown-glove', model.vectors, model); // a TrainedModel is its own metadata
 * ```
 */
export interface TrainedModel {
  /** The word vectors, with `counts` filled from the vocabulary. */
  vectors: KeyedVectors;
  algorithm: 'cbow' | 'skipgram' | 'glove' | 'ppmi' | 'fasttext';
  /** Every setting that shaped the vectors, defaults included, so a run can be repeated. */
  hyperParameters: Record<string, number | string | boolean>;
  corpus: CorpusDescription;
  /** Words seen in the corpus but fewer than `minCount` times, with their counts (feeds /oov answers). */
  rareWords?: ReadonlyMap<string, number>;
}
