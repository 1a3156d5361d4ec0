/**
 * One model of a store. Single-word look-ups (`has`, `get`, `count`, `rank`, `complete`, `suggest`)
 * are answered by SQLite through indexed queries, without loading the matrix; the first similarity
 * query (or `load()`) reads the matrix once, with a few large sequential reads, and keeps it.
 */

import {
  type AnalogyOptions,
  type CooccurrenceStats,
  createRowScorer,
  type DoesntMatchOptions,
  KeyedVectors,
  type RowScorer as MatrixScorer,
  type MostSimilarOptions,
  type NeighbourOptions,
  OovError,
  type QueryItem,
  type Similar,
  selectTopK,
} from '@wordvec/embeddings';
import type { Database, Statement } from 'better-sqlite3';
import { floatScorer, type HnswIndex, type QueryScorer, searchHnsw } from '../ann/hnsw.js';
import { createInt8Matrix, type Int8Matrix, int8Scorer, quantizeRows } from '../ann/int8-matrix.js';
import { ScoreHeap } from '../ann/score-heap.js';
import { StoreError } from '../errors.js';
import { float32From, float64From, readPieces } from '../sqlite/chunks.js';
import { type CooccurrenceInfo, cooccurrenceInfo, readCooccurrenceStats } from './cooccurrence-stats.js';
import { type ModelInfo, type ModelRow, toModelInfo } from './model-info.js';

/** How the matrix is held in memory. */
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
}

/** Extra options of {@link StoredModel.mostSimilar}. */
export interface StoredQueryOptions {
  /** Skip the ANN index and scan every row. Default false. */
  exact?: boolean;
  /** Beam width of the ANN search (higher: better recall, slower). Default 64. */
  ef?: number;
}

/** What the store hands to each {@link StoredModel}. */
export interface ModelContext {
  db: Database;
  path: string;
  /** Changes whenever this process or another commits to the store. */
  version(): string;
}

interface Loaded {
  /** The unit matrix, inside the embeddings layer's row-scoring kernel (WebAssembly SIMD where available). */
  scorer?: MatrixScorer;
  /** Built on first use of a query this class does not answer itself (see {@link StoredModel.mostSimilarCosmul}). */
  kv?: KeyedVectors;
  int8?: Int8Matrix;
  hnsw?: HnswIndex;
  /** The model has a graph that is used but not read yet (it is read on the first query that walks it). */
  hnswPending?: boolean;
}

const DEFAULT_EF = 64;

/** Upper bound of a prefix range: every string that starts with `p` sorts below it (U+10FFFF is the largest code point). */
const prefixEnd = (p: string) => `${p}\u{10FFFF}`;

/**
 * A stored model. Obtain it with `store.model(name)` or `store.defaultModel()`.
 *
 * @example
 * ```ts
 * const model = store.model('brown-cbow');
 * model.has('king');                                 // from SQLite, matrix not loaded
 * model.complete('kin', 5);                          // ['king', 'kind', 'kingdom', …]
 * model.mostSimilar({ positive: ['king'], topn: 3 }); // loads the matrix once, then answers
 * ```
 */
export class StoredModel {
  readonly #ctx: ModelContext;
  #row: ModelRow;
  #version: string;
  #loaded: Loaded | undefined;
  #precision: 'float32' | 'int8' = 'float32';
  #withAnn = true;
  /** The co-occurrence statistics, read again only after a write to the store (by any process). */
  #cooccurrence: { version: string; stats: CooccurrenceStats | undefined } | undefined;
  readonly #stmts: Record<string, Statement>;

  /** @internal Built by `VectorStore`. */
  constructor(ctx: ModelContext, row: ModelRow) {
    this.#ctx = ctx;
    this.#row = row;
    this.#version = ctx.version();
    const db = ctx.db;
    this.#stmts = {
      word: db.prepare('SELECT idx, count, rank, norm FROM words WHERE model_id = ? AND word = ?'),
      row: db
        .prepare("SELECT substr(data, ?, ?) FROM chunks WHERE model_id = ? AND kind = 'f32' AND seq = ?")
        .pluck(),
      rare: db.prepare('SELECT count FROM rare_words WHERE model_id = ? AND word = ?').pluck(),
      complete: db
        .prepare(
          'SELECT word FROM words WHERE model_id = ? AND folded >= ? AND folded < ? ORDER BY rank LIMIT ?',
        )
        .pluck(),
      suggest: db
        .prepare(
          `SELECT word FROM words WHERE model_id = ? AND length BETWEEN ? AND ? AND word != ?
             AND wordvec_within2(?, folded) ORDER BY rank LIMIT ?`,
        )
        .pluck(),
      wordAt: db.prepare('SELECT word FROM words WHERE model_id = ? AND idx = ?').pluck(),
      // Covered by the words_word index (a WITHOUT ROWID index holds the key idx): one B-tree descent.
      idxOf: db.prepare('SELECT idx FROM words WHERE model_id = ? AND word = ?').pluck(),
      byId: db.prepare("SELECT * FROM models WHERE id = ? AND status = 'ready'"),
      byName: db.prepare("SELECT * FROM models WHERE name = ? AND status = 'ready'"),
    };
  }

  /** The model's description (refreshed when another process changes it). */
  get info(): ModelInfo {
    this.#refresh();
    return toModelInfo(this.#row);
  }

  get name(): string {
    return this.#row.name;
  }

  get dim(): number {
    return this.#row.dim;
  }

  /** Number of words. */
  get size(): number {
    return this.#row.vocab_size;
  }

  /** Whether the matrix is in memory. */
  get isLoaded(): boolean {
    this.#refresh();
    return this.#loaded !== undefined;
  }

  /** `float32` or `int8`: how the matrix is (or will be) held. */
  get precision(): 'float32' | 'int8' {
    return this.#precision;
  }

  /**
   * Loads the matrix now instead of on the first similarity query (e.g. at bot start-up).
   * Resolves when it is in memory; a no-op when already loaded with the same precision.
   */
  async load(options: LoadOptions = {}): Promise<void> {
    this.loadSync(options);
  }

  /** Synchronous {@link StoredModel.load}. */
  loadSync(options: LoadOptions = {}): void {
    // One read transaction: the row and every chunk come from the same snapshot, even while
    // another process replaces or deletes models.
    this.#ctx.db.transaction(() => {
      this.#refresh();
      const precision = options.precision ?? this.#precision;
      const ann = options.ann ?? this.#withAnn;
      if (this.#loaded && precision === this.#precision && ann === this.#withAnn) {
        if (options.ann === true) this.#readGraph(this.#loaded);
        return;
      }
      this.#precision = precision;
      this.#withAnn = ann;
      this.#loaded = undefined;
      this.#loaded = this.#readMatrix(options.ann === true);
    })();
  }

  /** Drops the matrix (and the co-occurrence statistics) from memory; look-ups keep working from SQLite. */
  unload(): void {
    this.#loaded = undefined;
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
    const version = this.#ctx.version();
    if (this.#cooccurrence?.version !== version) {
      const db = this.#ctx.db;
      // One read transaction: the model row and every piece come from the same snapshot.
      const stats = db.transaction(() => {
        this.#refresh();
        const modelId = this.#row.id;
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
    this.#refresh();
    return cooccurrenceInfo(this.#ctx.db, this.#row.id);
  }

  /** Whether `word` is in the vocabulary (exact, case-sensitive). */
  has(word: string): boolean {
    this.#refresh();
    return this.#stmts.word.get(this.#row.id, word) !== undefined;
  }

  /**
   * The vector of `word` as it was stored (a new array). Read from SQLite when the matrix is not loaded.
   * @throws OovError when absent.
   */
  get(word: string): Float32Array {
    // One read transaction: the unit row and its norm come from the same version of the model.
    return this.#ctx.db.transaction(() => {
      const unit = this.#unitRow(word);
      const norm = this.#word(word).norm;
      const out = new Float32Array(unit.length);
      for (let d = 0; d < out.length; d++) out[d] = unit[d] * norm;
      return out;
    })();
  }

  /**
   * Corpus count of `word`: its vocabulary count, or for a word left out below min-count the
   * count seen in the corpus, or 0 when never seen (or when the model stores no counts).
   */
  count(word: string): number {
    this.#refresh();
    const w = this.#stmts.word.get(this.#row.id, word) as { count: number | null } | undefined;
    if (w) return w.count ?? 0;
    return this.rareCount(word);
  }

  /** How often a word below min-count was seen in the corpus (0 when it was not recorded). */
  rareCount(word: string): number {
    this.#refresh();
    return (this.#stmts.rare.get(this.#row.id, word) as number | undefined) ?? 0;
  }

  /**
   * `rank(word)`: 1-based frequency rank of `word` (row order when the model stores no counts).
   * `rank(a, b)`: gensim's `rank(key1, key2)`, the position of `b` among `a`'s neighbours.
   * @throws OovError when absent.
   */
  rank(word: string): number;
  rank(a: string, b: string): number;
  rank(a: string, b?: string): number {
    if (b !== undefined) return this.#kv('rank').rank(a, b);
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
    this.#refresh();
    const p = prefix.toLowerCase();
    return this.#stmts.complete.all(
      this.#row.id,
      p,
      prefixEnd(p),
      Math.max(0, Math.floor(limit)),
    ) as string[];
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
    this.#refresh();
    const target = word.toLowerCase();
    if (limit <= 0 || target === '') return [];
    const n = target.length;
    return this.#stmts.suggest.all(this.#row.id, n - 2, n + 2, word, target, Math.floor(limit)) as string[];
  }

  /**
   * gensim `most_similar` (3CosAdd): query = unit(mean of +unit(positive) and −unit(negative)), rows
   * ranked by cosine, input words excluded; the same semantics as `KeyedVectors.mostSimilar`.
   * With an ANN index loaded, queries without `restrictVocab` walk the graph (`exact: true` scans
   * every row); int8 models score on int8 rows and re-rank the best candidates on exact rows.
   *
   * @throws OovError naming every missing input word.
   * @example
   * ```ts
   * model.mostSimilar({ positive: ['king', 'woman'], negative: ['man'], topn: 1 }); // [{ word: 'queen', score: 0.71 }]
   * ```
   */
  mostSimilar(options: MostSimilarOptions & StoredQueryOptions): Similar[] {
    const loaded = this.#load();
    const n = this.#row.vocab_size;
    const topn = options.topn ?? 10;
    if (!Number.isInteger(topn) || topn < 0)
      throw new StoreError('INVALID_ARGUMENT', `topn must be a non-negative integer, got ${topn}`);
    const end = options.restrictVocab === undefined ? n : options.restrictVocab;
    if (!Number.isInteger(end) || end < 0) {
      throw new StoreError(
        'INVALID_ARGUMENT',
        `restrictVocab must be a non-negative integer, got ${options.restrictVocab}`,
      );
    }
    const { query, exclude } = this.#combine(asList(options.positive), asList(options.negative));
    if (topn === 0) return [];
    const useAnn = !options.exact && end >= n && (loaded.hnsw !== undefined || this.#readGraph(loaded));
    if (loaded.int8 || useAnn)
      return this.#neighbours(
        query,
        topn,
        exclude,
        useAnn ? (options.ef ?? DEFAULT_EF) : 0,
        Math.min(end, n),
      );
    const scorer = loaded.scorer!;
    scorer.score(query, 0, Math.min(end, n));
    const top = selectTopK(scorer.scores, topn, { end: Math.min(end, n), exclude: [...exclude] });
    const words = this.#wordsAt(Array.from(top.rows));
    return words.map((word, i) => ({ word, score: top.scores[i] }));
  }

  /** Unit query and excluded rows of a positive/negative combination (vector inputs are unit-normalised too). */
  #combine(positive: QueryItem[], negative: QueryItem[]): { query: Float32Array; exclude: Set<number> } {
    const dim = this.#row.dim;
    if (positive.length + negative.length === 0) {
      throw new StoreError(
        'INVALID_ARGUMENT',
        'a similarity query needs at least one positive or negative term',
      );
    }
    // Each input word is looked up once (an SQLite query), then reused below.
    const rows = new Map<string, number | undefined>();
    for (const x of [...positive, ...negative])
      if (typeof x === 'string' && !rows.has(x)) rows.set(x, this.#rowOf(x));
    const missing = [...positive, ...negative].filter(
      (x): x is string => typeof x === 'string' && rows.get(x) === undefined,
    );
    if (missing.length > 0) throw new OovError(missing);
    const query = new Float32Array(dim);
    const exclude = new Set<number>();
    const add = (item: QueryItem, weight: number) => {
      let u: ArrayLike<number>;
      if (typeof item === 'string') {
        const row = rows.get(item)!;
        exclude.add(row);
        u = this.#unitRowAt(row);
      } else {
        if (item.length !== dim)
          throw new StoreError('INVALID_ARGUMENT', `query vector has ${item.length} values, expected ${dim}`);
        const v = Float32Array.from(item);
        normalise(v);
        u = v;
      }
      for (let d = 0; d < dim; d++) query[d] += weight * u[d];
    };
    for (const x of positive) add(x, 1);
    for (const x of negative) add(x, -1);
    normalise(query);
    return { query, exclude };
  }

  /**
   * gensim `most_similar_cosmul` (3CosMul, Levy & Goldberg 2014); float32 models only. This and
   * `closerThan`, `rank(a, b)` are answered by a `KeyedVectors` over the loaded matrix,
   * sharing the loaded kernel (no copy); it builds its word map (a few tens of MB for 400k words) on first use.
   */
  mostSimilarCosmul(options: MostSimilarOptions): Similar[] {
    return this.#kv('mostSimilarCosmul').mostSimilarCosmul(options);
  }

  /** Neighbours of a raw vector (gensim `similar_by_vector`). */
  similarByVector(
    vector: Float32Array | Float64Array,
    options: NeighbourOptions & StoredQueryOptions = {},
  ): Similar[] {
    return this.mostSimilar({ ...options, positive: [vector] });
  }

  /** Neighbours of a word (gensim `similar_by_word`). */
  similarByWord(word: string, options: NeighbourOptions & StoredQueryOptions = {}): Similar[] {
    return this.mostSimilar({ ...options, positive: [word] });
  }

  /**
   * `KeyedVectors.analogy`: the same positive/negative terms, answered by {@link StoredModel.mostSimilar}
   * (3CosAdd), or 3CosMul with `method: 'mul'` (float32 only).
   */
  analogy(a: string, b: string, c: string, options: AnalogyOptions & StoredQueryOptions = {}): Similar[] {
    if (options.method === 'mul') return this.#kv('analogy').analogy(a, b, c, options);
    if (options.method !== undefined && options.method !== 'add') {
      throw new StoreError(
        'INVALID_ARGUMENT',
        `analogy method must be 'add' or 'mul', got ${JSON.stringify(options.method)}`,
      );
    }
    // The terms KeyedVectors.analogy builds, so both answer alike.
    return this.mostSimilar({ ...options, positive: [a, c], negative: [b] });
  }

  /** Cosine similarity of two words, exact in every precision. */
  similarity(a: string, b: string): number {
    const missing = [a, b].filter((w) => !this.has(w));
    if (missing.length > 0) throw new OovError(missing);
    const ua = this.#unitRow(a);
    const ub = this.#unitRow(b);
    let s = 0;
    for (let d = 0; d < ua.length; d++) s += ua[d] * ub[d];
    return s;
  }

  /** 1 − cosine similarity. */
  distance(a: string, b: string): number {
    return 1 - this.similarity(a, b);
  }

  /** Cosine similarity of the means of the raw vectors of two word sets (gensim `n_similarity`). */
  nSimilarity(first: readonly string[], second: readonly string[]): number {
    if (first.length === 0 || second.length === 0) {
      throw new StoreError('INVALID_ARGUMENT', 'nSimilarity needs at least one word in each set');
    }
    const missing = [...first, ...second].filter((w) => !this.has(w));
    if (missing.length > 0) throw new OovError(missing);
    const mean = (words: readonly string[]) => {
      const acc = new Float32Array(this.#row.dim);
      for (const w of words) {
        const v = this.get(w);
        for (let d = 0; d < acc.length; d++) acc[d] += v[d];
      }
      normalise(acc);
      return acc;
    };
    const a = mean(first);
    const b = mean(second);
    let s = 0;
    for (let d = 0; d < a.length; d++) s += a[d] * b[d];
    return s;
  }

  /**
   * The word least like the others (gensim `doesnt_match`): the lowest cosine with the unit mean of
   * all their unit vectors. Missing words throw `OovError` unless `ignoreOov` (then `onOov` hears of them).
   */
  doesntMatch(words: readonly string[], options: DoesntMatchOptions = {}): string {
    const missing = words.filter((w) => !this.has(w));
    if (missing.length > 0 && !options.ignoreOov) throw new OovError(missing);
    if (missing.length > 0) options.onOov?.(missing);
    const kept = words.filter((w) => !missing.includes(w));
    if (kept.length === 0)
      throw new StoreError('INVALID_ARGUMENT', 'doesntMatch needs at least one word in the vocabulary');
    const rows = kept.map((w) => this.#unitRow(w));
    const dim = this.#row.dim;
    const mean = new Float32Array(dim);
    for (const u of rows) for (let d = 0; d < dim; d++) mean[d] += u[d];
    normalise(mean);
    let worst = 0;
    let worstScore = Number.POSITIVE_INFINITY;
    rows.forEach((u, i) => {
      let sc = 0;
      for (let d = 0; d < dim; d++) sc += u[d] * mean[d];
      if (sc < worstScore) {
        worstScore = sc;
        worst = i;
      }
    });
    return kept[worst];
  }

  /** Words closer to `a` than `b` is (gensim `closer_than`); float32 models only. */
  closerThan(a: string, b: string): string[] {
    return this.#kv('closerThan').closerThan(a, b);
  }

  /**
   * The whole model as a plain {@link KeyedVectors} with raw vectors (unit row × stored norm) and
   * counts: for export and evaluation. Copies the matrix, so it costs as much memory again.
   *
   * @example
   * ```ts
   * await saveVectors(store.model('glove').toKeyedVectors(), 'glove.txt', { format: 'glove' });
   * ```
   */
  toKeyedVectors(): KeyedVectors {
    const kv = this.#kv('toKeyedVectors');
    const { dim } = this.#row;
    const words = kv.words;
    const raw = new Float32Array(words.length * dim);
    const unit = kv.vectors;
    for (let i = 0; i < words.length; i++) {
      const norm = this.#word(words[i]).norm;
      for (let d = i * dim, end = d + dim; d < end; d++) raw[d] = unit[d] * norm;
    }
    return new KeyedVectors({ words, vectors: raw, dim, counts: kv.counts });
  }

  // ---- internals ----

  /** Re-resolves the model when the store changed: renamed (same id), replaced (same name, new id) or deleted. */
  #refresh(): void {
    const v = this.#ctx.version();
    if (v === this.#version) return;
    this.#version = v;
    const same = this.#stmts.byId.get(this.#row.id) as ModelRow | undefined;
    if (same) {
      this.#row = same;
      return;
    }
    const replaced = this.#stmts.byName.get(this.#row.name) as ModelRow | undefined;
    if (!replaced) {
      this.#loaded = undefined;
      throw new StoreError(
        'UNKNOWN_MODEL',
        `model ${JSON.stringify(this.#row.name)} was deleted from ${this.#ctx.path}`,
      );
    }
    this.#row = replaced;
    this.#loaded = undefined;
  }

  #load(): Loaded {
    this.#refresh();
    if (!this.#loaded) this.loadSync();
    return this.#loaded!;
  }

  #kv(method: string): KeyedVectors {
    const loaded = this.#load();
    if (!loaded.scorer) {
      throw new StoreError(
        'NOT_SUPPORTED',
        `${method} needs the float32 matrix; model ${JSON.stringify(this.#row.name)} is loaded as int8`,
      );
    }
    if (!loaded.kv) {
      const { db } = this.#ctx;
      const { id, vocab_size: n, dim } = this.#row;
      const { words, norms, counts } = db.transaction(() => {
        const vocab = readPieces(db, id, 'vocab');
        const normBytes = readPieces(db, id, 'norms');
        if (!vocab || !normBytes)
          throw new StoreError(
            'SQLITE',
            `${this.#ctx.path}: model ${JSON.stringify(this.#row.name)} has no vocabulary chunk`,
          );
        const countBytes = this.#row.has_counts ? readPieces(db, id, 'counts') : undefined;
        return {
          words: Buffer.from(vocab.buffer, vocab.byteOffset, vocab.byteLength).toString('utf8').split('\n'),
          norms: float32From(normBytes),
          counts: countBytes ? float64From(countBytes) : undefined,
        };
      })();
      // The KeyedVectors scans the loaded kernel itself (no second normalised copy). Its `vectors` are
      // the unit rows too: only StoredModel.get hands out raw vectors (unit row × stored norm).
      const unitNorms = new Float32Array(n);
      for (let i = 0; i < n; i++) unitNorms[i] = norms[i] > 0 ? 1 : 0;
      loaded.kv = new KeyedVectors({
        words,
        vectors: loaded.scorer.matrix,
        dim,
        counts,
        norms: unitNorms,
        rowScorer: loaded.scorer,
      });
    }
    return loaded.kv;
  }

  /** Row of `word`, or undefined. */
  #rowOf(word: string): number | undefined {
    let idx = this.#stmts.idxOf.get(this.#row.id, word) as number | undefined;
    if (idx === undefined && this.#replacedMeanwhile())
      idx = this.#stmts.idxOf.get(this.#row.id, word) as number | undefined;
    return idx;
  }

  /**
   * After a miss: whether the model was replaced between the last version check and the query (another
   * process committed in between). Switches to the new model (or throws UNKNOWN_MODEL when deleted).
   */
  #replacedMeanwhile(): boolean {
    const before = this.#row.id;
    this.#version = '';
    this.#refresh();
    return this.#row.id !== before;
  }

  /** The word of row `idx`. */
  #wordAt(idx: number): string {
    return this.#stmts.wordAt.get(this.#row.id, idx) as string;
  }

  /** Statements `… idx IN (?, …)` by number of placeholders, prepared on first use. */
  readonly #wordsAtStmts = new Map<number, Statement>();

  /**
   * The words of rows `ids`, in order: one SQLite statement for a whole answer instead of one per
   * word (a statement costs more than the B-tree descents it does).
   */
  #wordsAt(ids: readonly number[]): string[] {
    const n = ids.length;
    if (n === 0) return [];
    if (n > 64) return ids.map((i) => this.#wordAt(i));
    let stmt = this.#wordsAtStmts.get(n);
    if (!stmt) {
      stmt = this.#ctx.db
        .prepare(`SELECT idx, word FROM words WHERE model_id = ? AND idx IN (${'?,'.repeat(n - 1)}?)`)
        .raw();
      this.#wordsAtStmts.set(n, stmt);
    }
    const byIdx = new Map<number, string>();
    for (const [idx, word] of stmt.all(this.#row.id, ...ids) as [number, string][]) byIdx.set(idx, word);
    return ids.map((i) => byIdx.get(i)!);
  }

  #word(word: string): { idx: number; count: number | null; rank: number; norm: number } {
    this.#refresh();
    type WordRow = { idx: number; count: number | null; rank: number; norm: number };
    let w = this.#stmts.word.get(this.#row.id, word) as WordRow | undefined;
    if (!w && this.#replacedMeanwhile()) w = this.#stmts.word.get(this.#row.id, word) as WordRow | undefined;
    if (!w) throw new OovError([word]);
    return w;
  }

  /** Unit row of `word`: from the loaded float32 matrix, else from SQLite. */
  #unitRow(word: string): Float32Array {
    this.#refresh();
    const loaded = this.#loaded;
    if (loaded?.scorer) {
      const i = this.#rowOf(word);
      if (i === undefined) throw new OovError([word]);
      return this.#unitRowAt(i);
    }
    return this.#unitRowAt(this.#word(word).idx);
  }

  /** Unit row `idx`, from memory when float32 is loaded, else one block read from SQLite. */
  #unitRowAt(idx: number): Float32Array {
    const m = this.#loaded?.scorer?.matrix;
    const dim = this.#row.dim;
    if (m) return m.subarray(idx * dim, (idx + 1) * dim);
    const rows = this.#row.block_rows;
    const bytes = dim * 4;
    const blob = this.#stmts.row.get(
      (idx % rows) * bytes + 1,
      bytes,
      this.#row.id,
      Math.floor(idx / rows),
    ) as Buffer;
    return float32From(blob);
  }

  /** Approximate (or exact int8) neighbours of a unit query, excluding `exclude`, re-ranked exactly. */
  #neighbours(query: Float32Array, topn: number, exclude: Set<number>, ef: number, end: number): Similar[] {
    const loaded = this.#loaded!;
    const dim = this.#row.dim;
    const int8 = loaded.int8;
    // int8 scores are re-ranked on exact rows, so fetch a wider pool than asked for.
    const pool = int8 ? Math.max(2 * topn, 20) + exclude.size : topn + exclude.size;
    const scorer: QueryScorer = int8
      ? int8Scorer(int8, query)
      : floatScorer(loaded.scorer!.matrix, dim, query);
    let ids: Uint32Array;
    let scores: Float32Array;
    if (loaded.hnsw && ef > 0) ({ ids, scores } = searchHnsw(loaded.hnsw, scorer, pool, Math.max(ef, pool)));
    else ({ ids, scores } = scanTopK(scorer, end, pool));
    const keep: number[] = [];
    const keepScores: number[] = [];
    for (let i = 0; i < ids.length; i++) {
      if (exclude.has(ids[i])) continue;
      let score = scores[i];
      if (int8) {
        const u = this.#unitRowAt(ids[i]);
        score = 0;
        for (let d = 0; d < dim; d++) score += u[d] * query[d];
      }
      keep.push(ids[i]);
      keepScores.push(score);
    }
    // Re-ranked int8 pools are sorted on the exact scores; then only the first topn are named.
    const order = keep.map((_, i) => i);
    if (int8) order.sort((a, b) => keepScores[b] - keepScores[a]);
    const best = order.slice(0, topn);
    const words = this.#wordsAt(best.map((i) => keep[i]));
    return best.map((i, k) => ({ word: words[k], score: keepScores[i] }));
  }

  /** Reads vocabulary, norms, counts, matrix (float32 or quantised block by block) and the ANN graph. */
  #readMatrix(withGraph: boolean): Loaded {
    // Only the matrix (and the graph) come into memory: words are looked up in SQLite by index, so
    // no 400k-entry word map or string array is built at load (time and memory the matrix alone needs).
    const { db } = this.#ctx;
    const { id, dim, vocab_size: n } = this.#row;
    const loaded: Loaded = {};
    if (this.#precision === 'int8') {
      const m = createInt8Matrix(n, dim);
      const stmt = db
        .prepare("SELECT data FROM chunks WHERE model_id = ? AND kind = 'f32' ORDER BY seq")
        .pluck();
      let row = 0;
      for (const blob of stmt.iterate(id) as IterableIterator<Buffer>) {
        const block = float32From(blob);
        quantizeRows(block, row, block.length / dim, m);
        row += block.length / dim;
      }
      loaded.int8 = m;
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

  /**
   * Reads a pending ANN graph (the matrix was loaded without it). The graph must belong to the same
   * model row as the matrix: when another process replaced or deleted the model since, nothing is
   * read and this query scans the loaded matrix; the next query notices the change and reloads.
   * Returns whether a graph is now loaded.
   */
  #readGraph(loaded: Loaded): boolean {
    if (!loaded.hnswPending) return false;
    const { db } = this.#ctx;
    const row = this.#row;
    return db.transaction(() => {
      if (!this.#stmts.byId.get(row.id)) return false;
      loaded.hnsw = readHnsw(db, row.id, row.vocab_size, JSON.parse(row.ann!));
      loaded.hnswPending = false;
      return true;
    })();
  }
}

function readHnsw(
  db: Database,
  id: number,
  n: number,
  params: { M: number; efConstruction: number; seed: number },
): HnswIndex {
  const M0 = 2 * params.M;
  /** Reads piece `kind` straight into `target` (one copy from SQLite); its size must match the stored one. */
  const into = <T extends Uint8Array | Uint32Array | Int32Array>(kind: string, target: T): T => {
    const bytes = new Uint8Array(target.buffer, target.byteOffset, target.byteLength);
    const got = readPieces(db, id, kind, bytes);
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

/** Exact top-k by scanning every row with `scorer`; best first. */
function scanTopK(scorer: QueryScorer, n: number, k: number): { ids: Uint32Array; scores: Float32Array } {
  const heap = new ScoreHeap(k + 1);
  for (let r = 0; r < n; r++) {
    const s = scorer.score(r);
    if (heap.size < k) heap.push(r, s);
    else if (s > heap.topKey) {
      heap.pop();
      heap.push(r, s);
    }
  }
  const ids = new Uint32Array(heap.size);
  const scores = new Float32Array(heap.size);
  for (let i = heap.size - 1; i >= 0; i--) {
    scores[i] = heap.topKey;
    ids[i] = heap.pop();
  }
  return { ids, scores };
}

function normalise(v: Float32Array): void {
  let s = 0;
  for (let d = 0; d < v.length; d++) s += v[d] * v[d];
  const n = Math.sqrt(s);
  if (n > 0) for (let d = 0; d < v.length; d++) v[d] /= n;
}

function asList(x: QueryItem | readonly QueryItem[] | undefined): QueryItem[] {
  if (x === undefined) return [];
  if (typeof x === 'string' || x instanceof Float32Array || x instanceof Float64Array) return [x];
  return [...x];
}
