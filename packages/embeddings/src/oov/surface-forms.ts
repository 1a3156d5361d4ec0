/**
 * Spellings of a typed word that differ from it only in case, accents or surrounding punctuation:
 * the first, cheapest step of the out-of-vocabulary pipeline ("Pizzas!" → "pizzas", "Café" → "café",
 * "cafe"). Normalisation is the one tokenizer's (`normalizeToken`), so a form found here is spelt as
 * the corpus was tokenized.
 */
import { normalizeToken } from '../text/tokenizer.js';

/** How a surface form differs from what was typed. */
export type SurfaceChange = 'case' | 'accents' | 'punctuation';

/** One candidate spelling and what was changed to get it. */
export interface SurfaceForm {
  form: string;
  how: SurfaceChange;
}

/**
 * Accents removed: NFKD splits `é` into `e` + U+0301, then the combining marks are dropped.
 *
 * @example
 * ```ts
 * stripAccents('Crème brûlée'); // 'Creme brulee'
 * ```
 */
export function stripAccents(word: string): string {
  return word.normalize('NFKD').replace(/\p{M}/gu, '');
}

/**
 * Candidate spellings of `typed`, most faithful first, each once, never `typed` itself: case
 * variants, then the tokenizer's normalisation (punctuation dropped, NFKC, lower case), then the
 * same without accents.
 *
 * @example
 * ```ts
 * surfaceForms('Café!').map((f) => f.form); // ['café!', 'CAFÉ!', 'café', 'Café', 'Cafe!', 'cafe!', 'cafe', 'Cafe']
 * ```
 */
export function surfaceForms(typed: string): SurfaceForm[] {
  const bare = stripAccents(typed);
  const candidates: SurfaceForm[] = [
    { form: typed.toLowerCase(), how: 'case' },
    { form: typed.charAt(0).toUpperCase() + typed.slice(1).toLowerCase(), how: 'case' },
    { form: typed.toUpperCase(), how: 'case' },
    { form: normalizeToken(typed, { lowercase: true }), how: 'punctuation' },
    { form: normalizeToken(typed, { lowercase: false }), how: 'punctuation' },
    { form: bare, how: 'accents' },
    { form: bare.toLowerCase(), how: 'accents' },
    { form: normalizeToken(bare, { lowercase: true }), how: 'accents' },
    { form: normalizeToken(bare, { lowercase: false }), how: 'accents' },
  ];
  const seen = new Set<string>([typed]);
  const out: SurfaceForm[] = [];
  for (const c of candidates) {
    if (c.form === '' || seen.has(c.form)) continue;
    seen.add(c.form);
    out.push(c);
  }
  return out;
}
