/**
 * Co-occurrence record files: headerless sequences of 16-byte little-endian records (i u32, j u32, x f64),
 * sorted by (i, j). The same layout as Stanford GloVe's `cooccurrence.bin` (`CREC`), except ids are 0-based.
 * Used for spilled runs and for results larger than memory, read back in chunks of {@link CooccurrenceMatrix}.
 */
import { closeSync, fstatSync, openSync, readSync, writeSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { endianness } from 'node:os';
import { FormatError, InvalidArgumentError } from '../errors.js';
import type { CooccurrenceMatrix } from './matrix.js';

/** Bytes of one (i u32, j u32, x f64) record. */
export const RECORD_BYTES = 16;

const DEFAULT_CHUNK = 1 << 16;

function assertLittleEndian(): void {
  // Records are written through typed-array views, which use the platform's byte order.
  if (endianness() !== 'LE')
    throw new InvalidArgumentError('co-occurrence record files need a little-endian platform');
}

/**
 * Appends records `from … to−1` of `m` to the open file `fd`, in chunks, through a reusable buffer.
 */
export function writeRecords(
  fd: number,
  m: CooccurrenceMatrix,
  from = 0,
  to = m.nnz,
  chunkRecords = DEFAULT_CHUNK,
): void {
  assertLittleEndian();
  const buf = new ArrayBuffer(Math.min(chunkRecords, Math.max(1, to - from)) * RECORD_BYTES);
  const u32 = new Uint32Array(buf);
  const f64 = new Float64Array(buf);
  const bytes = new Uint8Array(buf);
  const cap = buf.byteLength / RECORD_BYTES;
  for (let k = from; k < to; ) {
    const n = Math.min(cap, to - k);
    for (let r = 0; r < n; r++, k++) {
      u32[4 * r] = m.rows[k];
      u32[4 * r + 1] = m.cols[k];
      f64[2 * r + 1] = m.values[k];
    }
    let off = 0;
    const len = n * RECORD_BYTES;
    while (off < len) off += writeSync(fd, bytes, off, len - off);
  }
}

/** Writes `m` to a new record file at `path` (replacing it). */
export function writeCooccurrenceFile(path: string, m: CooccurrenceMatrix): void {
  const fd = openSync(path, 'w');
  try {
    writeRecords(fd, m);
  } finally {
    closeSync(fd);
  }
}

/**
 * Sequential synchronous reader of a record file, one chunk at a time; used by the k-way merge.
 * The chunk arrays are reused: copy what must outlive the next {@link RecordReader.next} call.
 */
export class RecordReader {
  readonly path: string;
  readonly records: number;
  #fd: number;
  #position = 0;
  readonly #buf: ArrayBuffer;
  readonly #u32: Uint32Array;
  readonly #f64: Float64Array;
  readonly #bytes: Uint8Array;
  /** Current chunk. */
  readonly rows: Uint32Array;
  readonly cols: Uint32Array;
  readonly values: Float64Array;
  /** Records in the current chunk. */
  length = 0;

  constructor(path: string, chunkRecords = DEFAULT_CHUNK) {
    assertLittleEndian();
    this.path = path;
    this.#fd = openSync(path, 'r');
    const size = fstatSync(this.#fd).size;
    if (size % RECORD_BYTES !== 0) {
      closeSync(this.#fd);
      throw new FormatError(
        path,
        { offset: size },
        `size ${size} is not a multiple of the ${RECORD_BYTES}-byte record`,
      );
    }
    this.records = size / RECORD_BYTES;
    this.#buf = new ArrayBuffer(Math.max(1, chunkRecords) * RECORD_BYTES);
    this.#u32 = new Uint32Array(this.#buf);
    this.#f64 = new Float64Array(this.#buf);
    this.#bytes = new Uint8Array(this.#buf);
    this.rows = new Uint32Array(chunkRecords);
    this.cols = new Uint32Array(chunkRecords);
    this.values = new Float64Array(chunkRecords);
  }

  /** Reads the next chunk into rows/cols/values; returns its length (0 at the end). */
  next(): number {
    let got = 0;
    const want = this.#bytes.length;
    while (got < want) {
      const n = readSync(this.#fd, this.#bytes, got, want - got, this.#position * RECORD_BYTES + got);
      if (n === 0) break;
      got += n;
    }
    const count = Math.floor(got / RECORD_BYTES);
    this.#position += count;
    const u32 = this.#u32;
    const f64 = this.#f64;
    for (let r = 0; r < count; r++) {
      this.rows[r] = u32[4 * r];
      this.cols[r] = u32[4 * r + 1];
      this.values[r] = f64[2 * r + 1];
    }
    this.length = count;
    return count;
  }

  close(): void {
    if (this.#fd >= 0) closeSync(this.#fd);
    this.#fd = -1;
  }
}

/**
 * Reads a record file in chunks of at most `chunkRecords` records, each a fresh {@link CooccurrenceMatrix}.
 *
 * @example
 * ```ts
 * for await (const chunk of readCooccurrenceFile('cooc.bin', vocab.size)) total += chunk.nnz;
 * ```
 */
export async function* readCooccurrenceFile(
  path: string,
  vocabSize: number,
  { chunkRecords = 1 << 20 }: { chunkRecords?: number } = {},
): AsyncGenerator<CooccurrenceMatrix> {
  assertLittleEndian();
  if (!Number.isInteger(chunkRecords) || chunkRecords <= 0) {
    throw new InvalidArgumentError(`chunkRecords must be a positive integer, got ${chunkRecords}`);
  }
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    if (size % RECORD_BYTES !== 0) {
      throw new FormatError(
        path,
        { offset: size },
        `size ${size} is not a multiple of the ${RECORD_BYTES}-byte record`,
      );
    }
    let position = 0;
    while (position < size) {
      const n = Math.min(chunkRecords, (size - position) / RECORD_BYTES);
      const buf = new ArrayBuffer(n * RECORD_BYTES);
      const bytes = new Uint8Array(buf);
      let got = 0;
      while (got < bytes.length) {
        const r = await handle.read(bytes, got, bytes.length - got, position + got);
        if (r.bytesRead === 0) throw new FormatError(path, { offset: position + got }, 'file ended early');
        got += r.bytesRead;
      }
      position += got;
      const u32 = new Uint32Array(buf);
      const f64 = new Float64Array(buf);
      const rows = new Uint32Array(n);
      const cols = new Uint32Array(n);
      const values = new Float64Array(n);
      for (let r = 0; r < n; r++) {
        rows[r] = u32[4 * r];
        cols[r] = u32[4 * r + 1];
        values[r] = f64[2 * r + 1];
        if (rows[r] >= vocabSize || cols[r] >= vocabSize) {
          throw new FormatError(
            path,
            { offset: position - got + r * RECORD_BYTES },
            `record (${rows[r]}, ${cols[r]}) is outside vocabSize ${vocabSize}`,
          );
        }
      }
      yield { vocabSize, nnz: n, rows, cols, values };
    }
  } finally {
    await handle.close();
  }
}
