/**
 * Two models side by side (Hamilton, Leskovec & Jurafsky 2016): an orthogonal Procrustes rotation of
 * one model onto the other, fitted on the words both know, and a word's cosine across the two
 * spaces after it. Internal to the query layer: {@link VectorQueries.alignOnto} and
 * {@link VectorQueries.alignedSimilarity} are how callers reach it.
 */
import { AbortedError, InvalidArgumentError, OovError } from '../errors.js';
import { dot } from '../linalg/dot.js';
import { orthogonalProcrustes, rotateRow } from '../linalg/procrustes.js';
import type { RowSource } from './row-source.js';

/** Default cap on the shared words an alignment is fitted on. */
export const DEFAULT_ALIGNMENT_WORDS = 10_000;
/** Rows of the target read per step while looking for shared words. */
const SCAN_BLOCK = 2048;

/**
 * Options of {@link VectorQueries.alignOnto}.
 *
 * @example
 * ```ts
 * const options: AlignmentOptions = { maxWords: 5000 };
 * await modelB.alignOnto(modelA, options);
 * ```
 */
export interface AlignmentOptions {
  /**
   * Fit on at most this many shared words: the first ones in the target's row order (its most
   * frequent words, for trained models and the usual files; gensim's `restrict_vocab` reading of row
   * order). Default {@link DEFAULT_ALIGNMENT_WORDS} (10,000); at least the dimension.
   */
  maxWords?: number;
  signal?: AbortSignal;
}

/**
 * An orthogonal rotation of a source model onto a target model, and what it was fitted on.
 *
 * @example
 * ```ts
 * const alignment: ModelAlignment = await modelB.alignOnto(modelA);
 * console.log(`${alignment.words} shared words, mean cosine ${alignment.meanCosineBefore} → ${alignment.meanCosineAfter}`);
 * ```
 */
export interface ModelAlignment {
  dim: number;
  /** Row-major `dim × dim` orthogonal W: a source unit row times W is in the target's space. */
  rotation: Float64Array;
  /** Shared words the rotation was fitted on. */
  words: number;
  /** The cap it was fitted under (see {@link AlignmentOptions.maxWords}). */
  maxWords: number;
  /** Target rows scanned to find them: the fit used shared words among the target's first `targetRows` rows. */
  targetRows: number;
  /** Mean cosine of the fitted words across the two models as they are (meaningless unless they share coordinates). */
  meanCosineBefore: number;
  /** The same after the rotation: how well the spaces agree on the shared words. */
  meanCosineAfter: number;
}

/** Fits the rotation of `source` onto `target` (see {@link VectorQueries.alignOnto}). */
export async function alignRowSources(
  target: RowSource<object>,
  source: RowSource<object>,
  options: AlignmentOptions = {},
): Promise<ModelAlignment> {
  const { maxWords = DEFAULT_ALIGNMENT_WORDS, signal } = options;
  const dim = target.dim;
  if (source.dim !== dim) {
    throw new InvalidArgumentError(
      `an alignment needs models of the same dimension; the target has ${dim} dimensions, the source ${source.dim}`,
    );
  }
  if (!Number.isInteger(maxWords) || maxWords < dim || maxWords > 10_000_000) {
    throw new InvalidArgumentError(
      `maxWords must be an integer from the dimension (${dim}) to 10,000,000, got ${maxWords}`,
    );
  }
  const targetRows: number[] = [];
  const sourceRows: number[] = [];
  let scanned = 0;
  while (scanned < target.size && targetRows.length < maxWords) {
    if (signal?.aborted) throw new AbortedError('alignment');
    const end = Math.min(target.size, scanned + SCAN_BLOCK);
    const rows = Array.from({ length: end - scanned }, (_, i) => scanned + i);
    const words = target.wordsAt(rows);
    for (let i = 0; i < words.length && targetRows.length < maxWords; i++) {
      const r = source.rowOf(words[i]);
      scanned = rows[i] + 1;
      if (r >= 0) {
        targetRows.push(rows[i]);
        sourceRows.push(r);
      }
    }
  }
  const n = targetRows.length;
  if (n < dim) {
    throw new InvalidArgumentError(
      `the two models share ${n} words; aligning ${dim} dimensions needs at least ${dim}`,
    );
  }
  const t = new Float32Array(n * dim);
  const s = new Float32Array(n * dim);
  let before = 0;
  for (let i = 0; i < n; i++) {
    const tr = target.unitRow(targetRows[i]);
    const sr = source.unitRow(sourceRows[i]);
    t.set(tr, i * dim);
    s.set(sr, i * dim);
    before += dot(tr, sr);
  }
  if (signal?.aborted) throw new AbortedError('alignment');
  // Σᵢ (sᵢ·W)·tᵢ is tr(Wᵀ·SᵀT), the fit's agreement: no second pass over the rows. The rows are float32
  // unit vectors, so SᵀT is summed in float32 blocks (twice as fast; relative error about 1e-6).
  const { rotation, agreement } = await orthogonalProcrustes(s, t, n, dim, { precision: 'float32-blocks' });
  return {
    dim,
    rotation,
    words: n,
    maxWords,
    targetRows: scanned,
    meanCosineBefore: before / n,
    meanCosineAfter: agreement / n,
  };
}

/** cos(target[word], source[word] · W) (see {@link VectorQueries.alignedSimilarity}). */
export function alignedRowSimilarity(
  target: RowSource<object>,
  source: RowSource<object>,
  word: string,
  alignment: ModelAlignment,
): number {
  if (alignment.dim !== target.dim || alignment.dim !== source.dim) {
    throw new InvalidArgumentError(
      `the alignment is for ${alignment.dim} dimensions; these models have ${target.dim} and ${source.dim}`,
    );
  }
  const rt = target.rowOf(word);
  const rs = source.rowOf(word);
  if (rt < 0 || rs < 0) throw new OovError([word]);
  const rotated = rotateRow(source.unitRow(rs), alignment.rotation, alignment.dim);
  const norm = Math.sqrt(dot(rotated, rotated));
  return norm === 0 ? 0 : dot(rotated, target.unitRow(rt)) / norm;
}

/**
 * The neighbours two rankings share: the words of `a` also in `b` (in `a`'s order) and the Jaccard
 * index |A ∩ B| / |A ∪ B| of the two sets (0 for two empty lists).
 *
 * @example
 * ```ts
 * const k = 10;
 * neighbourOverlap(modelA.similarByWord('gay', { topn: k }), modelB.similarByWord('gay', { topn: k }));
 * // { shared: ['lesbian', 'homosexual'], jaccard: 0.111 }
 * ```
 */
export function neighbourOverlap(
  a: readonly { word: string }[],
  b: readonly { word: string }[],
): { shared: string[]; jaccard: number } {
  const inB = new Set(b.map((n) => n.word));
  const inA = new Set(a.map((n) => n.word));
  const shared = [...inA].filter((w) => inB.has(w));
  const union = inA.size + inB.size - shared.length;
  return { shared, jaccard: union === 0 ? 0 : shared.length / union };
}
