/**
 * A stored model's rows as a {@link RowSource} for the one query layer. Single rows come from the
 * loaded float32 matrix when it is in memory, else straight from SQLite (one block read), so
 * `similarity` and `doesntMatch` never load the matrix; neighbour searches load it on first use
 * and pick a strategy: exact scan, HNSW walk, or int8 scan with exact re-ranking.
 */
import { exactNearest, type NearestOptions, type NearestRows, type RowSource } from '@wordvec/embeddings';
import { prefilteredNearest } from '@wordvec/embeddings/kernels';
import { approximateNearest } from '../ann/approximate-nearest.js';
import { StoreError } from '../errors.js';
import { float32From } from '../sqlite/chunks.js';
import type { AnnInfo, ModelRow } from './model-info.js';
import type { ModelState } from './model-state.js';
import type { ModelStatements } from './statements.js';

/**
 * Extra options of a stored model's neighbour queries (`mostSimilar`, `analogy`, `similarByWord`, …).
 *
 * @example
 * ```ts
 * model.mostSimilar({ positive: ['king'], topn: 10, ef: 200 }); // wider beam through the graph
 * model.mostSimilar({ positive: ['king'], topn: 10, exact: true }); // scan every row
 * ```
 */
export interface StoredQueryOptions {
  /** Skip the ANN index and scan every row. Default false. */
  exact?: boolean;
  /**
   * Beam width of the ANN search (higher: better recall, slower). Default: the width measured when
   * the graph was built, the narrowest reaching recall@10 ≥ 0.99 on a sample of the model's rows
   * (`ModelInfo.ann.calibration`; when no width reached it, queries without `ef` scan every row);
   * 64 for graphs built before that measurement.
   */
  ef?: number;
}

/** Beam width of graphs stored without a calibration. */
const DEFAULT_EF = 64;

/**
 * Query words looked up in SQLite before a loaded model's spellings build their hash table. The
 * table takes 30–50 ms to build at 400k words and saves about 7 µs a word, so a one-off query (a
 * CLI command, a short script) never pays for it, and a process that keeps answering does once.
 */
const LOOKUPS_BEFORE_TABLE = 1000;

/**
 * The rows of the model `state` currently resolves to.
 *
 * @example
 * ```ts
 * const rows = new StoredRows(state, sql);
 * rows.rowOf('king'); // 12, from SQLite
 * rows.nearest(unitQuery, { topn: 10, end: rows.size, exclude: new Int32Array([12]) }, { ef: 128 });
 * ```
 */
export class StoredRows implements RowSource<StoredQueryOptions> {
  readonly #state: ModelState;
  readonly #sql: ModelStatements;
  /** The model row whose `ann` {@link StoredRows.#ef} was read from. */
  #annOf: ModelRow | undefined;
  #ef: number | null = DEFAULT_EF;
  /** Query words looked up in SQLite while the matrix was loaded (see {@link LOOKUPS_BEFORE_TABLE}). */
  #lookups = 0;

  constructor(state: ModelState, sql: ModelStatements) {
    this.#state = state;
    this.#sql = sql;
  }

  get dim(): number {
    return this.#state.row.dim;
  }

  get size(): number {
    return this.#state.row.vocab_size;
  }

  /**
   * The row of `word`: one SQLite statement, or once a loaded model has looked up
   * {@link LOOKUPS_BEFORE_TABLE} words, a probe of its spellings' hash table.
   */
  rowOf(word: string): number {
    const state = this.#state;
    // The spellings are those of the matrix a query then searches (a refresh that finds the model
    // replaced drops both), so the row found is a row of that matrix.
    const spellings = state.current?.spellings;
    if (spellings && (spellings.indexed || ++this.#lookups > LOOKUPS_BEFORE_TABLE))
      return spellings.rowOf(word);
    let idx = this.#sql.idxOf(state.row.id, word);
    if (idx === undefined && state.replacedMeanwhile()) idx = this.#sql.idxOf(state.row.id, word);
    return idx ?? -1;
  }

  /** Unit row `row`, from memory when float32 is loaded, else one block read from SQLite. */
  unitRow(row: number): Float32Array {
    const { dim, id, block_rows: blockRows } = this.#state.row;
    const m = this.#state.current?.scorer?.matrix;
    if (m) return m.subarray(row * dim, (row + 1) * dim);
    return float32From(this.#sql.unitRowBytes(id, row, dim, blockRows));
  }

  /** The stored vector: rows are kept unit-length with their norm beside them, so unit row × norm. */
  vector(row: number): Float32Array {
    const unit = this.unitRow(row);
    const norm = this.#sql.normAt(this.#state.row.id, row);
    const out = new Float32Array(unit.length);
    for (let d = 0; d < out.length; d++) out[d] = unit[d] * norm;
    return out;
  }

  /** The words of `rows`: from memory when the matrix is loaded, else one SQLite statement. */
  wordsAt(rows: ArrayLike<number>): string[] {
    const spellings = this.#state.current?.spellings;
    if (spellings) return spellings.wordsAt(rows);
    return this.#sql.wordsAt(this.#state.row.id, rows);
  }

  /** The graph's calibrated beam width (null: none reaches its target), parsed once per model row. */
  #defaultEf(): number | null {
    const row = this.#state.row;
    if (this.#annOf !== row) {
      this.#annOf = row;
      const ann = row.ann === null ? undefined : (JSON.parse(row.ann) as AnnInfo);
      this.#ef = ann?.calibration ? ann.calibration.ef : DEFAULT_EF;
    }
    return this.#ef;
  }

  scanRows(unitQuery: Float32Array, end: number): Float32Array {
    const scorer = this.#state.loadedAsIs().scorer;
    if (!scorer) {
      throw new StoreError(
        'NOT_SUPPORTED',
        `this query scores every row exactly and needs the float32 matrix; model ${JSON.stringify(this.#state.row.name)} is loaded as int8`,
      );
    }
    scorer.score(unitQuery, 0, end);
    return scorer.scores;
  }

  nearest(unitQuery: Float32Array, options: NearestOptions, extra: StoredQueryOptions = {}): NearestRows {
    const state = this.#state;
    const loaded = state.loadedAsIs();
    if (extra.ef !== undefined && !(Number.isInteger(extra.ef) && extra.ef >= 1)) {
      throw new StoreError('INVALID_ARGUMENT', `ef must be a positive integer, got ${extra.ef}`);
    }
    // A graph measured unable to reach its target recall at any width is walked only when asked to.
    const ef = extra.ef ?? this.#defaultEf();
    const useGraph = !extra.exact && ef !== null && options.end >= this.size && state.readGraph(loaded);
    if (!useGraph && loaded.scorer) {
      const int8 = state.prefilter(loaded);
      return int8
        ? prefilteredNearest(loaded.scorer, int8, unitQuery, options)
        : exactNearest(loaded.scorer, unitQuery, options);
    }
    return approximateNearest(
      {
        dim: this.dim,
        matrix: loaded.scorer?.matrix,
        scorer: loaded.scorer,
        int8: loaded.int8,
        hnsw: useGraph ? loaded.hnsw : undefined,
      },
      unitQuery,
      options,
      ef ?? DEFAULT_EF,
      (row) => this.unitRow(row),
    );
  }
}
