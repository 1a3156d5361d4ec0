/**
 * Recognises a vector file from its first bytes: a first line of exactly two integers is a word2vec
 * header (`count dim`), anything with more fields is GloVe; after a header, a first row whose values
 * are not decimal text is word2vec binary.
 */
import { FormatError } from '../errors.js';
import { quoteForMessage } from '../text/quote.js';
import { type ByteChunks, latin1 } from './byte-chunks.js';
import { parseDecimalText } from './decimal.js';
import { FASTTEXT_MAGIC } from './fasttext-bin-layout.js';

/**
 * The vector file formats read and written by {@link loadVectors} and {@link saveVectors}.
 *
 * @example
 * ```ts
 * const format: VectorFormat = await detectFormat('vectors.bin'); // 'word2vec-binary'
 * await saveVectors(kv, 'vectors.txt', { format: 'glove' });
 * ```
 */
export type VectorFormat = 'word2vec' | 'word2vec-binary' | 'glove' | 'fasttext-vec' | 'fasttext-bin';

/**
 * Every {@link VectorFormat}, for option validation and help texts.
 *
 * @example
 * ```ts
 * if (!VECTOR_FORMATS.includes(arg as VectorFormat)) throw new Error(`--format must be one of ${VECTOR_FORMATS.join(', ')}`);
 * ```
 */
export const VECTOR_FORMATS: readonly VectorFormat[] = [
  'word2vec',
  'word2vec-binary',
  'glove',
  'fasttext-vec',
  'fasttext-bin',
];

/**
 * What is known about a vector file before its rows are read.
 *
 * @example
 * ```ts
 * const { format, dim, count, gzip } = await streamVectors('glove.6B.50d.txt').header(); // 'glove', 50, undefined, false
 * ```
 */
export interface VectorFileHeader {
  /** Format, detected or forced. */
  format: VectorFormat;
  /** Vector dimension. */
  dim: number;
  /** Rows the header declares; undefined for GloVe, which has no header. */
  count: number | undefined;
  /** Whether the file is gzip-compressed. */
  gzip: boolean;
}

/** Where the header ends, for the row parsers. */
export interface HeaderPosition extends VectorFileHeader {
  /** Lines the header took (1 for header formats, 0 for GloVe). */
  headerLines: number;
}

const HEADER = /^(\d+) +(\d+)$/;

/**
 * Where `buf[start, end)` ends without its trailing spaces and `\r`s. A loop from the end, not
 * `replace(/[ \r]+$/, '')`: a backtracking engine tries that regex at every space of a run, so a row with
 * a long run of spaces took quadratic time (256 KB of spaces: 87 s, issue 18).
 */
function trimLineEnd(buf: Buffer, start: number, end: number): number {
  let e = end;
  while (e > start && (buf[e - 1] === 32 || buf[e - 1] === 13)) e--;
  return e;
}

/** `.vec` (fastText's name) is the only hint taken from the name, since its content is word2vec text. */
function textFormatFor(path: string): VectorFormat {
  return /\.vec(\.gz)?$/i.test(path) ? 'fasttext-vec' : 'word2vec';
}

/**
 * Reads and interprets the first line of `chunks` (growing the window as needed) and leaves
 * `chunks.start` at the first row.
 * @param forced - a format to assume instead of detecting one.
 * @throws {@link FormatError} when the file is empty, a forced header is missing, or nothing fits.
 */
export async function readHeader(
  chunks: ByteChunks,
  file: string,
  forced?: VectorFormat,
): Promise<HeaderPosition> {
  let eol = -1;
  for (;;) {
    eol = chunks.buf.indexOf(10, chunks.start);
    if (eol !== -1 && eol < chunks.end) break;
    eol = -1;
    if (!(await chunks.fill())) break;
  }
  // A UTF-8 byte order mark is not part of the first word.
  if (
    chunks.base + chunks.start === 0 &&
    chunks.end - chunks.start >= 3 &&
    chunks.buf[chunks.start] === 0xef &&
    chunks.buf[chunks.start + 1] === 0xbb &&
    chunks.buf[chunks.start + 2] === 0xbf
  ) {
    chunks.start += 3;
  }
  // A fastText model reaches here only gzip-compressed or with a text format forced: say what it is.
  if (chunks.end - chunks.start >= 4 && chunks.buf.readInt32LE(chunks.start) === FASTTEXT_MAGIC) {
    throw new FormatError(
      file,
      { offset: 0 },
      chunks.gzip
        ? 'this is a gzip-compressed fastText .bin model: decompress it first (gunzip)'
        : `this is a fastText .bin model, not ${forced} text: let the format be detected or use fasttext-bin`,
    );
  }
  const lineEnd = eol === -1 ? chunks.end : eol;
  const first = latin1(chunks.buf, chunks.start, trimLineEnd(chunks.buf, chunks.start, lineEnd));
  if (first.length === 0) {
    throw new FormatError(
      file,
      { line: 1 },
      chunks.end === chunks.start ? 'file is empty' : 'first line is empty',
    );
  }
  const header = HEADER.exec(first);
  const gzip = chunks.gzip;

  if (forced === 'glove' || (!forced && !header)) {
    const fields = first.split(/ +/).length;
    if (fields < 2) {
      throw new FormatError(
        file,
        { line: 1 },
        `cannot read ${quoteForMessage(first)} as a row (a word and its values) or as a header "<count> <dim>"`,
      );
    }
    return { format: 'glove', dim: fields - 1, count: undefined, gzip, headerLines: 0 };
  }
  if (!header) {
    throw new FormatError(
      file,
      { line: 1 },
      `expected a header "<count> <dim>" for format ${forced}, found ${quoteForMessage(first)}`,
    );
  }
  const count = Number(header[1]);
  const dim = Number(header[2]);
  if (dim === 0 || !Number.isSafeInteger(count) || !Number.isSafeInteger(dim)) {
    throw new FormatError(file, { line: 1 }, `header declares an impossible size ${count} × ${dim}`);
  }
  chunks.start = eol === -1 ? chunks.end : eol + 1;
  if (forced) return { format: forced, dim, count, gzip, headerLines: 1 };
  // Make sure the first record is in the window before looking at it.
  while (chunks.end - chunks.start < 4096 + 8 * dim && (await chunks.fill())) {}
  const binary = count > 0 && !firstRowIsText(chunks.buf, chunks.start, chunks.end);
  return { format: binary ? 'word2vec-binary' : textFormatFor(file), dim, count, gzip, headerLines: 1 };
}

/**
 * Whether the row at `start` reads as text: a word, then up to the line's end only decimal tokens
 * (their count is checked by the text parser, which reports a wrong one with its line). The bytes of a
 * binary record are float32 bits, which almost never spell numbers up to a newline byte.
 */
function firstRowIsText(buf: Buffer, start: number, end: number): boolean {
  let p = start;
  while (p < end && buf[p] === 10) p++;
  const space = buf.indexOf(32, p);
  if (space === -1 || space >= end) return true; // nothing to judge by; the text parser will report it
  let eol = buf.indexOf(10, space);
  if (eol === -1 || eol > end) eol = end;
  const tokens = latin1(buf, space + 1, trimLineEnd(buf, space + 1, eol)).split(/ +/);
  return tokens.every((t) => parseDecimalText(t) !== undefined);
}
