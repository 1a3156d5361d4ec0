/**
 * The one plain-words account of a {@link Resolution}, shared by the CLI and the bot, so every
 * interface says the same honest thing: which vocabulary entry answered, or that the vector is an
 * estimate (never presented as a trained vector).
 */
import type { Resolution } from './resolve-word.js';

/** How to quote a word (the bot: “word”; the CLI: JSON-style "word", bounded and escaped). */
export type QuoteWord = (word: string) => string;

/** Pieces shown at most; the rest are counted. */
const MAX_PIECES = 12;

/**
 * One sentence saying how `r` was answered, or undefined for an exact match (nothing to say).
 *
 * @example
 * ```ts
 * describeResolution({ word: 'pizzas', how: 'lemma', resolvedAs: 'pizza' }, (w) => `“${w}”`);
 * // 'answered for “pizza” (the lemma of “pizzas”)'
 * describeResolution({ word: 'pizzaiolo', how: 'subword', pieces: ['piz', 'izz'] }, (w) => `“${w}”`);
 * // '“pizzaiolo” is not in the vocabulary; its vector is estimated from its pieces ⟨piz, izz⟩ (an estimate, not a trained vector)'
 * ```
 */
export function describeResolution(r: Resolution, quote: QuoteWord): string | undefined {
  const typed = quote(r.word);
  switch (r.how) {
    case 'exact':
      return undefined;
    case 'case':
      return `answered for ${quote(r.resolvedAs ?? '')} (${typed} with other capitals)`;
    case 'accents':
      return `answered for ${quote(r.resolvedAs ?? '')} (${typed} without accents)`;
    case 'punctuation':
      return `answered for ${quote(r.resolvedAs ?? '')} (${typed} normalised like the corpus: punctuation, width and case)`;
    case 'lemma':
      return `answered for ${quote(r.resolvedAs ?? '')} (the lemma of ${typed})`;
    case 'subword': {
      const pieces = r.pieces ?? [];
      const shown = pieces.slice(0, MAX_PIECES).join(', ');
      const more = pieces.length > MAX_PIECES ? `, … ${pieces.length - MAX_PIECES} more` : '';
      const similar =
        r.similarWords && r.similarWords.length > 0
          ? `, blended with the vectors of ${r.similarWords.map(quote).join(', ')}`
          : '';
      return `${typed} is not in the vocabulary; its vector is estimated from its pieces ⟨${shown}${more}⟩${similar} (an estimate, not a trained vector)`;
    }
    case 'unk': {
      const what =
        r.unk === 'mean'
          ? "the model's mean vector"
          : r.unk === 'zero'
            ? 'a zero vector'
            : 'a random vector fixed for this word';
      return `${typed} is not in the vocabulary and no estimate could be made; it stands for ${what} (the UNK policy ${r.unk}), not a vector of the word`;
    }
  }
}

/**
 * Whether `r`'s vector was made for the word rather than read from the vocabulary (`subword`, `unk`).
 *
 * @example
 * ```ts
 * isEstimate({ word: 'pizzaiolo', how: 'subword', pieces: [] }); // true
 * ```
 */
export function isEstimate(r: Resolution): boolean {
  return r.how === 'subword' || r.how === 'unk';
}
