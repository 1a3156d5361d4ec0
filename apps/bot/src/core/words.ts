import { normalizeToken, OovError } from '@wordvec/embeddings';
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
 *
 * @example
 * ```ts
 * resolveWord(model, 'Pizza!'); // 'pizza' when the model has 'pizza'
 * ```
 */
export function resolveWord(model: QueryModel, typed: string): string {
  if (model.has(typed)) return typed;
  for (const candidate of [normalizeWord(typed), normalizeWord(typed, false)]) {
    if (candidate !== '' && model.has(candidate)) return candidate;
  }
  return typed;
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
