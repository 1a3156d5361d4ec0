/**
 * The exact nearest-row strategy: score every candidate row on the row-scoring kernel, then keep
 * the best with the one top-k. Used by in-memory vectors and by stored float32 models.
 */
import { selectTopK } from '../linalg/top-k.js';
import type { RowScorer } from './row-scorer.js';
import type { NearestOptions, NearestRows } from './row-source.js';

/**
 * The `topn` rows of `scorer.matrix` in `[0, end)` with the highest dot product with `unitQuery`,
 * `exclude` left out, best first; equal scores keep the lower row first.
 *
 * @example
 * ```ts
 * const scorer = createRowScorer(3, 2);
 * scorer.matrix.set([1, 0, 0, 1, 0.6, 0.8]);
 * exactNearest(scorer, new Float32Array([0, 1]), { topn: 2, end: 3, exclude: new Int32Array([1]) });
 * // { rows: Int32Array [2, 0], scores: Float32Array [0.8, 0] }
 * ```
 */
export function exactNearest(
  scorer: RowScorer,
  unitQuery: Float32Array,
  options: NearestOptions,
): NearestRows {
  scorer.score(unitQuery, 0, options.end);
  return selectTopK(scorer.scores, options.topn, {
    end: options.end,
    exclude: options.exclude,
    firstAbove: scorer.firstAbove,
  });
}
