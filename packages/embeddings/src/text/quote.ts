/**
 * Words from files are untrusted text: they may be megabytes long or hold characters that move a
 * terminal's cursor (ESC, CR), end a C string (NUL) or reorder what a reader sees (bidi overrides such as
 * U+202E). One rule for all of wordvec (issue 18): vector readers skip a row whose word holds such a
 * character (with a warning), the store refuses it, and every message or printed line quotes words
 * through {@link quoteForMessage} or {@link escapeUnsafeCharacters}.
 */

/**
 * The characters a word may not hold: C0 and C1 controls (Cc: U+0000–U+001F, U+007F–U+009F), the Arabic
 * letter mark U+061C, zero-width space U+200B, the directional marks U+200E/U+200F, the bidi embeddings
 * and overrides U+202A–U+202E and isolates U+2066–U+2069, the invisible operators U+2060–U+2064, the line
 * and paragraph separators U+2028/U+2029 and the byte order mark U+FEFF.
 * U+200C and U+200D (zero-width non-joiner and joiner) are allowed: Persian and Indic words need them and
 * the tokenizer keeps them inside words.
 */
// Built from a string: the same class as a regex literal, without tripping the lint on control characters.
const UNSAFE_CLASS =
  '[\\u0000-\\u001f\\u007f-\\u009f\\u061c\\u200b\\u200e\\u200f\\u2028\\u2029\\u202a-\\u202e\\u2060-\\u2064\\u2066-\\u2069\\ufeff]';
const UNSAFE = new RegExp(UNSAFE_CLASS);
const UNSAFE_GLOBAL = new RegExp(UNSAFE.source, 'g');

/**
 * Whether `word` holds a control, bidi or invisible format character (see the list above) that
 * wordvec refuses in stored words.
 *
 * @example
 * ```ts
 * hasUnsafeCharacters('cat');          // false
 * hasUnsafeCharacters('evil\u202Etxt'); // true (right-to-left override)
 * hasUnsafeCharacters('\u001b[2Jcat');  // true (ESC)
 * ```
 */
export function hasUnsafeCharacters(word: string): boolean {
  return UNSAFE.test(word);
}

/** `\uNNNN`, as JSON writes it: the escaped text stays valid inside a JSON string too. */
function escapeOne(ch: string): string {
  return `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/**
 * `text` with every character {@link hasUnsafeCharacters} rejects written as `\uNNNN`, so it can be
 * printed to a terminal or a chat as it is, or put in JSON (the escape is JSON's). Other text is unchanged.
 *
 * @example
 * ```ts
 * escapeUnsafeCharacters('a\u001b[31mb'); // 'a\\u001b[31mb'
 * ```
 */
export function escapeUnsafeCharacters(text: string): string {
  return text.replace(UNSAFE_GLOBAL, escapeOne);
}

/**
 * `text` in double quotes for an error or warning message: at most `max` UTF-16 units of it (cut
 * before a surrogate pair rather than through it), then `…` and the full length when it was longer;
 * quotes, backslashes and unsafe characters escaped. A 20 MB word makes a message of about 80 characters.
 *
 * @example
 * ```ts
 * quoteForMessage('cat');                // '"cat"'
 * quoteForMessage('a'.repeat(5000), 5);   // '"aaaaa…" (5000 characters)'
 * quoteForMessage('x\u202Ey');            // '"x\\u202ey"'
 * ```
 */
export function quoteForMessage(text: string, max = 60): string {
  if (text.length <= max) return escapeUnsafeCharacters(JSON.stringify(text));
  let cut = max;
  const last = text.charCodeAt(cut - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut--; // keep a surrogate pair whole
  const head = escapeUnsafeCharacters(JSON.stringify(text.slice(0, cut)));
  return `${head.slice(0, -1)}…" (${text.length} characters)`;
}
