/**
 * `/math`'s expressions: `king - man + woman`, `2*king + 0.5 * queen - man`. Terms are words with an
 * optional weight (`N*word`), joined by `+` and `-`; a leading sign is allowed. Parsed in one pass
 * over the text (linear in its length), with a bounded number of terms.
 */
import { BotInputError } from './bot-error.js';
import { quoteWord } from './escape.js';

/** One term: the word as typed and its signed weight. */
export interface WeightedTerm {
  word: string;
  weight: number;
}

/** More terms than this are refused (gensim has no limit; a chat answer does). */
export const MAX_TERMS = 10;
/** Largest absolute weight accepted. */
export const MAX_WEIGHT = 100;

const TERM = /^\s*(?:(\d+(?:\.\d+)?|\.\d+)\s*\*\s*)?([^\s+*-][^\s+*]*?)\s*$/u;

/**
 * Parses an expression into signed, weighted terms.
 * @throws {@link BotInputError} for an empty or malformed expression, a bad weight, more than
 *   {@link MAX_TERMS} terms, or no positive term (3CosAdd needs something to move towards).
 * @example
 * ```ts
 * parseVectorExpression('2*king - man + woman'); // [{ word: 'king', weight: 2 }, { word: 'man', weight: -1 }, { word: 'woman', weight: 1 }]
 * ```
 */
export function parseVectorExpression(text: string): WeightedTerm[] {
  const terms: WeightedTerm[] = [];
  // Split at + and - that stand between terms (a hyphen inside a word, `well-known`, has no spaces around it
  // and a letter before it; it stays part of the word).
  let sign = 1;
  let start = 0;
  const pieces: { sign: number; text: string }[] = [];
  const s = text.trim();
  for (let i = 0; i <= s.length; i++) {
    const c = s[i];
    const isOperator =
      i === s.length ||
      c === '+' ||
      (c === '-' && (i === 0 || /\s/u.test(s[i - 1]) || /\s/u.test(s[i + 1] ?? ' ')));
    if (!isOperator) continue;
    const piece = s.slice(start, i);
    // A leading sign has nothing before it; anywhere else an empty piece is two operators in a row.
    if (!(i === 0 || (pieces.length === 0 && piece.trim() === '' && start === 0)))
      pieces.push({ sign, text: piece });
    sign = c === '-' ? -1 : 1;
    start = i + 1;
    if (pieces.length > MAX_TERMS) break;
  }
  if (pieces.length > MAX_TERMS) {
    throw new BotInputError('Too many terms', `At most ${MAX_TERMS} terms, like king - man + woman.`);
  }
  for (const piece of pieces) {
    if (piece.text.trim() === '')
      throw new BotInputError(
        'Bad expression',
        'Every + or − needs a word after it: write terms like king - man + woman.',
      );
    const m = TERM.exec(piece.text);
    if (!m) {
      throw new BotInputError(
        'Bad expression',
        `Cannot read ${quoteWord(piece.text.trim())}: write a word, optionally with a weight like 2*king.`,
      );
    }
    const weight = m[1] === undefined ? 1 : Number(m[1]);
    if (!(weight > 0) || weight > MAX_WEIGHT) {
      throw new BotInputError(
        'Bad weight',
        `Weights must be above 0 and at most ${MAX_WEIGHT}; ${quoteWord(m[1] ?? '')} is not.`,
      );
    }
    terms.push({ word: m[2], weight: piece.sign * weight });
  }
  if (terms.length === 0) throw new BotInputError('Empty expression', 'Write terms like king - man + woman.');
  if (!terms.some((t) => t.weight > 0)) {
    throw new BotInputError(
      'No positive term',
      'The expression needs at least one word with a + (something to move towards), like king - man + woman.',
    );
  }
  return terms;
}
