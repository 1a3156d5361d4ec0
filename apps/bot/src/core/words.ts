import {
  describeResolution,
  normalizeToken,
  OovError,
  type OovOptions,
  type QueryItem,
  type Resolution,
  tokenize,
} from '@wordvec/embeddings';
import { BotInputError } from './bot-error.js';
import { quoteWord } from './escape.js';
import type { QueryModel } from './model-source.js';

/**
 * Normalises a typed word the way the corpus was tokenized (the one tokenizer of
 * `@wordvec/embeddings`): NFKC, typographic apostrophes folded, surrounding punctuation dropped,
 * lower-cased unless `lowercase` is false.
 */
export function normalizeWord(word: string, lowercase = true): string {
  return normalizeToken(word, { lowercase });
}

/**
 * The vocabulary entry a typed word stands for: the word as typed if the model has it (models
 * imported with capitals), else its normalised form, else its normalised form keeping case.
 * Returns the typed word when none is present, so an OOV error names what the person typed.
 * Text the tokenizer reads as several words (`cat dog`, `king,queen`) is refused unless the model
 * holds it as one entry (a phrase model's `new york`): normalising would keep only the first word
 * and answer for it as if it had been asked.
 *
 * @throws {@link BotInputError} "One word expected" for several words.
 * @example
 * ```ts
 * resolveWord(model, 'Pizza!'); // 'pizza' when the model has 'pizza'
 * resolveWord(model, 'cat dog'); // throws: “cat dog” is 2 words (cat, dog) …
 * ```
 */
export function resolveWord(model: QueryModel, typed: string): string {
  if (model.has(typed)) return typed;
  refuseSeveralWords(model, typed);
  for (const candidate of [normalizeWord(typed), normalizeWord(typed, false)]) {
    if (candidate !== '' && model.has(candidate)) return candidate;
  }
  return typed;
}

/** Typed words resolved for a query: what to ask the model, what to call each word, and how each was found. */
export interface QueryTerms {
  /** Vocabulary words or estimated vectors, in the order typed. */
  items: QueryItem[];
  /** What each term is called in a reply: the vocabulary entry answered for, or the word as typed (an estimate). */
  labels: string[];
  /** How each word was found (the library's resolution records), for the reply's data. */
  resolutions: Resolution[];
  /** One plain line per word not answered exactly (“answered for “pizza” (the lemma of “pizzas”)”, estimates). */
  notes: string[];
}

/**
 * Resolves typed words through the library's OOV pipeline with the bot's policy (`context.oov`,
 * default estimate): exact, then case/accents/punctuation, the lemma, a subword estimate when the
 * model has a subword model. Several words where one is expected are refused first, as
 * {@link resolveWord} does.
 *
 * @throws {@link BotInputError} "One word expected"; `OovError` naming every word nothing resolves.
 * @example
 * ```ts
 * const { items, notes } = resolveTerms(model, ['pizzas'], BOT_OOV_DEFAULT);
 * // items ['pizza'], notes ['answered for “pizza” (the lemma of “pizzas”)']
 * ```
 */
export function resolveTerms(model: QueryModel, typed: readonly string[], oov: OovOptions): QueryTerms {
  for (const word of typed) refuseSeveralWords(model, word);
  const { items, resolutions } = model.resolveTerms(typed, oov);
  const labels = resolutions.map((r) => r.resolvedAs ?? r.word);
  const notes = resolutions
    .map((r) => describeResolution(r, quoteWord))
    .filter((n): n is string => n !== undefined);
  return { items, labels, resolutions, notes };
}

/** {@link QueryTerms} of the words the model answers, and the words as typed that nothing resolves. */
export interface KnownTerms extends QueryTerms {
  /** Typed words no enabled OOV step resolves (left out of `items`), in the order typed. */
  missing: string[];
}

/**
 * {@link resolveTerms} word by word, keeping the words that resolve and listing the others, for
 * commands that can answer for part of a list (`/plot` draws the words it knows and names the rest).
 *
 * @throws `OovError` naming every word when none resolves.
 * @example
 * ```ts
 * const { labels, missing } = resolveKnown(model, ['king', 'qqqq'], BOT_OOV_DEFAULT);
 * // labels ['king'], missing ['qqqq']
 * ```
 */
export function resolveKnown(model: QueryModel, typed: readonly string[], oov: OovOptions): KnownTerms {
  const known: KnownTerms = { items: [], labels: [], resolutions: [], notes: [], missing: [] };
  for (const word of typed) {
    let terms: QueryTerms;
    try {
      terms = resolveTerms(model, [word], oov);
    } catch (error) {
      // By code, as the runner tells them apart: the store may carry its own copy of the class.
      if ((error as { code?: unknown })?.code !== 'OOV') throw error;
      known.missing.push(word);
      continue;
    }
    known.items.push(...terms.items);
    known.labels.push(...terms.labels);
    known.resolutions.push(...terms.resolutions);
    known.notes.push(...terms.notes);
  }
  if (known.items.length === 0) throw new OovError(known.missing);
  return known;
}

function refuseSeveralWords(model: QueryModel, typed: string): void {
  if (model.has(typed)) return;
  const tokens = tokenize(typed, { lowercase: false });
  if (tokens.length > 1) {
    throw new BotInputError(
      'One word expected',
      `${quoteWord(typed)} is ${tokens.length} words (${tokens.slice(0, 5).join(', ')}${tokens.length > 5 ? ', …' : ''}); this option takes one word. Ask about each word on its own, or compare words with /similarity or /doesntmatch.`,
    );
  }
}

/**
 * Resolves every typed word and checks all are present before any vector work, so an unknown word
 * is reported (all of them at once) without loading the matrix.
 *
 * @throws {@link OovError} listing every missing word as typed.
 */
export function requireWords(model: QueryModel, typed: string[]): string[] {
  const resolved = typed.map((w) => resolveWord(model, w));
  const missing = resolved.filter((w) => !model.has(w));
  if (missing.length > 0) throw new OovError(missing);
  return resolved;
}

/** Splits a space- or comma-separated list of words. */
export function splitWords(text: string): string[] {
  return text.split(/[\s,;]+/u).filter((w) => w !== '');
}
