/**
 * The PMI lens: what training moved from the corpus statistics into the dot product. For a word's
 * contexts c (half its strongest by PPMI, half its most frequent: the two sides a store keeps, so the
 * pairs span low and high PMI), PMI(w, c) against each model's w·c and cos(w, c), with Spearman's ρ; Levy & Goldberg (2014) show skip-gram with negative sampling
 * factorises PMI shifted by log k, so a good model ranks the pairs much as PMI does.
 *
 * Stored models keep one matrix, so c's vector is its word vector in that model (GloVe's is w + c as
 * glove.c writes it); all models are scored on the same pairs, those every model has both words of.
 */
import { createRandom, InvalidArgumentError, OovError, spearman } from '@wordvec/embeddings';
import { dot } from '@wordvec/embeddings/kernels';
import type { PlotSource } from './plot-source.js';

/** The reference statistics: `CooccurrenceStats` of `@wordvec/embeddings` fits. */
export interface LensStats {
  /** The `k` contexts of highest PPMI; `pmi` is the plain PMI (natural log) of the pair. */
  topContexts(word: string, options: { k: number }): { word: string; pmi: number; count: number }[];
  /** The `k` contexts of largest count. */
  frequentContexts(word: string, options: { k: number }): { word: string; pmi: number; count: number }[];
}

/** A model to score. */
export interface LensModel {
  name: string;
  /** e.g. `ppmi`, `glove`, `cbow`: shown in the panel's title. */
  algorithm?: string;
  source: Pick<PlotSource, 'has' | 'get'>;
}

/** Options of {@link computeLens}. */
export interface LensOptions {
  /** The words whose contexts make the pairs (one for the picture; many for a corpus-wide figure). */
  words: readonly string[];
  /** Name of the model whose counts give PMI (for the caption). */
  reference: string;
  stats: LensStats;
  models: readonly LensModel[];
  /** Contexts per word: ⌈k/2⌉ strongest by PPMI, then the most frequent others up to k. Default 40. */
  contexts?: number;
}

/** One pair (word, context) and what each model makes of it (arrays in the order of `models`). */
export interface LensPair {
  word: string;
  context: string;
  pmi: number;
  count: number;
  dot: number[];
  cosine: number[];
}

/** The numbers of the lens. */
export interface LensResult {
  words: string[];
  reference: string;
  models: { name: string; algorithm?: string; spearman: number; spearmanCosine: number }[];
  pairs: LensPair[];
  /** Pairs dropped because a model lacks the context word. */
  dropped: number;
}

/** Most models side by side in one lens. */
export const MAX_LENS_MODELS = 4;

/**
 * The models a lens shows beside `reference`: `explicit` when given (the reference first, duplicates
 * dropped), else every model trained on the same corpus (same corpus checksum), the reference first, at
 * most {@link MAX_LENS_MODELS} (the first ones listed). The CLI's `wordvec lens` and the bot's `/lens`
 * choose with it.
 *
 * @throws {@link InvalidArgumentError} when `explicit` names more than {@link MAX_LENS_MODELS} models.
 * @example
 * ```ts
 * lensModelNames(store.models(), 'starter-ppmi'); // ['starter-ppmi', 'starter-glove', 'starter-cbow']
 * ```
 */
export function lensModelNames(
  models: readonly { name: string; corpus?: { checksum?: string } }[],
  reference: string,
  explicit?: readonly string[],
): string[] {
  let names: string[];
  if (explicit !== undefined) {
    names = [...new Set([reference, ...explicit.filter((n) => n !== '')])];
    if (names.length > MAX_LENS_MODELS) {
      throw new InvalidArgumentError(`at most ${MAX_LENS_MODELS} models side by side, got ${names.length}`);
    }
    return names;
  }
  const checksum = models.find((m) => m.name === reference)?.corpus?.checksum;
  names = [
    reference,
    ...models
      .filter((m) => m.name !== reference && checksum && m.corpus?.checksum === checksum)
      .map((m) => m.name),
  ];
  return [...new Set(names)].slice(0, MAX_LENS_MODELS);
}

/**
 * Pairs and Spearman ρ (PMI vs w·c, and vs cosine) for every model, over the same pairs.
 *
 * @throws {@link OovError} when a word is not in the reference statistics or in every model.
 * @throws {@link InvalidArgumentError} for no models, more than {@link MAX_LENS_MODELS}, or no words.
 * @example
 * ```ts
 * const lens = computeLens({ words: ['coffee'], reference: 'ppmi', stats, models: [{ name: 'cbow', source: cbow }] });
 * lens.models[0].spearman; // e.g. 0.42
 * ```
 */
export function computeLens(options: LensOptions): LensResult {
  const { models, words, stats } = options;
  const contexts = options.contexts ?? 40;
  if (models.length === 0) throw new InvalidArgumentError('the lens needs at least one model');
  if (models.length > MAX_LENS_MODELS) {
    throw new InvalidArgumentError(`at most ${MAX_LENS_MODELS} models side by side, got ${models.length}`);
  }
  if (words.length === 0) throw new InvalidArgumentError('the lens needs a word');
  if (!Number.isInteger(contexts) || contexts < 2 || contexts > 1000) {
    throw new InvalidArgumentError(`contexts must be an integer from 2 to 1000, got ${contexts}`);
  }
  const missing = words.filter((w) => !models.every((m) => m.source.has(w)));
  if (missing.length > 0) throw new OovError(missing);
  const pairs: LensPair[] = [];
  let dropped = 0;
  for (const word of words) {
    const vectors = models.map((m) => m.source.get(word));
    const norms = vectors.map((v) => Math.sqrt(dot(v, v)));
    for (const c of lensContexts(stats, word, contexts)) {
      if (!models.every((m) => m.source.has(c.word))) {
        dropped++;
        continue;
      }
      const pair: LensPair = { word, context: c.word, pmi: c.pmi, count: c.count, dot: [], cosine: [] };
      for (let m = 0; m < models.length; m++) {
        const v = models[m].source.get(c.word);
        const d = dot(vectors[m], v);
        const nv = Math.sqrt(dot(v, v));
        pair.dot.push(d);
        pair.cosine.push(norms[m] > 0 && nv > 0 ? d / (norms[m] * nv) : 0);
      }
      pairs.push(pair);
    }
  }
  const pmi = pairs.map((p) => p.pmi);
  const rho = (values: number[]): number => (values.length >= 3 ? spearman(pmi, values) : Number.NaN);
  return {
    words: [...words],
    reference: options.reference,
    models: models.map((m, i) => ({
      name: m.name,
      algorithm: m.algorithm,
      spearman: rho(pairs.map((p) => p.dot[i])),
      spearmanCosine: rho(pairs.map((p) => p.cosine[i])),
    })),
    pairs,
    dropped,
  };
}

/** ⌈k/2⌉ strongest contexts of `word` by PPMI, then its most frequent others, up to `k`; never `word`. */
function lensContexts(
  stats: LensStats,
  word: string,
  k: number,
): { word: string; pmi: number; count: number }[] {
  const out = stats.topContexts(word, { k: Math.ceil(k / 2) + 1 }).filter((c) => c.word !== word);
  out.length = Math.min(out.length, Math.ceil(k / 2));
  const seen = new Set(out.map((c) => c.word));
  for (const c of stats.frequentContexts(word, { k: k + out.length + 1 })) {
    if (out.length >= k) break;
    if (c.word === word || seen.has(c.word)) continue;
    seen.add(c.word);
    out.push(c);
  }
  return out;
}

/** Frequency ranks a corpus-wide lens sample skips (function words) and draws from. */
export const LENS_SAMPLE_RANKS: readonly [number, number] = [100, 10_000];

/**
 * `n` words for a corpus-wide lens: a seeded sample (without replacement) of the words of frequency
 * ranks 101 … 10,000 (`words` in frequency order, as a model's vocabulary is), in rank order.
 *
 * @throws {@link InvalidArgumentError} when `n` is not a positive integer or the vocabulary is too small.
 * @example
 * ```ts
 * const words = sampleLensWords(stats.words, 200, 1);
 * computeLens({ words, reference: 'starter-ppmi', stats, models });
 * ```
 */
export function sampleLensWords(words: readonly string[], n: number, seed = 1): string[] {
  const [skip, end] = LENS_SAMPLE_RANKS;
  const pool = Math.min(words.length, end) - skip;
  if (!Number.isInteger(n) || n < 1)
    throw new InvalidArgumentError(`the sample size must be a positive integer, got ${n}`);
  if (pool < n) {
    throw new InvalidArgumentError(
      `a sample of ${n} words needs ${skip + n} words in the vocabulary (the ${skip} most frequent are skipped); it has ${words.length}`,
    );
  }
  // Partial Fisher–Yates over the pool of ranks.
  const ranks = Int32Array.from({ length: pool }, (_, i) => skip + i);
  const random = createRandom(seed);
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(random() * (pool - i));
    const t = ranks[i];
    ranks[i] = ranks[j];
    ranks[j] = t;
  }
  return [...ranks.subarray(0, n)].sort((a, b) => a - b).map((r) => words[r]);
}
