import { BotInputError } from './bot-error.js';

/** Longest option value accepted, in characters (Discord allows 6000; nothing sensible here is longer). */
export const MAX_OPTION_LENGTH = 100;

// C0 and C1 controls, DEL, the bidi marks, overrides and isolates that can make a reply read
// differently from what it says (CVE-2021-42574, "Trojan Source"), and the invisible zero-width and
// line/paragraph separators that make two different words look the same. One rule for both sides:
// input holding one is refused ({@link checkText}); output showing one escapes it ({@link escapeControls}).
const CONTROL_CLASS =
  '[\\u0000-\\u001f\\u007f-\\u009f\\u061c\\u180e\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2069\\ufeff]';
const CONTROL = new RegExp(CONTROL_CLASS, 'u');
const CONTROLS = new RegExp(CONTROL_CLASS, 'gu');

/**
 * Whether `text` holds a character of the control rule (C0/C1 controls, bidi controls, zero-width
 * and separator characters).
 */
export function hasControl(text: string): boolean {
  return CONTROL.test(text);
}

/**
 * Shows every character of the control rule as a visible escape (`\u{1B}`), so a word stored with
 * ESC, CR, NUL, U+202E or U+200B (models imported from files) can neither drive a terminal nor
 * reorder or hide text in a chat reply. Every transport runs reply text through it before its own
 * markup escaping. `keepNewlines` leaves `\n` as a line break (multi-line field values).
 *
 * @example
 * ```ts
 * escapeControls('a\u001b[31mb'); // 'a\\u{1B}[31mb'
 * ```
 */
export function escapeControls(text: string, options: { keepNewlines?: boolean } = {}): string {
  return text.replace(CONTROLS, (c) =>
    c === '\n' && options.keepNewlines ? c : `\\u{${c.codePointAt(0)!.toString(16).toUpperCase()}}`,
  );
}

/**
 * Checks a text option typed by a person: at most `max` ({@link MAX_OPTION_LENGTH} unless the option
 * allows more, as a word list does) characters, no control
 * characters, not blank. Returns it trimmed.
 *
 * @throws {@link BotInputError} naming the option and what is wrong with it.
 * @example
 * ```ts
 * checkText('word', '  pizza '); // 'pizza'
 * checkText('word', 'a\u0007b'); // throws: option "word" contains a control character (U+0007)
 * ```
 */
export function checkText(option: string, value: string, max = MAX_OPTION_LENGTH): string {
  if (value.length > max) {
    throw new BotInputError(
      'Option too long',
      `Option “${option}” is ${value.length} characters long; the limit is ${max}.`,
    );
  }
  const bad = CONTROL.exec(value);
  if (bad) {
    const code = bad[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
    throw new BotInputError(
      'Invalid character',
      `Option “${option}” contains a control character (U+${code}); please type plain text.`,
    );
  }
  const trimmed = value.trim();
  if (trimmed === '') throw new BotInputError('Empty option', `Option “${option}” is empty.`);
  return trimmed;
}

/**
 * Checks an integer option against its limits.
 *
 * @throws {@link BotInputError} naming the option, the value and the allowed range.
 */
export function checkInteger(option: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new BotInputError(
      'Out of range',
      `Option “${option}” must be a whole number from ${min} to ${max}, got ${value}.`,
    );
  }
  return value;
}
