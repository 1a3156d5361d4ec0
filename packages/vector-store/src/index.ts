/**
 * `@wordvec/vector-store`: named word-vector models in one SQLite file, opened instantly and
 * queried fast by a long-running bot.
 */

export type { HnswIndex, HnswOptions } from './ann/hnsw.js';
export * from './errors.js';
export {
  type CooccurrenceInfo,
  DEFAULT_STORED_CONTEXTS,
  pruneForStorage,
  type StoredContexts,
} from './model/cooccurrence-stats.js';
export * from './model/model-info.js';
export * from './model/stored-model.js';
export * from './vector-store.js';
export type { ModelMeta, WriteOptions } from './write/model-writer.js';
