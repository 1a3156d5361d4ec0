import { escapeUnsafeCharacters } from '@wordvec/embeddings';
import type { Command } from 'commander';
import { modelName, oneOf } from '../arguments.js';
import { CliError } from '../cli-error.js';
import { type CommandContext, emit, type GlobalOptions } from '../context.js';
import { createProgressReporter } from '../progress-reporter.js';
import { withStore } from '../store-access.js';
import {
  buildSubwords,
  describeStoredSubwords,
  megabytes,
  OOV_METHOD_HELP,
  OOV_METHODS,
} from '../subword-builder.js';

interface Options extends GlobalOptions {
  remove?: boolean;
  oovMethod?: (typeof OOV_METHODS)[number];
}

/** `wordvec oov-index NAME`: builds and stores a subword model (Magnitude index or learned table) for a model already in the store. */
export function register(
  program: Command,
  run: (fn: (ctx: CommandContext) => Promise<void>) => Promise<void>,
): void {
  program
    .command('oov-index')
    .description(
      'build a subword model for stored model NAME (a Magnitude n-gram index, or a learned n-gram table), so unknown words get estimated vectors (replaces the one it has)',
    )
    .argument('<name>', 'model name', modelName)
    .option(
      '--oov-method <method>',
      OOV_METHOD_HELP.replace('with --oov subword: ', ''),
      oneOf('--oov-method', OOV_METHODS),
    )
    .option('--remove', 'remove the subword model instead')
    .action((name: string, options: Options) =>
      run(async (ctx) => {
        await withStore(options, ctx, { readonly: false }, async (store) => {
          const model = store.model(name);
          const shown = escapeUnsafeCharacters(name);
          if (model.subwordInfo()?.source === 'fasttext')
            throw new CliError(`${shown} is a fastText model: it has its own n-gram table, which is kept`);
          if (options.remove && options.oovMethod)
            throw new CliError('--remove and --oov-method do not go together');
          if (options.remove) {
            store.putSubwords(name, undefined);
            emit(options, ctx, { model: name, removed: true }, () => `removed the subword model of ${shown}`);
            return;
          }
          const progress = createProgressReporter({ quiet: Boolean(options.quiet || options.json) });
          const started = Date.now();
          try {
            const kv = model.toKeyedVectors();
            const { subwords, memoryBytes } = buildSubwords(
              { words: kv.words, dim: kv.dim, unit: kv.unitVectors() },
              options.oovMethod,
              progress.onProgress,
            );
            const buildSeconds = (Date.now() - started) / 1000;
            const info = store.putSubwords(name, subwords);
            progress.stop();
            const seconds = (Date.now() - started) / 1000;
            emit(
              options,
              ctx,
              { model: name, subword: info, seconds, buildSeconds, memoryBytes },
              () =>
                `built the subword model of ${shown} in ${seconds.toFixed(1)} s (build ${buildSeconds.toFixed(1)} s, ${megabytes(memoryBytes)} in memory): ` +
                (info ? describeStoredSubwords(info) : ''),
            );
          } finally {
            progress.stop();
          }
        });
      }),
    );
}
