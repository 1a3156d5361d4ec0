/**
 * `@wordvec/embeddings`: train, query and read/write word embeddings in TypeScript.
 * One export line per module; keep this file a plain list.
 */

export * from './cooccurrence/count.js';
export * from './cooccurrence/matrix.js';
export * from './cooccurrence/pmi.js';
export * from './cooccurrence/record-file.js';
export * from './errors.js';
export * from './evaluation/evaluation.js';
export * from './evaluation/model-evaluation.js';
export * from './formats/vector-files.js';
export * from './linalg/randomized-svd.js';
export * from './linalg/sparse-matrix.js';
export * from './linalg/top-k.js';
export * from './progress.js';
export * from './query/keyed-vectors.js';
export * from './query/row-scorer.js';
export * from './query/row-scores.js';
export * from './random.js';
export * from './text/corpus.js';
export * from './text/corpus-encoding.js';
export * from './text/starter-corpus.js';
export * from './text/token-ids.js';
export * from './text/tokenizer.js';
export * from './text/vocabulary.js';
export * from './train/glove/glove.js';
export * from './train/ppmi/ppmi-svd.js';
export * from './train/trained-model.js';
export * from './train/word2vec/cbow.js';
export * from './train/worker-entry.js';
export * from './wasm/assembler.js';
export * from './wasm/simd-dot-wat.js';
