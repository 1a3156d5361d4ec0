/**
 * Escaping of user-supplied text echoed back into chat. Discord (and Slack) treat `*_~|>#-`` ` ``
 * and friends as markdown and `@everyone`, `<@id>` as mentions; replies also set
 * `allowedMentions: { parse: [] }`, but escaping keeps the text looking as typed and keeps it from
 * pinging even if a transport forgets that flag.
 */

import { escapeControls } from './validate.js';

// Discord markdown metacharacters (message formatting reference): emphasis, strike, spoiler, code,
// quote, headings, masked links (escaping the brackets is enough) and the backslash itself.
const MARKDOWN = /[\\*_~`|>#[\]]/g;
// A zero-width space after `@` breaks mention parsing without changing what people read.
const ZWSP = '\u200b';

/**
 * Makes `text` render literally and never mention anyone: control characters shown escaped
 * ({@link escapeControls}), markdown backslash-escaped, mentions broken.
 *
 * @example
 * ```ts
 * escapeChat('@everyone **hi**'); // '@\u200beveryone \\*\\*hi\\*\\*'
 * ```
 */
export function escapeChat(text: string, options: { keepNewlines?: boolean } = {}): string {
  return escapeControls(text, options)
    .replace(MARKDOWN, (c) => `\\${c}`)
    .replace(/@/g, `@${ZWSP}`)
    .replace(/<(?=[@#!:&/])/g, `<${ZWSP}`);
}

/**
 * A word from user input or a vocabulary, quoted for a plain-text reply line.
 *
 * @example
 * ```ts
 * quoteWord('pizza'); // '“pizza”'
 * ```
 */
export function quoteWord(word: string): string {
  return `“${word}”`;
}

/** Formats a cosine or other score with a fixed number of decimals. */
export function formatScore(score: number, digits = 3): string {
  return Number.isFinite(score) ? score.toFixed(digits) : String(score);
}
