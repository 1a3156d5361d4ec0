/**
 * The sparse co-occurrence matrix shared by PPMI and GloVe (docs/ARCHITECTURE.md, "Sparse co-occurrence"),
 * and its CSR row index.
 */
import { InvalidArgumentError } from '../errors.js';

/**
 * Weighted co-occurrence counts X_ij as coordinate records sorted by row, then column.
 *
 * @example
 * ```ts
 * const m: CooccurrenceMatrix = {
 *   vocabSize: 2, nnz: 2,
 *   rows: Uint32Array.of(0, 1), cols: Uint32Array.of(1, 0), values: Float64Array.of(1.5, 1.5),
 * };
 * ```
 */
export interface CooccurrenceMatrix {
  vocabSize: number;
  nnz: number;
  /** i, sorted ascending, then cols ascending. */
  rows: Uint32Array;
  /** j */
  cols: Uint32Array;
  /** X_ij (weighted counts) */
  values: Float64Array;
}

/**
 * Row pointers of a (row, col)-sorted matrix: the entries of row i are `rowPtr[i] … rowPtr[i+1]−1`.
 * Float64Array because nnz may exceed 2^32 on large corpora.
 */
export function rowPointers(m: CooccurrenceMatrix): Float64Array {
  const ptr = new Float64Array(m.vocabSize + 1);
  const rows = m.rows;
  for (let k = 0; k < m.nnz; k++) ptr[rows[k] + 1]++;
  for (let i = 0; i < m.vocabSize; i++) ptr[i + 1] += ptr[i];
  return ptr;
}

/**
 * Checks that `m` keeps the contract: consistent lengths, ids below vocabSize, strictly increasing (row, col).
 * @throws {@link InvalidArgumentError} naming the first bad record.
 */
export function assertCooccurrenceMatrix(m: CooccurrenceMatrix): void {
  const { vocabSize: V, nnz, rows, cols, values } = m;
  if (!Number.isInteger(V) || V < 0)
    throw new InvalidArgumentError(`vocabSize must be a non-negative integer, got ${V}`);
  if (rows.length < nnz || cols.length < nnz || values.length < nnz) {
    throw new InvalidArgumentError(
      `matrix has nnz ${nnz} but rows/cols/values have ${rows.length}/${cols.length}/${values.length} entries`,
    );
  }
  for (let k = 0; k < nnz; k++) {
    if (rows[k] >= V || cols[k] >= V) {
      throw new InvalidArgumentError(`record ${k} (${rows[k]}, ${cols[k]}) is outside vocabSize ${V}`);
    }
    if (k > 0 && (rows[k] < rows[k - 1] || (rows[k] === rows[k - 1] && cols[k] <= cols[k - 1]))) {
      throw new InvalidArgumentError(
        `records are not sorted by (row, col): record ${k} (${rows[k]}, ${cols[k]}) follows (${rows[k - 1]}, ${cols[k - 1]})`,
      );
    }
  }
}
