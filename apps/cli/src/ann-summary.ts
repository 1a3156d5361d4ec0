import type { AnnInfo } from '@wordvec/vector-store';

/**
 * The clause an import's summary gives a stored HNSW graph: the beam width its queries use by
 * default and the recall it was measured at, or that queries scan because no width reached it.
 *
 * @example
 * ```ts
 * describeAnn({ kind: 'hnsw', M: 16, efConstruction: 100, seed: 1, calibration: { ef: 24, recall: 0.996, queries: 400, targetRecall: 0.99 } });
 * // 'an HNSW graph (M 16), beam width 24 by default (recall@10 0.996 on 400 of its rows)'
 * ```
 */
export function describeAnn(ann: AnnInfo): string {
  const c = ann.calibration;
  if (!c) return `an HNSW graph (M ${ann.M}), beam width 64 by default`;
  if (c.ef === null)
    return `an HNSW graph (M ${ann.M}) whose best recall@10 was ${c.recall.toFixed(3)} on ${c.queries} of its rows, short of ${c.targetRecall}: queries scan every row`;
  return `an HNSW graph (M ${ann.M}), beam width ${c.ef} by default (recall@10 ${c.recall.toFixed(3)} on ${c.queries} of its rows)`;
}
