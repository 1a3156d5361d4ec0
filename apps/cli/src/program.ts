import { AbortedError } from '@wordvec/embeddings';
import { Command, CommanderError } from 'commander';
import { CliError, describeError, EXIT_INTERRUPTED } from './cli-error.js';
import * as analogy from './commands/analogy.js';
import * as compare from './commands/compare.js';
import * as download from './commands/download.js';
import * as evaluation from './commands/eval.js';
import * as importExport from './commands/import-export.js';
import * as lens from './commands/lens.js';
import * as models from './commands/models.js';
import * as oov from './commands/oov.js';
import * as oovIndex from './commands/oov-index.js';
import * as plot from './commands/plot.js';
import * as similar from './commands/similar.js';
import * as similarity from './commands/similarity.js';
import * as train from './commands/train.js';
import * as vector from './commands/vector.js';
import type { CommandContext } from './context.js';

const COMMANDS = [
  train,
  importExport,
  evaluation,
  models,
  similar,
  analogy,
  oov,
  plot,
  download,
  lens,
  oovIndex,
  similarity,
  vector,
  compare,
];

/** Streams and environment a run uses; tests pass their own. */
export interface RunIo {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/**
 * Runs the `wordvec` command line and resolves to the process exit status:
 * 0 done, 1 failed (one line on stderr), 2 bad usage, 130 interrupted by Ctrl-C.
 *
 * @example
 * ```ts
 * process.exitCode = await runCli(['models', '--store', 'data/wordvec.db'], { ...process, cwd: process.cwd() });
 * ```
 */
export async function runCli(argv: string[], io: RunIo): Promise<number> {
  const verbose = argv.includes('--verbose');
  let exitCode = 0;

  const run = async (fn: (ctx: CommandContext) => Promise<void>): Promise<void> => {
    const controller = new AbortController();
    let interrupts = 0;
    const onSigint = () => {
      interrupts++;
      if (interrupts > 1) process.exit(EXIT_INTERRUPTED);
      io.stderr.write('\ninterrupted: stopping (press Ctrl-C again to quit at once)\n');
      controller.abort();
    };
    process.on('SIGINT', onSigint);
    try {
      await fn({ ...io, signal: controller.signal });
    } catch (error) {
      if (error instanceof AbortedError || controller.signal.aborted) {
        io.stderr.write('wordvec: interrupted; the store is unchanged\n');
        exitCode = EXIT_INTERRUPTED;
        return;
      }
      io.stderr.write(`wordvec: ${describeError(error)}\n`);
      if (verbose && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
      exitCode = error instanceof CliError ? error.exitCode : 1;
    } finally {
      process.off('SIGINT', onSigint);
    }
  };

  const program = new Command('wordvec')
    .description('train, import, evaluate, inspect and publish word-embedding models')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    });
  for (const command of COMMANDS) command.register(program, run);
  for (const sub of program.commands) {
    sub
      .option('--store <path>', 'store file (default: $WORDVEC_STORE, else data/wordvec.db)')
      .option('--json', 'print the result as JSON')
      .option('-q, --quiet', 'no progress output')
      .option('--verbose', 'show stack traces of errors')
      .showHelpAfterError('(run with --help for usage)')
      .exitOverride();
  }

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      // help and version exit 0; usage errors have already been printed by commander
      return error.exitCode === 0 ? 0 : 2;
    }
    io.stderr.write(`wordvec: ${describeError(error)}\n`);
    return 1;
  }
  return exitCode;
}
