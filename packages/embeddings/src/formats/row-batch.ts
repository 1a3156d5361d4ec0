/**
 * The batch of rows a format parser fills: words, a row-major float32 block, duplicate filtering and
 * word decoding. Shared by the text and binary parsers so both behave the same on duplicates and UTF-8.
 */
import { FormatError } from '../errors.js';
import type { WordIndex } from '../query/keyed-vectors.js';
import { hasUnsafeCharacters, quoteForMessage } from '../text/quote.js';
import { latin1 } from './byte-chunks.js';
import { hashWord, WordSet } from './word-set.js';

/**
 * A run of consecutive rows of a vector file. `vectors` is `words.length × dim`, row-major.
 *
 * @example
 * ```ts
 * for await (const { words, vectors, dim } of streamVectors('vectors.bin')) {
 *   console.log(words[0], vectors.subarray(0, dim));
 * }
 * ```
 */
export interface VectorBatch {
  words: string[];
  vectors: Float32Array;
  dim: number;
}

/**
 * Something odd but recoverable in a vector file (a duplicate word, a word with control or bidi
 * characters, ignored trailing rows). `message` quotes the word safely (bounded, escaped); `word` is raw.
 *
 * @example
 * ```ts
 * await loadVectors('vectors.txt', { onWarning: (w) => console.warn(`${w.file}:${w.line}: ${w.message}`) });
 * ```
 */
export interface VectorFileWarning {
  file: string;
  /** 1-based line, for text formats. */
  line?: number;
  /** Byte offset of the record, for the binary format. */
  offset?: number;
  /** The word concerned, when there is one. */
  word?: string;
  message: string;
}

/**
 * What to do with words that are not valid UTF-8.
 *
 * @example
 * ```ts
 * await loadVectors('legacy.bin', { invalidUtf8: 'replace' }); // bad bytes become U+FFFD, not a FormatError
 * ```
 */
export type InvalidUtf8 = 'error' | 'replace';

/** Where a row was read, for messages: a text line or a binary byte offset. */
export interface RowPlace {
  line?: number;
  offset?: number;
}

/**
 * Longest word a vector file may hold, in UTF-16 code units (JavaScript string length). The longest
 * real words of the large published vector sets are well under 200; a longer "word" is a broken file
 * (a whole line without separators) and is refused with a {@link FormatError} naming line and length,
 * rather than stored and echoed in every message.
 *
 * @example
 * ```ts
 * if (word.length > MAX_WORD_LENGTH) throw new Error(`word of ${word.length} characters`);
 * ```
 */
export const MAX_WORD_LENGTH = 1000;

const fatalDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const lenientDecoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

/** Rows a batch aims for: about 4 MB of floats, so batches are large enough to amortise and small enough to stream. */
export function batchRowsFor(dim: number): number {
  return Math.max(1, Math.min(65536, Math.floor((4 << 20) / (4 * dim))));
}

/**
 * Collects parsed rows into batches, skipping with a warning duplicate words (gensim keeps the first
 * too) and words holding control, bidi or invisible format characters (`hasUnsafeCharacters`, issue 18).
 */
export class RowBatch {
  readonly file: string;
  readonly dim: number;
  capacity: number;
  vectors: Float32Array;
  /** Rows kept in the current batch. */
  rows = 0;
  /** Rows read from the file so far, duplicates included (what `limit` and the header count). */
  rowsRead = 0;
  readonly #seen: WordSet;
  /** Id in {@link RowBatch.#seen} of this batch's first word. */
  #firstWord = 0;
  #taken = false;
  readonly #onWarning: ((w: VectorFileWarning) => void) | undefined;
  readonly #decoder: InstanceType<typeof TextDecoder>;

  constructor(
    file: string,
    dim: number,
    options: {
      invalidUtf8?: InvalidUtf8;
      onWarning?: (w: VectorFileWarning) => void;
      capacity?: number;
      /** Words the whole file is expected to hold (sizes the duplicate check once). */
      expectedWords?: number;
    },
  ) {
    this.file = file;
    this.dim = dim;
    this.capacity = options.capacity ?? batchRowsFor(dim);
    this.vectors = new Float32Array(this.capacity * dim);
    this.#seen = new WordSet(options.expectedWords);
    this.#onWarning = options.onWarning;
    this.#decoder = options.invalidUtf8 === 'replace' ? lenientDecoder : fatalDecoder;
  }

  /**
   * `where` numbers, as passed to {@link RowBatch.decodeWord} and {@link RowBatch.accept}, are byte offsets
   * for binary files and lines for text; the parsers pass plain numbers so that no object is made per row.
   */
  binary = false;

  /** A number from a parser as a place for messages. */
  place(where: number): RowPlace {
    return this.binary ? { offset: where } : { line: where };
  }

  /** Whether the batch has no room left. */
  get full(): boolean {
    return this.rows >= this.capacity;
  }

  /**
   * Before {@link RowBatch.acceptWord} takes `count` kernel word records (`records[at + 4k …]`: start,
   * end, hash, flag): reads their hash-table slots in one pass (see `WordSet.warm`). Speed only.
   */
  warmWords(records: Int32Array, at: number, count: number): number {
    return this.#seen.warm(records, at, count, 4);
  }

  /**
   * Registers the word in `buf[start, end)` as the next row's. The parsers compute while they scan it
   * `flag`, the OR over its bytes c of `(c + 1) | ((c - 33) >>> 24)`, which is below 0x80 exactly when
   * every byte is printable ASCII (0x21–0x7e), and `hash`, FNV-1a over its bytes. Such a word needs no
   * UTF-8 decoding nor character check, and its string is made later with its neighbours'; any other
   * goes through {@link RowBatch.decodeWord} and {@link RowBatch.accept}.
   * @returns false for a duplicate or a skipped word (already warned), true when the caller should
   *   fill row `this.rows` and then count it.
   * @throws {@link FormatError} for an empty or too long word, or one that is not UTF-8.
   */
  acceptWord(buf: Buffer, start: number, end: number, flag: number, hash: number, where: number): boolean {
    if (flag < 0x80 && end > start && end - start <= MAX_WORD_LENGTH) {
      this.rowsRead++;
      if (this.#seen.addAscii(buf, start, end, hash)) return true;
      this.#duplicate(latin1(buf, start, end), where);
      return false;
    }
    const word = this.decodeWord(buf, start, end, where);
    return this.accept(word, hashWord(word), where);
  }

  /** Decodes the word in `buf[start, end)`: latin1 when it is ASCII, else UTF-8 as `invalidUtf8` says. */
  decodeWord(buf: Buffer, start: number, end: number, where: number): string {
    if (start === end) throw new FormatError(this.file, this.place(where), 'empty word');
    let high = 0;
    for (let p = start; p < end; p++) high |= buf[p];
    if (high < 0x80) {
      if (end - start > MAX_WORD_LENGTH) this.#tooLong(latin1(buf, start, start + 60), end - start, where);
      return latin1(buf, start, end);
    }
    let word: string;
    try {
      word = this.#decoder.decode(buf.subarray(start, end));
    } catch {
      const hex = [...buf.subarray(start, Math.min(end, start + 40))]
        .map((b) => b.toString(16).padStart(2, '0'))
        .join(' ');
      throw new FormatError(
        this.file,
        this.place(where),
        `word is not valid UTF-8 (bytes ${hex}${end - start > 40 ? ' …' : ''}); pass invalidUtf8: 'replace' to read it with U+FFFD`,
      );
    }
    if (word.length > MAX_WORD_LENGTH) this.#tooLong(word, word.length, where);
    return word;
  }

  #tooLong(start: string, length: number, where: number): never {
    throw new FormatError(
      this.file,
      this.place(where),
      `word of ${length} characters is longer than the maximum of ${MAX_WORD_LENGTH} (it starts ${quoteForMessage(start.slice(0, 60))})`,
    );
  }

  /**
   * Registers `word` (whose {@link hashWord} is `hash`) as the next row. Returns false for a duplicate
   * (already warned), true when the caller should fill row `this.rows` and then count it.
   */
  accept(word: string, hash: number, where: number): boolean {
    this.rowsRead++;
    if (hasUnsafeCharacters(word)) {
      const place = this.place(where);
      this.#onWarning?.({
        file: this.file,
        ...place,
        word,
        message: `word ${quoteForMessage(word)}${place.line !== undefined ? ` on line ${place.line}` : ` at byte ${place.offset}`} contains control/format characters: row skipped`,
      });
      return false;
    }
    if (!this.#seen.add(word, hash)) {
      this.#duplicate(word, where);
      return false;
    }
    return true;
  }

  #duplicate(word: string, where: number): void {
    const place = this.place(where);
    this.#onWarning?.({
      file: this.file,
      ...place,
      word,
      message: `duplicate word ${quoteForMessage(word)}${place.line !== undefined ? ` on line ${place.line}` : ` at byte ${place.offset}`}: kept the first, ignored this one`,
    });
  }

  /** Reports a warning that is not about one word. */
  warn(place: RowPlace, message: string): void {
    this.#onWarning?.({ file: this.file, ...place, message });
  }

  /**
   * Makes room for at least `rows` rows in place (for loading a whole file into one matrix), copying
   * what is there.
   */
  grow(rows: number): void {
    if (rows <= this.capacity) return;
    const grown = new Float32Array(rows * this.dim);
    grown.set(this.vectors.subarray(0, this.rows * this.dim));
    this.vectors = grown;
    this.capacity = rows;
  }

  /**
   * The rows collected, as an exact-length matrix, with their word → row look-up (the duplicate
   * check's set) when no batch was {@link RowBatch.take | taken} before. A little unused room at the end is left in the
   * buffer rather than copied away (touching fresh memory is the dearest part of loading); a lot is trimmed.
   */
  finish(): { words: string[]; vectors: Float32Array; index: WordIndex | undefined } {
    const used = this.rows * this.dim;
    const spare = this.vectors.length - used;
    const vectors =
      spare === 0
        ? this.vectors
        : spare * 16 <= this.vectors.length
          ? this.vectors.subarray(0, used)
          : this.vectors.slice(0, used);
    // The duplicate check numbered the words it kept in order: while no batch was taken, that is their row.
    const words = this.#taken ? this.#seen.words.slice(this.#firstWord) : this.#seen.words;
    const index = this.#taken ? undefined : this.#seen;
    return { words, vectors, index };
  }

  /** Hands out the rows collected so far and starts a new batch. */
  take(): VectorBatch {
    const batch: VectorBatch = {
      words: this.#seen.words.slice(this.#firstWord),
      vectors: this.rows === this.capacity ? this.vectors : this.vectors.slice(0, this.rows * this.dim),
      dim: this.dim,
    };
    this.#firstWord = this.#seen.size;
    this.rows = 0;
    this.#taken = true;
    this.vectors = new Float32Array(this.capacity * this.dim);
    return batch;
  }
}
