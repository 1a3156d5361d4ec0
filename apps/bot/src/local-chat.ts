import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Command } from './commands/command.js';
import { BotInputError } from './core/bot-error.js';
import { parseCommandLine } from './core/parse-command-line.js';
import { renderText } from './core/render-text.js';
import { errorReply, type Reply, type ReplyImage } from './core/reply.js';
import type { CommandRunner } from './core/runner.js';
import { escapeControls, MAX_OPTION_LENGTH } from './core/validate.js';

export interface LocalChatOptions {
  runner: CommandRunner;
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  /** A person at a terminal: greet, show a prompt, accept /quit. Otherwise one answer per input line. */
  interactive: boolean;
  /** Shown in the greeting, e.g. the default model. */
  banner?: string;
  /** Folder the pictures of `/plot`, `/lens` and `/analogy plot:true` are written to (created when needed); default `wordvec-pictures` in the OS temp folder. */
  picturesDir?: string;
}

/** The `/help` text: every command with its options. */
export function helpText(commands: readonly Command[]): string {
  const lines = ['Commands (options in brackets are optional; name:value works too):'];
  for (const { definition: d } of commands) {
    const opts = d.options.map((o) => (o.required ? o.name : `[${o.name}]`)).join(' ');
    lines.push(`  /${d.name}${opts ? ` ${opts}` : ''} — ${d.description}`);
  }
  lines.push('  /help — this list', '  /quit — leave');
  return lines.join('\n');
}

/**
 * The chat used when there is no Discord token: a person types `/similar pizza` and reads the same
 * answer the Discord embed would carry, as text. With piped input it answers each line and returns
 * at end of input, so `echo "/similar king" | pnpm start` works in scripts.
 *
 * @returns The number of lines answered.
 */
export async function runLocalChat(options: LocalChatOptions): Promise<number> {
  const { runner, output, interactive } = options;
  const rl = createInterface({
    input: options.input,
    output: interactive ? output : undefined,
    terminal: interactive,
  });
  const write = (text: string) => output.write(`${text}\n`);
  if (interactive) {
    write(
      `wordvec local chat${options.banner ? ` — ${options.banner}` : ''}. Type /help for commands, /quit to leave.`,
    );
    rl.setPrompt('wordvec> ');
    rl.prompt();
  }
  const pictures = new PictureFolder(options.picturesDir ?? join(tmpdir(), 'wordvec-pictures'));
  let answered = 0;
  for await (const raw of rl) {
    const line = raw.trim();
    if (line === '/quit' || line === '/exit') break;
    if (line !== '') {
      write(await answer(runner, line, pictures));
      answered++;
      if (!interactive) write('');
    }
    if (interactive) rl.prompt();
  }
  rl.close();
  return answered;
}

/**
 * What to suggest for a line typed without the slash: the same line as a command when it starts
 * with a command's name (`similar king` → `/similar king`), else `/similar` with the first word
 * typed (`king` → `/similar king`), else just /help.
 */
export function notACommandHint(runner: CommandRunner, line: string): string {
  const words = line.trim().split(/\s+/);
  const first = words[0].toLowerCase();
  const typedLine = line.trim().length <= MAX_OPTION_LENGTH ? line.trim() : undefined;
  let example: string | undefined;
  if (runner.commands.some((c) => c.definition.name === first) && typedLine) example = `/${typedLine}`;
  else if (words.length === 1 && words[0].length <= MAX_OPTION_LENGTH && /^[\p{L}\p{N}'’-]+$/u.test(words[0]))
    example = `/similar ${words[0]}`;
  return example
    ? `Commands start with “/”: did you mean ${example}? Type /help for the list.`
    : 'Commands start with “/”, e.g. /similar king. Type /help for the list.';
}

/** The name a win announces in the local chat: the login name, else "you". */
function localName(): string {
  try {
    return userInfo().username || 'you';
  } catch {
    return 'you';
  }
}

/**
 * Where the local chat puts pictures: one folder, each picture under its own name, never over an
 * earlier one (`plot-king.png`, then `plot-king-2.png`, …).
 */
class PictureFolder {
  readonly #taken = new Set<string>();
  constructor(readonly dir: string) {}

  /** Writes the PNG and returns its path. */
  write(image: ReplyImage): string {
    mkdirSync(this.dir, { recursive: true });
    const stem = image.fileName.replace(/\.png$/, '');
    for (let n = 1; ; n++) {
      const path = join(this.dir, n === 1 ? image.fileName : `${stem}-${n}.png`);
      if (this.#taken.has(path)) continue;
      try {
        // `wx`: a file left by an earlier session is kept, the next free name is taken.
        writeFileSync(path, image.png, { flag: 'wx' });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
          this.#taken.add(path);
          continue;
        }
        throw error;
      }
      this.#taken.add(path);
      return path;
    }
  }
}

/** A reply as text; its picture written to the folder, with a line saying where. */
function renderWithPicture(reply: Reply, pictures: PictureFolder): string {
  const text = renderText(reply);
  if (!reply.image) return text;
  const { width, height, png } = reply.image;
  let where: string;
  try {
    where = `picture: ${pictures.write(reply.image)} (${width}×${height}, ${Math.ceil(png.length / 1024)} KiB)`;
  } catch (error) {
    where = `picture not written: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message} in ${pictures.dir}`;
  }
  return `${text}\n  ${escapeControls(where)}`;
}

async function answer(runner: CommandRunner, line: string, pictures: PictureFolder): Promise<string> {
  if (line === '/help' || line === 'help') return helpText(runner.commands);
  if (!line.startsWith('/')) return renderText(errorReply('Not a command', [notACommandHint(runner, line)]));
  try {
    const parsed = parseCommandLine(line, runner.commands);
    if (!parsed) return '';
    // One channel for every local session: a game started in one `pnpm start` goes on in the next.
    return renderWithPicture(
      await runner.run({ ...parsed, user: 'local', userName: localName(), channel: 'local' }),
      pictures,
    );
  } catch (error) {
    if (error instanceof BotInputError) return renderText(errorReply(error.title, [error.message]));
    throw error;
  }
}
