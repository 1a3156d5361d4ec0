/**
 * word2vec text format: a header `"<count> <dim>\n"`, then one row per line, `word v1 … vD`.
 * word2vec.c (`-binary 0`) prints each value with `"%lf "`: 6 decimals and a trailing space. gensim's
 * `save_word2vec_format` prints numpy's shortest `repr` of each float32 and no trailing space. We write
 * 6 decimals without the trailing space by default (`precision` changes the decimals, `'shortest'`
 * gives gensim's lossless style); both shapes are read.
 */
import { encodeTextRows } from './text-rows.js';

/** The header line of word2vec text, word2vec binary and fastText `.vec` files. */
export function word2vecHeader(count: number, dim: number): string {
  return `${count} ${dim}\n`;
}

/** Encodes a whole word2vec text file (header included). */
export function* encodeWord2vecText(
  words: readonly string[],
  vectors: Float32Array,
  dim: number,
  precision: number | 'shortest' = 6,
): Generator<string> {
  yield word2vecHeader(words.length, dim);
  yield* encodeTextRows(words, vectors, dim, { precision, trailingSpace: false });
}
