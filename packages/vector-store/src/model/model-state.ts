/**
 * Which version of a stored model an object answers for, and what of it is in memory.
 *
 * Freshness: every look-up first compares the store's commit counter with the one it last saw; when
 * another process (or this one) committed since, the model row is read again, so a rename is
 * followed (same id), a replacement is switched to (same name, new id, the loaded matrix dropped)
 * and a deletion is an `UNKNOWN_MODEL` error. Loading: the matrix (float32 or int8) comes from one
 * read transaction, the ANN graph on the first query that walks it.
 */
import {
  createInt8Matrix,
  createPrefilter,
  createRowScorer,
  type Int8Matrix,
  quantizeRows,
  type RowScorer,
} from '@wordvec/embeddings/kernels';
import type { Database } from 'better-sqlite3';
import type { HnswIndex } from '../ann/hnsw.js';
import { readHnsw } from '../ann/hnsw-blobs.js';

import { StoreError } from '../errors.js';
import { float32Of, readPieces } from '../sqlite/chunks.js';
import type { ModelRow } from './model-info.js';
import { Spellings } from './spellings.js';
import type { ModelStatements } from './statements.js';

/**
 * How the matrix is held in memory.
 *
 * @example
 * ```ts
 * await store.model('glove').load({ precision: 'int8', ann: true });
 * ```
 */
export interface LoadOptions {
  /**
   * `float32` (default): the unit matrix as stored, answering every query exactly (or through the
   * ANN index). `int8`: one byte per component (about 4× less memory); neighbour queries scan or
   * walk the graph on the int8 rows, then re-rank the best candidates on exact rows read from SQLite.
   */
  precision?: 'float32' | 'int8';
  /**
   * Use the ANN graph when the model has one. Default true: the graph is then read on the first
   * query that walks it (exact queries never need it); `true` given explicitly reads it now, with
   * the matrix. False answers every query by exact scan.
   */
  ann?: boolean;
  /**
   * float32 only: exact scans first go through an int8 copy of the matrix (built on the first exact
   * scan, a quarter of the matrix's bytes more in memory) and score on float32 only the rows a
   * certain bound cannot rule out: the same answers bit for bit, about 3 × faster on large models
   * (the embeddings package's `KeyedVectors.int8Prefilter`). Default false: a one-off query would
   * pay for a copy it uses once (about 0.3 s at 400k × 300); a server turns it on. Kept across
   * loads until given again.
   */
  int8Prefilter?: boolean;
}

/** What the store hands to each stored model. */
export interface ModelContext {
  db: Database;
  path: string;
  /** Changes whenever this process or another commits to the store. */
  version(): string;
}

/** The matrix in memory: float32 inside the row-scoring kernel, or int8 codes; maybe the graph. */
export interface LoadedMatrix {
  /** The unit matrix, inside the embeddings layer's row-scoring kernel (WebAssembly SIMD where available). */
  scorer?: RowScorer;
  /** The int8 rows and a score buffer for scanning them. */
  int8?: { matrix: Int8Matrix; scores: Float32Array };
  hnsw?: HnswIndex;
  /** The model has a graph that is used but not read yet (it is read on the first query that walks it). */
  hnswPending?: boolean;
  /** The int8 pre-filter of `scorer`'s matrix once built; null when it cannot run here. */
  prefilter?: Int8Matrix | null;
  /** The words of the rows, for answers (undefined when the stored vocabulary does not match: SQLite then). */
  spellings?: Spellings;
}

/**
 * The current row of one model and its loaded matrix.
 *
 * @example
 * ```ts
 * const state = new ModelState(ctx, sql, row);
 * state.refresh();             // follows renames, replacements and deletions by any process
 * state.loaded().scorer;       // the float32 unit matrix, loaded on first use
 * ```
 */
export class ModelState {
  readonly ctx: ModelContext;
  readonly #sql: ModelStatements;
  #row: ModelRow;
  #version: string;
  #loaded: LoadedMatrix | undefined;
  #precision: 'float32' | 'int8' = 'float32';
  #withAnn = true;
  #prefilter = false;

  constructor(ctx: ModelContext, sql: ModelStatements, row: ModelRow) {
    this.ctx = ctx;
    this.#sql = sql;
    this.#row = row;
    this.#version = ctx.version();
  }

  /** The model row as last read; call {@link ModelState.refresh} first for the current one. */
  get row(): ModelRow {
    return this.#row;
  }

  /** `float32` or `int8`: how the matrix is (or will be) held. */
  get precision(): 'float32' | 'int8' {
    return this.#precision;
  }

  /** The matrix, when in memory (no loading, no refresh). */
  get current(): LoadedMatrix | undefined {
    return this.#loaded;
  }

  /** Re-resolves the model when the store changed: renamed (same id), replaced (same name, new id) or deleted. */
  refresh(): void {
    const v = this.ctx.version();
    if (v === this.#version) return;
    this.#version = v;
    const same = this.#sql.modelById(this.#row.id);
    if (same) {
      this.#row = same;
      return;
    }
    const replaced = this.#sql.modelByName(this.#row.name);
    this.#loaded = undefined;
    if (!replaced) {
      throw new StoreError(
        'UNKNOWN_MODEL',
        `model ${JSON.stringify(this.#row.name)} was deleted from ${this.ctx.path}`,
      );
    }
    this.#row = replaced;
  }

  /**
   * After a miss: whether the model was replaced between the last version check and the query (another
   * process committed in between). Switches to the new model (or throws UNKNOWN_MODEL when deleted).
   * Nothing committed since that check (the store's version unchanged) means nothing was replaced, so a
   * miss costs one version read, not a model look-up (OOV words miss several times per query).
   */
  replacedMeanwhile(): boolean {
    const before = this.#row.id;
    this.refresh();
    return this.#row.id !== before;
  }

  /** The current model's matrix, loaded now when it is not in memory. */
  loaded(): LoadedMatrix {
    this.refresh();
    if (!this.#loaded) this.load();
    return this.#loaded as LoadedMatrix;
  }

  /**
   * The matrix of the model as last refreshed, loaded now when it is not in memory: for a query
   * that already called {@link ModelState.refresh} (one `PRAGMA data_version` per query, not two).
   */
  loadedAsIs(): LoadedMatrix {
    if (!this.#loaded) this.load();
    return this.#loaded as LoadedMatrix;
  }

  /** Loads the matrix with these options; a no-op when already loaded alike. */
  load(options: LoadOptions = {}): void {
    // One read transaction: the row and every chunk come from the same snapshot, even while
    // another process replaces or deletes models.
    this.ctx.db.transaction(() => {
      this.refresh();
      if (options.int8Prefilter !== undefined) {
        if (typeof options.int8Prefilter !== 'boolean') {
          throw new StoreError(
            'INVALID_ARGUMENT',
            `int8Prefilter must be true or false, got ${JSON.stringify(String(options.int8Prefilter)).slice(0, 40)}`,
          );
        }
        if (options.int8Prefilter !== this.#prefilter && this.#loaded) this.#loaded.prefilter = undefined;
        this.#prefilter = options.int8Prefilter;
      }
      const precision = options.precision ?? this.#precision;
      const ann = options.ann ?? this.#withAnn;
      if (this.#loaded && precision === this.#precision && ann === this.#withAnn) {
        if (options.ann === true) this.readGraph(this.#loaded);
        return;
      }
      this.#precision = precision;
      this.#withAnn = ann;
      this.#loaded = undefined;
      this.#loaded = this.#readMatrix(options.ann === true);
    })();
  }

  /**
   * The int8 pre-filter of the loaded float32 matrix when {@link LoadOptions.int8Prefilter} asks for
   * one (built now, the first time), else null.
   */
  prefilter(loaded: LoadedMatrix): Int8Matrix | null {
    const scorer = loaded.scorer;
    if (!this.#prefilter || !scorer) return null;
    loaded.prefilter ??= createPrefilter(scorer, scorer.scores.length, this.#row.dim);
    return loaded.prefilter;
  }

  /** Drops the matrix from memory. */
  unload(): void {
    this.#loaded = undefined;
  }

  /**
   * Reads a pending ANN graph (the matrix was loaded without it). The graph must belong to the same
   * model row as the matrix: when another process replaced or deleted the model since, nothing is
   * read and this query scans the loaded matrix; the next query notices the change and reloads.
   * Returns whether a graph is now loaded.
   */
  readGraph(loaded: LoadedMatrix): boolean {
    if (loaded.hnsw) return true;
    if (!loaded.hnswPending) return false;
    const { db } = this.ctx;
    const row = this.#row;
    return db.transaction(() => {
      if (!this.#sql.modelById(row.id)) return false;
      loaded.hnsw = readHnsw(db, row.id, row.vocab_size, JSON.parse(row.ann as string));
      loaded.hnswPending = false;
      return true;
    })();
  }

  /** Reads the matrix (float32, or quantised block by block) and, when asked, the ANN graph. */
  #readMatrix(withGraph: boolean): LoadedMatrix {
    // The matrix (and the graph) come into memory, and the words of the rows as one string (~4 MB and
    // ~20 ms at 400k words: answers name their rows without a SQLite statement). No word map nor string
    // array is built at load; a model that keeps answering builds the spellings' hash table of rows
    // after its first 1,000 query words (stored-rows.ts).
    const { db } = this.ctx;
    const { id, dim, vocab_size: n } = this.#row;
    const loaded: LoadedMatrix = { spellings: Spellings.fromVocab(readPieces(db, id, 'vocab'), n) };
    if (this.#precision === 'int8') {
      const m = createInt8Matrix(n, dim);
      const stmt = db
        .prepare("SELECT data FROM chunks WHERE model_id = ? AND kind = 'f32' ORDER BY seq")
        .pluck();
      let row = 0;
      for (const blob of stmt.iterate(id) as IterableIterator<Buffer>) {
        const block = float32Of(blob);
        quantizeRows(block, row, block.length / dim, m);
        row += block.length / dim;
      }
      loaded.int8 = { matrix: m, scores: new Float32Array(n) };
    } else {
      // Straight from SQLite into the kernel's own memory: one matrix, no normalising pass (rows are stored unit).
      const scorer = createRowScorer(n, dim);
      const m = scorer.matrix;
      readPieces(db, id, 'f32', new Uint8Array(m.buffer, m.byteOffset, m.byteLength));
      loaded.scorer = scorer;
    }
    if (this.#row.ann && this.#withAnn) {
      if (withGraph) loaded.hnsw = readHnsw(db, id, n, JSON.parse(this.#row.ann));
      else loaded.hnswPending = true;
    }
    return loaded;
  }
}
