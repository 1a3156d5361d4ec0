/**
 * Word Mover's Distance (Kusner et al. 2015, "From Word Embeddings To Document Distances", eq. 1)
 * the way gensim 4's `wmdistance` sets it up: normalised bag-of-words weights (count / document
 * length) over each document's distinct words, Euclidean distances between their vectors, and the
 * exact transport cost between the two bags (`linalg/transport.ts`).
 */
import { earthMoversDistance } from '../linalg/transport.js';
import type { RowSource } from './row-source.js';

/** gensim returns Infinity rather than ask EMD about an all-zero cost matrix (`abs(sum) < 1e-8`). */
const ZERO_COSTS = 1e-8;

function bag(doc: readonly string[]): { words: string[]; weights: Float64Array } {
  const counts = new Map<string, number>();
  for (const w of doc) counts.set(w, (counts.get(w) ?? 0) + 1);
  const words = [...counts.keys()];
  return { words, weights: Float64Array.from(words, (w) => (counts.get(w) as number) / doc.length) };
}

/**
 * WMD between two documents whose words are all in `source` (the caller drops the others).
 * @returns Infinity when a document is empty or every distance is zero, 0 when both hold one same word.
 */
export function wordMoversDistance(
  source: RowSource<object>,
  first: readonly string[],
  second: readonly string[],
  norm: boolean,
): number {
  if (first.length === 0 || second.length === 0) return Number.POSITIVE_INFINITY;
  const a = bag(first);
  const b = bag(second);
  if (a.words.length === 1 && b.words.length === 1 && a.words[0] === b.words[0]) return 0;
  const row = (w: string) => {
    const r = source.rowOf(w);
    return norm ? source.unitRow(r) : source.vector(r);
  };
  const va = a.words.map(row);
  const vb = b.words.map(row);
  const cost = new Float64Array(a.words.length * b.words.length);
  let sum = 0;
  for (let i = 0; i < va.length; i++) {
    for (let j = 0; j < vb.length; j++) {
      let ss = 0;
      const x = va[i];
      const y = vb[j];
      for (let d = 0; d < x.length; d++) {
        const diff = x[d] - y[d];
        ss += diff * diff;
      }
      const c = Math.sqrt(ss);
      cost[i * vb.length + j] = c;
      sum += c;
    }
  }
  if (Math.abs(sum) < ZERO_COSTS) return Number.POSITIVE_INFINITY;
  return earthMoversDistance(a.weights, b.weights, cost);
}
