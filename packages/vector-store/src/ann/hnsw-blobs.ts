/**
 * An {@link HnswIndex} as SQLite pieces of its model (`hnsw-entry`, `hnsw-levels`, `hnsw-links0`,
 * `hnsw-deg0`, `hnsw-upper-offset`, `hnsw-upper`): each typed array is one piece, written as it is
 * and read straight back into an array of the size the graph's parameters imply (one copy, no parsing).
 */
import type { Database } from 'better-sqlite3';
import { StoreError } from '../errors.js';
import { bytesOf, readPieces, writePieces } from '../sqlite/chunks.js';
import type { HnswIndex } from './hnsw.js';

/** The build parameters a model row records for its graph (`models.ann`, JSON). */
export interface HnswParams {
  M: number;
  efConstruction: number;
  seed: number;
}

/**
 * Writes the graph of model `modelId` (inside the caller's transaction).
 *
 * @example
 * ```ts
 * db.transaction(() => writeHnsw(db, modelId, buildHnsw(unitRows, dim)))();
 * ```
 */
export function writeHnsw(db: Database, modelId: number, index: HnswIndex): void {
  writePieces(db, modelId, 'hnsw-levels', index.levels);
  writePieces(db, modelId, 'hnsw-links0', bytesOf(index.links0));
  writePieces(db, modelId, 'hnsw-deg0', index.deg0);
  writePieces(db, modelId, 'hnsw-upper-offset', bytesOf(index.upperOffset));
  writePieces(db, modelId, 'hnsw-upper', bytesOf(index.upper));
  writePieces(db, modelId, 'hnsw-entry', bytesOf(new Uint32Array([index.entry, index.maxLevel])));
}

/**
 * Reads the graph of model `modelId` with `n` rows. A piece whose size differs from the one the
 * parameters imply is a {@link StoreError} (`SQLITE`) naming it, never a read past its end.
 *
 * @example
 * ```ts
 * const index = readHnsw(db, row.id, row.vocab_size, JSON.parse(row.ann));
 * ```
 */
export function readHnsw(db: Database, modelId: number, n: number, params: HnswParams): HnswIndex {
  const M0 = 2 * params.M;
  /** Reads piece `kind` straight into `target`; its size must match the stored one. */
  const into = <T extends Uint8Array | Uint32Array | Int32Array>(kind: string, target: T): T => {
    const bytes = new Uint8Array(target.buffer, target.byteOffset, target.byteLength);
    const got = readPieces(db, modelId, kind, bytes);
    if (!got && target.byteLength > 0) throw new StoreError('SQLITE', `ANN index piece ${kind} is missing`);
    return target;
  };
  const entry = into('hnsw-entry', new Uint32Array(2));
  const levels = into('hnsw-levels', new Uint8Array(n));
  // The upper layers' size follows from the levels: each layer of node i is [degree, M links].
  let upperSize = 0;
  for (let i = 0; i < n; i++) upperSize += levels[i] * (params.M + 1);
  return {
    n,
    M: params.M,
    M0,
    efConstruction: params.efConstruction,
    seed: params.seed,
    entry: entry[0],
    maxLevel: entry[1],
    levels,
    links0: into('hnsw-links0', new Uint32Array(n * M0)),
    deg0: into('hnsw-deg0', new Uint8Array(n)),
    upperOffset: into('hnsw-upper-offset', new Int32Array(n)),
    upper: into('hnsw-upper', new Uint32Array(upperSize)),
  };
}
