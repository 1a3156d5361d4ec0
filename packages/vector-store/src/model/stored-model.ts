/**
 * One model of a store. Single-word look-ups (`has`, `get`, `count`, `rank`, `complete`, `suggest`)
 * are answered by SQLite through indexed queries, without loading the matrix; similarity queries
 * are gensim's, written once in the embeddings layer's {@link WordQueries}, over this model's rows
 * (model/stored-rows.ts). The first neighbour query (or `load()`) reads the matrix once, with a few
 * large sequential reads, and keeps it.
 */

import {
  type CooccurrenceStats,
  type FastTextModel,
  fastTextModelFromParts,
  fastTextModelFromVectors,
  KeyedVectors,
  type MagnitudeEstimator,
  OovError,
  type RowSource,
  type SubwordEstimator,
  WordQueries,
} from '@wordvec/embeddings';
import { meanRow } from '@wordvec/embeddings/kernels';
import { StoreError } from '../errors.js';
import { float32From, float64From, readPieces } from '../sqlite/chunks.js';
import { type CooccurrenceInfo, cooccurrenceInfo, readCooccurrenceStats } from './cooccurrence-stats.js';
import { readMagnitude } from './magnitude-store.js';
import { type ModelInfo, type ModelRow, toModelInfo } from './model-info.js';
import { type LoadOptions, type ModelContext, ModelState } from './model-state.js';
import { Spellings } from './spellings.js';
import { ModelStatements, type WordRow } from './statements.js';
import { type StoredQueryOptions, StoredRows } from './stored-rows.js';
import { readFastTextRows, readSubwordInfo, StoredSubwordTable, type SubwordInfo } from './subword-store.js';

export type { LoadOptions, ModelContext } from './model-state.js';
export type { StoredQueryOptions } from './stored-rows.js';

/** Upper bound of a prefix range: every string that starts with `p` sorts below it (U+10FFFF is the largest code point). */
const prefixEnd = (p: string) => `${p}\u{10FFFF}`;

/**
 * A stored model. Obtain it with `store.model(name)` or `store.defaultModel()`. Its similarity
 * queries (`mostSimilar`, `mostSimilarCosmul`, `analogy`, `similarity`, `doesntMatch`, …) are
 * `KeyedVectors`' own, and neighbour queries also take {@link StoredQueryOptions}.
 *
 * @example
 * ```ts
 * const model = store.model('brown-cbow');
 * model.has('king');                                 // from SQLite, matrix not loaded
 * model.complete('kin', 5);                          // ['king', 'kind', 'kingdom', …]
 * model.mostSimilar({ positive: ['king'], topn: 3 }); // loads the matrix once, then answers
 * ```
 */
export class StoredModel extends WordQueries<StoredQueryOptions> {
  readonly #state: ModelState;
  readonly #sql: ModelStatements;
  readonly #rows: StoredRows;
  /** The mean unit row of the model version it was computed for (the `mean` UNK policy). */
  #mean: { id: number; vector: Float32Array } | undefined;
  /** The co-occurrence statistics, read again only after a write to the store (by any process). */
  #cooccurrence: { version: string; stats: CooccurrenceStats | undefined } | undefined;
  /**
   * The subword model's description and reader (a table read piece by piece, or a Magnitude index
   * read on the first estimate), made again only after a write to the store (by any process).
   */
  #subwords:
    | {
        version: string;
        id: number;
        info: SubwordInfo | undefined;
        table: StoredSubwordTable | undefined;
        magnitude?: MagnitudeEstimator;
      }
    | undefined;

  /** @internal Built by `VectorStore`. */
  constructor(ctx: ModelContext, row: ModelRow) {
    super();
    this.#sql = new ModelStatements(ctx.db);
    this.#state = new ModelState(ctx, this.#sql, row);
    this.#rows = new StoredRows(this.#state, this.#sql);
  }

  /** The rows every similarity query runs on, after checking that this model is still the current one. */
  protected rowSource(): RowSource<StoredQueryOptions> {
    this.#state.refresh();
    return this.#rows;
  }

  /** The mean of the unit rows (the `mean` UNK policy of `resolve`), from the float32 matrix, once per model version. */
  protected override meanUnitVector(): Float32Array {
    const { id, dim, vocab_size: n, name } = this.#state.row;
    if (this.#mean?.id !== id) {
      const m = this.#state.loadedAsIs().scorer?.matrix;
      if (!m)
        throw new StoreError(
          'NOT_SUPPORTED',
          `the mean vector needs the float32 matrix; model ${JSON.stringify(name)} is loaded as int8`,
        );
      this.#mean = { id, vector: meanRow(m, n, dim) };
    }
    return this.#mean.vector;
  }

  /**
   * The model's own subword model, for the OOV pipeline's `subword` step: its table (read lazily,
   * piece by piece), or its Magnitude index (read whole on the first estimate, then kept), which
   * looks up words and unit rows in the store by row, as `KeyedVectors` with the same estimator does
   * in memory.
   */
  protected override subwordEstimator(): SubwordEstimator | undefined {
    const table = this.subwords();
    const current = this.#subwords;
    if (table || !current?.info || current.info.source !== 'magnitude') return table;
    if (!current.magnitude) {
      const { info, id } = current;
      const { db } = this.#state.ctx;
      current.magnitude = db.transaction(() => {
        // The candidates' spellings come from memory: the stored vocabulary, one string (a range scan of
        // the words table where the vocabulary does not match the model's rows).
        const spellings =
          Spellings.fromVocab(readPieces(db, id, 'vocab'), this.#state.row.vocab_size) ??
          Spellings.read(db, id, info.magnitude!.words);
        return readMagnitude(
          db,
          id,
          { minn: info.minn, maxn: info.maxn, magnitude: info.magnitude! },
          {
            size: this.#state.row.vocab_size,
            dim: this.#state.row.dim,
            wordsAt: (rows) => spellings.wordsAt(rows),
            unitRow: (row) => this.#rows.unitRow(row),
          },
        );
      })();
    }
    return current.magnitude;
  }

  /** Whether the model has a stored subword model (table or Magnitude index), without reading it. */
  override hasSubwordModel(): boolean {
    return this.subwordInfo() !== undefined;
  }

  /** The model's description (refreshed when another process changes it). */
  get info(): ModelInfo {
    this.#state.refresh();
    const info = toModelInfo(this.#state.row);
    const subword = this.subwordInfo();
    return subword ? { ...info, subword } : info;
  }

  /**
   * The model's stored subword table (a fastText model's buckets, or a learned table fitted by
   * `oov-index --oov-method learned`), or undefined (also for a Magnitude index, which has no table:
   * see {@link StoredModel.subwordInfo}). Nothing is read until a word needs it: each estimate reads
   * only the pieces holding its n-grams' rows (`bytesRead` counts them).
   *
   * @example
   * ```ts
   * store.model('cc-en').subwords()?.explain('pizzaiolo'); // { vector, pieces: ['<pi', …] }
   * store.model('cc-en').resolve('pizzaiolo', { subword: true }).resolution.how; // 'subword'
   * ```
   */
  subwords(): StoredSubwordTable | undefined {
    const { db } = this.#state.ctx;
    const version = this.#state.ctx.version();
    if (this.#subwords?.version !== version) {
      this.#subwords = db.transaction(() => {
        this.#state.refresh();
        const id = this.#state.row.id;
        const info = readSubwordInfo(db, id);
        const table = info && info.source !== 'magnitude' ? new StoredSubwordTable(db, id, info) : undefined;
        return { version, id, info, table };
      })();
    }
    return this.#subwords.table;
  }

  /** What is stored about the subword model (table or Magnitude index; without reading it), or undefined when there is none. */
  subwordInfo(): SubwordInfo | undefined {
    this.subwords();
    return this.#subwords?.info;
  }

  /**
   * The model as a fastText model, for `saveFastTextBin`: a fastText model imported from a `.bin`
   * comes back with its own word rows, buckets, output matrix and arguments (the same file again);
   * any other model through `fastTextModelFromVectors` (its learned table if it has one, else no
   * n-grams; a zero output matrix). Reads the whole model and table.
   *
   * @example
   * ```ts
   * saveFastTextBin(store.model('cc-en').toFastTextModel(), 'cc-en.bin');
   * ```
   */
  toFastTextModel(): FastTextModel {
    const { db } = this.#state.ctx;
    return db.transaction(() => {
      const kv = this.toKeyedVectors();
      const stored = this.subwords();
      if (!stored) return fastTextModelFromVectors(kv);
      const table = stored.readAll();
      const ft = stored.info.fastText;
      if (!ft) return fastTextModelFromVectors(kv, table);
      const { id, dim, vocab_size: n } = this.#state.row;
      const { wordRows, output } = readFastTextRows(db, id, n, dim, ft.hasOutput);
      return fastTextModelFromParts({
        args: ft.args,
        version: ft.version,
        words: [...kv.words],
        counts: kv.counts,
        wordRows,
        ngrams: table.rows,
        output,
        ntokens: ft.ntokens,
      });
    })();
  }

  get name(): string {
    return this.#state.row.name;
  }

  get dim(): number {
    return this.#state.row.dim;
  }

  /** Number of words. */
  get size(): number {
    return this.#state.row.vocab_size;
  }

  /** Whether the matrix is in memory. */
  get isLoaded(): boolean {
    this.#state.refresh();
    return this.#state.current !== undefined;
  }

  /** `float32` or `int8`: how the matrix is (or will be) held. */
  get precision(): 'float32' | 'int8' {
    return this.#state.precision;
  }

  /**
   * Loads the matrix now instead of on the first similarity query (e.g. at bot start-up).
   * Resolves when it is in memory; a no-op when already loaded with the same precision.
   *
   * @example
   * ```ts
   * await store.model('glove').load({ precision: 'int8' }); // ~4× less memory, re-ranked answers
   * ```
   */
  async load(options: LoadOptions = {}): Promise<void> {
    this.loadSync(options);
  }

  /** Synchronous {@link StoredModel.load}. */
  loadSync(options: LoadOptions = {}): void {
    this.#state.load(options);
  }

  /** Drops the matrix (and the co-occurrence statistics) from memory; look-ups keep working from SQLite. */
  unload(): void {
    this.#state.unload();
    this.#cooccurrence = undefined;
  }

  /**
   * The co-occurrence statistics the model was trained from, when stored with it (PPMI-SVD models
   * trained by the CLI), else undefined. Read from SQLite on the first call and kept.
   *
   * @example
   * ```ts
   * const stats = store.model('brown-ppmi').cooccurrence();
   * stats?.ratio('new', 'york'); // 60.3: co-occur 60× more often than chance
   * ```
   */
  cooccurrence(): CooccurrenceStats | undefined {
    const { ctx } = this.#state;
    const version = ctx.version();
    if (this.#cooccurrence?.version !== version) {
      const db = ctx.db;
      // One read transaction: the model row and every piece come from the same snapshot.
      const stats = db.transaction(() => {
        this.#state.refresh();
        const modelId = this.#state.row.id;
        return readCooccurrenceStats(db, modelId, () => {
          const vocab = readPieces(db, modelId, 'vocab');
          return vocab ? Buffer.from(vocab).toString('utf8').split('\n') : [];
        });
      })();
      this.#cooccurrence = { version, stats };
    }
    return this.#cooccurrence.stats;
  }

  /** Sizes of the stored co-occurrence statistics (without reading them), or undefined when there are none. */
  cooccurrenceInfo(): CooccurrenceInfo | undefined {
    this.#state.refresh();
    return cooccurrenceInfo(this.#state.ctx.db, this.#state.row.id);
  }

  /** Whether `word` is in the vocabulary (exact, case-sensitive). */
  has(word: string): boolean {
    this.#state.refresh();
    return this.#sql.word(this.#state.row.id, word) !== undefined;
  }

  /**
   * The vector of `word` as it was stored (a new array). Read from SQLite when the matrix is not loaded.
   * @throws OovError when absent.
   */
  get(word: string): Float32Array {
    // One read transaction: the unit row and its norm come from the same version of the model.
    return this.#state.ctx.db.transaction(() => {
      const w = this.#word(word);
      const unit = this.#rows.unitRow(w.idx);
      const out = new Float32Array(unit.length);
      for (let d = 0; d < out.length; d++) out[d] = unit[d] * w.norm;
      return out;
    })();
  }

  /**
   * Corpus count of `word`: its vocabulary count, or for a word left out below min-count the
   * count seen in the corpus, or 0 when never seen (or when the model stores no counts).
   */
  count(word: string): number {
    this.#state.refresh();
    const w = this.#sql.word(this.#state.row.id, word);
    if (w) return w.count ?? 0;
    return this.rareCount(word);
  }

  /** How often a word below min-count was seen in the corpus (0 when it was not recorded). */
  rareCount(word: string): number {
    this.#state.refresh();
    return this.#sql.rareCount(this.#state.row.id, word) ?? 0;
  }

  /**
   * `rank(word)`: 1-based frequency rank of `word` (row order when the model stores no counts).
   * `rank(a, b)`: gensim's `rank(key1, key2)`, the position of `b` among `a`'s neighbours.
   * @throws OovError when absent.
   */
  override rank(word: string): number;
  override rank(a: string, b: string): number;
  override rank(a: string, b?: string): number {
    if (b !== undefined) return super.rank(a, b);
    return this.#word(a).rank;
  }

  /**
   * Up to `limit` words starting with `prefix` (case-insensitive), most frequent first: for autocomplete.
   *
   * @example
   * ```ts
   * model.complete('Lon', 3); // ['london', 'long', 'longer']
   * ```
   */
  complete(prefix: string, limit = 10): string[] {
    this.#state.refresh();
    const p = prefix.toLowerCase();
    return this.#sql.complete(this.#state.row.id, p, prefixEnd(p), Math.max(0, Math.floor(limit)));
  }

  /**
   * Up to `limit` vocabulary words within edit distance 2 of `word` (case-insensitive; a swap of
   * neighbouring letters counts as one edit), most frequent first; `word` itself is never suggested.
   *
   * @example
   * ```ts
   * model.suggest('recieve', 3); // ['receive', 'relieve']
   * ```
   */
  suggest(word: string, limit = 5): string[] {
    this.#state.refresh();
    const target = word.toLowerCase();
    if (limit <= 0 || target === '') return [];
    const n = target.length;
    return this.#sql.suggest(this.#state.row.id, n - 2, n + 2, word, target, Math.floor(limit));
  }

  /**
   * The whole model as a plain {@link KeyedVectors} with raw vectors (unit row × stored norm) and
   * counts: for export and evaluation. Read from SQLite in one transaction whatever is loaded, so it
   * costs as much memory again as the float32 matrix.
   *
   * @example
   * ```ts
   * await saveVectors(store.model('glove').toKeyedVectors(), 'glove.txt', { format: 'glove' });
   * ```
   */
  toKeyedVectors(): KeyedVectors {
    const { db, path } = this.#state.ctx;
    return db.transaction(() => {
      this.#state.refresh();
      const row = this.#state.row;
      const { id, dim, vocab_size: n } = row;
      const vocab = readPieces(db, id, 'vocab');
      const normBytes = readPieces(db, id, 'norms');
      if (!vocab || !normBytes)
        throw new StoreError('SQLITE', `${path}: model ${JSON.stringify(row.name)} has no vocabulary chunk`);
      const countBytes = row.has_counts ? readPieces(db, id, 'counts') : undefined;
      const words = Buffer.from(vocab.buffer, vocab.byteOffset, vocab.byteLength)
        .toString('utf8')
        .split('\n');
      const norms = float32From(normBytes);
      const vectors = new Float32Array(n * dim);
      readPieces(db, id, 'f32', new Uint8Array(vectors.buffer));
      for (let i = 0, d = 0; i < n; i++) for (const end = d + dim; d < end; d++) vectors[d] *= norms[i];
      return new KeyedVectors({
        words,
        vectors,
        dim,
        counts: countBytes ? float64From(countBytes) : undefined,
      });
    })();
  }

  /** The `words` row of `word`; a miss re-checks that the model was not replaced meanwhile. */
  #word(word: string): WordRow {
    const state = this.#state;
    state.refresh();
    let w = this.#sql.word(state.row.id, word);
    if (!w && state.replacedMeanwhile()) w = this.#sql.word(state.row.id, word);
    if (!w) throw new OovError([word]);
    return w;
  }
}
