import type { Reply } from './reply.js';

/**
 * A reply as plain text for a terminal: the title, its body lines, fields as indented blocks and
 * the footer in brackets. Nothing is escaped: a terminal shows text as it is.
 *
 * @example
 * ```ts
 * renderText({ title: 'Hi', lines: ['a', 'b'] }); // 'Hi\n  a\n  b'
 * ```
 */
export function renderText(reply: Reply): string {
  const out = [reply.error ? `✗ ${reply.title}` : reply.title];
  for (const line of reply.lines) out.push(line === '' ? '' : `  ${line}`);
  for (const field of reply.fields ?? []) {
    out.push(`  ${field.name}`);
    for (const line of field.value.split('\n')) out.push(`    ${line}`);
  }
  if (reply.footer) out.push(`  [${reply.footer}]`);
  return out.join('\n');
}
