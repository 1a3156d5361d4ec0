/**
 * The one out-of-vocabulary pipeline: how a typed word becomes a vector, and a record of how.
 *
 *   exact → surface forms (case, accents, punctuation) → lemma → subword estimate → UNK policy
 *
 * Each step can be switched off. The library's default is gensim's: only `exact`, anything else an
 * `OovError`. Every answer carries a {@link Resolution} saying which step gave it, so an estimate is
 * never presented as a trained vector.
 */
import { createRandom } from '../random.js';
import { fastTextHash } from '../subword/char-ngrams.js';
import type { SubwordEstimator } from '../subword/subword-estimator.js';
import { englishLemmas } from './english-lemmas.js';
import { type SurfaceChange, surfaceForms } from './surface-forms.js';

/** What to do when no step finds the word: gensim's error, or a stand-in vector (Magnitude's UNK). */
export type UnkPolicy = 'error' | 'mean' | 'zero' | 'random';

/** Which steps run; the defaults give gensim's behaviour (exact only). */
export interface OovOptions {
  /** Try case, accent and punctuation variants. Default false. */
  forms?: boolean;
  /** Try lemmas (`pizzas` → `pizza`) with {@link OovOptions.lemmatize}. Default false. */
  lemma?: boolean;
  /** Lemma candidates of a word, most likely first. Default `englishLemmas` (wink-lemmatizer). */
  lemmatize?: (word: string) => readonly string[];
  /** Estimate a vector from character n-grams: the model's own table (fastText), or `estimator`. Default false. */
  subword?: boolean;
  /**
   * The subword model to estimate with, for models trained without n-grams (`fitSubwordTable`,
   * `MagnitudeEstimator`); a fastText model's own table is used when this is absent.
   */
  estimator?: SubwordEstimator;
  /** When every step fails. Default `error`. */
  unk?: UnkPolicy;
}

/** How a word was answered. */
export type ResolutionKind = 'exact' | SurfaceChange | 'lemma' | 'subword' | 'unk';

/**
 * How a typed word was resolved: to a vocabulary entry (`exact`, `case`, `accents`, `punctuation`,
 * `lemma`: `resolvedAs` names it) or to a vector made for it (`subword`: the n-grams it was built
 * from; `unk`: the policy's stand-in).
 */
export interface Resolution {
  /** What was typed. */
  word: string;
  how: ResolutionKind;
  /** The vocabulary entry answered for (every kind but `subword` and `unk`). */
  resolvedAs?: string;
  /** The n-grams a `subword` estimate averages, in order. */
  pieces?: string[];
  /** The UNK policy used (`unk` only). */
  unk?: Exclude<UnkPolicy, 'error'>;
}

/** A word's resolution plus the vector it stands for when that is not a vocabulary row. */
export interface ResolvedWord {
  resolution: Resolution;
  /** Vocabulary row (−1 for `subword` and `unk`). */
  row: number;
  /** The estimate or stand-in (`subword`, `unk`). */
  vector?: Float32Array;
}

/** What the pipeline needs of a model. */
export interface OovModel {
  dim: number;
  rowOf(word: string): number;
  /** An n-gram estimate with its pieces, when the model has a subword table. */
  estimate?(word: string): { vector: Float32Array; pieces: string[] } | undefined;
  /** The mean of the unit rows (for `unk: 'mean'`). */
  meanVector?(): Float32Array;
}

/**
 * Runs the pipeline for `typed`; undefined when every enabled step fails and the UNK policy is `error`.
 *
 * @example
 * ```ts
 * resolveWord(model, 'Pizzas!', { forms: true, lemma: true, lemmatize }); // { resolution: { how: 'lemma', resolvedAs: 'pizza', … }, row: 12 }
 * resolveWord(model, 'pizzaiolo', { subword: true }); // { resolution: { how: 'subword', pieces: ['<pi', …] }, row: -1, vector }
 * ```
 */
export function resolveWord(
  model: OovModel,
  typed: string,
  options: OovOptions = {},
): ResolvedWord | undefined {
  const exact = model.rowOf(typed);
  if (exact >= 0) return { resolution: { word: typed, how: 'exact', resolvedAs: typed }, row: exact };
  const forms = options.forms ? surfaceForms(typed) : [];
  for (const { form, how } of forms) {
    const row = model.rowOf(form);
    if (row >= 0) return { resolution: { word: typed, how, resolvedAs: form }, row };
  }
  if (options.lemma) {
    const lemmatize = options.lemmatize ?? englishLemmas;
    // Lemmas of the word as typed and of its normalised forms, so "Pizzas!" reaches "pizza".
    for (const base of [typed, ...forms.map((f) => f.form)]) {
      for (const lemma of lemmatize(base)) {
        if (lemma === base) continue;
        const row = model.rowOf(lemma);
        if (row >= 0) return { resolution: { word: typed, how: 'lemma', resolvedAs: lemma }, row };
      }
    }
  }
  if (options.subword && model.estimate) {
    const got = model.estimate(typed);
    if (got)
      return { resolution: { word: typed, how: 'subword', pieces: got.pieces }, row: -1, vector: got.vector };
  }
  const unk = options.unk ?? 'error';
  if (unk === 'error') return undefined;
  return { resolution: { word: typed, how: 'unk', unk }, row: -1, vector: unkVector(model, typed, unk) };
}

/**
 * The UNK policy's stand-in for `word`: the mean unit vector, zeros, or a random unit vector seeded
 * by a hash of the word (the same word always gets the same vector).
 *
 * @example
 * ```ts
 * unkVector(model, 'qzxv', 'random'); // the same Float32Array(dim) on every call
 * ```
 */
export function unkVector(model: OovModel, word: string, policy: Exclude<UnkPolicy, 'error'>): Float32Array {
  const out = new Float32Array(model.dim);
  if (policy === 'zero') return out;
  if (policy === 'mean') return model.meanVector ? Float32Array.from(model.meanVector()) : out;
  // The library's seeded generator, seeded by fastText's hash of the word; Box–Muller normals give a
  // direction uniform on the sphere, then unit length.
  const next = createRandom(fastTextHash(new TextEncoder().encode(word)));
  let norm = 0;
  for (let d = 0; d < out.length; d++) {
    out[d] = Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
    norm += out[d] * out[d];
  }
  const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  for (let d = 0; d < out.length; d++) out[d] *= inv;
  return out;
}
