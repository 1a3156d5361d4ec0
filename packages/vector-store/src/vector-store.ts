/**
 * `VectorStore`: one SQLite file holding several named models (better-sqlite3 12, WAL mode).
 * Opening checks the file before writing anything; a writable open migrates the schema and removes
 * leftovers of interrupted imports; a read-only open never writes.
 */
import { existsSync, statSync } from 'node:fs';
import {
  type CooccurrenceStats,
  type KeyedVectors,
  loadFastTextBin,
  quoteForMessage,
  streamVectors,
  type VectorFileWarning,
  type VectorFormat,
  type VectorSource,
} from '@wordvec/embeddings';
import Database from 'better-sqlite3';
import { asStoreError, StoreError } from './errors.js';
import {
  type CooccurrenceInfo,
  deleteCooccurrenceStats,
  type StoredContexts,
  writeCooccurrenceStats,
} from './model/cooccurrence-stats.js';
import { fastTextImport, isFastTextFile } from './model/fasttext-import.js';
import { type ModelInfo, type ModelRow, toModelInfo } from './model/model-info.js';
import { type ModelContext, StoredModel } from './model/stored-model.js';
import {
  deleteSubwords,
  readSubwordInfo,
  type SubwordInfo,
  type SubwordsToStore,
  writeSubwords,
} from './model/subword-store.js';
import { readPieces } from './sqlite/chunks.js';
import { boundedEditDistance } from './sqlite/edit-distance.js';
import { checkStoreFile, migrate, READABLE_FROM, SCHEMA_VERSION } from './sqlite/schema.js';
import { type ModelMeta, ModelWriter, type WriteOptions } from './write/model-writer.js';

/**
 * Options of {@link VectorStore.open}.
 *
 * @example
 * ```ts
 * const store = VectorStore.open('wordvec.db', { readonly: true }); // never writes a byte
 * ```
 */
export interface OpenOptions {
  /** Open for reading only: nothing is ever written, not even the journal mode. Default false. */
  readonly?: boolean;
  /** Create the file when missing (writable opens only). Default true. */
  create?: boolean;
  /** How long a writer waits for another process's write lock, in ms. Default 10,000. */
  busyTimeoutMs?: number;
  /**
   * Largest size the store file may grow to through this connection, in database pages (SQLite's
   * `PRAGMA max_page_count`; a store page is 32 KiB). A write that needs more fails with
   * `StoreError` `SQLITE` ("the store is full") and leaves the store as it was, as a full disk does.
   * Default: SQLite's own limit.
   */
  maxPageCount?: number;
}

/**
 * The vectors `putModel` accepts: a `KeyedVectors`, or the same fields as a plain object.
 *
 * @example
 * ```ts
 * store.putModel('tiny', { words: ['a', 'b'], dim: 2, vectors: new Float32Array([1, 0, 0, 1]) });
 * ```
 */
export type VectorsInput = Pick<KeyedVectors, 'words' | 'vectors' | 'dim'> & { counts?: ArrayLike<number> };

/**
 * Options of {@link VectorStore.importFile}.
 *
 * @example
 * ```ts
 * await store.importFile('news.bin', { name: 'news', format: 'word2vec-binary', limit: 200_000, replace: true });
 * ```
 */
export interface ImportOptions extends WriteOptions {
  /** Name of the new model. */
  name: string;
  /** File format; detected from the content when omitted. */
  format?: VectorFormat;
  /** Import only the first `limit` rows. */
  limit?: number;
  /** Description stored with the model (algorithm defaults to `imported`). */
  meta?: ModelMeta;
  /**
   * Called for each row the reader skipped or doubted: duplicate words (the first is kept), words with
   * control or bidi characters, rows past the declared count. Their number is `warnings` in the result.
   */
  onWarning?: (warning: VectorFileWarning) => void;
  /**
   * Runs after the last row is written, inside the import's transaction, before the model becomes
   * visible: a download checks its checksum here. Throwing rolls the import back (nothing stored).
   */
  beforeCommit?: () => Promise<void>;
  signal?: AbortSignal;
}

/**
 * What {@link VectorStore.importFile} returns: the new model's description and how many warnings the
 * file gave (each one was passed to `onWarning`).
 *
 * @example
 * ```ts
 * const { vocabSize, warnings } = await store.importFile('vectors.txt', { name: 'v', onWarning: console.warn });
 * ```
 */
export interface ImportedModelInfo extends ModelInfo {
  /** Warnings the reader reported (duplicates, unsafe words, rows past the declared count). */
  warnings: number;
}

/**
 * A store of named word-vector models in one SQLite file.
 *
 * @example
 * ```ts
 * const store = VectorStore.open('wordvec.db');
 * await store.importFile('glove.6B.50d.txt', { name: 'glove-50', ann: true });
 * const model = store.model('glove-50');
 * model.mostSimilar({ positive: ['king', 'woman'], negative: ['man'], topn: 1 }); // [{ word: 'queen', … }]
 * store.close();
 * ```
 */
export class VectorStore {
  readonly path: string;
  readonly readonly: boolean;
  readonly #db: Database.Database;
  readonly #models = new Map<string, StoredModel>();
  readonly #ctx: ModelContext;
  #localWrites = 0;
  #importing = false;
  #closed = false;

  private constructor(db: Database.Database, path: string, readonly: boolean) {
    this.#db = db;
    this.path = path;
    this.readonly = readonly;
    // Asked before most reads (is the cached model still current?): prepared once, not per call.
    const dataVersion = db.prepare('PRAGMA data_version').pluck();
    this.#ctx = {
      db,
      path,
      version: () => `${dataVersion.get()}:${this.#localWrites}`,
    };
  }

  /**
   * Opens (or creates) a store.
   *
   * @param path - the database file.
   * @param options - `readonly` (never writes), `create` (default true for writable opens).
   * @throws {@link StoreError} `NOT_FOUND`, `NOT_A_STORE` (not SQLite, or another application's
   *   database), `NEWER_SCHEMA`; the file is left untouched in each case.
   * @example
   * ```ts
   * const store = VectorStore.open('wordvec.db', { readonly: true });
   * store.models().map((m) => m.name); // ['brown-cbow', 'glove-50']
   * ```
   */
  static open(path: string, options: OpenOptions = {}): VectorStore {
    const readonly = options.readonly ?? false;
    const create = options.create ?? true;
    const exists = existsSync(path);
    if (!exists && (readonly || !create)) throw new StoreError('NOT_FOUND', `no store at ${path}`);
    if (exists && statSync(path).isDirectory())
      throw new StoreError('NOT_A_STORE', `${path} is a directory, not a wordvec store`);
    let db: Database.Database;
    try {
      db = new Database(path, { readonly, fileMustExist: readonly || !create });
    } catch (err) {
      throw asStoreError(err, path);
    }
    try {
      db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 10_000}`);
      if (options.maxPageCount !== undefined) {
        if (!Number.isSafeInteger(options.maxPageCount) || options.maxPageCount < 1)
          throw new StoreError(
            'INVALID_ARGUMENT',
            `maxPageCount must be a positive integer, got ${options.maxPageCount}`,
          );
        db.pragma(`max_page_count = ${options.maxPageCount}`);
      }
      // Lets suggest() filter inside SQLite: only matching rows cross into JavaScript.
      db.function('wordvec_within2', { deterministic: true }, (a, b) =>
        boundedEditDistance(String(a), String(b), 2) <= 2 ? 1 : 0,
      );
      const version = checkStoreFile(db, path);
      if (readonly) {
        if (version === 0)
          throw new StoreError('NOT_A_STORE', `${path} is an empty database, not a wordvec store`);
        if (version < READABLE_FROM) {
          throw new StoreError(
            'NOT_SUPPORTED',
            `${path} has store schema ${version}; open it writable once to upgrade it to ${SCHEMA_VERSION}`,
          );
        }
      } else {
        migrate(db, version);
        db.pragma('journal_mode = WAL');
        // In WAL mode NORMAL keeps every commit atomic and the file consistent after a crash;
        // only the last commits before a power loss may be rolled back.
        db.pragma('synchronous = NORMAL');
        db.pragma('foreign_keys = ON');
        // An import is one transaction: a process killed mid-import leaves nothing committed. Rows
        // still marked `importing` can only come from an older writer that committed in parts.
        db.prepare("DELETE FROM models WHERE status = 'importing'").run();
      }
      return new VectorStore(db, path, readonly);
    } catch (err) {
      db.close();
      throw asStoreError(err, path);
    }
  }

  /** Every ready model, by name. */
  models(): ModelInfo[] {
    this.#open();
    const rows = this.#db
      .prepare("SELECT * FROM models WHERE status = 'ready' ORDER BY name")
      .all() as ModelRow[];
    return rows.map((row) => this.#withSubword(row));
  }

  /**
   * The model named `name`. The object is cached: later calls return the same one (with its loaded matrix).
   * @throws {@link StoreError} `UNKNOWN_MODEL`, naming the model and listing those that exist.
   */
  model(name: string): StoredModel {
    this.#open();
    const cached = this.#models.get(name);
    if (cached) {
      try {
        if (cached.info.name === name) return cached;
      } catch {
        // deleted meanwhile: fall through to the lookup, which names what exists
      }
      this.#models.delete(name);
    }
    const row = this.#row(name);
    const model = new StoredModel(this.#ctx, row);
    this.#models.set(name, model);
    return model;
  }

  /** The default model, or undefined when the store has none. */
  defaultModel(): StoredModel | undefined {
    this.#open();
    const name = this.#db
      .prepare("SELECT name FROM models WHERE is_default = 1 AND status = 'ready'")
      .pluck()
      .get() as string | undefined;
    return name === undefined ? undefined : this.model(name);
  }

  /**
   * Stores `vectors` as model `name` in one transaction: readers see either no model (or the one it
   * replaces) or the complete new one. The first model of a store becomes its default.
   *
   * @param meta - algorithm, hyper-parameters, corpus, evaluation, minCount, rareWords (a trainer's `TrainedModel` fits).
   * @param options - `replace` an existing model of that name; `ann` to build the HNSW index; `onProgress`.
   * @throws {@link StoreError} `MODEL_EXISTS` without `replace`; `INVALID_ARGUMENT` for a bad name or word.
   * @example
   * ```ts
   * const trained = await trainCbow(corpus, { seed: 1 });
   * store.putModel('brown-cbow', trained.vectors, trained, { ann: true });
   * ```
   */
  putModel(name: string, vectors: VectorsInput, meta: ModelMeta = {}, options: WriteOptions = {}): ModelInfo {
    this.#writable();
    const db = this.#db;
    const id = this.#write(() =>
      db
        .transaction(() => {
          const writer = new ModelWriter(db, name, vectors.dim, withMinCount(meta), options);
          writer.add(vectors.words, vectors.vectors, vectors.counts ?? undefined);
          return writer.finish();
        })
        .immediate(),
    );
    return this.#info(id);
  }

  /**
   * Imports a vector file (word2vec text or binary, GloVe, fastText `.vec`, optionally gzipped),
   * streaming it batch by batch into one transaction: the file is never held in memory twice.
   *
   * Rows the reader skips (duplicates, words with control or bidi characters) go to `onWarning` and are
   * counted in the result's `warnings`.
   * @throws `FormatError` from `@wordvec/embeddings` for a malformed file (nothing is written);
   *   {@link StoreError} `ABORTED` when `signal` fires, `MODEL_EXISTS` without `replace`, `SQLITE` when
   *   the disk or the store's `maxPageCount` is full (nothing is written).
   * @example
   * ```ts
   * const info = await store.importFile('glove.6B.300d.txt', { name: 'glove-300', limit: 400000, ann: true });
   * info.vocabSize; // 400000
   * ```
   */
  async importFile(from: string | VectorSource, options: ImportOptions): Promise<ImportedModelInfo> {
    this.#writable();
    const path = typeof from === 'string' ? from : from.name;
    const { name, format, limit, meta = {}, signal, onProgress, onWarning } = options;
    if (this.#importing)
      throw new StoreError('BUSY', `${this.path}: another import is running on this store object`);
    if (format === 'fasttext-bin' || (format === undefined && isFastTextFile(path)))
      return this.#importFastText(path, options);
    let warnings = 0;
    const stream = streamVectors(from, {
      format,
      limit,
      signal,
      onWarning: (warning) => {
        warnings++;
        onWarning?.(warning);
      },
    });
    const header = await stream.header();
    const db = this.#db;
    this.#importing = true;
    let id: number;
    try {
      db.exec('BEGIN IMMEDIATE');
      try {
        const writer = new ModelWriter(
          db,
          name,
          header.dim,
          { ...meta, algorithm: meta.algorithm ?? 'imported' },
          options,
        );
        for await (const batch of stream) {
          if (signal?.aborted)
            throw new StoreError('ABORTED', `import of ${path} was aborted; nothing was written`);
          writer.add(batch.words, batch.vectors);
        }
        if (signal?.aborted)
          throw new StoreError('ABORTED', `import of ${path} was aborted; nothing was written`);
        onProgress?.({ stage: 'import', done: writer.size, total: writer.size, unit: 'words' });
        await options.beforeCommit?.();
        if (signal?.aborted)
          throw new StoreError('ABORTED', `import of ${path} was aborted; nothing was written`);
        id = writer.finish();
        db.exec('COMMIT');
        this.#localWrites++;
      } catch (err) {
        if (db.inTransaction) db.exec('ROLLBACK');
        await stream.close().catch(() => undefined);
        if ((err as { code?: string }).code === 'ABORTED' && !(err instanceof StoreError)) {
          throw new StoreError('ABORTED', `import of ${path} was aborted; nothing was written`, {
            cause: err,
          });
        }
        throw err instanceof StoreError || (err as { name?: string }).name !== 'SqliteError'
          ? err
          : asStoreError(err, this.path);
      }
    } finally {
      this.#importing = false;
    }
    return { ...this.#info(id), warnings };
  }

  /**
   * A fastText `.bin`: read whole (the format has no row stream), then written in one transaction
   * with its buckets, word rows and output matrix, so it answers OOV words as fastText does and can be
   * exported as the same file.
   */
  async #importFastText(path: string, options: ImportOptions): Promise<ImportedModelInfo> {
    const { name, limit, meta = {}, signal, onProgress, onWarning } = options;
    if (signal?.aborted)
      throw new StoreError('ABORTED', `import of ${path} was aborted; nothing was written`);
    const prepared = fastTextImport(loadFastTextBin(path), path, limit, onWarning);
    if (signal?.aborted)
      throw new StoreError('ABORTED', `import of ${path} was aborted; nothing was written`);
    const db = this.#db;
    this.#importing = true;
    try {
      const id = this.#write(() =>
        db
          .transaction(() => {
            const writer = new ModelWriter(
              db,
              name,
              prepared.vectors.dim,
              {
                ...meta,
                algorithm: meta.algorithm ?? 'imported',
                hyperParameters: meta.hyperParameters ?? prepared.hyperParameters,
                minCount: meta.minCount ?? prepared.minCount,
                subwords: prepared.subwords,
              },
              options,
            );
            const { words, vectors, counts } = prepared.vectors;
            writer.add(words, vectors, counts);
            onProgress?.({ stage: 'import', done: writer.size, total: writer.size, unit: 'words' });
            return writer.finish();
          })
          .immediate(),
      );
      return { ...this.#info(id), warnings: prepared.warnings };
    } finally {
      this.#importing = false;
    }
  }

  /**
   * Stores (or replaces) the subword table of an existing model, read lazily by its out-of-vocabulary
   * estimates; `undefined` removes it. `putModel(name, kv, { subwords })` and `importFile(…, {
   * buildSubwords })` do the same in the model's own transaction.
   *
   * @throws {@link StoreError} `UNKNOWN_MODEL`; `INVALID_ARGUMENT` for a table of another dimension,
   *   non-finite values, or fastText rows of the wrong size.
   * @example
   * ```ts
   * const kv = store.model('glove').toKeyedVectors();
   * store.putSubwords('glove', { table: fitSubwordTable({ words: kv.words, dim: kv.dim, unit: kv.unitVectors() }), source: 'learned' });
   * ```
   */
  putSubwords(name: string, subwords: SubwordsToStore | undefined): SubwordInfo | undefined {
    this.#writable();
    const db = this.#db;
    return this.#write(() =>
      db
        .transaction(() => {
          const row = this.#row(name);
          if (subwords === undefined) {
            deleteSubwords(db, row.id);
            return undefined;
          }
          return writeSubwords(db, row.id, row.dim, row.vocab_size, subwords);
        })
        .immediate(),
    );
  }

  /** Deletes model `name` (its words, vectors and index). */
  deleteModel(name: string): void {
    this.#writable();
    this.#write(() =>
      this.#db
        .transaction(() => {
          const row = this.#row(name);
          this.#db.prepare('DELETE FROM models WHERE id = ?').run(row.id);
        })
        .immediate(),
    );
    this.#models.delete(name);
  }

  /** Renames model `from` to `to`. @throws `MODEL_EXISTS` when `to` is taken. */
  renameModel(from: string, to: string): void {
    this.#writable();
    if (typeof to !== 'string' || to.trim() === '' || to !== to.trim()) {
      throw new StoreError(
        'INVALID_ARGUMENT',
        `model name must be non-empty without surrounding spaces, got ${quoteForMessage(to)}`,
      );
    }
    this.#write(() =>
      this.#db
        .transaction(() => {
          const row = this.#row(from);
          if (from === to) return;
          if (this.#db.prepare("SELECT 1 FROM models WHERE name = ? AND status = 'ready'").get(to)) {
            throw new StoreError('MODEL_EXISTS', `a model named ${quoteForMessage(to)} exists already`);
          }
          this.#db.prepare('UPDATE models SET name = ? WHERE id = ?').run(to, row.id);
        })
        .immediate(),
    );
    this.#models.delete(from);
  }

  /** Makes `name` the default model (the one the bot answers from when none is named). */
  setDefault(name: string): void {
    this.#writable();
    this.#write(() =>
      this.#db
        .transaction(() => {
          const row = this.#row(name);
          this.#db.prepare('UPDATE models SET is_default = 0 WHERE is_default = 1').run();
          this.#db.prepare('UPDATE models SET is_default = 1 WHERE id = ?').run(row.id);
        })
        .immediate(),
    );
  }

  /** Stores evaluation scores with model `name` (merged over those already stored). */
  setEvaluation(name: string, scores: Record<string, unknown>): void {
    this.#writable();
    this.#write(() =>
      this.#db
        .transaction(() => {
          const row = this.#row(name);
          const merged = { ...(row.evaluation ? JSON.parse(row.evaluation) : {}), ...scores };
          this.#db
            .prepare('UPDATE models SET evaluation = ? WHERE id = ?')
            .run(JSON.stringify(merged), row.id);
        })
        .immediate(),
    );
  }

  /**
   * Stores (or replaces) the co-occurrence statistics of an existing model, for
   * `StoredModel.cooccurrence()`; `undefined` removes them. `putModel(name, kv, { cooccurrence })`
   * does the same in the model's own transaction.
   *
   * @param options - `contexts`: per word, keep its N strongest contexts by PPMI plus its N most
   *   frequent (default 32), or `'all'`.
   * @throws {@link StoreError} `UNKNOWN_MODEL`; `INVALID_ARGUMENT` for statistics without words.
   * @example
   * ```ts
   * await trainPpmiSvd(corpus, { onCooccurrenceStats: (s) => (stats = s) });
   * store.putCooccurrence('brown-ppmi', stats); // ≤ 64 contexts a word
   * ```
   */
  putCooccurrence(
    name: string,
    stats: CooccurrenceStats | undefined,
    options: { contexts?: StoredContexts } = {},
  ): CooccurrenceInfo | undefined {
    this.#writable();
    const db = this.#db;
    return this.#write(() =>
      db
        .transaction(() => {
          const row = this.#row(name);
          if (stats === undefined) {
            deleteCooccurrenceStats(db, row.id);
            return undefined;
          }
          const vocab = readPieces(db, row.id, 'vocab');
          const words = vocab ? Buffer.from(vocab).toString('utf8').split('\n') : [];
          return writeCooccurrenceStats(db, row.id, stats, words, options.contexts);
        })
        .immediate(),
    );
  }

  /** Closes the database; the store and its models can no longer be used. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#models.clear();
    this.#db.close();
  }

  #open(): void {
    if (this.#closed) throw new StoreError('CLOSED', `${this.path} was closed`);
  }

  #writable(): void {
    this.#open();
    if (this.readonly) throw new StoreError('READONLY', `${this.path} was opened read-only`);
    if (this.#importing)
      throw new StoreError('BUSY', `${this.path}: an import is running on this store object; wait for it`);
  }

  #write<T>(fn: () => T): T {
    try {
      const result = fn();
      this.#localWrites++;
      return result;
    } catch (err) {
      throw err instanceof StoreError || (err as { name?: string }).name !== 'SqliteError'
        ? err
        : asStoreError(err, this.path);
    }
  }

  #row(name: string): ModelRow {
    const row = this.#db.prepare("SELECT * FROM models WHERE name = ? AND status = 'ready'").get(name) as
      | ModelRow
      | undefined;
    if (row) return row;
    const names = this.#db
      .prepare("SELECT name FROM models WHERE status = 'ready' ORDER BY name")
      .pluck()
      .all() as string[];
    const list =
      names.length > 0
        ? `models: ${names.map((n) => quoteForMessage(n)).join(', ')}`
        : 'the store has no models';
    throw new StoreError('UNKNOWN_MODEL', `no model named ${quoteForMessage(name)} in ${this.path}; ${list}`);
  }

  #info(id: number): ModelInfo {
    return this.#withSubword(this.#db.prepare('SELECT * FROM models WHERE id = ?').get(id) as ModelRow);
  }

  #withSubword(row: ModelRow): ModelInfo {
    const info = toModelInfo(row);
    const subword = readSubwordInfo(this.#db, row.id);
    return subword ? { ...info, subword } : info;
  }
}

/** Takes `minCount` from the hyper-parameters when the caller did not give it (trainers record it there). */
function withMinCount(meta: ModelMeta): ModelMeta {
  if (meta.minCount !== undefined) return meta;
  const m = meta.hyperParameters?.minCount;
  return typeof m === 'number' ? { ...meta, minCount: m } : meta;
}
