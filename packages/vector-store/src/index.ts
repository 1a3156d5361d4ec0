/**
 * `@wordvec/vector-store`: named word-vector models in one SQLite file, opened instantly and
 * queried fast by a long-running bot.
 */
export {
  type CooccurrenceInfo,
  DEFAULT_STORED_CONTEXTS,
  pruneForStorage,
  type StoredContexts,
} from './cooccurrence-stats.js';
export * from './errors.js';
export type { HnswIndex, HnswOptions } from './hnsw.js';
export * from './model-info.js';
export type { ModelMeta, WriteOptions } from './model-writer.js';
export * from './stored-model.js';
export * from './vector-store.js';
