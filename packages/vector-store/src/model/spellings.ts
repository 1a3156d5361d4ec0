/**
 * The words of a stored model's rows, held in memory compactly (one string and where each word starts in
 * it) for what reads many spellings per query: the Magnitude estimator (its 32 candidates per estimate)
 * and every answer of a loaded model (the words of its rows). From memory that is a few substring copies
 * instead of a SQLite statement with one B-tree descent per word (about 0.3 ms for 32 words at 400k, and
 * a third of an HNSW query).
 */
import type { Database } from 'better-sqlite3';

/**
 * Spellings of rows `[0, rows)` of model `modelId`: from a range scan of the words table
 * ({@link Spellings.read}) or from the model's newline-joined vocabulary ({@link Spellings.fromVocab}).
 *
 * @example
 * ```ts
 * const spellings = Spellings.read(db, modelId, 400_000); // ~4 MB for 400k words
 * spellings.wordsAt([12, 40]); // ['king', 'queen']
 * ```
 */
export class Spellings {
  /** The words, each followed by a newline. */
  readonly #text: string;
  /** Where word i starts in the text; word i ends one before `#starts[i + 1]`. */
  readonly #starts: Uint32Array;

  private constructor(text: string, starts: Uint32Array) {
    this.#text = text;
    this.#starts = starts;
  }

  /** Reads the words of rows `[0, rows)` (fewer when the model has fewer) in one range scan. */
  static read(db: Database, modelId: number, rows: number): Spellings {
    const words = db
      .prepare('SELECT word FROM words WHERE model_id = ? AND idx < ? ORDER BY idx')
      .pluck()
      .all(modelId, rows) as string[];
    const starts = new Uint32Array(words.length + 1);
    for (let i = 0; i < words.length; i++) starts[i + 1] = starts[i] + words[i].length + 1;
    return new Spellings(words.length > 0 ? `${words.join('\n')}\n` : '', starts);
  }

  /**
   * The spellings in a model's stored vocabulary (its words joined by newlines, UTF-8; words never
   * hold a newline), or undefined when it does not hold exactly `rows` words: the caller then reads
   * words from the words table.
   */
  static fromVocab(bytes: Uint8Array | undefined, rows: number): Spellings | undefined {
    if (bytes === undefined || rows === 0) return undefined;
    const text = `${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8')}\n`;
    const starts = new Uint32Array(rows + 1);
    let at = 0;
    for (let i = 1; i <= rows; i++) {
      const end = text.indexOf('\n', at);
      if (end < 0) return undefined;
      at = end + 1;
      starts[i] = at;
    }
    return at === text.length ? new Spellings(text, starts) : undefined;
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
      out[i] = this.#text.slice(this.#starts[r], this.#starts[r + 1] - 1);
    }
    return out;
  }
}
