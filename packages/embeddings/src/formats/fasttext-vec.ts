/**
 * fastText `.vec` format: the word2vec text layout (header `"<count> <dim>\n"`, one row per line) as
 * fastText's `saveVectors` writes it, each value followed by a space, so lines end in `" \n"`. fastText
 * prints values with `setprecision(5)` (5 significant digits); we write fixed decimals (default 6), which
 * every reader accepts and which round-trip through our reader byte for byte.
 */
import { encodeTextRows } from './text-rows.js';
import { word2vecHeader } from './word2vec-text.js';

/** Encodes a whole fastText `.vec` file (header included). */
export function* encodeFasttextVec(
  words: readonly string[],
  vectors: Float32Array,
  dim: number,
  precision: number | 'shortest' = 6,
): Generator<string> {
  yield word2vecHeader(words.length, dim);
  yield* encodeTextRows(words, vectors, dim, { precision, trailingSpace: true });
}
