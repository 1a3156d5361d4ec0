/**
 * Binary data of a model (float32 row blocks, vocabulary, norms, counts, ANN graph) lives in the
 * `chunks` table as BLOBs keyed by `(model_id, kind, seq)`. Large arrays are cut into pieces so that
 * no single BLOB is huge, and read back with one sequential scan into one preallocated array.
 */
import type { Database } from 'better-sqlite3';
import { StoreError } from '../errors.js';

/**
 * Bytes per stored float32 block of a new model. A single-row read (`substr`) copies its whole
 * block, so smaller blocks make row look-ups of a model not loaded cheaper (at 400k × 300: 23 µs for
 * 64 KiB against 58 µs for 256 KiB), while a load reads more of them (~7,500 for 400k × 300) in
 * the same time: alternating loads of the two measured 534–747 ms (64 KiB) against 663–733 ms.
 * Models keep the block size they were written with (`models.block_rows`).
 */
export const BLOCK_BYTES = 64 * 1024;

/** Largest piece of a non-matrix array. */
const PIECE_BYTES = 8 * 1024 * 1024;

/** Rows per float32 block for vectors of `dim` components. */
export function rowsPerBlock(dim: number): number {
  return Math.max(1, Math.floor(BLOCK_BYTES / (dim * 4)));
}

/** The bytes of a typed array, as a Buffer view (no copy). */
export function bytesOf(a: ArrayBufferView): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

/** Writes `bytes` as pieces `kind`/0, 1, … of model `modelId`. */
export function writePieces(db: Database, modelId: number, kind: string, bytes: Uint8Array): void {
  const insert = db.prepare('INSERT INTO chunks (model_id, kind, seq, data) VALUES (?, ?, ?, ?)');
  let seq = 0;
  for (let off = 0; off < bytes.byteLength || seq === 0; off += PIECE_BYTES) {
    const end = Math.min(bytes.byteLength, off + PIECE_BYTES);
    insert.run(modelId, kind, seq++, Buffer.from(bytes.buffer, bytes.byteOffset + off, end - off));
  }
}

/**
 * Reads every piece of `kind` for model `modelId` into `target` (when given, sized by the caller)
 * or into a new buffer. Returns undefined when the model has no such pieces.
 */
export function readPieces(
  db: Database,
  modelId: number,
  kind: string,
  target?: Uint8Array,
): Uint8Array | undefined {
  const stmt = db.prepare('SELECT data FROM chunks WHERE model_id = ? AND kind = ? ORDER BY seq').pluck();
  if (target !== undefined) {
    // One piece in memory at a time besides the target: the matrix is never held twice.
    let off = 0;
    for (const r of stmt.iterate(modelId, kind) as IterableIterator<Buffer>) {
      if (off + r.byteLength > target.byteLength) break;
      target.set(r, off);
      off += r.byteLength;
    }
    if (off === 0 && target.byteLength > 0) return undefined;
    if (off !== target.byteLength) {
      throw new StoreError(
        'SQLITE',
        `stored ${kind} data of model ${modelId} does not have the expected ${target.byteLength} bytes (read ${off}); the store is damaged`,
      );
    }
    return target;
  }
  const rows = stmt.all(modelId, kind) as Buffer[];
  if (rows.length === 0) return undefined;
  if (rows.length === 1) return rows[0];
  const out = new Uint8Array(rows.reduce((s, r) => s + r.byteLength, 0));
  let off = 0;
  for (const r of rows) {
    out.set(r, off);
    off += r.byteLength;
  }
  return out;
}

/**
 * The float32 values of a Buffer read from SQLite (a whole number of them): a view of its bytes when
 * they start 4-byte aligned (better-sqlite3's blob Buffers were, 200 of 200 in a probe), else an
 * aligned copy.
 *
 * @example
 * ```ts
 * for (const blob of stmt.iterate(id)) quantizeRows(float32Of(blob), row, count, m); // no copy per block
 * ```
 */
export function float32Of(bytes: Uint8Array): Float32Array {
  if (bytes.byteOffset % 4 === 0)
    return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  return float32From(bytes);
}

/** Copies a Buffer read from SQLite into a fresh, aligned typed array. */
export function float32From(bytes: Uint8Array): Float32Array {
  const out = new Float32Array(bytes.byteLength / 4);
  new Uint8Array(out.buffer).set(bytes);
  return out;
}

/** Copies a Buffer read from SQLite into a fresh, aligned Float64Array. */
export function float64From(bytes: Uint8Array): Float64Array {
  const out = new Float64Array(bytes.byteLength / 8);
  new Uint8Array(out.buffer).set(bytes);
  return out;
}

/** Copies a Buffer read from SQLite into a fresh, aligned Uint32Array. */
export function uint32From(bytes: Uint8Array): Uint32Array {
  const out = new Uint32Array(bytes.byteLength / 4);
  new Uint8Array(out.buffer).set(bytes);
  return out;
}
