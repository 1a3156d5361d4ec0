/**
 * GloVe text format: no header, one row per line, `word v1 … vD`. Stanford's glove.c writes each value as
 * `" %lf"` (6 decimals, no trailing space), which is our default. Files are recognised by a first line of
 * more than two fields (a word2vec header has exactly two integers).
 */
import { encodeTextRows } from './text-rows.js';

/** Encodes a whole GloVe text file. */
export function* encodeGloveText(
  words: readonly string[],
  vectors: Float32Array,
  dim: number,
  precision: number | 'shortest' = 6,
): Generator<string> {
  yield* encodeTextRows(words, vectors, dim, { precision, trailingSpace: false });
}
