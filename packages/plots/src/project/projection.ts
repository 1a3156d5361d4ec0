/**
 * Two-dimensional projections of a few hundred word vectors: PCA through the project's own randomised
 * SVD (`randomizedSvd` of `@wordvec/embeddings`, run with as many directions as the matrix has rows, so
 * the two components are exact), and UMAP through `umap-js` driven by the project's seeded generator.
 * Both take unit vectors (cosine geometry) and give the same coordinates for the same input and seed.
 */
import { type CsrMatrix, createRandom, InvalidArgumentError, randomizedSvd } from '@wordvec/embeddings';
import { UMAP } from 'umap-js';

/** The projections a picture can use. */
export type ProjectionKind = 'pca' | 'umap';

/** The names accepted for {@link ProjectionKind}. */
export const PROJECTIONS: readonly ProjectionKind[] = ['pca', 'umap'];

/** Below this many points UMAP has no neighbourhood graph to speak of; PCA is used instead. */
export const UMAP_MIN_POINTS = 6;

/** Options of {@link projectRows}. */
export interface ProjectionOptions {
  projection?: ProjectionKind;
  /** Seed of the SVD's test matrix and of UMAP's initialisation and sampling. Default 1. */
  seed?: number;
  /**
   * Normalise each row to unit length first (cosine geometry). Default true; false keeps the rows as
   * given (an analogy's target a − b + c stays the exact sum, so PCA draws its offsets parallel).
   */
  normalize?: boolean;
}

/** Points in the plane, one per input row. */
export interface Projection {
  /** The projection actually used (`umap` asked for fewer than {@link UMAP_MIN_POINTS} points gives `pca`). */
  projection: ProjectionKind;
  x: Float64Array;
  y: Float64Array;
  /** PCA: the share of the centred rows' variance along each axis (0–1). */
  explained?: [number, number];
}

/**
 * Projects `n` rows of `dim` values (row-major, normalised to unit length first unless `normalize` is false) to the plane.
 *
 * @throws {@link InvalidArgumentError} for no rows, a size mismatch or a non-finite value.
 * @example
 * ```ts
 * const { x, y, explained } = await projectRows(rows, 12, 300, { projection: 'pca' });
 * ```
 */
export async function projectRows(
  rows: Float32Array,
  n: number,
  dim: number,
  options: ProjectionOptions = {},
): Promise<Projection> {
  const { projection = 'pca', seed = 1, normalize = true } = options;
  if (!PROJECTIONS.includes(projection)) {
    throw new InvalidArgumentError(
      `projection must be one of ${PROJECTIONS.join(', ')}, got ${String(projection)}`,
    );
  }
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`need at least one row, got ${n}`);
  if (!Number.isInteger(dim) || dim < 1 || rows.length !== n * dim) {
    throw new InvalidArgumentError(`expected ${n} × ${dim} values, got ${rows.length}`);
  }
  const unit = unitRows(rows, n, dim, normalize);
  if (projection === 'umap' && n >= UMAP_MIN_POINTS) return umap(unit, n, dim, seed);
  return pca(unit, n, dim, seed);
}

function unitRows(rows: Float32Array, n: number, dim: number, normalize: boolean): Float64Array {
  const out = new Float64Array(n * dim);
  for (let r = 0; r < n; r++) {
    let sum = 0;
    for (let d = 0; d < dim; d++) {
      const v = rows[r * dim + d];
      if (!Number.isFinite(v)) throw new InvalidArgumentError(`row ${r} has a non-finite value`);
      sum += v * v;
    }
    const inv = !normalize ? 1 : sum > 0 ? 1 / Math.sqrt(sum) : 0;
    for (let d = 0; d < dim; d++) out[r * dim + d] = rows[r * dim + d] * inv;
  }
  return out;
}

async function pca(unit: Float64Array, n: number, dim: number, seed: number): Promise<Projection> {
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  const centred = new Float64Array(n * dim);
  let total = 0;
  for (let d = 0; d < dim; d++) {
    let mean = 0;
    for (let r = 0; r < n; r++) mean += unit[r * dim + d];
    mean /= n;
    for (let r = 0; r < n; r++) {
      const v = unit[r * dim + d] - mean;
      centred[r * dim + d] = v;
      total += v * v;
    }
  }
  const smaller = Math.min(n, dim);
  // One or two distinct points, or every row the same: nothing to factorise.
  if (smaller < 2 || total <= 1e-12) {
    if (n === 2 && total > 1e-12) {
      x[0] = -0.5;
      x[1] = 0.5;
    }
    return { projection: 'pca', x, y, explained: [total > 1e-12 ? 1 : 0, 0] };
  }
  const rowPtr = new Float64Array(n + 1);
  const colIndex = new Uint32Array(n * dim);
  for (let r = 0; r <= n; r++) rowPtr[r] = r * dim;
  for (let k = 0; k < n * dim; k++) colIndex[k] = k % dim;
  const csr: CsrMatrix = { rows: n, cols: dim, rowPtr, colIndex, values: centred };
  // As many directions as the smaller side: the range is captured whole and the SVD is exact.
  const svd = await randomizedSvd(csr, 2, { oversample: smaller - 2, powerIterations: 1, seed });
  for (const [k, out] of [
    [0, x],
    [1, y],
  ] as const) {
    // Fix the sign (an SVD's columns are defined up to ±1): the point farthest out is positive.
    let extreme = 0;
    for (let r = 0; r < n; r++) {
      const v = svd.u[r * 2 + k];
      if (Math.abs(v) > Math.abs(extreme) + 1e-12) extreme = v;
    }
    const sign = extreme < 0 ? -1 : 1;
    for (let r = 0; r < n; r++) out[r] = sign * svd.u[r * 2 + k] * svd.s[k];
  }
  const explained: [number, number] = [(svd.s[0] * svd.s[0]) / total, (svd.s[1] * svd.s[1]) / total];
  return { projection: 'pca', x, y, explained };
}

function umap(unit: Float64Array, n: number, dim: number, seed: number): Projection {
  const data: number[][] = [];
  for (let r = 0; r < n; r++) data.push(Array.from(unit.subarray(r * dim, (r + 1) * dim)));
  const model = new UMAP({
    nComponents: 2,
    nNeighbors: Math.min(15, n - 1),
    minDist: 0.1,
    // umap-js runs 500 epochs below 2,500 points; 200 (its own choice for larger sets) lays out a few
    // dozen words as well, in 40 % of the time.
    nEpochs: 200,
    random: createRandom(seed),
  });
  const embedding = model.fit(data);
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    x[r] = embedding[r][0];
    y[r] = embedding[r][1];
  }
  return { projection: 'umap', x, y };
}
