/**
 * The one out-of-vocabulary pipeline: how a typed word becomes a vector, and a record of how.
 *
 *   exact → surface forms (case, accents, punctuation) → lemma → subword estimate → UNK policy
 *
 * Each step can be switched off. The library's default is gensim's: only `exact`, anything else an
 * `OovError`. Every answer carries a {@link Resolution} saying which step gave it, so an estimate is
 * never presented as a trained vector.
 */
import { InvalidArgumentError } from '../errors.js';
import { MAX_WORD_LENGTH } from '../formats/row-batch.js';
import { createRandom } from '../random.js';
import { fastTextHash } from '../subword/char-ngrams.js';
import type { SubwordEstimator, SubwordExplanation } from '../subword/subword-estimator.js';
import { quoteForMessage } from '../text/quote.js';
import { englishLemmas } from './english-lemmas.js';
import { type SurfaceChange, type SurfaceForm, surfaceForms } from './surface-forms.js';

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
  /** The n-grams a `subword` estimate is built from (those the model knows), in order. */
  pieces?: string[];
  /** Vocabulary words a `subword` estimate blends in (Magnitude-style estimators). */
  similarWords?: string[];
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
  /** An n-gram estimate with its pieces, when the model has a subword model (absent: the step is unavailable). */
  estimate?(word: string): SubwordExplanation | undefined;
  /** The mean of the unit rows (for `unk: 'mean'`). */
  meanVector?(): Float32Array;
}

/** The pipeline's steps, in order (`forms` covers case, accents and punctuation). */
export type OovStep = 'exact' | 'forms' | 'lemma' | 'subword' | 'unk';

/**
 * What one step of the pipeline does with a word: `found` (with its answer), `none` (ran, found
 * nothing), `off` (not enabled), `unavailable` (enabled, but the model has no subword model).
 */
export interface OovStepOutcome {
  step: OovStep;
  status: 'found' | 'none' | 'off' | 'unavailable';
  /** The answer this step gives (`found` only). */
  answer?: ResolvedWord;
}

/**
 * Runs the pipeline for `typed`; undefined when every enabled step fails and the UNK policy is `error`.
 *
 * @throws {@link InvalidArgumentError} for an empty word or one longer than `MAX_WORD_LENGTH` (1,000).
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
  for (const outcome of runSteps(model, typed, options)) if (outcome.answer) return outcome.answer;
  return undefined;
}

/**
 * Every step of the pipeline for `typed`, each run on its own (not stopping at the first that finds
 * the word): what each strategy would give, for `/oov`-style explanations. Steps `options` leaves
 * off are reported `off`; the `unk` step stands for `options.unk` (`none` under `error`).
 *
 * @example
 * ```ts
 * explainWord(model, 'pizzas', { forms: true, lemma: true, subword: true });
 * // [{ step: 'exact', status: 'none' }, { step: 'forms', status: 'none' },
 * //  { step: 'lemma', status: 'found', answer: … 'pizza' }, { step: 'subword', status: 'unavailable' }, { step: 'unk', status: 'none' }]
 * ```
 */
export function explainWord(model: OovModel, typed: string, options: OovOptions = {}): OovStepOutcome[] {
  return [...runSteps(model, typed, options, true)];
}

/** The steps in order, lazily; after the first answer only when `all`. */
function* runSteps(
  model: OovModel,
  typed: string,
  options: OovOptions,
  all = false,
): Generator<OovStepOutcome> {
  checkTyped(typed);
  const exact = model.rowOf(typed);
  if (exact >= 0) {
    yield found('exact', { resolution: { word: typed, how: 'exact', resolvedAs: typed }, row: exact });
    if (!all) return;
  } else yield { step: 'exact', status: 'none' };
  const forms = options.forms ? surfaceForms(typed) : [];
  if (!options.forms) yield { step: 'forms', status: 'off' };
  else {
    const form = forms.find((f) => model.rowOf(f.form) >= 0);
    yield form
      ? found('forms', {
          resolution: { word: typed, how: form.how, resolvedAs: form.form },
          row: model.rowOf(form.form),
        })
      : { step: 'forms', status: 'none' };
  }
  if (!options.lemma) yield { step: 'lemma', status: 'off' };
  else yield lemmaStep(model, typed, forms, options.lemmatize ?? englishLemmas);
  if (!options.subword) yield { step: 'subword', status: 'off' };
  else if (!model.estimate) yield { step: 'subword', status: 'unavailable' };
  else {
    const got = model.estimate(typed);
    yield got
      ? found('subword', {
          resolution: {
            word: typed,
            how: 'subword',
            pieces: got.pieces,
            ...(got.similarWords ? { similarWords: got.similarWords } : {}),
          },
          row: -1,
          vector: got.vector,
        })
      : { step: 'subword', status: 'none' };
  }
  const unk = options.unk ?? 'error';
  if (unk === 'error') yield { step: 'unk', status: 'none' };
  else
    yield found('unk', {
      resolution: { word: typed, how: 'unk', unk },
      row: -1,
      vector: unkVector(model, typed, unk),
    });
}

/** No vocabulary holds an empty word or one past the readers' limit: a plain refusal, not an OOV search. */
function checkTyped(typed: string): void {
  if (typeof typed !== 'string' || typed === '')
    throw new InvalidArgumentError('a word to resolve must be a non-empty string');
  if (typed.length > MAX_WORD_LENGTH)
    throw new InvalidArgumentError(
      `${quoteForMessage(typed, 20)} is longer than the ${MAX_WORD_LENGTH.toLocaleString('en-US')} characters a word can have`,
    );
}

function found(step: OovStep, answer: ResolvedWord): OovStepOutcome {
  return { step, status: 'found', answer };
}

/** Lemmas of the word as typed and of its normalised forms, so "Pizzas!" reaches "pizza". */
function lemmaStep(
  model: OovModel,
  typed: string,
  forms: readonly SurfaceForm[],
  lemmatize: (word: string) => readonly string[],
): OovStepOutcome {
  const bases = [typed, ...forms.map((f) => f.form)];
  // wink-lemmatizer expects lower case; a capitalised word also gets its lower-case form's lemmas.
  if (!bases.includes(typed.toLowerCase())) bases.push(typed.toLowerCase());
  for (const base of bases) {
    for (const lemma of lemmatize(base)) {
      if (lemma === base) continue;
      const row = model.rowOf(lemma);
      if (row >= 0)
        return found('lemma', { resolution: { word: typed, how: 'lemma', resolvedAs: lemma }, row });
    }
  }
  return { step: 'lemma', status: 'none' };
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
