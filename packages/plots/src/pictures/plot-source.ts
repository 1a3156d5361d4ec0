/** What a picture needs of a model: `KeyedVectors` and the store's `StoredModel` fit as they are. */

/** A query term: a vocabulary word or a raw vector (an estimate of an unknown word). */
export type PlotQueryItem = string | Float32Array;

/**
 * The model a picture is drawn from.
 *
 * @example
 * ```ts
 * const source: PlotSource = store.model('starter-cbow'); // or a KeyedVectors
 * ```
 */
export interface PlotSource {
  readonly dim: number;
  has(word: string): boolean;
  /** The vector of a vocabulary word (as stored; pictures normalise it). */
  get(word: string): Float32Array;
  mostSimilar(query: { positive: PlotQueryItem[]; negative?: PlotQueryItem[]; topn?: number }): {
    word: string;
    score: number;
  }[];
}

/**
 * A word to draw: a vocabulary word, or a word with a vector estimated for it (subwords, UNK), which the
 * picture marks as estimated.
 *
 * @example
 * ```ts
 * const words: PlotWord[] = ['king', { word: 'kingg', vector: estimate, estimated: true }];
 * ```
 */
export type PlotWord = string | { word: string; vector: Float32Array; estimated?: boolean };

/** Most words a map draws (query words and neighbours together). */
export const MAX_PLOT_WORDS = 50;
