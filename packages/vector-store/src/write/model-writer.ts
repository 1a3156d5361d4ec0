/**
 * Writes one model into the store, batch by batch, inside the caller's transaction: the model row
 * first (status `importing`), then words, float32 row blocks, norms and counts as rows arrive, and
 * finally the vocabulary, the optional ANN graph and the flip to `ready` that replaces any model of
 * the same name. Until that flip no reader can see the model; if the process dies before the commit,
 * SQLite rolls all of it back.
 */

import {
  type CooccurrenceStats,
  hasUnsafeCharacters,
  MAX_WORD_LENGTH,
  type OnProgress,
  quoteForMessage,
  type UnitRows,
} from '@wordvec/embeddings';
import type { Database, Statement } from 'better-sqlite3';
import { createGatherDots } from '../ann/gather-dots.js';
import { buildHnsw, checkHnswOptions, type HnswOptions } from '../ann/hnsw.js';
import { writeHnsw } from '../ann/hnsw-blobs.js';
import { calibrateEf, checkTargetRecall } from '../ann/hnsw-calibration.js';
import { StoreError } from '../errors.js';
import { type StoredContexts, writeCooccurrenceStats } from '../model/cooccurrence-stats.js';
import type { AnnInfo, CorpusInfo } from '../model/model-info.js';
import { type SubwordsToStore, writeSubwords } from '../model/subword-store.js';
import { bytesOf, rowsPerBlock, writePieces } from '../sqlite/chunks.js';

/**
 * What is stored about a model besides its vectors. A trainer's `TrainedModel` fits as is.
 *
 * @example
 * ```ts
 * store.putModel('tiny', kv, { algorithm: 'cbow', hyperParameters: { dim: 2 }, minCount: 1 });
 * ```
 */
export interface ModelMeta {
  /** Default `imported`. */
  algorithm?: string;
  hyperParameters?: Record<string, number | string | boolean>;
  corpus?: CorpusInfo;
  evaluation?: Record<string, unknown>;
  minCount?: number;
  /** Words seen fewer than `minCount` times, with their counts (answers "seen N times" for OOV words). */
  rareWords?: ReadonlyMap<string, number>;
  /** Default: now. */
  createdAt?: Date | string;
  /**
   * The co-occurrence statistics the model was trained from (`trainPpmiSvd`'s `onCooccurrenceStats`),
   * stored pruned (see `cooccurrenceContexts`) for `StoredModel.cooccurrence()`.
   */
  cooccurrence?: CooccurrenceStats;
  /**
   * A subword table to keep with the model (a fastText model's buckets, or one fitted to the
   * vectors), read lazily by `StoredModel` for out-of-vocabulary words.
   */
  subwords?: SubwordsToStore;
}

/**
 * Parameters of a stored HNSW graph: its build, and the recall its default beam width is measured
 * for once it is built (`ann/hnsw-calibration.ts`).
 *
 * @example
 * ```ts
 * store.putModel('glove-50', vectors, {}, { ann: { M: 16, targetRecall: 0.95 } });
 * ```
 */
export interface AnnOptions extends Omit<HnswOptions, 'onProgress'> {
  /** Recall@10 the default beam width must reach. Default 0.99; `false`: not measured (default width 64). */
  targetRecall?: number | false;
}

/**
 * Options of `putModel` and `importFile`.
 *
 * @example
 * ```ts
 * store.putModel('brown-cbow', model.vectors, model, { replace: true, ann: { M: 16 }, onProgress });
 * ```
 */
export interface WriteOptions {
  /** Replace a model of the same name (atomically for readers). Default false: a name clash throws `MODEL_EXISTS`. */
  replace?: boolean;
  /** Build and store an HNSW index for approximate search (`true` for defaults, or its parameters). */
  ann?: boolean | AnnOptions;
  onProgress?: OnProgress;
  /**
   * How much of `meta.cooccurrence` to keep: per word its N strongest contexts by PPMI plus its N
   * most frequent (default 32, so ≤ 64 pairs a word), or `'all'`.
   */
  cooccurrenceContexts?: StoredContexts;
  /**
   * Builds a subword table from the model's unit rows once every row is in (for `importFile` of a
   * word-only file), inside the import's transaction: if it throws, nothing is written.
   */
  buildSubwords?: (rows: UnitRows) => SubwordsToStore;
}

/** Growable typed array (doubling). */
class Grow<T extends Float32Array | Float64Array> {
  length = 0;
  constructor(
    public data: T,
    private readonly make: (n: number) => T,
  ) {}
  reserve(extra: number): void {
    if (this.length + extra <= this.data.length) return;
    const next = this.make(Math.max(this.length + extra, this.data.length * 2));
    next.set(this.data.subarray(0, this.length) as never);
    this.data = next;
  }
  view(): T {
    return this.data.subarray(0, this.length) as T;
  }
}

/**
 * Why `word` cannot be stored. Words are non-empty, at most `MAX_WORD_LENGTH` UTF-16 units, and free of
 * control, bidi and invisible format characters (`hasUnsafeCharacters`): every reader of the store (CLI,
 * bot) can then show them without escaping surprises, and the vocabulary's newline-joined list stays sound.
 */
function badWord(word: unknown): string {
  if (typeof word !== 'string') return `invalid word ${String(word)}: words must be strings`;
  if (word === '') return 'invalid word "": words must be non-empty';
  if (word.length > MAX_WORD_LENGTH)
    return `invalid word ${quoteForMessage(word)}: longer than the maximum of ${MAX_WORD_LENGTH} characters`;
  return `invalid word ${quoteForMessage(word)}: contains control/format characters (newline, ESC, NUL, bidi controls, zero-width space, BOM …)`;
}

export class ModelWriter {
  readonly #db: Database;
  readonly #name: string;
  readonly #dim: number;
  readonly #meta: ModelMeta;
  readonly #options: WriteOptions;
  readonly #blockRows: number;
  readonly #block: Float32Array;
  readonly #insertWord: Statement;
  readonly #insertChunk: Statement;
  readonly #seen = new Set<string>();
  readonly #words: string[] = [];
  readonly #norms = new Grow(new Float32Array(1024), (n) => new Float32Array(n));
  readonly #counts = new Grow(new Float64Array(1024), (n) => new Float64Array(n));
  readonly #unit: Grow<Float32Array> | undefined;
  #hasCounts: boolean | undefined;
  #inBlock = 0;
  #blockSeq = 0;
  readonly id: number;

  constructor(db: Database, name: string, dim: number, meta: ModelMeta, options: WriteOptions) {
    if (typeof name !== 'string' || name.trim() === '' || name !== name.trim()) {
      throw new StoreError(
        'INVALID_ARGUMENT',
        `model name must be non-empty without surrounding spaces, got ${quoteForMessage(name)}`,
      );
    }
    if (!Number.isInteger(dim) || dim <= 0)
      throw new StoreError('INVALID_ARGUMENT', `dimension must be a positive integer, got ${dim}`);
    this.#db = db;
    this.#name = name;
    this.#dim = dim;
    this.#meta = meta;
    this.#options = options;
    this.#blockRows = rowsPerBlock(dim);
    this.#block = new Float32Array(this.#blockRows * dim);
    if (typeof options.ann === 'object') {
      // Refused now, not after the whole file has been read.
      checkHnswOptions(options.ann);
      if (options.ann.targetRecall !== false) checkTargetRecall(options.ann.targetRecall);
    }
    if (options.ann || options.buildSubwords)
      this.#unit = new Grow(new Float32Array(1024 * dim), (n) => new Float32Array(n));
    const existing = db.prepare("SELECT id FROM models WHERE name = ? AND status = 'ready'").get(name);
    if (existing && !options.replace) {
      throw new StoreError(
        'MODEL_EXISTS',
        `a model named ${quoteForMessage(name)} exists already; pass replace to overwrite it`,
      );
    }
    const createdAt =
      meta.createdAt === undefined ? new Date().toISOString() : new Date(meta.createdAt).toISOString();
    this.id = Number(
      db
        .prepare(
          `INSERT INTO models (name, status, dim, vocab_size, algorithm, hyper_parameters, corpus, evaluation, min_count,
             created_at, is_default, block_rows, has_counts)
           VALUES (?, 'importing', ?, 0, ?, ?, ?, ?, ?, ?, 0, ?, 0)`,
        )
        .run(
          name,
          dim,
          meta.algorithm ?? 'imported',
          JSON.stringify(meta.hyperParameters ?? {}),
          meta.corpus ? JSON.stringify(meta.corpus) : null,
          meta.evaluation ? JSON.stringify(meta.evaluation) : null,
          meta.minCount ?? null,
          createdAt,
          this.#blockRows,
        ).lastInsertRowid,
    );
    this.#insertWord = db.prepare(
      'INSERT INTO words (model_id, idx, word, folded, length, count, rank, norm) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.#insertChunk = db.prepare("INSERT INTO chunks (model_id, kind, seq, data) VALUES (?, 'f32', ?, ?)");
  }

  /** Rows written so far. */
  get size(): number {
    return this.#words.length;
  }

  /**
   * Appends rows: `words[i]` has vector `vectors[i·dim … i·dim+dim)` and corpus count `counts?.[i]`.
   * Either every batch has counts or none does.
   */
  add(words: readonly string[], vectors: Float32Array, counts?: ArrayLike<number>): void {
    const dim = this.#dim;
    if (vectors.length !== words.length * dim) {
      throw new StoreError(
        'INVALID_ARGUMENT',
        `batch of ${words.length} words has ${vectors.length} values, expected ${words.length} × ${dim}`,
      );
    }
    const withCounts = counts !== undefined;
    if (this.#hasCounts === undefined) this.#hasCounts = withCounts;
    else if (this.#hasCounts !== withCounts)
      throw new StoreError('INVALID_ARGUMENT', 'counts given for some batches only');
    this.#norms.reserve(words.length);
    if (withCounts) this.#counts.reserve(words.length);
    this.#unit?.reserve(words.length * dim);
    for (let r = 0; r < words.length; r++) {
      const word = words[r];
      if (
        typeof word !== 'string' ||
        word === '' ||
        word.length > MAX_WORD_LENGTH ||
        hasUnsafeCharacters(word)
      )
        throw new StoreError('INVALID_ARGUMENT', badWord(word));
      if (this.#seen.has(word))
        throw new StoreError('INVALID_ARGUMENT', `duplicate word ${quoteForMessage(word)}`);
      this.#seen.add(word);
      const idx = this.#words.length;
      this.#words.push(word);
      const src = r * dim;
      let ss = 0;
      for (let d = 0; d < dim; d++) ss += vectors[src + d] * vectors[src + d];
      // A float32 norm and a float32 quotient: numpy's `vectors / norms` in gensim, and KeyedVectors'
      // unit rows, to the last bit (multiplying by a float64 1/norm differed in the last place).
      const norm = Math.fround(Math.sqrt(ss));
      if (!Number.isFinite(norm))
        throw new StoreError('INVALID_ARGUMENT', `vector of ${quoteForMessage(word)} has a non-finite value`);
      this.#norms.data[this.#norms.length++] = norm;
      // Rows are stored unit-length (zero stays zero), so loading is a plain copy and every
      // similarity query reads them as they are; the norms give the raw vectors back.
      const dst = this.#inBlock * dim;
      if (norm > 0) for (let d = 0; d < dim; d++) this.#block[dst + d] = vectors[src + d] / norm;
      else this.#block.fill(0, dst, dst + dim);
      if (this.#unit) {
        this.#unit.data.set(this.#block.subarray(dst, dst + dim), this.#unit.length);
        this.#unit.length += dim;
      }
      const count = withCounts ? Number(counts[r]) : null;
      if (count !== null) this.#counts.data[this.#counts.length++] = count;
      this.#insertWord.run(this.id, idx, word, word.toLowerCase(), word.length, count, idx + 1, norm);
      if (++this.#inBlock === this.#blockRows) this.#flushBlock();
    }
    this.#options.onProgress?.({ stage: 'import', done: this.#words.length, unit: 'words' });
  }

  #flushBlock(): void {
    if (this.#inBlock === 0) return;
    this.#insertChunk.run(
      this.id,
      this.#blockSeq++,
      bytesOf(this.#block.subarray(0, this.#inBlock * this.#dim)),
    );
    this.#inBlock = 0;
  }

  /**
   * Writes what depends on all rows and makes the model visible: ranks, vocabulary, norms, counts,
   * rare words, the ANN graph, then deletes any ready model of the same name and flips this one to
   * `ready`. Must run inside the same transaction as everything before it.
   */
  finish(): number {
    const db = this.#db;
    const n = this.#words.length;
    if (n === 0)
      throw new StoreError('INVALID_ARGUMENT', `model ${quoteForMessage(this.#name)} has no words`);
    this.#flushBlock();
    const counts = this.#hasCounts ? this.#counts.view() : undefined;
    if (counts) this.#writeRanks(counts);
    writePieces(db, this.id, 'vocab', Buffer.from(this.#words.join('\n'), 'utf8'));
    writePieces(db, this.id, 'norms', bytesOf(this.#norms.view()));
    if (counts) writePieces(db, this.id, 'counts', bytesOf(counts));
    if (this.#meta.rareWords && this.#meta.rareWords.size > 0) {
      const insert = db.prepare('INSERT OR REPLACE INTO rare_words (model_id, word, count) VALUES (?, ?, ?)');
      for (const [word, count] of this.#meta.rareWords) insert.run(this.id, word, count);
    }
    if (this.#meta.cooccurrence) {
      writeCooccurrenceStats(
        db,
        this.id,
        this.#meta.cooccurrence,
        this.#words,
        this.#options.cooccurrenceContexts,
      );
    }
    const subwords =
      this.#meta.subwords ??
      (this.#unit &&
        this.#options.buildSubwords?.({ words: this.#words, dim: this.#dim, unit: this.#unit.view() }));
    if (subwords) writeSubwords(db, this.id, this.#dim, n, subwords);
    let ann: AnnInfo | null = null;
    if (this.#unit && this.#options.ann) {
      const { targetRecall, ...params } = typeof this.#options.ann === 'object' ? this.#options.ann : {};
      const onProgress = this.#options.onProgress;
      const unit = this.#unit.view();
      // One copy of the matrix in the kernel's memory serves the build and the calibration.
      const gather = createGatherDots(unit, this.#dim, params.kernel);
      const index = buildHnsw(
        unit,
        this.#dim,
        {
          ...params,
          onProgress: onProgress
            ? (done, total) => onProgress({ stage: 'ann', done, total, unit: 'words' })
            : undefined,
        },
        gather,
      );
      ann = { kind: 'hnsw', M: index.M, efConstruction: index.efConstruction, seed: index.seed };
      if (targetRecall !== false) {
        ann.calibration = calibrateEf(index, gather, {
          targetRecall,
          seed: index.seed,
          onProgress: onProgress
            ? (done, total) => onProgress({ stage: 'ann-recall', done, total, unit: 'queries' })
            : undefined,
        });
      }
      writeHnsw(db, this.id, index);
    }
    const old = db
      .prepare("SELECT id, is_default FROM models WHERE name = ? AND status = 'ready'")
      .get(this.#name) as { id: number; is_default: number } | undefined;
    if (old) db.prepare('DELETE FROM models WHERE id = ?').run(old.id);
    const hasDefault =
      db.prepare("SELECT 1 FROM models WHERE is_default = 1 AND status = 'ready'").get() !== undefined;
    db.prepare(
      `UPDATE models SET status = 'ready', vocab_size = ?, has_counts = ?, ann = ?, is_default = ? WHERE id = ?`,
    ).run(
      n,
      counts ? 1 : 0,
      ann ? JSON.stringify(ann) : null,
      old?.is_default === 1 || !hasDefault ? 1 : 0,
      this.id,
    );
    return this.id;
  }

  /** Rank = 1-based position by count descending (ties keep row order); only rewritten when rows are not already in that order. */
  #writeRanks(counts: Float64Array): void {
    let sorted = true;
    for (let i = 1; i < counts.length && sorted; i++) if (counts[i] > counts[i - 1]) sorted = false;
    if (sorted) return;
    const order = Array.from(counts.keys()).sort((a, b) => counts[b] - counts[a] || a - b);
    const update = this.#db.prepare('UPDATE words SET rank = ? WHERE model_id = ? AND idx = ?');
    for (let r = 0; r < order.length; r++) update.run(r + 1, this.id, order[r]);
  }
}
