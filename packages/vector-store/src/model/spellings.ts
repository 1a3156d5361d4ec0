/**
 * The words of a stored model's first rows, held in memory compactly (one string and the start of
 * each word in it) for the Magnitude estimator, which reads the spellings of its 32 candidates per
 * estimate: from memory that is a few substring copies instead of a SQLite statement with 32
 * B-tree descents (about 0.3 ms at 400k words, most of an estimate).
 */
import type { Database } from 'better-sqlite3';

/**
 * Spellings of rows `[0, rows)` of model `modelId`, read in one range scan of the words table.
 *
 * @example
 * ```ts
 * const spellings = Spellings.read(db, modelId, 400_000); // ~4 MB for 400k words
 * spellings.wordsAt([12, 40]); // ['king', 'queen']
 * ```
 */
export class Spellings {
  readonly #text: string;
  readonly #starts: Uint32Array;

  private constructor(text: string, starts: Uint32Array) {
    this.#text = text;
    this.#starts = starts;
  }

  /** Reads the words of rows `[0, rows)` (fewer when the model has fewer). */
  static read(db: Database, modelId: number, rows: number): Spellings {
    const words = db
      .prepare('SELECT word FROM words WHERE model_id = ? AND idx < ? ORDER BY idx')
      .pluck()
      .all(modelId, rows) as string[];
    const starts = new Uint32Array(words.length + 1);
    for (let i = 0; i < words.length; i++) starts[i + 1] = starts[i] + words[i].length;
    return new Spellings(words.join(''), starts);
  }

  /** How many rows it holds. */
  get size(): number {
    return this.#starts.length - 1;
  }

  /** The words of `rows`, in order (each row below {@link Spellings.size}). */
  wordsAt(rows: ArrayLike<number>): string[] {
    const out = new Array<string>(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i];
      out[i] = this.#text.slice(this.#starts[r], this.#starts[r + 1]);
    }
    return out;
  }
}
