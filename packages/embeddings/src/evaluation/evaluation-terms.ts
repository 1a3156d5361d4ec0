/**
 * The input words of an evaluation item, looked up as gensim does (among the first `restrictVocab`
 * words, case-folded), or, when the caller asks, answered by the OOV pipeline.
 */
import type { OovOptions } from '../oov/resolve-word.js';
import type { KeyedVectors } from '../query/keyed-vectors.js';
import { unitOf } from '../query/query-terms.js';

/** An input word as an evaluation uses it: its unit vector, its row (−1 for an estimate), how it was found. */
export interface EvaluationTerm {
  unit: Float32Array;
  row: number;
  /** Answered by the OOV pipeline rather than found among the known words. */
  resolved: boolean;
}

/**
 * Looks typed words up among the known words (gensim's rule); with `oov`, a word that is not known
 * goes through the OOV pipeline on what was typed.
 */
export function termResolver(
  kv: KeyedVectors,
  known: Map<string, number>,
  fold: (w: string) => string,
  unit: Float32Array,
  oov: OovOptions | undefined,
): (typed: string) => EvaluationTerm | undefined {
  const dim = kv.dim;
  return (typed) => {
    const row = known.get(fold(typed));
    if (row !== undefined) return { unit: unit.subarray(row * dim, (row + 1) * dim), row, resolved: false };
    if (!oov) return undefined;
    let got: ReturnType<KeyedVectors['resolve']>;
    try {
      got = kv.resolve(typed, oov);
    } catch (error) {
      if ((error as { code?: string }).code === 'OOV') return undefined;
      throw error;
    }
    if (got.row >= 0)
      return { unit: unit.subarray(got.row * dim, (got.row + 1) * dim), row: got.row, resolved: true };
    return { unit: unitOf(got.vector as Float32Array), row: -1, resolved: true };
  };
}
