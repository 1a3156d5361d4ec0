/**
 * `@wordvec/embeddings`: train, query and read/write word embeddings in TypeScript.
 * One export line per module; keep this file a plain list.
 */

export * from './cbow.js';
export * from './cbow-wat-assembler.js';
export * from './cooccurrence.js';
export * from './cooccurrence-file.js';
export * from './cooccurrence-matrix.js';
export * from './corpus.js';
export * from './corpus-encoding.js';
export * from './errors.js';
export * from './evaluation.js';
export * from './formats/vector-files.js';
export * from './glove.js';
export * from './keyed-vectors.js';
export * from './model-evaluation.js';
export * from './pmi.js';
export * from './ppmi-svd.js';
export * from './progress.js';
export * from './random.js';
export * from './randomized-svd.js';
export * from './row-scorer.js';
export * from './row-scores.js';
export * from './simd-dot-wat.js';
export * from './sparse-matrix.js';
export * from './starter-corpus.js';
export * from './token-ids.js';
export * from './tokenizer.js';
export * from './top-k.js';
export * from './trained-model.js';
export * from './vocabulary.js';
export * from './worker-entry.js';
