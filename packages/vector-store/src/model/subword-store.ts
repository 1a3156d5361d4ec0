/**
 * A model's subword table (character n-gram rows: a fastText model's own buckets, or a table fitted
 * to a word-only model) kept beside the model and read lazily: an out-of-vocabulary word costs the
 * few pieces holding its n-grams' rows, never the table (800 MB for 2M buckets × 100).
 *
 * Layout: one row of `subword_tables` per model (the n-gram spec, how the table was made, the layout
 * version) and the rows as `subword` pieces of the `chunks` table, `rowsPerPiece` rows each (≈16 KB,
 * so a piece lives in one 32 KB page and is read with one page read), each piece followed by one
 * uint32 checksum per row (fastText's FNV-1a of the row's bytes): a damaged or cut table is a
 * `StoreError`, never a wrong vector. A fastText model also keeps its words' own input rows and its
 * output matrix (`ft-word-rows`, `ft-output`) so it can be written back as the same `.bin`. All of it
 * hangs off `models(id)` with `ON DELETE CASCADE`: deleted or replaced with the model, kept on rename.
 */
import {
  charNgrams,
  type FastTextArgs,
  type MagnitudeEstimator,
  type NgramSpec,
  quoteForMessage,
  type SubwordEstimator,
  SubwordTable,
} from '@wordvec/embeddings';
import { fastTextHash, meanOfNgramRows } from '@wordvec/embeddings/kernels';
import type { Database, Statement } from 'better-sqlite3';
import { StoreError } from '../errors.js';
import { bytesOf, readPieces, writePieces } from '../sqlite/chunks.js';
import {
  MAGNITUDE_KINDS,
  MAGNITUDE_LAYOUT_VERSION,
  type MagnitudeInfo,
  writeMagnitude,
} from './magnitude-store.js';

/** Version of the table piece layout (fastText buckets, learned tables). */
export const SUBWORD_LAYOUT_VERSION = 1;

/** The newest layout this code reads (a Magnitude index is {@link MAGNITUDE_LAYOUT_VERSION}); a newer one is refused, not misread. */
const NEWEST_LAYOUT = Math.max(SUBWORD_LAYOUT_VERSION, MAGNITUDE_LAYOUT_VERSION);

/** Target bytes of a piece's rows: half a 32 KB page, so a piece never overflows its page. */
const PIECE_ROW_BYTES = 16 * 1024;

const WORD_ROWS = 'ft-word-rows';
const OUTPUT = 'ft-output';

/**
 * What a fastText model keeps besides its vectors and buckets, to be written back as a `.bin`.
 *
 * @example
 * ```ts
 * const ft = loadFastTextBin('cc.en.300.bin');
 * const extras: FastTextExtras = { args: ft.args, version: ft.version, ntokens: ft.ntokens, wordRows: ft.wordRows, output: ft.output };
 * ```
 */
export interface FastTextExtras {
  args: FastTextArgs;
  version: number;
  ntokens?: number;
  /** `nwords × dim` own input rows of the words (in the model's row order). */
  wordRows: Float32Array;
  /** `nwords × dim` output matrix, when the model has one. */
  output?: Float32Array;
}

/**
 * A subword model to store with a model: an n-gram table ({@link SubwordTableToStore}) or a
 * Magnitude index ({@link MagnitudeToStore}).
 *
 * @example
 * ```ts
 * store.putSubwords('glove', { magnitude: new MagnitudeEstimator(rows), source: 'magnitude' });
 * ```
 */
export type SubwordsToStore = SubwordTableToStore | MagnitudeToStore;

/**
 * A word-only model's Magnitude n-gram index (its arrays are stored; the vectors are the model's own).
 *
 * @example
 * ```ts
 * store.putSubwords('glove', { magnitude: new MagnitudeEstimator(rows), source: 'magnitude', builder: 'Magnitude, n 3–6' });
 * ```
 */
export interface MagnitudeToStore {
  magnitude: MagnitudeEstimator;
  source: 'magnitude';
  builder?: string;
}

/**
 * A subword table to store with a model, and where it came from.
 *
 * @example
 * ```ts
 * store.putSubwords('glove', { table: fitSubwordTable(rows), source: 'learned', builder: 'least-squares' });
 * ```
 */
export interface SubwordTableToStore {
  table: SubwordTable;
  /** `fasttext`: the model's own buckets; `learned`: fitted to a word-only model. */
  source: 'fasttext' | 'learned';
  /** How a learned table was built (e.g. `least-squares, 10 epochs`). */
  builder?: string;
  /** A fastText model's word rows, output matrix and arguments. */
  fastText?: FastTextExtras;
}

/**
 * What is stored about a model's subword table (`ModelInfo.subword`).
 *
 * @example
 * ```ts
 * store.model('cc-en').info.subword; // { version: 1, source: 'fasttext', minn: 3, maxn: 6, bucket: 2000000, dim: 300, … }
 * ```
 */
export interface SubwordInfo {
  /** Layout version of the stored pieces: {@link SUBWORD_LAYOUT_VERSION} for tables, 2 for a Magnitude index. */
  version: number;
  /** `fasttext`: the model's own buckets; `learned`: a least-squares table; `magnitude`: a Magnitude n-gram index. */
  source: 'fasttext' | 'learned' | 'magnitude';
  minn: number;
  maxn: number;
  /** Rows of the table (0 for a Magnitude index, which has no rows of its own). */
  bucket: number;
  dim: number;
  precision: 'float32';
  /** Table rows per piece (0 for a Magnitude index). */
  rowsPerPiece: number;
  /** Bytes the rows and their checksums (or the index arrays) take in the store. */
  bytes: number;
  /** A Magnitude index: its sizes, settings and checksums. */
  magnitude?: MagnitudeInfo;
  builder?: string;
  builtAt: string;
  /** fastText models: their arguments, and whether word rows and output matrix are kept. */
  fastText?: { args: FastTextArgs; version: number; ntokens: number; hasOutput: boolean };
}

interface SubwordRow {
  version: number;
  info: string;
}

/** Rows per piece for `dim` columns. */
export function subwordRowsPerPiece(dim: number): number {
  return Math.max(1, Math.floor(PIECE_ROW_BYTES / (dim * 4)));
}

/** Whether the store has the `subword_tables` table (read-only opens accept older schemas without it). */
function hasTable(db: Database): boolean {
  return (
    db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'subword_tables'").get() !==
    undefined
  );
}

function checkTable(s: SubwordTableToStore, modelDim: number, nwords: number): void {
  const t = s?.table as Partial<SubwordTable> | undefined;
  if (!t || !(t.rows instanceof Float32Array) || !t.spec || typeof t.dim !== 'number')
    throw new StoreError('INVALID_ARGUMENT', 'subwords.table must be a SubwordTable of @wordvec/embeddings');
  if (s.source !== 'fasttext' && s.source !== 'learned')
    throw new StoreError(
      'INVALID_ARGUMENT',
      `subwords.source must be 'fasttext' or 'learned', got ${quoteForMessage(String(s.source))}`,
    );
  if (t.dim !== modelDim)
    throw new StoreError(
      'INVALID_ARGUMENT',
      `the subword table has ${t.dim} dimensions, the model ${modelDim}`,
    );
  if (t.spec.bucket < 1)
    throw new StoreError(
      'INVALID_ARGUMENT',
      'a subword table needs at least one bucket (maxn > 0, bucket ≥ 1)',
    );
  const rows = t.rows;
  for (let i = 0; i < rows.length; i++)
    if (!Number.isFinite(rows[i]))
      throw new StoreError(
        'INVALID_ARGUMENT',
        `the subword table has a non-finite value in row ${Math.floor(i / t.dim)}`,
      );
  const ft = s.fastText;
  if (ft) {
    if (ft.wordRows.length !== nwords * modelDim)
      throw new StoreError(
        'INVALID_ARGUMENT',
        `fastText word rows hold ${ft.wordRows.length} values, expected ${nwords} × ${modelDim}`,
      );
    if (ft.output && ft.output.length !== nwords * modelDim)
      throw new StoreError(
        'INVALID_ARGUMENT',
        `the fastText output matrix holds ${ft.output.length} values, expected ${nwords} × ${modelDim}`,
      );
  }
}

/**
 * Writes the subword table of model `modelId` (replacing any it had). Call inside the transaction
 * that writes (or already holds) the model.
 */
export function writeSubwords(
  db: Database,
  modelId: number,
  modelDim: number,
  nwords: number,
  s: SubwordsToStore,
): SubwordInfo {
  if (s && 'magnitude' in s) {
    deleteSubwords(db, modelId);
    const written = writeMagnitude(db, modelId, nwords, s.magnitude);
    const info: SubwordInfo = {
      version: MAGNITUDE_LAYOUT_VERSION,
      source: 'magnitude',
      minn: written.minn,
      maxn: written.maxn,
      bucket: 0,
      dim: modelDim,
      precision: 'float32',
      rowsPerPiece: 0,
      bytes: written.bytes,
      magnitude: written.info,
      ...(s.builder ? { builder: s.builder } : {}),
      builtAt: new Date().toISOString(),
    };
    db.prepare('INSERT INTO subword_tables (model_id, version, info) VALUES (?, ?, ?)').run(
      modelId,
      MAGNITUDE_LAYOUT_VERSION,
      JSON.stringify(info),
    );
    return info;
  }
  checkTable(s, modelDim, nwords);
  deleteSubwords(db, modelId);
  const { table } = s;
  const { dim, rows } = table;
  const { minn, maxn, bucket } = table.spec;
  const rpp = subwordRowsPerPiece(dim);
  const insert = db.prepare("INSERT INTO chunks (model_id, kind, seq, data) VALUES (?, 'subword', ?, ?)");
  const rowBytes = dim * 4;
  const piece = Buffer.alloc(rpp * (rowBytes + 4));
  const all = bytesOf(rows);
  let bytes = 0;
  for (let seq = 0, first = 0; first < bucket; seq++, first += rpp) {
    const n = Math.min(rpp, bucket - first);
    const src = all.subarray(first * rowBytes, (first + n) * rowBytes);
    piece.set(src, 0);
    for (let r = 0; r < n; r++)
      piece.writeUInt32LE(fastTextHash(src, r * rowBytes, (r + 1) * rowBytes), n * rowBytes + 4 * r);
    const size = n * (rowBytes + 4);
    insert.run(modelId, seq, piece.subarray(0, size));
    bytes += size;
  }
  const ft = s.fastText;
  if (ft) {
    writePieces(db, modelId, WORD_ROWS, bytesOf(ft.wordRows));
    if (ft.output) writePieces(db, modelId, OUTPUT, bytesOf(ft.output));
  }
  const info: SubwordInfo = {
    version: SUBWORD_LAYOUT_VERSION,
    source: s.source,
    minn,
    maxn,
    bucket,
    dim,
    precision: 'float32',
    rowsPerPiece: rpp,
    bytes,
    ...(s.builder ? { builder: s.builder } : {}),
    builtAt: new Date().toISOString(),
    ...(ft
      ? {
          fastText: {
            args: ft.args,
            version: ft.version,
            ntokens: ft.ntokens ?? 0,
            hasOutput: ft.output !== undefined,
          },
        }
      : {}),
  };
  db.prepare('INSERT INTO subword_tables (model_id, version, info) VALUES (?, ?, ?)').run(
    modelId,
    SUBWORD_LAYOUT_VERSION,
    JSON.stringify(info),
  );
  return info;
}

/** Removes the subword table of model `modelId` (nothing when it has none). */
export function deleteSubwords(db: Database, modelId: number): void {
  if (!hasTable(db)) return;
  db.prepare('DELETE FROM subword_tables WHERE model_id = ?').run(modelId);
  db.prepare(
    `DELETE FROM chunks WHERE model_id = ? AND kind IN ('subword', 'ft-word-rows', 'ft-output', ${MAGNITUDE_KINDS.map((k) => `'${k}'`).join(', ')})`,
  ).run(modelId);
}

/**
 * What is stored about the subword table of model `modelId`, or undefined when it has none.
 * @throws {@link StoreError} `NEWER_SCHEMA` for a layout this code does not know, `SQLITE` for a damaged row.
 */
export function readSubwordInfo(db: Database, modelId: number): SubwordInfo | undefined {
  if (!hasTable(db)) return undefined;
  const row = db.prepare('SELECT version, info FROM subword_tables WHERE model_id = ?').get(modelId) as
    | SubwordRow
    | undefined;
  if (!row) return undefined;
  if (row.version > NEWEST_LAYOUT)
    throw new StoreError(
      'NEWER_SCHEMA',
      `the subword table of model ${modelId} has layout ${row.version}, newer than this wordvec understands (${NEWEST_LAYOUT})`,
    );
  let info: SubwordInfo;
  try {
    info = JSON.parse(row.info);
  } catch (err) {
    throw new StoreError('SQLITE', `the subword table description of model ${modelId} is damaged`, {
      cause: err,
    });
  }
  const ints = [info.minn, info.maxn, info.bucket, info.dim, info.rowsPerPiece];
  const m = info.magnitude;
  const ok =
    ints.every((v) => Number.isSafeInteger(v) && v >= 0) &&
    info.dim >= 1 &&
    (info.source === 'magnitude'
      ? m !== undefined &&
        [m.words, m.ngrams, m.postings, m.neighbours].every((v) => Number.isSafeInteger(v) && v >= 0) &&
        Array.isArray(m.checksums) &&
        m.checksums.length === MAGNITUDE_KINDS.length
      : info.bucket >= 1 && info.rowsPerPiece >= 1);
  if (!ok) throw new StoreError('SQLITE', `the subword table description of model ${modelId} is damaged`);
  return info;
}

/**
 * A stored subword table, read piece by piece as words need it: the OOV pipeline's estimator for a
 * stored model, giving exactly what the same table in memory ({@link SubwordTable}) gives.
 *
 * @example
 * ```ts
 * const table = new StoredSubwordTable(db, modelId, info);
 * table.explain('pizzaiolo'); // { vector, pieces: ['<pi', …] }, about 30 pieces of 16 KB read
 * ```
 */
export class StoredSubwordTable implements SubwordEstimator {
  readonly spec: NgramSpec;
  readonly dim: number;
  readonly info: SubwordInfo;
  /** Bytes of pieces read from SQLite so far (what a lazy read costs). */
  bytesRead = 0;
  readonly #db: Database;
  readonly #modelId: number;
  readonly #piece: Statement;

  constructor(db: Database, modelId: number, info: SubwordInfo) {
    this.#db = db;
    this.#modelId = modelId;
    this.info = info;
    this.spec = { minn: info.minn, maxn: info.maxn, bucket: info.bucket };
    this.dim = info.dim;
    this.#piece = db
      .prepare("SELECT data FROM chunks WHERE model_id = ? AND kind = 'subword' AND seq = ?")
      .pluck();
  }

  /** The mean of `word`'s n-gram rows and its n-grams, or undefined when it has none (as {@link SubwordTable.explain}). */
  explain(word: string): { vector: Float32Array; pieces: string[] } | undefined {
    const grams = charNgrams(word, this.spec);
    if (grams.length === 0) return undefined;
    const { dim } = this;
    const gathered = new Float32Array(grams.length * dim);
    const bytes = new Uint8Array(gathered.buffer);
    const pieces = new Map<number, Buffer>();
    // One read transaction: every piece from the same version of the table.
    this.#db.transaction(() => {
      for (let k = 0; k < grams.length; k++) bytes.set(this.#row(grams[k].row, pieces), k * dim * 4);
    })();
    const vector = meanOfNgramRows(
      gathered,
      dim,
      Int32Array.from(grams, (_, i) => i),
    );
    return { vector, pieces: grams.map((g) => g.ngram) };
  }

  /** {@link StoredSubwordTable.explain}'s vector alone. */
  estimate(word: string): Float32Array | undefined {
    return this.explain(word)?.vector;
  }

  /** The whole table in memory (for export): every piece read and checked. */
  readAll(): SubwordTable {
    const { dim, spec } = this;
    const rows = new Float32Array(spec.bucket * dim);
    const out = new Uint8Array(rows.buffer);
    const rpp = this.info.rowsPerPiece;
    const rowBytes = dim * 4;
    const stmt = this.#db
      .prepare("SELECT seq, data FROM chunks WHERE model_id = ? AND kind = 'subword' ORDER BY seq")
      .raw();
    let expected = 0;
    this.#db.transaction(() => {
      for (const [seq, data] of stmt.iterate(this.#modelId) as IterableIterator<[number, Buffer]>) {
        if (seq !== expected) this.#damaged(`piece ${expected} is missing`);
        const n = this.#rowsIn(seq);
        this.#check(seq, data, n);
        for (let r = 0; r < n; r++) this.#verify(seq, data, r, n);
        out.set(data.subarray(0, n * rowBytes), seq * rpp * rowBytes);
        this.bytesRead += data.byteLength;
        expected++;
      }
    })();
    if (expected * rpp < spec.bucket)
      this.#damaged(`it ends after ${expected} of ${Math.ceil(spec.bucket / rpp)} pieces`);
    return new SubwordTable(spec, dim, rows);
  }

  #rowsIn(seq: number): number {
    const rpp = this.info.rowsPerPiece;
    return Math.min(rpp, this.spec.bucket - seq * rpp);
  }

  /** The bytes of table row `row`, checked against its checksum. */
  #row(row: number, cache: Map<number, Buffer>): Uint8Array {
    const rpp = this.info.rowsPerPiece;
    const seq = Math.floor(row / rpp);
    const n = this.#rowsIn(seq);
    let data = cache.get(seq);
    if (!data) {
      data = this.#piece.get(this.#modelId, seq) as Buffer | undefined;
      if (!data) this.#damaged(`piece ${seq} is missing`);
      this.#check(seq, data, n);
      this.bytesRead += data.byteLength;
      cache.set(seq, data);
    }
    const r = row - seq * rpp;
    this.#verify(seq, data, r, n);
    const rowBytes = this.dim * 4;
    return data.subarray(r * rowBytes, (r + 1) * rowBytes);
  }

  #check(seq: number, data: Buffer, n: number): void {
    const want = n * (this.dim * 4 + 4);
    if (data.byteLength !== want)
      this.#damaged(`piece ${seq} has ${data.byteLength} bytes, expected ${want}`);
  }

  #verify(seq: number, data: Buffer, r: number, n: number): void {
    const rowBytes = this.dim * 4;
    const sum = data.readUInt32LE(n * rowBytes + 4 * r);
    if (fastTextHash(data, r * rowBytes, (r + 1) * rowBytes) !== sum)
      this.#damaged(`row ${seq * this.info.rowsPerPiece + r} does not match its checksum`);
  }

  #damaged(detail: string): never {
    throw new StoreError('SQLITE', `the subword table of model ${this.#modelId} is damaged: ${detail}`);
  }
}

/** A fastText model's word rows and output matrix, when stored (`nwords × dim` each). */
export function readFastTextRows(
  db: Database,
  modelId: number,
  nwords: number,
  dim: number,
  hasOutput: boolean,
): { wordRows: Float32Array; output?: Float32Array } {
  const read = (kind: string) => {
    const target = new Float32Array(nwords * dim);
    if (!readPieces(db, modelId, kind, new Uint8Array(target.buffer)))
      throw new StoreError('SQLITE', `the fastText ${kind} data of model ${modelId} is missing`);
    return target;
  };
  return { wordRows: read(WORD_ROWS), ...(hasOutput ? { output: read(OUTPUT) } : {}) };
}
