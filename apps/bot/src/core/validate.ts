import { BotInputError } from './bot-error.js';

/** Longest option value accepted, in characters (Discord allows 6000; nothing sensible here is longer). */
export const MAX_OPTION_LENGTH = 100;

// C0 and C1 controls, DEL, and the bidi overrides/isolates that can make a reply read differently
// from what it says (CVE-2021-42574, "Trojan Source").
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u;

/**
 * Checks a text option typed by a person: at most {@link MAX_OPTION_LENGTH} characters, no control
 * characters, not blank. Returns it trimmed.
 *
 * @throws {@link BotInputError} naming the option and what is wrong with it.
 * @example
 * ```ts
 * checkText('word', '  pizza '); // 'pizza'
 * checkText('word', 'a\u0007b'); // throws: option "word" contains a control character (U+0007)
 * ```
 */
export function checkText(option: string, value: string): string {
  if (value.length > MAX_OPTION_LENGTH) {
    throw new BotInputError(
      'Option too long',
      `Option “${option}” is ${value.length} characters long; the limit is ${MAX_OPTION_LENGTH}.`,
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
