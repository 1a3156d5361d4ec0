import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Options every command takes. */
export interface GlobalOptions {
  store?: string;
  json?: boolean;
  quiet?: boolean;
  verbose?: boolean;
}

/** What a command runs with: its streams, environment and abort signal (Ctrl-C). */
export interface CommandContext {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
  signal: AbortSignal;
}

export const DEFAULT_STORE = 'data/wordvec.db';

/** `--store`, else `WORDVEC_STORE`, else `data/wordvec.db`, resolved against the working directory. */
export function resolveStorePath(options: GlobalOptions, ctx: CommandContext): string {
  return resolve(ctx.cwd, options.store ?? ctx.env.WORDVEC_STORE ?? DEFAULT_STORE);
}

/** The monorepo root above `from` (the folder holding pnpm-workspace.yaml), if any. */
export function findRepoRoot(from: string): string | undefined {
  let dir = resolve(from);
  for (;;) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return dir;
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

/**
 * The shared evaluation data: `WORDVEC_EVAL_DIR`, else `../shared/eval` beside the repo root.
 * Returns the paths of the two files that exist, each possibly undefined.
 */
export function findEvalData(ctx: Pick<CommandContext, 'env' | 'cwd'>): {
  analogies?: string;
  pairs?: string;
} {
  const candidates: string[] = [];
  if (ctx.env.WORDVEC_EVAL_DIR) {
    // An explicit directory is the only place looked at, so it can also switch evaluation off.
    candidates.push(resolve(ctx.cwd, ctx.env.WORDVEC_EVAL_DIR));
  } else {
    const root = findRepoRoot(ctx.cwd) ?? findRepoRoot(dirname(fileURLToPath(import.meta.url)));
    if (root) candidates.push(join(root, '..', 'shared', 'eval'));
  }
  for (const dir of candidates) {
    const analogies = join(dir, 'questions-words.txt');
    const pairs = join(dir, 'wordsim353.tsv');
    if (existsSync(analogies) || existsSync(pairs)) {
      return {
        analogies: existsSync(analogies) ? analogies : undefined,
        pairs: existsSync(pairs) ? pairs : undefined,
      };
    }
  }
  return {};
}

/** Writes `value` as JSON on stdout when `--json`, else the human text. */
export function emit(options: GlobalOptions, ctx: CommandContext, value: unknown, human: () => string): void {
  if (options.json) ctx.stdout.write(`${JSON.stringify(value)}\n`);
  else ctx.stdout.write(`${human()}\n`);
}
