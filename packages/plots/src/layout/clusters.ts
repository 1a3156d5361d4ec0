/**
 * Colour groups for a map: spherical k-means (cosine) on the words' unit vectors, seeded k-means++
 * initialisation (Arthur & Vassilvitskii 2007), a fixed number of Lloyd iterations. Clusters are
 * numbered by their first member, so colours do not depend on the initialisation order.
 */
import { createRandom, InvalidArgumentError } from '@wordvec/embeddings';
import { dot } from '@wordvec/embeddings/kernels';

/** Options of {@link clusterRows}. */
export interface ClusterOptions {
  /** Number of clusters; default ≈ √(n / 2), between 1 and 8. */
  k?: number;
  /** Seed of the k-means++ draws. Default 1. */
  seed?: number;
  /** Lloyd iterations at most. Default 25. */
  iterations?: number;
}

/** Colour groups {@link clusterRows} makes by default: ≈ √(n/2), 1–8. */
export function defaultClusterCount(n: number): number {
  return Math.max(1, Math.min(8, Math.round(Math.sqrt(n / 2))));
}

/**
 * The cluster (0 … k−1) of each of `n` rows of `dim` values; rows need not be unit length.
 *
 * @example
 * ```ts
 * const groups = clusterRows(rows, 20, 300, { k: 3 }); // Int32Array of 20 cluster numbers
 * ```
 */
export function clusterRows(
  rows: ArrayLike<number>,
  n: number,
  dim: number,
  options: ClusterOptions = {},
): Int32Array {
  const { seed = 1, iterations = 25 } = options;
  const k = Math.min(n, options.k ?? defaultClusterCount(n));
  if (!Number.isInteger(k) || k < 1) throw new InvalidArgumentError(`k must be a positive integer, got ${k}`);
  const unit = new Float64Array(n * dim);
  for (let r = 0; r < n; r++) {
    const norm = Math.sqrt(dot(rows, rows, dim, r * dim, r * dim));
    const inv = norm > 0 ? 1 / norm : 0;
    for (let d = 0; d < dim; d++) unit[r * dim + d] = rows[r * dim + d] * inv;
  }
  const random = createRandom(seed);
  const centres = new Float64Array(k * dim);
  // k-means++: the first centre uniformly, each next one with probability ∝ squared distance to the nearest.
  const nearest = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
  let pick = Math.floor(random() * n);
  for (let c = 0; c < k; c++) {
    centres.set(unit.subarray(pick * dim, (pick + 1) * dim), c * dim);
    let total = 0;
    for (let r = 0; r < n; r++) {
      const d2 = Math.max(0, 2 - 2 * dot(unit, centres, dim, r * dim, c * dim));
      if (d2 < nearest[r]) nearest[r] = d2;
      total += nearest[r];
    }
    if (total <= 0) break;
    let target = random() * total;
    pick = n - 1;
    for (let r = 0; r < n; r++) {
      target -= nearest[r];
      if (target < 0) {
        pick = r;
        break;
      }
    }
  }
  const assign = new Int32Array(n).fill(-1);
  for (let it = 0; it < iterations; it++) {
    let moved = false;
    for (let r = 0; r < n; r++) {
      let best = 0;
      let bestScore = Number.NEGATIVE_INFINITY;
      for (let c = 0; c < k; c++) {
        const s = dot(unit, centres, dim, r * dim, c * dim);
        if (s > bestScore) {
          bestScore = s;
          best = c;
        }
      }
      if (assign[r] !== best) {
        assign[r] = best;
        moved = true;
      }
    }
    if (!moved) break;
    centres.fill(0);
    for (let r = 0; r < n; r++) {
      const o = assign[r] * dim;
      for (let d = 0; d < dim; d++) centres[o + d] += unit[r * dim + d];
    }
    for (let c = 0; c < k; c++) {
      const norm = Math.sqrt(dot(centres, centres, dim, c * dim, c * dim));
      if (norm > 0) for (let d = 0; d < dim; d++) centres[c * dim + d] /= norm;
    }
  }
  // Renumber by first member so the same grouping always gets the same colours.
  const renumber = new Int32Array(k).fill(-1);
  let next = 0;
  const out = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    if (renumber[assign[r]] < 0) renumber[assign[r]] = next++;
    out[r] = renumber[assign[r]];
  }
  return out;
}
