/**
 * English lemmas for the OOV pipeline's lemma step, from wink-lemmatizer (MIT; WordNet's exception
 * lists plus suffix rules, pure JavaScript). Chosen over a stemmer because a lemma is a word the
 * vocabulary can hold ("geese" → "goose", "was" → "be"), where a stem ("gees", "wa") usually is not.
 * Its lexicon (~13 MB) is loaded on the first call, not at import.
 */
import { createRequire } from 'node:module';

interface WinkLemmatizer {
  noun(word: string): string;
  verb(word: string): string;
  adjective(word: string): string;
}

let lemmatizer: WinkLemmatizer | undefined;

/**
 * The noun, verb and adjective lemmas of an English word, each once, the word itself left out;
 * lower-cased input gives the lexicon's forms.
 *
 * @example
 * ```ts
 * englishLemmas('pizzas'); // ['pizza']
 * englishLemmas('better'); // ['good']
 * kv.resolve('Pizzas!', { forms: true, lemma: true, lemmatize: englishLemmas });
 * ```
 */
export function englishLemmas(word: string): string[] {
  lemmatizer ??= createRequire(import.meta.url)('wink-lemmatizer') as WinkLemmatizer;
  const w = word.toLowerCase();
  const out: string[] = [];
  for (const lemma of [lemmatizer.noun(w), lemmatizer.verb(w), lemmatizer.adjective(w)]) {
    if (lemma && lemma !== w && !out.includes(lemma)) out.push(lemma);
  }
  return out;
}
