/**
 * word2vec binary format, as Mikolov's word2vec.c writes it (`-binary 1`, the save loop at the end of
 * `TrainModel`): a text header `"<count> <dim>\n"`, then for each word its bytes, one space, `dim`
 * little-endian float32 (`fwrite` of the `real` array on x86), and a `"\n"`. gensim's writer omits that
 * newline, so the reader skips newlines before a word rather than after a vector, as gensim's reader does.
 */
import { endianness } from 'node:os';
import { FormatError } from '../errors.js';
import type { ByteChunks } from './byte-chunks.js';
import type { RowBatch } from './row-batch.js';
import { checkWritableWord, takeKernelRows, textKernel } from './text-rows.js';
import { FNV_OFFSET, FNV_PRIME } from './word-set.js';

const bigEndian = endianness() === 'BE';

/**
 * Parses complete records from the window into `batch` until the batch is full, `stopAt` records have
 * been read, or the window holds no complete record. Advances `chunks.start`.
 *
 * Records go through the WebAssembly row kernel (text-rows-wat.ts, `binaryRows`: the word scan and the
 * copy of the float32 bits) on little-endian hosts that have WebAssembly, unless `fast` is false; what it
 * leaves (a record not whole in the window, the end of the file) and every record otherwise go through
 * the JavaScript loop below. Both give the same rows, bit for bit, and the same errors.
 * @throws {@link FormatError} naming the byte offset of a truncated record or a bad word.
 */
export function parseBinaryRows(chunks: ByteChunks, batch: RowBatch, stopAt: number, fast = true): void {
  const length = chunks.end - chunks.start;
  const kernel = fast && !bigEndian && length > 0 ? textKernel(batch.dim, length) : null;
  if (kernel) {
    const { inAt } = kernel;
    kernel.bytes.set(chunks.buf.subarray(chunks.start, chunks.end), inAt);
    const end = inAt + length;
    const shift = chunks.start - inAt; // window offset = kernel offset + shift
    let p = inAt;
    while (batch.rows < batch.capacity && batch.rowsRead < stopAt) {
      const most = Math.min(kernel.maxRows, batch.capacity - batch.rows, stopAt - batch.rowsRead);
      const got = kernel.binaryRows(p, end, batch.dim, most, kernel.outAt);
      if (got > 0) takeKernelRows(kernel, batch, got, undefined, chunks.base + shift);
      p = kernel.words[0];
      if (got < most) break;
    }
    chunks.start = p + shift;
  }
  parseBinaryRowsJs(chunks, batch, stopAt);
}

/** The JavaScript loop of {@link parseBinaryRows}. */
function parseBinaryRowsJs(chunks: ByteChunks, batch: RowBatch, stopAt: number): void {
  const buf = chunks.buf;
  const end = chunks.end;
  const dim = batch.dim;
  const bytes = dim * 4;
  // The float32 bits are copied as bytes (no conversion through a double, so NaN payloads survive): one
  // `set` of a subarray per record, a memcpy, costs less than 50 DataView reads (400k × 50 records: 35 vs
  // 60–100 ms). Big-endian hosts read each value little-endian through a DataView instead.
  const target = new Uint8Array(batch.vectors.buffer, batch.vectors.byteOffset, batch.vectors.byteLength);
  const bits = new Int32Array(batch.vectors.buffer, batch.vectors.byteOffset, batch.vectors.length);
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let pos = chunks.start;
  while (batch.rows < batch.capacity && batch.rowsRead < stopAt) {
    while (pos < end && buf[pos] === 10) pos++;
    if (pos >= end) break;
    let flag = 0;
    let hash = FNV_OFFSET;
    let space = pos;
    for (let c = buf[space]; space < end && c !== 32; c = buf[++space]) {
      flag |= (c + 1) | ((c - 33) >>> 24); // see RowBatch.acceptWord
      hash = Math.imul(hash ^ c, FNV_PRIME);
    }
    if (space >= end || space + 1 + bytes > end) {
      if (!chunks.eof) break;
      const detail =
        space >= end
          ? `truncated record: ${end - pos} bytes of a word and no vector at the end of the file`
          : `truncated record: the vector needs ${bytes} bytes but only ${end - space - 1} remain`;
      throw new FormatError(batch.file, { offset: chunks.base + pos }, detail);
    }
    const where = chunks.base + pos;
    if (batch.acceptWord(buf, pos, space, flag, hash, where)) {
      const row = batch.rows * dim;
      if (bigEndian) {
        for (let d = 0, q = space + 1; d < dim; d++, q += 4) bits[row + d] = view.getInt32(q, true);
      } else {
        target.set(new Uint8Array(buf.buffer, buf.byteOffset + space + 1, bytes), 4 * row);
      }
      batch.rows++;
    }
    pos = space + 1 + bytes;
  }
  chunks.start = pos;
}

/** Reverses the bytes of `count` float32 values at `at` (file order is little-endian; only big-endian hosts write swapped). */
function swapFloat32(bytes: Uint8Array, at: number, count: number): void {
  for (let i = at; i < at + count * 4; i += 4) {
    const a = bytes[i];
    const b = bytes[i + 1];
    bytes[i] = bytes[i + 3];
    bytes[i + 1] = bytes[i + 2];
    bytes[i + 2] = b;
    bytes[i + 3] = a;
  }
}

/** Checks what follows the last declared record: trailing newlines are silent, anything else is warned about. */
export function checkBinaryTail(chunks: ByteChunks, batch: RowBatch): void {
  for (let p = chunks.start; p < chunks.end; p++) {
    if (chunks.buf[p] !== 10) {
      batch.warn(
        { offset: chunks.base + p },
        `the header declares ${batch.rowsRead} records but the file goes on; the rest was ignored`,
      );
      return;
    }
  }
}

/**
 * Encodes rows as word2vec binary records (word, space, float32 LE, newline), as word2vec.c writes them.
 * Yields Buffers of about 1 MB; the caller writes the header first.
 */
export function* encodeBinaryRows(
  words: readonly string[],
  vectors: Float32Array,
  dim: number,
): Generator<Buffer> {
  const bytes = dim * 4;
  let out = Buffer.allocUnsafe(1 << 20);
  let used = 0;
  const source = Buffer.from(vectors.buffer, vectors.byteOffset, vectors.byteLength);
  for (let i = 0; i < words.length; i++) {
    const word = words[i];
    checkWritableWord(word, i);
    const need = Buffer.byteLength(word) + 2 + bytes;
    if (used + need > out.length) {
      if (used > 0) yield out.subarray(0, used);
      out = Buffer.allocUnsafe(Math.max(1 << 20, need));
      used = 0;
    }
    used += out.write(word, used);
    out[used++] = 32;
    source.copy(out, used, i * bytes, (i + 1) * bytes);
    if (bigEndian) swapFloat32(out, used, dim);
    used += bytes;
    out[used++] = 10;
  }
  if (used > 0) yield out.subarray(0, used);
}
