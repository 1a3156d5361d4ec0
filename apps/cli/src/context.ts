import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type EvaluationFiles, escapeUnsafeCharacters, findEvaluationData } from '@wordvec/embeddings';

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

/** The shared evaluation data: see `findEvaluationData` in @wordvec/embeddings. */
export function findEvalData(ctx: Pick<CommandContext, 'env' | 'cwd'>): EvaluationFiles {
  return findEvaluationData({ env: ctx.env, cwd: ctx.cwd, from: dirname(fileURLToPath(import.meta.url)) });
}

/**
 * Writes `value` as JSON on stdout when `--json`, else the human text. JSON.stringify leaves bidi
 * controls (U+202E …) and C1 controls raw; they are escaped too (as `\uNNNN`, so the JSON parses the same).
 */
export function emit(options: GlobalOptions, ctx: CommandContext, value: unknown, human: () => string): void {
  if (options.json) ctx.stdout.write(`${escapeUnsafeCharacters(JSON.stringify(value))}\n`);
  else ctx.stdout.write(`${human()}\n`);
}
