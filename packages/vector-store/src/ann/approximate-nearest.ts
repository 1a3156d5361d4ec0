/**
 * The store's approximate nearest-row strategies behind the one query layer: walk the HNSW graph,
 * or scan int8 rows, or both; int8 candidates are then re-ranked on exact float32 rows, so every
 * score handed back is an exact cosine.
 */
import type { NearestOptions, NearestRows } from '@wordvec/embeddings';
import type { RowScorer } from '@wordvec/embeddings/kernels';
import { dot, type Int8Matrix, int8ScoreRows, int8Scorer, selectTopK } from '@wordvec/embeddings/kernels';
import { StoreError } from '../errors.js';
import { type BatchScorer, floatScorer, type HnswIndex, searchHnsw } from './hnsw.js';

/** What is in memory to search: the float32 unit matrix or its int8 codes, and maybe a graph. */
export interface ApproximateRows {
  dim: number;
  /** The float32 unit rows, when loaded as float32. */
  matrix?: Float32Array;
  /** The row scorer holding `matrix`: graph walks score through its gather (its WebAssembly kernel). */
  scorer?: RowScorer;
  /** The int8 rows, when loaded as int8, with a score buffer of one float per row for scans. */
  int8?: { matrix: Int8Matrix; scores: Float32Array };
  /** The graph, when one is used for this query. */
  hnsw?: HnswIndex;
}

/**
 * Nearest rows through the graph (beam width `ef`) or, without one, an int8 scan; int8 candidates
 * (a pool of up to max(2·topn, 20)) are re-ranked on `exactRow`, as far down as one could still
 * make the answer. Best first, ties to the lower row.
 *
 * @example
 * ```ts
 * approximateNearest({ dim, matrix, hnsw }, unitQuery, { topn: 10, end: n, exclude }, 64, (r) => row(r));
 * ```
 */
export function approximateNearest(
  rows: ApproximateRows,
  query: Float32Array,
  { topn, end, exclude }: NearestOptions,
  ef: number,
  exactRow: (row: number) => Float32Array,
): NearestRows {
  const { dim, int8, hnsw } = rows;
  // int8 scores are re-ranked on exact rows, so fetch a wider pool than asked for.
  const pool = int8 ? Math.max(2 * topn, 20) : topn;
  let ids: ArrayLike<number>;
  let scores: ArrayLike<number>;
  if (hnsw) {
    const scorer: BatchScorer = int8
      ? int8Scorer(int8.matrix, query)
      : rows.scorer
        ? rows.scorer.gather(query)
        : floatScorer(rows.matrix as Float32Array, dim, query);
    const wanted = pool + exclude.length;
    ({ ids, scores } = searchHnsw(hnsw, scorer, wanted, Math.max(ef, wanted)));
  } else if (int8) {
    ({ rows: ids, scores } = selectTopK(int8ScoreRows(int8.matrix, query, 0, end), pool, {
      end,
      exclude,
      firstAbove: int8.matrix.firstAbove,
    }));
  } else {
    throw new StoreError('NOT_SUPPORTED', 'an approximate search needs a graph or int8 rows');
  }
  if (int8) return reRank(int8.matrix, ids, scores, query, topn, exclude, exactRow);
  // Graph answers on float32 rows are exact scores already: drop the excluded, keep the first topn.
  const keep: number[] = [];
  for (let i = 0; i < ids.length && keep.length < topn; i++) if (!isListed(exclude, ids[i])) keep.push(i);
  return at(ids, scores, keep);
}

/**
 * Entries `positions` of `ids` and `scores`, as typed arrays filled by a loop (`TypedArray.from`
 * with a map function cost 7 % of a graph query in a profile).
 */
function at(ids: ArrayLike<number>, scores: ArrayLike<number>, positions: readonly number[]): NearestRows {
  const rows = new Int32Array(positions.length);
  const kept = new Float32Array(positions.length);
  for (let k = 0; k < positions.length; k++) {
    rows[k] = ids[positions[k]];
    kept[k] = scores[positions[k]];
  }
  return { rows, scores: kept };
}

/**
 * The best `topn` of int8 candidates (best first by int8 score) by exact score on `exactRow`.
 * Candidates are re-ranked in order and the re-rank stops once the next one, even raised by the
 * largest {@link Int8Matrix.scoreErrorBound} of those left, scores below the `topn`-th exact score
 * held: it could not make the answer. Each exact row is a read from SQLite, so this reads ~topn
 * rows where the fixed pool read twice that. Best first, ties to the lower row.
 */
function reRank(
  m: Int8Matrix,
  ids: ArrayLike<number>,
  scores: ArrayLike<number>,
  query: Float32Array,
  topn: number,
  exclude: ArrayLike<number>,
  exactRow: (row: number) => Float32Array,
): NearestRows {
  const n = ids.length;
  // reach[i]: the largest error bound of candidates i…n−1.
  const reach = new Float64Array(n + 1);
  for (let i = n - 1; i >= 0; i--) reach[i] = Math.max(reach[i + 1], m.scoreErrorBound(ids[i]));
  const keep: number[] = [];
  const keepScores: number[] = [];
  // The topn best exact scores so far, descending; its last is the score to beat.
  const held: number[] = [];
  for (let i = 0; i < n; i++) {
    const row = ids[i];
    if (isListed(exclude, row)) continue;
    if (held.length === topn && (topn === 0 || scores[i] + reach[i] < held[topn - 1])) break;
    const exact = dot(exactRow(row), query, m.dim);
    keep.push(row);
    keepScores.push(exact);
    let at = held.length;
    while (at > 0 && held[at - 1] < exact) at--;
    if (at < topn) {
      held.splice(at, 0, exact);
      if (held.length > topn) held.pop();
    }
  }
  const order = keep.map((_, i) => i);
  order.sort((a, b) => keepScores[b] - keepScores[a] || keep[a] - keep[b]);
  return at(keep, keepScores, order.slice(0, topn));
}

function isListed(list: ArrayLike<number>, row: number): boolean {
  for (let i = 0; i < list.length; i++) if (list[i] === row) return true;
  return false;
}
