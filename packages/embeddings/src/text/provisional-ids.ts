/**
 * The one read of a corpus on its bytes: every token counted in a {@link ByteWordTable} and written as its
 * provisional id (the table entry), END_OF_SENTENCE after each sentence, and the corpus checksum hashed on
 * the same bytes. corpus-encoding.ts turns the result into a vocabulary and final ids.
 */
import { createHash, type Hash } from 'node:crypto';
import type { TokenScan } from './byte-scan.js';
import type { TokenSink } from './byte-tokenizer.js';
import { ByteWordTable } from './byte-word-table.js';
import { END_OF_SENTENCE } from './token-ids.js';
import type { TokenProgress } from './token-progress.js';

/** What one byte read of a corpus gives. @internal */
export interface ProvisionalIds {
  table: ByteWordTable;
  /** Provisional ids, END_OF_SENTENCE after each sentence: `ids[0, length)` (after the spilled ones). */
  ids: Int32Array;
  length: number;
  /** Provisional ids handed to `spill` before `ids`. */
  spilled: number;
  /** Tokens read. */
  tokens: number;
  /** Sentences read (each non-empty). */
  sentences: number;
  /** sha256 hex of the token stream, as `CorpusHash`. */
  checksum: string;
}

const HASH_BUFFER = 1 << 16;
const SPACE = 0x20;
const NEWLINE = 0x0a;

/** Counts, encodes and hashes the tokens it is given. */
class ProvisionalSink implements TokenSink {
  readonly table = new ByteWordTable();
  ids: Int32Array<ArrayBuffer>;
  length = 0;
  tokens = 0;
  sentences = 0;
  threshold = 1;
  readonly #hash: Hash = createHash('sha256');
  #text = new Uint8Array(HASH_BUFFER);
  #textLength = 0;

  /** Provisional ids written to the spill so far. */
  spilled = 0;

  /**
   * @param spill - takes `ids[0, n)` once `spillAt` ids are held, so memory stays bounded (the ids
   *   are then dropped from memory); below that, and without it, the array grows.
   */
  constructor(
    readonly maxVocabSize: number,
    capacity: number,
    readonly spill?: (ids: Int32Array, n: number) => void,
    readonly spillAt = Number.POSITIVE_INFINITY,
  ) {
    this.ids = new Int32Array(capacity);
  }

  token(bytes: Uint8Array, start: number, end: number, hash: number): void {
    const table = this.table;
    const e = table.add(bytes, start, end, hash);
    if (table.created && table.live > this.maxVocabSize)
      this.threshold = table.prune(this.maxVocabSize, this.threshold);
    if (this.length + 2 > this.ids.length) this.#grow();
    this.ids[this.length++] = e;
    this.tokens++;
    // The checksum's text: tokens joined by a space, a newline after each sentence (the last space is
    // turned into it); a full buffer is hashed before a token, so a space at its end is a real one.
    const n = end - start;
    if (this.#textLength + n + 1 > this.#text.length) {
      this.#hash.update(this.#text.subarray(0, this.#textLength));
      this.#textLength = 0;
      if (n + 1 > this.#text.length) this.#text = new Uint8Array(n + 1);
    }
    const text = this.#text;
    let at = this.#textLength;
    for (let i = start; i < end; i++) text[at++] = bytes[i];
    text[at++] = SPACE;
    this.#textLength = at;
  }

  endSentence(): void {
    if (this.length + 1 > this.ids.length) this.#grow();
    this.ids[this.length++] = END_OF_SENTENCE;
    this.sentences++;
    this.#text[this.#textLength - 1] = NEWLINE;
  }

  #grow(): void {
    if (this.spill && this.ids.length >= this.spillAt) {
      this.spill(this.ids, this.length);
      this.spilled += this.length;
      this.length = 0;
      return;
    }
    const bigger = new Int32Array(Math.min(Math.ceil(this.ids.length * 1.5), this.spillAt));
    bigger.set(this.ids.subarray(0, this.length));
    this.ids = bigger;
  }

  digest(): string {
    this.#hash.update(this.#text.subarray(0, this.#textLength));
    return this.#hash.digest('hex');
  }
}

/**
 * Reads a corpus once through its byte pass: counts (with word2vec's pruning past `maxVocabSize`),
 * provisional ids and checksum; with `spill`, every `spill.ids` provisional ids are handed to `spill.write`.
 * @internal
 */
export async function readProvisionalIds(
  scan: TokenScan,
  maxVocabSize: number,
  progress: TokenProgress,
  spill?: { ids: number; write: (ids: Int32Array, n: number) => void },
): Promise<ProvisionalIds> {
  // English text takes about 6 bytes a token: a first guess that rarely needs to grow (pages not written
  // are not committed). With a spill, at most `spill.ids` are held.
  const guess = Math.max(1 << 16, Math.min(Math.ceil(scan.bytes / 4), 1 << 28));
  const sink = new ProvisionalSink(
    maxVocabSize,
    spill ? Math.min(guess, spill.ids) : guess,
    spill?.write,
    spill?.ids,
  );
  await scan.run(sink, () => progress.tick(sink.tokens));
  progress.finish(sink.tokens);
  return {
    table: sink.table,
    ids: sink.ids,
    length: sink.length,
    spilled: sink.spilled,
    tokens: sink.tokens,
    sentences: sink.sentences,
    checksum: sink.digest(),
  };
}
