/**
 * Int8 quantisation of a unit-row matrix with one scale per row (symmetric, absmax / 127), which
 * keeps 1 byte per component instead of 4. Queries stay float32 ("asymmetric" scoring, as in
 * Jégou et al., "Product quantization for nearest neighbor search", TPAMI 2011, §3.1), so only the
 * stored side carries quantisation error; the best candidates are then re-ranked on exact rows.
 */
import type { QueryScorer } from './hnsw.js';

/** A quantised `rows × dim` matrix: row r is approximately `scales[r] · codes[r·dim … r·dim+dim)`. */
export interface Int8Matrix {
  rows: number;
  dim: number;
  codes: Int8Array;
  scales: Float32Array;
}

/** Allocates an empty quantised matrix to be filled block by block with {@link quantizeRows}. */
export function createInt8Matrix(rows: number, dim: number): Int8Matrix {
  return { rows, dim, codes: new Int8Array(rows * dim), scales: new Float32Array(rows) };
}

/**
 * Quantises `count` float32 rows of `src` into rows `first…first+count` of `target`.
 *
 * @example
 * ```ts
 * const q = createInt8Matrix(2, 2);
 * quantizeRows(new Float32Array([0.6, 0.8, 1, 0]), 0, 2, q); // q.codes = [95, 127, 127, 0]
 * ```
 */
export function quantizeRows(src: Float32Array, first: number, count: number, target: Int8Matrix): void {
  const { dim, codes, scales } = target;
  for (let r = 0; r < count; r++) {
    const o = r * dim;
    let max = 0;
    for (let d = 0; d < dim; d++) {
      const a = Math.abs(src[o + d]);
      if (a > max) max = a;
    }
    const scale = max / 127;
    scales[first + r] = scale;
    const inv = scale > 0 ? 1 / scale : 0;
    const t = (first + r) * dim;
    for (let d = 0; d < dim; d++) codes[t + d] = Math.round(src[o + d] * inv);
  }
}

/** A {@link QueryScorer} of a float32 query against quantised rows. */
export function int8Scorer(m: Int8Matrix, query: Float32Array): QueryScorer {
  const { dim, codes, scales } = m;
  return {
    score(row: number): number {
      let s = 0;
      const o = row * dim;
      for (let d = 0; d < dim; d++) s += codes[o + d] * query[d];
      return s * scales[row];
    },
  };
}

/**
 * Writes `out[r] ≈ query · row r` for every row r in `[start, end)` of the quantised matrix: the
 * scan of int8 search, one tight loop (no call per row).
 *
 * @example
 * ```ts
 * const out = new Float32Array(q.rows);
 * int8ScoreRows(q, unitQuery, 0, q.rows, out); // then selectTopK(out, pool) and re-rank exactly
 * ```
 */
export function int8ScoreRows(
  m: Int8Matrix,
  query: Float32Array,
  start: number,
  end: number,
  out: Float32Array,
): void {
  const { dim, codes, scales } = m;
  for (let r = start, o = start * dim; r < end; r++, o += dim) {
    let s = 0;
    for (let d = 0; d < dim; d++) s += codes[o + d] * query[d];
    out[r] = s * scales[r];
  }
}
