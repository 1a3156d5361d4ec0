/**
 * The words of a stored model's rows, held in memory compactly (one string and where each word starts in
 * it) for what reads many spellings per query: the Magnitude estimator (its 32 candidates per estimate)
 * and every answer of a loaded model (the words of its rows). From memory that is a few substring copies
 * instead of a SQLite statement with one B-tree descent per word (about 0.3 ms for 32 words at 400k, and
 * a third of an HNSW query). The other way, word to row, is a hash table of row numbers over the same
 * text, built on its first look-up: one probe instead of a statement for each query word.
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

  /** Open addressing by {@link spellingHash}: row + 1 per slot, 0 for empty; built by the first rowOf. */
  #table: Int32Array | undefined;

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

  /** Whether {@link Spellings.rowOf} has built its table (it does on its first call). */
  get indexed(): boolean {
    return this.#table !== undefined;
  }

  /**
   * The row spelled `word`, or −1 when no row is (the same as the words table's exact match; a
   * model's words are unique). The first call builds the table: 4 bytes for each of the next power of
   * two at or above twice the rows (4 MiB at 400k words).
   *
   * @example
   * ```ts
   * spellings.rowOf('queen'); // 40
   * spellings.rowOf('no such word'); // -1
   * ```
   */
  rowOf(word: string): number {
    const table = this.#table ?? this.#buildTable();
    const mask = table.length - 1;
    const text = this.#text;
    const starts = this.#starts;
    for (let slot = spellingHash(word, 0, word.length) & mask; ; slot = (slot + 1) & mask) {
      const entry = table[slot];
      if (entry === 0) return -1;
      const start = starts[entry - 1];
      if (starts[entry] - 1 - start === word.length && text.startsWith(word, start)) return entry - 1;
    }
  }

  #buildTable(): Int32Array {
    const rows = this.size;
    let slots = 2;
    while (slots < 2 * rows) slots *= 2;
    const table = new Int32Array(slots);
    const mask = slots - 1;
    for (let r = 0; r < rows; r++) {
      let slot = spellingHash(this.#text, this.#starts[r], this.#starts[r + 1] - 1) & mask;
      while (table[slot] !== 0) slot = (slot + 1) & mask;
      table[slot] = r + 1;
    }
    this.#table = table;
    return table;
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

/** 32-bit FNV-1a over the UTF-16 code units `text[start…end)`. */
function spellingHash(text: string, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
