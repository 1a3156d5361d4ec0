/**
 * Orthogonal Procrustes (Schönemann 1966), the alignment Hamilton, Leskovec & Jurafsky (2016,
 * "Diachronic word embeddings reveal statistical laws of semantic change", eq. 4) use to put two
 * embedding spaces side by side: the rotation W minimising ‖S·W − T‖_F over orthogonal W is U·Vᵀ
 * where SᵀT = U·Σ·Vᵀ. Rotations keep every cosine within a model, so only the cross-model ones move.
 */
import { InvalidArgumentError } from '../errors.js';
import { dot } from './dot.js';
import { jacobiSvd } from './jacobi-svd.js';
import { type TransposePrecision, transposeProduct } from './transpose-product.js';

/** The rotation of {@link orthogonalProcrustes} and how well it fits. */
export interface Procrustes {
  dim: number;
  /** Row-major `dim × dim` orthogonal matrix W: a source row times W lands in the target space. */
  rotation: Float64Array;
  /** Singular values of SᵀT, descending (their sum is tr(Wᵀ·SᵀT), the fit's total agreement). */
  singularValues: Float64Array;
  /**
   * tr(Wᵀ·SᵀT) = Σᵢ (sourceᵢ·W)·targetᵢ, from the rotation as computed: for unit rows, the sum of the rows'
   * cosines after the rotation (no pass over the rows needed).
   */
  agreement: number;
}

/**
 * Options of {@link orthogonalProcrustes}.
 *
 * @example
 * ```ts
 * const options: ProcrustesOptions = { precision: 'float32-blocks' };
 * ```
 */
export interface ProcrustesOptions {
  /**
   * How sourceᵀ·target is summed (see {@link TransposePrecision}): `float64` (the default), or
   * `float32-blocks`, twice as fast, for float32 rows such as word vectors. The rank test follows the
   * precision: a singular value under 1e-10 (float64) or 1e-5 (float32 blocks) of the largest counts as 0.
   */
  precision?: TransposePrecision;
}

/**
 * The orthogonal `dim × dim` matrix W minimising ‖source·W − target‖_F, both row-major
 * `rows × dim` with row i of each describing the same item (for word vectors: the same word, unit
 * rows, as Hamilton et al. 2016). sourceᵀ·target is formed by the cache-blocked transposed product
 * (WebAssembly SIMD where it runs, sums in float64 unless `options.precision` says otherwise), and its SVD
 * by one-sided Jacobi on the `dim × dim` matrix itself (WebAssembly SIMD sweeps where they run). Async so that callers may await it as they did when the SVD yielded between steps.
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
  options: ProcrustesOptions = {},
): Promise<Procrustes> {
  const precision = options.precision ?? 'float64';
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
  const m = transposeProduct(source, target, rows, dim, { precision });
  if (!m.every(Number.isFinite)) {
    // A value that is not finite reaches SᵀT (∞·0 and ∞ − ∞ are NaN), so only then look for it.
    findNotFinite(source, dim, 'source');
    findNotFinite(target, dim, 'target');
    throw new InvalidArgumentError(
      `sourceᵀ·target overflows ${precision === 'float64' ? 'float64' : 'float32'}: the values are too large to align`,
    );
  }
  const { u, s: sigma, v } = jacobiSvd(m, dim);
  if (!(sigma[dim - 1] > (precision === 'float64' ? 1e-10 : 1e-5) * sigma[0])) {
    throw new InvalidArgumentError(
      `the shared rows span fewer than ${dim} directions (a singular value of sourceᵀ·target is 0), so no rotation is determined`,
    );
  }
  // W = U·Vᵀ = (Uᵀ)ᵀ·Vᵀ (U, V row-major with the singular vectors as columns).
  const rotation = transposeProduct(transposed(u, dim), transposed(v, dim), dim, dim);
  return { dim, rotation, singularValues: sigma, agreement: dot(rotation, m, dim * dim) };
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

/** The transpose of a row-major `n × n` matrix. */
function transposed(x: Float64Array, n: number): Float64Array {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out[j * n + i] = x[i * n + j];
  return out;
}

/** Throws naming the first row of `a` (row-major, `dim` wide) that holds a value that is not finite. */
function findNotFinite(a: ArrayLike<number>, dim: number, name: string): void {
  for (let i = 0; i < a.length; i++) {
    if (!Number.isFinite(a[i])) {
      throw new InvalidArgumentError(
        `${name} row ${Math.floor(i / dim)} holds a value that is not finite (${a[i]})`,
      );
    }
  }
}
