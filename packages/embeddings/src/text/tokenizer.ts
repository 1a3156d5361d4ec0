/**
 * The one tokenizer of wordvec: training, import and queries all cut text into words here, so a
 * word typed in a chat matches the word seen in the corpus.
 *
 * Rules, in order:
 * 1. Unicode NFKC normalisation (full-width letters, ligatures and compatibility forms fold to their
 *    plain equivalents: `ｆｕｌｌ` → `full`, `ﬁne` → `fine`).
 * 2. Typographic apostrophes (`’`, `ʼ`, `‘`) become `'`; Unicode hyphens (`‐`, `‑`) become `-`; soft
 *    hyphens (U+00AD) are removed.
 * 3. Lower-casing (on by default).
 * 4. A token is a run of letters, combining marks and digits (`\p{L}\p{M}\p{N}`), possibly joined by
 *    single internal apostrophes, hyphens or zero-width (non-)joiners: `don't`, `well-known`,
 *    `rock'n'roll`. Leading and trailing ones are not part of a token (`'tis` → `tis`, `--x--` → `x`).
 * Everything else (punctuation, symbols, spaces, U+FFFD from invalid UTF-8) separates tokens.
 * Scripts written without spaces (Chinese, Japanese, Thai) are not segmented into words: a run of such
 * letters is one token.
 */

/**
 * Options of {@link tokenize} and {@link normalizeToken}.
 *
 * @example
 * ```ts
 * tokenize('New York', { lowercase: false }); // ['New', 'York']
 * ```
 */
export interface TokenizeOptions {
  /** Lower-case the text (after NFKC). Default `true`. */
  lowercase?: boolean;
}

// One global regex over the whole string: measured on nlp-corpus (8.9 M chars, 1.55 M
// tokens) it runs within ~15% of a hand-written ASCII char-code loop and handles all of Unicode.
// The passes that only count and encode a file corpus take a fast path on bytes for ASCII lines
// (byte-tokenizer.ts, byte-scan.ts: the same tokens, compared in byte-scan.test.ts); other lines come here.
// Zero-width (non-)joiners (U+200C, U+200D) are kept inside a word like `'` and `-`: Persian and Indic
// scripts use them within words.
const TOKEN = /[\p{L}\p{M}\p{N}]+(?:['\-\u200c\u200d][\p{L}\p{M}\p{N}]+)*/gu;
// U+2018, U+2019, U+02BC (apostrophes) and U+2010, U+2011 (hyphens). NFKC folds U+2011 to U+2010 but
// leaves both apostrophes and U+2010 alone, so map them ourselves. A `replace` that finds nothing is a
// cheap scan, and most text has none of these.
// The soft hyphen (U+00AD) only marks where a word may break, so it is removed, not kept as a separator.
const SEPARATOR_VARIANTS = /[\u2018\u2019\u02bc\u2010\u2011\u00ad]/g;

function foldSeparator(ch: string): string {
  return ch === '\u00ad' ? '' : ch === '\u2010' || ch === '\u2011' ? '-' : "'";
}

/** NFKC, separator folding and optional lower-casing: the text the token regex runs over. */
function prepare(text: string, lowercase: boolean): string {
  let s = text.normalize('NFKC').replace(SEPARATOR_VARIANTS, foldSeparator);
  if (lowercase) s = s.toLowerCase();
  return s;
}

/**
 * Cuts text into normalised word tokens (see the module comment for the rules).
 *
 * @param text - Any text: a line, a paragraph, a whole document.
 * @param options - `lowercase` (default `true`).
 * @returns The tokens in order; an empty array when the text holds no letters or digits.
 *
 * @example
 * ```ts
 * tokenize('Don’t panic: it’s well-known!'); // ["don't", 'panic', "it's", 'well-known']
 * tokenize('Ｂerlin ﬁne', { lowercase: false }); // ['Berlin', 'fine']
 * ```
 */
export function tokenize(text: string, options: TokenizeOptions = {}): string[] {
  const s = prepare(text, options.lowercase ?? true);
  return s.match(TOKEN) ?? [];
}

/**
 * Normalises a single query word by the same rules as {@link tokenize}, so it can be looked up in a
 * vocabulary built from tokenized text. Surrounding punctuation is dropped (`"King!"` → `king`).
 * When the input holds several tokens (`U.S.`, `new york`), the first one is returned; use
 * {@link tokenize} to get them all.
 *
 * @param word - The word as typed.
 * @param options - `lowercase` (default `true`); use the same value the vocabulary was built with.
 * @returns The normalised token, or `''` when nothing survives (only punctuation or spaces).
 *
 * @example
 * ```ts
 * normalizeToken('  Don’t! '); // "don't"
 * normalizeToken('Paris', { lowercase: false }); // 'Paris'
 * normalizeToken('?!'); // ''
 * ```
 */
export function normalizeToken(word: string, options: TokenizeOptions = {}): string {
  const s = prepare(word, options.lowercase ?? true);
  // A non-global copy so the shared global regex's lastIndex is never involved.
  const m = FIRST_TOKEN.exec(s);
  return m ? m[0] : '';
}

const FIRST_TOKEN = new RegExp(TOKEN.source, 'u');
