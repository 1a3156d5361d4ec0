/**
 * The prepared statements one stored model answers its look-ups with, prepared once per model
 * object (better-sqlite3: prepare once, run many times).
 */
import type { Database, Statement } from 'better-sqlite3';
import type { ModelRow } from './model-info.js';

/** A row of `words`: what a single-word look-up reads. */
export interface WordRow {
  idx: number;
  count: number | null;
  rank: number;
  norm: number;
}

/** Longer answers are named one statement per word (a statement of 64 placeholders is the cache's limit). */
const MAX_BATCH = 64;

/**
 * Prepared look-ups by word, by row and by prefix, plus the model row by id and by name.
 *
 * @example
 * ```ts
 * const sql = new ModelStatements(db);
 * sql.word(modelId, 'king'); // { idx: 12, count: 9120, rank: 13, norm: 4.1 }
 * sql.wordsAt(modelId, [12, 40]); // ['king', 'queen']
 * ```
 */
export class ModelStatements {
  readonly #db: Database;
  readonly #word: Statement;
  readonly #idxOf: Statement;
  readonly #row: Statement;
  readonly #rare: Statement;
  readonly #complete: Statement;
  readonly #suggest: Statement;
  readonly #wordAt: Statement;
  readonly #normAt: Statement;
  readonly #byId: Statement;
  readonly #byName: Statement;
  /** Statements `… idx IN (?, …)` by number of placeholders, prepared on first use. */
  readonly #wordsAt = new Map<number, Statement>();

  constructor(db: Database) {
    this.#db = db;
    this.#word = db.prepare('SELECT idx, count, rank, norm FROM words WHERE model_id = ? AND word = ?');
    // Covered by the words_word index (a WITHOUT ROWID index holds the key idx): one B-tree descent.
    this.#idxOf = db.prepare('SELECT idx FROM words WHERE model_id = ? AND word = ?').pluck();
    this.#row = db
      .prepare("SELECT substr(data, ?, ?) FROM chunks WHERE model_id = ? AND kind = 'f32' AND seq = ?")
      .pluck();
    this.#rare = db.prepare('SELECT count FROM rare_words WHERE model_id = ? AND word = ?').pluck();
    this.#complete = db
      .prepare(
        'SELECT word FROM words WHERE model_id = ? AND folded >= ? AND folded < ? ORDER BY rank LIMIT ?',
      )
      .pluck();
    this.#suggest = db
      .prepare(
        `SELECT word FROM words WHERE model_id = ? AND length BETWEEN ? AND ? AND word != ?
           AND wordvec_within2(?, folded) ORDER BY rank LIMIT ?`,
      )
      .pluck();
    this.#wordAt = db.prepare('SELECT word FROM words WHERE model_id = ? AND idx = ?').pluck();
    this.#normAt = db.prepare('SELECT norm FROM words WHERE model_id = ? AND idx = ?').pluck();
    this.#byId = db.prepare("SELECT * FROM models WHERE id = ? AND status = 'ready'");
    this.#byName = db.prepare("SELECT * FROM models WHERE name = ? AND status = 'ready'");
  }

  /** The `words` row of `word`, or undefined. */
  word(modelId: number, word: string): WordRow | undefined {
    return this.#word.get(modelId, word) as WordRow | undefined;
  }

  /** The row index of `word`, or undefined. */
  idxOf(modelId: number, word: string): number | undefined {
    return this.#idxOf.get(modelId, word) as number | undefined;
  }

  /** The stored L2 norm of row `idx` (the vector as given is its unit row × this norm). */
  normAt(modelId: number, idx: number): number {
    return this.#normAt.get(modelId, idx) as number;
  }

  /** Row `idx` of a matrix stored in blocks of `blockRows` rows of `dim` float32 values, as bytes. */
  unitRowBytes(modelId: number, idx: number, dim: number, blockRows: number): Buffer {
    const bytes = dim * 4;
    return this.#row.get(
      (idx % blockRows) * bytes + 1,
      bytes,
      modelId,
      Math.floor(idx / blockRows),
    ) as Buffer;
  }

  /** Corpus count of a word left out below min-count, or undefined. */
  rareCount(modelId: number, word: string): number | undefined {
    return this.#rare.get(modelId, word) as number | undefined;
  }

  /** Up to `limit` words whose folded form lies in `[from, to)`, most frequent first. */
  complete(modelId: number, from: string, to: string, limit: number): string[] {
    return this.#complete.all(modelId, from, to, limit) as string[];
  }

  /** Up to `limit` words of length `[min, max]` within edit distance 2 of `folded`, `word` itself left out. */
  suggest(modelId: number, min: number, max: number, word: string, folded: string, limit: number): string[] {
    return this.#suggest.all(modelId, min, max, word, folded, limit) as string[];
  }

  /**
   * The words of rows `ids`, in order: one SQLite statement for a whole answer instead of one per
   * word (a statement costs more than the B-tree descents it does).
   */
  wordsAt(modelId: number, ids: ArrayLike<number>): string[] {
    const n = ids.length;
    if (n === 0) return [];
    if (n > MAX_BATCH) return Array.from(ids, (i) => this.#wordAt.get(modelId, i) as string);
    let stmt = this.#wordsAt.get(n);
    if (!stmt) {
      stmt = this.#db
        .prepare(`SELECT idx, word FROM words WHERE model_id = ? AND idx IN (${'?,'.repeat(n - 1)}?)`)
        .raw();
      this.#wordsAt.set(n, stmt);
    }
    const byIdx = new Map<number, string>();
    for (const [idx, word] of stmt.all(modelId, ...Array.from(ids)) as [number, string][])
      byIdx.set(idx, word);
    return Array.from(ids, (i) => byIdx.get(i) as string);
  }

  /** The ready model row `id`, or undefined (deleted, or replaced under a new id). */
  modelById(id: number): ModelRow | undefined {
    return this.#byId.get(id) as ModelRow | undefined;
  }

  /** The ready model row named `name`, or undefined. */
  modelByName(name: string): ModelRow | undefined {
    return this.#byName.get(name) as ModelRow | undefined;
  }
}
