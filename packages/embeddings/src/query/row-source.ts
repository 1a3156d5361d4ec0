/**
 * What the one query layer ({@link WordQueries}) needs from a model: rows by word, unit rows, the
 * words of rows, and two ways to score rows against a unit query. In-memory vectors
 * ({@link KeyedVectors}) and the SQLite store's models each supply one; exact float32, int8 and
 * HNSW search are {@link RowSource.nearest} strategies behind it, the way gensim's
 * `most_similar(..., indexer=)` hands the search to Annoy.
 */
/**
 * Rows of the nearest vectors to a query, best first, with their scores.
 *
 * @example
 * ```ts
 * const { rows, scores }: NearestRows = kv.nearestRows(kv.getUnit('cat'), { topn: 3 });
 * rows.forEach((r, i) => console.log(kv.words[r], scores[i]));
 * ```
 */
export interface NearestRows {
  rows: Int32Array;
  scores: Float32Array;
}

/**
 * What {@link RowSource.nearest} is asked for: already validated by the query layer.
 *
 * @example
 * ```ts
 * const options: NearestOptions = { topn: 10, end: source.size, exclude: new Int32Array([source.rowOf('cat')]) };
 * source.nearest(unitQuery, options, undefined);
 * ```
 */
export interface NearestOptions {
  /** How many rows to return (integer ≥ 1). */
  topn: number;
  /** Only rows `[0, end)` are candidates (gensim `restrict_vocab`); `end ≤ size`. */
  end: number;
  /** Rows never returned (the query's own words). */
  exclude: Int32Array;
}

/**
 * The rows behind a {@link WordQueries}. Implementations decide where rows live and how the nearest
 * ones are found; the query semantics (means, exclusions, 3CosAdd/3CosMul, ties, errors) are not
 * theirs to change.
 *
 * @typeParam Extra - options a source's search strategy takes beside the query's own (e.g. the store's `{ exact, ef }`).
 * @example
 * ```ts
 * // A source over a plain unit matrix, scanned exactly.
 * const scorer = createRowScorer(words.length, dim); // @wordvec/embeddings/kernels
 * scorer.matrix.set(unitRows);
 * const source: RowSource = {
 *   dim,
 *   size: words.length,
 *   rowOf: (w) => words.indexOf(w),
 *   unitRow: (r) => scorer.matrix.subarray(r * dim, (r + 1) * dim),
 *   vector: (r) => scorer.matrix.subarray(r * dim, (r + 1) * dim),
 *   wordsAt: (rows) => Array.from(rows, (r) => words[r]),
 *   scanRows: (q, end) => (scorer.score(q, 0, end), scorer.scores),
 *   nearest: (q, opts) => exactNearest(scorer, q, opts),
 * };
 * ```
 */
export interface RowSource<Extra extends object = object> {
  /** Vector dimension. */
  readonly dim: number;
  /** Number of rows. */
  readonly size: number;
  /** Row of `word`, or −1 when it is not in the vocabulary (exact, case-sensitive). */
  rowOf(word: string): number;
  /** Row `row` scaled to unit length (a zero row stays zero). May be a view: do not modify it. */
  unitRow(row: number): Float32Array;
  /** Row `row` as given or stored, not normalised. May be a view: do not modify it. */
  vector(row: number): Float32Array;
  /** The words of `rows`, in order. */
  wordsAt(rows: ArrayLike<number>): string[];
  /**
   * The exact cosine of every row in `[0, end)` with `unitQuery`, at each row's own index. The
   * array is the source's own buffer, overwritten by the next call.
   */
  scanRows(unitQuery: Float32Array, end: number): Float32Array;
  /** The `topn` rows of `[0, end)` nearest to `unitQuery`, none in `exclude`, best first; ties to the lower row. */
  nearest(unitQuery: Float32Array, options: NearestOptions, extra: Extra | undefined): NearestRows;
}
