/**
 * The row parser shared by the text formats (word2vec text, GloVe, fastText `.vec`): one row per line,
 * `word v1 … vD`, fields split by spaces, trailing spaces and a `\r` before the `\n` tolerated (fastText and
 * word2vec.c end each value with a space). It works on the bytes of the window, never on line strings:
 * only the word becomes a string.
 */
import { FormatError, InvalidArgumentError } from '../errors.js';
import { quoteForMessage } from '../text/quote.js';
import { type ByteChunks, latin1 } from './byte-chunks.js';
import { FAST_DIGITS, formatFixed, formatShortestFloat32, POW10, parseDecimalText } from './decimal.js';
import type { RowBatch } from './row-batch.js';
import { FNV_OFFSET, FNV_PRIME, hashWord } from './word-set.js';

/** Where the text parser is in the file between calls. */
export interface TextCursor {
  /** Lines consumed so far (the header included). */
  line: number;
  /** First blank line seen, 0 if none: blank lines are fine only at the end of the file. */
  blankLine: number;
}

/**
 * Parses complete lines from `chunks.buf[chunks.start, chunks.end)` into `batch` until the batch is
 * full, `stopAt` rows have been read, or the window holds no complete line. At end of file (`chunks.eof`)
 * a last line without `\n` counts as complete. Advances `chunks.start` past what it consumed.
 * @throws {@link FormatError} naming the line on a wrong column count, a non-number or a bad word.
 */
export function parseTextRows(chunks: ByteChunks, batch: RowBatch, cursor: TextCursor, stopAt: number): void {
  const buf = chunks.buf;
  const end = chunks.end;
  const final = chunks.eof;
  const dim = batch.dim;
  const vectors = batch.vectors;
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  // A sentinel newline after the data lets the digit loops below run without bounds checks.
  buf[end] = 10;
  let pos = chunks.start;
  while (pos < end && batch.rows < batch.capacity && batch.rowsRead < stopAt) {
    let eol = buf.indexOf(10, pos);
    if (eol === -1 || eol > end) eol = end;
    if (eol === end && !final) break;
    const lineNo = cursor.line + 1;
    let lineEnd = eol;
    while (lineEnd > pos && (buf[lineEnd - 1] === 32 || buf[lineEnd - 1] === 13)) lineEnd--;
    if (lineEnd === pos) {
      if (cursor.blankLine === 0) cursor.blankLine = lineNo;
      cursor.line = lineNo;
      pos = eol + 1;
      continue;
    }
    if (cursor.blankLine !== 0) throw new FormatError(batch.file, { line: cursor.blankLine }, 'empty line');

    let p = pos;
    let high = 0;
    let hash = FNV_OFFSET;
    let c = buf[p];
    while (p < lineEnd && c !== 32) {
      high |= c;
      hash = Math.imul(hash ^ c, FNV_PRIME);
      c = buf[++p];
    }
    const word = batch.decodeWord(buf, pos, p, high, lineNo);
    const keep = batch.accept(word, high < 0x80 ? hash : hashWord(word), lineNo);
    const row = batch.rows * dim;
    let n = 0;
    while (p < lineEnd) {
      while (buf[p] === 32) p++;
      const tokenStart = p;
      // The sign without a branch (random signs mispredict one): neg is 1 after a '-', else 0.
      const neg = ((buf[p] ^ 45) - 1) >>> 31;
      p += neg;
      c = buf[p];
      let m = 0;
      let digits = 0;
      while (c >= 48 && c <= 57) {
        m = m * 10 + c - 48;
        digits++;
        c = buf[++p];
      }
      let frac = 0;
      if (c === 46) {
        p++;
        // Four fraction digits at a time while they last (6-decimal files have one such step per value).
        while (p + 4 <= lineEnd) {
          const x = view.getUint32(p, true);
          if (!allDigits(x)) break;
          m = m * 10000 + fourDigits(x);
          frac += 4;
          p += 4;
        }
        c = buf[p];
        while (c >= 48 && c <= 57) {
          m = m * 10 + c - 48;
          frac++;
          c = buf[++p];
        }
        digits += frac;
      }
      let value: number;
      if ((c === 32 || p === lineEnd) && digits > 0 && digits <= FAST_DIGITS) {
        value = (frac === 0 ? m : m / POW10[frac]) * (1 - 2 * neg); // exact; 0 × -1 gives -0
      } else {
        // Exponent, long mantissa, nan/inf or garbage: find the token's end and take the slow road.
        p = tokenStart;
        while (p < lineEnd && buf[p] !== 32) p++;
        const text = latin1(buf, tokenStart, p);
        const parsed = parseDecimalText(text);
        if (parsed === undefined) {
          throw new FormatError(
            batch.file,
            { line: lineNo },
            `value ${n + 1} ${quoteForMessage(text)} is not a number`,
          );
        }
        value = parsed;
      }
      if (n < dim) vectors[row + n] = value;
      n++;
    }
    if (n !== dim) {
      throw new FormatError(
        batch.file,
        { line: lineNo },
        `expected ${dim} values after the word ${quoteForMessage(word)}, found ${n} (${dim + 1} columns expected, ${n + 1} found)`,
      );
    }
    if (keep) batch.rows++;
    cursor.line = lineNo;
    pos = eol + 1;
  }
  chunks.start = Math.min(pos, end);
}

/**
 * Whether the four bytes of `x` (little-endian, first byte lowest) are all ASCII digits: each byte's
 * high nibble is 3, and adding 6 does not carry into it (which it does from ':' to '?').
 */
export function allDigits(x: number): boolean {
  return ((x & 0xf0f0f0f0) | (((x + 0x06060606) & 0xf0f0f0f0) >>> 4)) === 0x33333333;
}

/**
 * The number 0…9999 written by four ASCII digits packed in `x` (little-endian, first digit lowest):
 * digit pairs in one multiply, then the two pairs.
 */
export function fourDigits(x: number): number {
  const d = x - 0x30303030;
  const pairs = (d * 10 + (d >>> 8)) & 0x00ff00ff;
  return (pairs & 0xff) * 100 + (pairs >>> 16);
}

/**
 * Checks what follows the last declared row: only blank lines are silent; anything else is reported
 * through `batch.warn` as ignored, the way gensim and word2vec.c stop after the declared count.
 */
export function checkTextTail(chunks: ByteChunks, batch: RowBatch, cursor: TextCursor): void {
  for (let p = chunks.start; p < chunks.end; p++) {
    const c = chunks.buf[p];
    if (c !== 10 && c !== 13 && c !== 32) {
      batch.warn(
        { line: cursor.line + 1 },
        `the header declares ${batch.rowsRead} rows but the file goes on; the rest was ignored`,
      );
      return;
    }
  }
}

/** How text rows are written. */
export interface TextRowStyle {
  /** Digits after the point (C `%.Nf`), or `'shortest'` for the shortest text that reads back as the same float32. */
  precision: number | 'shortest';
  /** End each value with a space, as word2vec.c (`"%lf "`) and fastText (`v << ' '`) do. */
  trailingSpace: boolean;
}

/**
 * Encodes rows as text lines `word v1 … vD\n`. Yields strings of about 1 MB.
 * @throws {@link InvalidArgumentError} for a word that cannot be written (empty, or with a space or line break).
 */
export function* encodeTextRows(
  words: readonly string[],
  vectors: Float32Array,
  dim: number,
  style: TextRowStyle,
): Generator<string> {
  const { precision, trailingSpace } = style;
  let chunk = '';
  for (let i = 0; i < words.length; i++) {
    const word = words[i];
    checkWritableWord(word, i);
    let line = word;
    const row = i * dim;
    if (precision === 'shortest') {
      for (let d = 0; d < dim; d++) line += ` ${formatShortestFloat32(vectors[row + d])}`;
    } else {
      for (let d = 0; d < dim; d++) line += ` ${formatFixed(vectors[row + d], precision)}`;
    }
    chunk += trailingSpace ? `${line} \n` : `${line}\n`;
    if (chunk.length >= 1 << 20) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk.length > 0) yield chunk;
}

/**
 * Throws unless `word` can stand as the first field of a row in every format: not empty, and
 * without spaces, tabs or line breaks, which would split it.
 */
export function checkWritableWord(word: string, row: number): void {
  if (word.length === 0 || /[ \t\n\r]/.test(word)) {
    throw new InvalidArgumentError(
      `word ${quoteForMessage(word)} (row ${row}) cannot be written to a vector file: words must be non-empty and contain no space, tab or line break`,
    );
  }
}
