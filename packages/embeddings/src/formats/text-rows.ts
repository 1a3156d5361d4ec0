/**
 * The row parser shared by the text formats (word2vec text, GloVe, fastText `.vec`): one row per line,
 * `word v1 … vD`, fields split by spaces, trailing spaces and a `\r` before the `\n` tolerated (fastText and
 * word2vec.c end each value with a space). It works on the bytes of the window, never on line strings:
 * only the word becomes a string.
 */
import { FormatError, InvalidArgumentError } from '../errors.js';
import { quoteForMessage } from '../text/quote.js';
import { compileKernel, type WasmMemory, webAssembly } from '../wasm/runtime.js';
import { type ByteChunks, latin1 } from './byte-chunks.js';
import { FAST_DIGITS, formatFixed, formatShortestFloat32, POW10, parseDecimalText } from './decimal.js';
import type { RowBatch } from './row-batch.js';
import { TEXT_POW10_AT, TEXT_ROWS_AT, TEXT_ROWS_WAT } from './text-rows-wat.js';
import { FNV_OFFSET, FNV_PRIME } from './word-set.js';

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
 *
 * Rows go through the WebAssembly fast path (text-rows-wat.ts) where this runtime has WebAssembly; the
 * rows it does not take, and every row when `fast` is false, through {@link parseTextRowsGeneral}. Both
 * give the same rows, bit for bit, and the same errors.
 * @throws {@link FormatError} naming the line on a wrong column count, a non-number or a bad word.
 */
export function parseTextRows(
  chunks: ByteChunks,
  batch: RowBatch,
  cursor: TextCursor,
  stopAt: number,
  fast = true,
): void {
  const length = chunks.end - chunks.start;
  const kernel = fast && cursor.blankLine === 0 && length > 0 ? textKernel(batch.dim, length) : null;
  if (!kernel) {
    parseTextRowsGeneral(chunks, batch, cursor, stopAt);
    return;
  }
  const { inAt } = kernel;
  kernel.bytes.set(chunks.buf.subarray(chunks.start, chunks.end), inAt);
  const end = inAt + length;
  kernel.bytes[end] = 10; // the sentinel the kernel's loops stop at
  const shift = chunks.start - inAt; // window offset = kernel offset + shift
  let p = inAt;
  while (p < end && batch.rows < batch.capacity && batch.rowsRead < stopAt) {
    const most = Math.min(kernel.maxRows, batch.capacity - batch.rows, stopAt - batch.rowsRead);
    const got = kernel.rows(p, end, batch.dim, most, kernel.outAt);
    if (got > 0) takeKernelRows(kernel, batch, got, cursor);
    p = kernel.words[0];
    if (got < most && p < end) {
      // A row the kernel does not take (or an unfinished last line): the general parser reads it.
      chunks.start = p + shift;
      parseTextRowsGeneral(chunks, batch, cursor, batch.rowsRead + 1);
      const next = chunks.start - shift;
      if (next === p) break;
      p = next;
      if (cursor.blankLine !== 0) break;
    }
  }
  chunks.start = Math.min(p + shift, chunks.end);
}

/** The instantiated row kernel (text rows and word2vec binary records) and the layout of its memory for one row width. */
export interface TextKernel {
  rows: (p: number, end: number, dim: number, maxRows: number, out: number) => number;
  binaryRows: (p: number, end: number, dim: number, maxRows: number, out: number) => number;
  memory: WasmMemory;
  /** The whole memory, as a Buffer (what `RowBatch.acceptWord` reads words from). */
  bytes: Buffer;
  /** Int32 view of the memory: `[0]` is where the kernel stopped, the row records start at TEXT_ROWS_AT / 4. */
  words: Int32Array;
  floats: Float32Array;
  dim: number;
  maxRows: number;
  outAt: number;
  inAt: number;
}

let textKernelCache: TextKernel | null | undefined;

/**
 * The kernel, its memory laid out for rows of `dim` values and an input of `length` bytes (grown when
 * short), or null where WebAssembly is missing. One per thread, reused by every load.
 */
export function textKernel(dim: number, length: number): TextKernel | null {
  if (textKernelCache === undefined) {
    const module = compileKernel(TEXT_ROWS_WAT);
    if (module === null || webAssembly === undefined) {
      textKernelCache = null;
    } else {
      const memory = new webAssembly.Memory({ initial: 1, maximum: 32768, shared: false });
      const { exports } = new webAssembly.Instance(module, { env: { memory } });
      const { rows, binaryRows } = exports as Pick<TextKernel, 'rows' | 'binaryRows'>;
      textKernelCache = { rows, binaryRows, memory, dim: 0, maxRows: 0, outAt: 0, inAt: 0, ...views(memory) };
      new Float64Array(memory.buffer, TEXT_POW10_AT, POW10.length).set(POW10);
    }
  }
  const kernel = textKernelCache;
  if (kernel === null) return null;
  if (kernel.dim !== dim) {
    kernel.dim = dim;
    kernel.maxRows = Math.max(1, Math.floor((1 << 20) / (4 * dim)));
    kernel.outAt = TEXT_ROWS_AT + 16 * kernel.maxRows;
    kernel.inAt = kernel.outAt + 4 * dim * kernel.maxRows;
  }
  const need = kernel.inAt + length + 16;
  if (need > kernel.memory.buffer.byteLength) {
    const pages = Math.ceil((need - kernel.memory.buffer.byteLength) / 65536);
    try {
      kernel.memory.grow(pages);
    } catch {
      return null; // out of address space for this window: the general parser reads it
    }
    Object.assign(kernel, views(kernel.memory));
  }
  kernel.floats = new Float32Array(kernel.memory.buffer, kernel.outAt, dim * kernel.maxRows);
  return kernel;
}

function views(memory: WasmMemory): Pick<TextKernel, 'bytes' | 'words' | 'floats'> {
  const buffer = memory.buffer as ArrayBuffer;
  return {
    bytes: Buffer.from(buffer),
    words: new Int32Array(buffer),
    floats: new Float32Array(buffer, 0, 0),
  };
}

/**
 * Hands the `got` rows the kernel parsed to `batch`: words one by one, values in runs of kept rows. A
 * row's place in messages is its line (text: `cursor` counts them) or, without a cursor, the byte offset
 * of its word (binary: `offsetBase` plus the word's offset in the kernel's memory).
 */
export function takeKernelRows(
  kernel: TextKernel,
  batch: RowBatch,
  got: number,
  cursor: TextCursor | undefined,
  offsetBase = 0,
): void {
  const { bytes, words, floats } = kernel;
  const dim = batch.dim;
  const vectors = batch.vectors;
  let run = 0;
  let dest = batch.rows;
  batch.warmWords(words, TEXT_ROWS_AT >> 2, got);
  for (let j = 0, r = TEXT_ROWS_AT >> 2; j < got; j++, r += 4) {
    const where = cursor ? ++cursor.line : offsetBase + words[r];
    if (!batch.acceptWord(bytes, words[r], words[r + 1], words[r + 3], words[r + 2], where)) {
      if (j > run) vectors.set(floats.subarray(run * dim, j * dim), dest * dim);
      dest += j - run;
      run = j + 1;
    }
  }
  if (got > run) vectors.set(floats.subarray(run * dim, got * dim), dest * dim);
  batch.rows = dest + got - run;
}

/**
 * {@link parseTextRows} in JavaScript alone: the general parser, which reads every row the format allows
 * (exponents, long mantissas, `nan`/`inf`, CRLF, runs of spaces) and reports what it does not.
 */
export function parseTextRowsGeneral(
  chunks: ByteChunks,
  batch: RowBatch,
  cursor: TextCursor,
  stopAt: number,
): void {
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
    let flag = 0;
    let hash = FNV_OFFSET;
    let c = buf[p];
    while (p < lineEnd && c !== 32) {
      flag |= (c + 1) | ((c - 33) >>> 24); // see RowBatch.acceptWord
      hash = Math.imul(hash ^ c, FNV_PRIME);
      c = buf[++p];
    }
    const wordEnd = p;
    const keep = batch.acceptWord(buf, pos, wordEnd, flag, hash, lineNo);
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
        `expected ${dim} values after the word ${quoteForMessage(batch.decodeWord(buf, pos, wordEnd, lineNo))}, found ${n} (${dim + 1} columns expected, ${n + 1} found)`,
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
