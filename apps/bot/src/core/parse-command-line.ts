import type { Command } from '../commands/command.js';
import { BotInputError } from './bot-error.js';
import type { RawOptions } from './runner.js';

/** A typed line cut into a command name and its options. */
export interface ParsedLine {
  command: string;
  options: RawOptions;
}

/**
 * Parses a chat line the way a person would type a slash command without Discord's form:
 * `/similar pizza 5`, `/similar word:pizza count:5 model:brown`, `/doesntmatch cat dog car`.
 * Values are positional in definition order or named with `name:value` / `name=value`; double
 * quotes group words; the `words` option takes the rest of the line.
 *
 * @returns `undefined` for a blank line.
 * @throws {@link BotInputError} for a line that is not a command, or an unknown command.
 * @example
 * ```ts
 * parseCommandLine('/analogy king man woman', commands);
 * // { command: 'analogy', options: { a: 'king', b: 'man', c: 'woman' } }
 * ```
 */
export function parseCommandLine(line: string, commands: readonly Command[]): ParsedLine | undefined {
  const tokens = splitArgs(line.trim());
  if (tokens.length === 0) return undefined;
  const head = tokens.shift()!;
  const name = head.replace(/^\//, '').toLowerCase();
  const command = commands.find((c) => c.definition.name === name);
  if (!command) {
    const known = commands.map((c) => `/${c.definition.name}`).join(' ');
    throw new BotInputError('Unknown command', `“${head}” is not a command; try one of: ${known}, or /help.`);
  }
  const defs = command.definition.options;
  const options: RawOptions = {};
  const positional: string[] = [];
  for (const token of tokens) {
    const m = /^([a-z_]+)[:=](.*)$/s.exec(token);
    if (m && defs.some((d) => d.name === m[1])) options[m[1]] = m[2];
    else positional.push(token);
  }
  const free = defs.filter((d) => options[d.name] === undefined);
  for (let i = 0; i < free.length && positional.length > 0; i++) {
    const def = free[i];
    const takesRest = def.type === 'string' && (def.name === 'words' || def.name === 'expression');
    options[def.name] = takesRest ? positional.splice(0).join(' ') : positional.shift();
  }
  if (positional.length > 0) {
    throw new BotInputError(
      'Too many values',
      `/${name} takes ${defs.map((d) => d.name).join(', ')}; “${positional.join(' ')}” is left over.`,
    );
  }
  return { command: name, options };
}

function splitArgs(line: string): string[] {
  const out: string[] = [];
  const re = /"([^"]*)"|(\S+)/g;
  for (let m = re.exec(line); m; m = re.exec(line)) out.push(m[1] ?? m[2]);
  return out;
}
