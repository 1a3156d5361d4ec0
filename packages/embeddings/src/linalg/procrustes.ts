/**
 * Orthogonal Procrustes (Schönemann 1966), the alignment Hamilton, Leskovec & Jurafsky (2016,
 * "Diachronic word embeddings reveal statistical laws of semantic change", eq. 4) use to put two
 * embedding spaces side by side: the rotation W minimising ‖S·W − T‖_F over orthogonal W is U·Vᵀ
 * where SᵀT = U·Σ·Vᵀ. Rotations keep every cosine within a model, so only the cross-model ones move.
 */
import { InvalidArgumentError } from '../errors.js';
import { dot } from './dot.js';
import { randomizedSvd } from './randomized-svd.js';
import { csrFromDense } from './sparse-matrix.js';

/** The rotation of {@link orthogonalProcrustes} and how well it fits. */
export interface Procrustes {
  dim: number;
  /** Row-major `dim × dim` orthogonal matrix W: a source row times W lands in the target space. */
  rotation: Float64Array;
  /** Singular values of SᵀT, descending (their sum is tr(Wᵀ·SᵀT), the fit's total agreement). */
  singularValues: Float64Array;
}

/**
 * The orthogonal `dim × dim` matrix W minimising ‖source·W − target‖_F, both row-major
 * `rows × dim` with row i of each describing the same item (for word vectors: the same word, unit
 * rows, as Hamilton et al. 2016). Computed from the SVD of the `dim × dim` matrix sourceᵀ·target
 * with the package's own {@link randomizedSvd} at full rank (exact there); the products are sums
 * in float64. Async because the SVD yields to the event loop between its steps.
 *
 * @throws {@link InvalidArgumentError} when the arrays do not hold `rows × dim` values, `rows < dim`
 *   is not the case, a value is not finite, or the rows span fewer than `dim` directions (the
 *   rotation is then not determined).
 * @example
 * ```ts
 * // Rows of a model B and the same words' rows in a model A: B·W is B in A's coordinates.
 * const { rotation } = await orthogonalProcrustes(rowsB, rowsA, words.length, 50);
 * const inA = rotateRow(rowsB.subarray(0, 50), rotation, 50);
 * ```
 */
export async function orthogonalProcrustes(
  source: ArrayLike<number>,
  target: ArrayLike<number>,
  rows: number,
  dim: number,
): Promise<Procrustes> {
  if (!Number.isInteger(dim) || dim < 1)
    throw new InvalidArgumentError(`dim must be a positive integer, got ${dim}`);
  if (!Number.isInteger(rows) || rows < dim) {
    throw new InvalidArgumentError(
      `an orthogonal alignment of ${dim} dimensions needs at least ${dim} shared rows, got ${rows}`,
    );
  }
  if (source.length !== rows * dim || target.length !== rows * dim) {
    throw new InvalidArgumentError(
      `source and target must hold ${rows} × ${dim} = ${rows * dim} values, got ${source.length} and ${target.length}`,
    );
  }
  // Column-major copies, so each entry of SᵀT is one contiguous dot product (the package's one dot).
  const s = columns(source, rows, dim, 'source');
  const t = columns(target, rows, dim, 'target');
  const m = new Float64Array(dim * dim);
  for (let j = 0; j < dim; j++)
    for (let k = 0; k < dim; k++) m[j * dim + k] = dot(s, t, rows, j * rows, k * rows);
  const {
    u,
    s: sigma,
    v,
  } = await randomizedSvd(csrFromDense(m, dim, dim), dim, {
    oversample: 0,
    powerIterations: 0,
    seed: 1,
  });
  if (!(sigma[dim - 1] > 1e-10 * sigma[0])) {
    throw new InvalidArgumentError(
      `the shared rows span fewer than ${dim} directions (a singular value of sourceᵀ·target is 0), so no rotation is determined`,
    );
  }
  // W = U·Vᵀ (U, V row-major dim × dim with the singular vectors as columns).
  const rotation = new Float64Array(dim * dim);
  for (let i = 0; i < dim; i++)
    for (let j = 0; j < dim; j++) rotation[i * dim + j] = dot(u, v, dim, i * dim, j * dim);
  return { dim, rotation, singularValues: sigma };
}

/**
 * `row · rotation` (a row vector times a row-major `dim × dim` matrix), in float64.
 *
 * @example
 * ```ts
 * const inA = rotateRow(modelB.getUnit('gay'), alignment.rotation, alignment.dim);
 * ```
 */
export function rotateRow(row: ArrayLike<number>, rotation: ArrayLike<number>, dim: number): Float64Array {
  if (row.length !== dim || rotation.length !== dim * dim) {
    throw new InvalidArgumentError(
      `rotateRow needs a row of ${dim} values and a ${dim} × ${dim} rotation, got ${row.length} and ${rotation.length} values`,
    );
  }
  const out = new Float64Array(dim);
  for (let i = 0; i < dim; i++) {
    const x = row[i];
    if (x === 0) continue;
    const o = i * dim;
    for (let j = 0; j < dim; j++) out[j] += x * rotation[o + j];
  }
  return out;
}

function columns(a: ArrayLike<number>, rows: number, dim: number, name: string): Float64Array {
  const out = new Float64Array(rows * dim);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < dim; c++) {
      const x = a[r * dim + c];
      if (!Number.isFinite(x))
        throw new InvalidArgumentError(`${name} row ${r} holds a value that is not finite (${x})`);
      out[c * rows + r] = x;
    }
  }
  return out;
}
