/**
 * Reading and writing vector files: {@link loadVectors}, {@link streamVectors}, {@link saveVectors},
 * {@link detectFormat}. Formats: word2vec text and binary, GloVe text, fastText `.vec`; plain or gzip;
 * and fastText's binary model (`.bin`, recognised by its magic number whatever the file's name), whose
 * vocabulary vectors are read with its n-gram table (`KeyedVectors.subwords`).
 */

import { createWriteStream } from 'node:fs';
import { rename, unlink } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { AbortedError, FormatError, InvalidArgumentError } from '../errors.js';
import type { OnProgress } from '../progress.js';
import { KeyedVectors } from '../query/keyed-vectors.js';
import { ByteChunks, type VectorSource } from './byte-chunks.js';
import {
  type HeaderPosition,
  readHeader,
  VECTOR_FORMATS,
  type VectorFileHeader,
  type VectorFormat,
} from './detect-format.js';
import { hasFastTextMagic, loadFastTextBin } from './fasttext-bin.js';
import { fastTextModelFromVectors, saveFastTextBin } from './fasttext-bin-write.js';
import { encodeFasttextVec } from './fasttext-vec.js';
import { encodeGloveText } from './glove-text.js';
import { type InvalidUtf8, RowBatch, type VectorBatch, type VectorFileWarning } from './row-batch.js';
import { checkTextTail, parseTextRows, type TextCursor } from './text-rows.js';
import { checkBinaryTail, encodeBinaryRows, parseBinaryRows } from './word2vec-binary.js';
import { encodeWord2vecText, word2vecHeader } from './word2vec-text.js';

export type { VectorSource } from './byte-chunks.js';
export type { VectorFileHeader, VectorFormat } from './detect-format.js';
export { VECTOR_FORMATS } from './detect-format.js';
export { type InvalidUtf8, MAX_WORD_LENGTH, type VectorBatch, type VectorFileWarning } from './row-batch.js';

/**
 * Options of {@link loadVectors} and {@link streamVectors}.
 *
 * @example
 * ```ts
 * const kv = await loadVectors('crawl-300d-2M.vec.gz', {
 *   limit: 100_000,
 *   onProgress: (p) => console.error(`${p.done} of ${p.total} bytes`),
 * });
 * ```
 */
export interface LoadVectorsOptions {
  /** Format to assume; detected from the content when omitted. */
  format?: VectorFormat;
  /** Read only the first `limit` rows (duplicates count) and stop reading the file there. */
  limit?: number;
  /** Words that are not valid UTF-8: a {@link FormatError} (default) or U+FFFD replacements. */
  invalidUtf8?: InvalidUtf8;
  /** Called for recoverable oddities: duplicate words (the first is kept), rows past the declared count. */
  onWarning?: (warning: VectorFileWarning) => void;
  /** Progress in bytes of the file on disk (compressed bytes for `.gz`), stage `load`. */
  onProgress?: OnProgress;
  signal?: AbortSignal;
}

/**
 * Options of {@link saveVectors}.
 *
 * @example
 * ```ts
 * await saveVectors(kv, 'vectors.txt.gz', { format: 'word2vec', precision: 'shortest' }); // lossless text
 * ```
 */
export interface SaveVectorsOptions {
  format: VectorFormat;
  /**
   * Text formats: digits after the point (default 6, C's `%f` as word2vec.c and glove.c write), or
   * `'shortest'` for the shortest text that reads back as the same float32 (lossless, like gensim's
   * `repr`). Ignored by `word2vec-binary`, which stores the float32 bits.
   */
  precision?: number | 'shortest';
}

/**
 * The rows of a vector file in batches, with the header available before the first row.
 *
 * @example
 * ```ts
 * const stream = streamVectors('vectors.txt');
 * const { dim, count } = await stream.header();
 * for await (const batch of stream) if (batch.words.includes('king')) break;
 * await stream.close(); // needed only when leaving before the end
 * ```
 */
export interface VectorStream extends AsyncIterable<VectorBatch> {
  /** Format, dimension and declared row count, read from the file's start (opens the file). */
  header(): Promise<VectorFileHeader>;
  /** Releases the file when the stream is abandoned before its end (iterating to the end closes it). */
  close(): Promise<void>;
}

function checkLoadOptions(options: LoadVectorsOptions): void {
  const { limit, format, invalidUtf8 } = options;
  if (limit !== undefined && !(Number.isSafeInteger(limit) && limit >= 0)) {
    throw new InvalidArgumentError(`limit must be a non-negative integer, got ${limit}`);
  }
  if (format !== undefined && !VECTOR_FORMATS.includes(format)) {
    throw new InvalidArgumentError(
      `format must be one of ${VECTOR_FORMATS.join(', ')}, got ${JSON.stringify(format)}`,
    );
  }
  if (invalidUtf8 !== undefined && invalidUtf8 !== 'error' && invalidUtf8 !== 'replace') {
    throw new InvalidArgumentError(
      `invalidUtf8 must be 'error' or 'replace', got ${JSON.stringify(invalidUtf8)}`,
    );
  }
}

/** An open vector file: its header, and the bytes after it. */
class VectorReader {
  readonly path: string;
  readonly chunks: ByteChunks;
  readonly head: HeaderPosition;
  readonly options: LoadVectorsOptions;
  /** Rows read so far (duplicates included). */
  rowsRead = 0;
  readonly cursor: TextCursor;

  private constructor(path: string, chunks: ByteChunks, head: HeaderPosition, options: LoadVectorsOptions) {
    this.path = path;
    this.chunks = chunks;
    this.head = head;
    this.options = options;
    this.cursor = { line: head.headerLines, blankLine: 0 };
  }

  static async open(from: string | VectorSource, options: LoadVectorsOptions): Promise<VectorReader> {
    checkLoadOptions(options);
    const path = typeof from === 'string' ? from : from.name;
    const chunks = typeof from === 'string' ? await ByteChunks.open(from) : await ByteChunks.fromSource(from);
    try {
      const head = await readHeader(chunks, path, options.format);
      return new VectorReader(path, chunks, head, options);
    } catch (err) {
      await chunks.close();
      throw err;
    }
  }

  get header(): VectorFileHeader {
    const { format, dim, count, gzip } = this.head;
    return { format, dim, count, gzip };
  }

  /** A batch sized for this file's rows. */
  newBatch(capacity?: number): RowBatch {
    const expectedWords = this.expectedRows();
    const batch = new RowBatch(this.path, this.head.dim, { ...this.options, capacity, expectedWords });
    batch.binary = this.head.format === 'word2vec-binary';
    return batch;
  }

  /**
   * Parses rows into `batch` until it is full (returns true: call again after emptying or growing it)
   * or the rows end (returns false, after checking the end against the header). Closes the file at
   * the end or on error.
   */
  async read(batch: RowBatch): Promise<boolean> {
    const { chunks, head, path, options, cursor } = this;
    const { signal } = options;
    const stopAt = Math.min(
      options.limit ?? Number.POSITIVE_INFINITY,
      head.count ?? Number.POSITIVE_INFINITY,
    );
    const binary = head.format === 'word2vec-binary';
    try {
      for (;;) {
        if (signal?.aborted) throw new AbortedError(`loading ${path}`);
        if (binary) parseBinaryRows(chunks, batch, stopAt);
        else parseTextRows(chunks, batch, cursor, stopAt);
        this.rowsRead = batch.rowsRead;
        if (batch.rowsRead >= stopAt) break;
        if (batch.full) return true;
        if (chunks.eof) break;
        await chunks.fill();
        this.#report();
      }
      if (head.count !== undefined && batch.rowsRead < stopAt) {
        const detail = `the header declares ${head.count} rows but the file ends after ${batch.rowsRead}`;
        throw new FormatError(
          path,
          binary ? { offset: chunks.base + chunks.end } : { line: cursor.line + 1 },
          detail,
        );
      }
      if (head.count !== undefined && batch.rowsRead === head.count) {
        if (chunks.start === chunks.end) await chunks.fill();
        if (binary) checkBinaryTail(chunks, batch);
        else checkTextTail(chunks, batch, cursor);
      }
      this.#report();
      await chunks.close();
      return false;
    } catch (err) {
      await chunks.close();
      throw err;
    }
  }

  #report(): void {
    this.options.onProgress?.({
      stage: 'load',
      done: this.chunks.bytesRead,
      total: this.chunks.fileSize,
      unit: 'bytes',
    });
  }

  /**
   * Rows to expect in the file, to size the matrix once: the declared count (bounded by what the file
   * size can hold, so a corrupt header cannot ask for terabytes), or for GloVe the file size over the
   * mean row length in the window read so far. For gzip this is a guess that the matrix grows from.
   */
  expectedRows(): number {
    const limit = this.options.limit ?? Number.POSITIVE_INFINITY;
    const { buf, start, end, eof, gzip, fileSize } = this.chunks;
    const { count, dim, format } = this.head;
    if (count !== undefined) {
      // Shortest rows: a 1-byte word, a space and 4·dim bytes (binary) or "w" and dim × " 0" (text).
      const smallest = format === 'word2vec-binary' ? 2 + 4 * dim : 2 * dim + 1;
      const room = gzip ? Math.floor(2 ** 32 / dim) : Math.floor(fileSize / smallest) + 1;
      return Math.min(count, limit, room);
    }
    let lines = 0;
    for (let p = buf.indexOf(10, start); p !== -1 && p < end; p = buf.indexOf(10, p + 1)) lines++;
    if (eof) return Math.min(lines + 1, limit);
    const guess = gzip
      ? (lines * fileSize * 1.1) / Math.max(1, this.chunks.bytesRead)
      : (fileSize * Math.max(1, lines)) / (end - start);
    return Math.min(Math.ceil(guess * 1.02) + 16, limit);
  }
}

/**
 * Streams the rows of a vector file in batches of about 4 MB, for importing files larger than memory
 * would comfortably hold twice. Duplicate words are dropped (the first is kept) with a warning.
 *
 * @param from - the file, plain or gzip, or a {@link VectorSource} (bytes from a download, read once).
 * @returns a {@link VectorStream}: `await stream.header()` gives the dimension and declared count before
 *   any row is read; iterate it once for the batches.
 * @throws {@link FormatError} (while iterating) on malformed input, naming file and line or byte offset.
 * @example
 * ```ts
 * const stream = streamVectors('glove.6B.50d.txt');
 * const { dim, count } = await stream.header();
 * for await (const { words, vectors } of stream) store.insert(words, vectors);
 * ```
 */
export function streamVectors(from: string | VectorSource, options: LoadVectorsOptions = {}): VectorStream {
  if (typeof from === 'string' && isFastTextBin(from, options)) return fastTextStream(from, options);
  let opened: Promise<VectorReader> | undefined;
  let iterated = false;
  const path = typeof from === 'string' ? from : from.name;
  const open = () => {
    opened ??= VectorReader.open(from, options);
    return opened;
  };
  return {
    async header() {
      return (await open()).header;
    },
    async close() {
      if (opened) await (await opened).chunks.close();
    },
    async *[Symbol.asyncIterator]() {
      if (iterated)
        throw new InvalidArgumentError(`the stream of ${path} was already read; call streamVectors again`);
      iterated = true;
      const reader = await open();
      try {
        const batch = reader.newBatch();
        let more = true;
        while (more) {
          more = await reader.read(batch);
          if (batch.rows > 0) yield batch.take();
        }
      } finally {
        await reader.chunks.close();
      }
    },
  };
}

/**
 * Reads a whole vector file into {@link KeyedVectors}.
 *
 * @param path - a word2vec (text or binary), GloVe or fastText `.vec` file, plain or gzip.
 * @param options - `format` to force one, `limit` to read only the first rows, `invalidUtf8`,
 *   `onWarning` (duplicates), `onProgress`, `signal`.
 * @throws {@link FormatError} on malformed input (naming file, line or byte offset, and what was wrong).
 * @example
 * ```ts
 * const kv = await loadVectors('glove.6B.50d.txt', { limit: 100000 });
 * kv.get('king'); // Float32Array(50)
 * ```
 */
export async function loadVectors(path: string, options: LoadVectorsOptions = {}): Promise<KeyedVectors> {
  if (isFastTextBin(path, options)) return loadFastTextVectors(path, options);
  const reader = await VectorReader.open(path, options);
  // Rows go straight into one matrix sized from the header (or an estimate, grown if short): fresh
  // memory is touched once, which on a sandboxed VM costs more than the parsing itself.
  const batch = reader.newBatch(Math.max(1, reader.expectedRows()));
  while (await reader.read(batch)) batch.grow(Math.ceil(batch.capacity * 1.25) + 16);
  const { words, vectors, index } = batch.finish();
  return new KeyedVectors({ words, vectors, dim: reader.head.dim, index });
}

/**
 * Detects the format of a vector file from its content (a `.vec` name picks `fasttext-vec` over the
 * identical `word2vec` text).
 * @throws {@link FormatError} when the file is empty or matches no format.
 * @example
 * ```ts
 * await detectFormat('GoogleNews-vectors-negative300.bin.gz'); // 'word2vec-binary'
 * ```
 */
export async function detectFormat(path: string): Promise<VectorFormat> {
  if (isFastTextBin(path, {})) return 'fasttext-bin';
  const reader = await VectorReader.open(path, {});
  await reader.chunks.close();
  return reader.head.format;
}

/**
 * Writes vectors to `path` in `format` (gzip when `path` ends in `.gz`). The file appears complete or
 * not at all: it is written beside `path` and renamed.
 *
 * Text values are written with `precision` decimals (default 6); reading such a file and saving it
 * again gives the same bytes.
 * @throws {@link InvalidArgumentError} for an unknown format or precision, or a word that cannot be written.
 * @example
 * ```ts
 * await saveVectors(kv, 'vectors.bin', { format: 'word2vec-binary' });
 * ```
 */
export async function saveVectors(
  kv: Pick<KeyedVectors, 'words' | 'vectors' | 'dim'> | KeyedVectors,
  path: string,
  options: SaveVectorsOptions,
): Promise<void> {
  const { format, precision = 6 } = options;
  if (!VECTOR_FORMATS.includes(format)) {
    throw new InvalidArgumentError(
      `format must be one of ${VECTOR_FORMATS.join(', ')}, got ${JSON.stringify(format)}`,
    );
  }
  if (precision !== 'shortest' && !(Number.isInteger(precision) && precision >= 0 && precision <= 20)) {
    throw new InvalidArgumentError(
      `precision must be an integer from 0 to 20 or 'shortest', got ${JSON.stringify(precision)}`,
    );
  }
  if (format === 'fasttext-bin') {
    if (/\.gz$/i.test(path))
      throw new InvalidArgumentError(
        'fastText .bin models are not gzip-compressed; drop the .gz from the name',
      );
    saveFastTextBin(fastTextModelFromVectors(kv as KeyedVectors), path);
    return;
  }
  const { words, vectors, dim } = kv;
  const body = (): Iterable<string | Buffer> => {
    switch (format) {
      case 'word2vec':
        return encodeWord2vecText(words, vectors, dim, precision);
      case 'glove':
        return encodeGloveText(words, vectors, dim, precision);
      case 'fasttext-vec':
        return encodeFasttextVec(words, vectors, dim, precision);
      case 'word2vec-binary':
        return (function* () {
          yield Buffer.from(word2vecHeader(words.length, dim));
          yield* encodeBinaryRows(words, vectors, dim);
        })();
    }
  };
  const tmp = `${path}.${process.pid}.tmp`;
  const out = createWriteStream(tmp);
  try {
    const source = Readable.from(body());
    if (/\.gz$/i.test(path)) await pipeline(source, createGzip(), out);
    else await pipeline(source, out);
    await rename(tmp, path);
  } catch (err) {
    await unlink(tmp).catch(() => {});
    throw err;
  }
}

/** Whether `path` is read as a fastText `.bin`: forced, or detected from its magic number. */
function isFastTextBin(path: string, options: LoadVectorsOptions): boolean {
  checkLoadOptions(options);
  if (options.format === 'fasttext-bin') return true;
  if (options.format !== undefined) return false;
  try {
    return hasFastTextMagic(path);
  } catch {
    return false; // missing or unreadable: the text reader reports it as it always has
  }
}

/** The vocabulary vectors of a fastText `.bin` (with its n-gram table), the first `limit` words when given. */
function loadFastTextVectors(path: string, options: LoadVectorsOptions): KeyedVectors {
  if (options.signal?.aborted) throw new AbortedError(`loading ${path}`);
  const kv = loadFastTextBin(path).vectors;
  const limit = options.limit;
  if (limit === undefined || limit >= kv.size) return kv;
  return new KeyedVectors({
    words: kv.words.slice(0, limit),
    vectors: kv.vectors.slice(0, limit * kv.dim),
    dim: kv.dim,
    counts: kv.counts?.slice(0, limit),
    subwords: kv.subwords,
  });
}

/** {@link streamVectors} of a fastText `.bin`: the model is read whole (the format has no row stream), then handed out in batches. */
function fastTextStream(path: string, options: LoadVectorsOptions): VectorStream {
  let kv: KeyedVectors | undefined;
  let iterated = false;
  const load = () => {
    kv ??= loadFastTextVectors(path, options);
    return kv;
  };
  return {
    async header() {
      const { dim, size } = load();
      return { format: 'fasttext-bin', dim, count: size, gzip: false };
    },
    async close() {
      kv = undefined;
    },
    async *[Symbol.asyncIterator]() {
      if (iterated)
        throw new InvalidArgumentError(`the stream of ${path} was already read; call streamVectors again`);
      iterated = true;
      const { words, vectors, dim, size } = load();
      const rows = Math.max(1, Math.floor((4 << 20) / (4 * dim)));
      for (let i = 0; i < size; i += rows) {
        if (options.signal?.aborted) throw new AbortedError(`loading ${path}`);
        const end = Math.min(size, i + rows);
        yield { words: words.slice(i, end), vectors: vectors.slice(i * dim, end * dim), dim };
      }
    },
  };
}
