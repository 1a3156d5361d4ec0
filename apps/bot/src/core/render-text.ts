import type { Reply } from './reply.js';
import { escapeControls } from './validate.js';

/**
 * A reply as plain text for a terminal: the title, its body lines, fields as indented blocks and
 * the footer in brackets. No markup to escape, but control characters are shown escaped
 * ({@link escapeControls}): a word holding ESC must not drive the terminal.
 *
 * @example
 * ```ts
 * renderText({ title: 'Hi', lines: ['a', 'b'] }); // 'Hi\n  a\n  b'
 * ```
 */
export function renderText(reply: Reply): string {
  const e = (text: string) => escapeControls(text);
  const out = [reply.error ? `✗ ${e(reply.title)}` : e(reply.title)];
  for (const line of reply.lines) out.push(line === '' ? '' : `  ${e(line)}`);
  for (const field of reply.fields ?? []) {
    out.push(`  ${e(field.name)}`);
    for (const line of field.value.split('\n')) out.push(`    ${e(line)}`);
  }
  if (reply.footer) out.push(`  [${e(reply.footer)}]`);
  return out.join('\n');
}
