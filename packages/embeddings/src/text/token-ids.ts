/**
 * A corpus encoded once as vocabulary ids, so trainers run their epochs over one flat `Int32Array` (shared
 * with worker threads) instead of re-reading and re-tokenizing text.
 */

import { createHash } from 'node:crypto';
import { AbortedError } from '../errors.js';
import type { OnProgress } from '../progress.js';
import type { CorpusDescription } from '../train/trained-model.js';
import type { Corpus } from './corpus.js';
import { TokenProgress } from './token-progress.js';
import type { Vocabulary } from './vocabulary.js';

/**
 * Marks the end of a sentence in {@link EncodedCorpus.ids}.
 *
 * @example
 * ```ts
 * const { ids } = await encodeCorpus(corpus, vocab);
 * const sentences = ids.filter((id) => id === END_OF_SENTENCE).length;
 * ```
 */
export const END_OF_SENTENCE = -1;

/**
 * An encoded corpus. Its `name`, `tokens` (kept tokens) and `checksum` are the {@link CorpusDescription}
 * a trained model records. The checksum is sha256 (hex) of the normalised token stream, see {@link encodeCorpus}.
 *
 * @example
 * ```ts
 * const encoded = await encodeCorpus(openCorpus('brown'), vocab);
 * console.log(encoded.name, encoded.tokens, encoded.checksum); // what a trained model records
 * ```
 */
export interface EncodedCorpus extends CorpusDescription {
  /**
   * Vocabulary ids of the kept tokens, sentence after sentence, each sentence followed by
   * {@link END_OF_SENTENCE} (−1). Out-of-vocabulary tokens are dropped, and sentences left empty are
   * left out. Backed by a `SharedArrayBuffer` when encoded with `shared: true`.
   */
  ids: Int32Array;
  /** All tokens read, including out-of-vocabulary ones. */
  corpusTokens: number;
  /** Sentences in `ids` (non-empty after dropping OOV tokens). */
  sentences: number;
}

/**
 * Options of {@link encodeCorpus}.
 *
 * @example
 * ```ts
 * await encodeCorpus(corpus, vocab, { shared: true, signal: AbortSignal.timeout(60_000) });
 * ```
 */
export interface EncodeOptions {
  /** Put `ids` in a `SharedArrayBuffer`, for worker threads (default `false`). */
  shared?: boolean;
  onProgress?: OnProgress;
  signal?: AbortSignal;
}

/**
 * Reads a corpus once and maps each token to its vocabulary id.
 *
 * The checksum is sha256 over every normalised token (kept or not), a space between tokens and a newline
 * after each sentence: it depends on the text as tokenized, not on file names, sizes or how lines were
 * spread across files, nor on the vocabulary. Sentences that hold no tokens do not count.
 *
 * @param corpus - The corpus.
 * @param vocab - The vocabulary (usually built from the same corpus).
 * @param options - `shared`, `onProgress` (stage `encode`, unit `words`), `signal`.
 * @returns The encoded corpus.
 * @throws {@link AbortedError} when `signal` aborts.
 *
 * @example
 * ```ts
 * const corpus = openCorpus('brown');
 * const vocab = await Vocabulary.fromCorpus(corpus);
 * const encoded = await encodeCorpus(corpus, vocab, { shared: true });
 * const vectors = await trainCbowIds(encoded.ids, vocab.counts, { dim: 100 }); // workers share the ids
 * ```
 */
export async function encodeCorpus(
  corpus: Corpus,
  vocab: Vocabulary,
  options: EncodeOptions = {},
): Promise<EncodedCorpus> {
  const { onProgress, signal } = options;
  if (signal?.aborted) throw new AbortedError('corpus encoding');
  const hash = new CorpusHash();
  // Grows by doubling; a vocabulary built from this corpus gives a close first guess.
  let ids = new Int32Array(Math.max(1024, Math.min(vocab.totalCount + (vocab.sentences || 0) + 16, 1 << 26)));
  let length = 0;
  let kept = 0;
  let tokens = 0;
  let sentences = 0;
  const progress = new TokenProgress('encode', 'corpus encoding', onProgress, signal);
  for await (const sentence of corpus.sentences()) {
    if (sentence.length === 0) continue;
    hash.add(sentence);
    tokens += sentence.length;
    if (length + sentence.length + 1 > ids.length) {
      const bigger = new Int32Array(Math.max(ids.length * 2, length + sentence.length + 1));
      bigger.set(ids.subarray(0, length));
      ids = bigger;
    }
    const start = length;
    for (const word of sentence) {
      const id = vocab.index(word);
      if (id >= 0) ids[length++] = id;
    }
    if (length > start) {
      kept += length - start;
      ids[length++] = END_OF_SENTENCE;
      sentences++;
    }
    progress.tick(tokens);
  }
  progress.finish(tokens);
  let result: Int32Array;
  if (options.shared) {
    result = new Int32Array(new SharedArrayBuffer(length * Int32Array.BYTES_PER_ELEMENT));
    result.set(ids.subarray(0, length));
  } else {
    result = length === ids.length ? ids : ids.slice(0, length);
  }
  return {
    name: corpus.name,
    ids: result,
    tokens: kept,
    corpusTokens: tokens,
    sentences,
    checksum: hash.digest(),
  };
}

/**
 * The corpus checksum of {@link encodeCorpus}, for code that streams a corpus without encoding it whole
 * (so a streamed model records the same checksum): sha256 over the tokens of each non-empty sentence
 * joined by a space, each sentence followed by a newline.
 *
 * @example
 * ```ts
 * const hash = new CorpusHash();
 * for await (const sentence of corpus.sentences()) hash.add(sentence);
 * hash.digest(); // same as (await encodeCorpus(corpus, vocab)).checksum
 * ```
 */
export class CorpusHash {
  private readonly hash = createHash('sha256');
  private text = '';

  /** Adds one sentence (empty sentences are ignored, as in `encodeCorpus`). */
  add(sentence: readonly string[]): void {
    if (sentence.length === 0) return;
    // Hashing in ~64 KB pieces instead of per sentence: one native call per piece, same digest.
    this.text += `${sentence.join(' ')}\n`;
    if (this.text.length > 1 << 16) {
      this.hash.update(this.text);
      this.text = '';
    }
  }

  /** The sha256 hex digest; the hash cannot be used after this. */
  digest(): string {
    this.hash.update(this.text);
    this.text = '';
    return this.hash.digest('hex');
  }
}

/**
 * The part of an encoded corpus a trained model records (`TrainedModel.corpus`), without the ids.
 *
 * @example
 * ```ts
 * const model = { ..., corpus: describeCorpus(encoded) }; // { name, tokens, checksum }
 * ```
 */
export function describeCorpus(encoded: EncodedCorpus): CorpusDescription {
  return { name: encoded.name, tokens: encoded.tokens, checksum: encoded.checksum };
}
