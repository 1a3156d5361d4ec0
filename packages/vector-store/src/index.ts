/**
 * `@wordvec/vector-store`: named word-vector models in one SQLite file, opened instantly and
 * queried fast by a long-running bot.
 *
 * A curated list: the store, its models, their descriptions and options, and the one error class.
 * SQLite plumbing, the model writer and the HNSW search stay inside the package.
 */

export type { HnswOptions } from './ann/hnsw.js';
export type { EfCalibration } from './ann/hnsw-calibration.js';
export { StoreError, type StoreErrorCode } from './errors.js';
export {
  type CooccurrenceInfo,
  DEFAULT_STORED_CONTEXTS,
  type StoredContexts,
} from './model/cooccurrence-stats.js';
export { MAGNITUDE_LAYOUT_VERSION, type MagnitudeInfo } from './model/magnitude-store.js';
export type { AnnInfo, CorpusInfo, ModelInfo } from './model/model-info.js';
export { type LoadOptions, StoredModel, type StoredQueryOptions } from './model/stored-model.js';
export type {
  FastTextExtras,
  MagnitudeToStore,
  StoredSubwordTable,
  SubwordInfo,
  SubwordsToStore,
  SubwordTableToStore,
} from './model/subword-store.js';
export {
  type ImportedModelInfo,
  type ImportOptions,
  type OpenOptions,
  VectorStore,
  type VectorsInput,
} from './vector-store.js';
export type { AnnOptions, ModelMeta, WriteOptions } from './write/model-writer.js';
