import { escapeUnsafeCharacters } from '@wordvec/embeddings';
import type { Command } from 'commander';
import { modelName } from '../arguments.js';
import { CliError } from '../cli-error.js';
import { type CommandContext, emit, type GlobalOptions } from '../context.js';
import { createProgressReporter } from '../progress-reporter.js';
import { withStore } from '../store-access.js';
import { buildSubwordTable, megabytes } from '../subword-builder.js';

interface Options extends GlobalOptions {
  remove?: boolean;
}

/** `wordvec oov-index NAME`: builds and stores a subword table for a model already in the store. */
export function register(
  program: Command,
  run: (fn: (ctx: CommandContext) => Promise<void>) => Promise<void>,
): void {
  program
    .command('oov-index')
    .description(
      'build a character n-gram table for stored model NAME, so unknown words get estimated vectors (replaces a learned one)',
    )
    .argument('<name>', 'model name', modelName)
    .option('--remove', 'remove the learned table instead')
    .action((name: string, options: Options) =>
      run(async (ctx) => {
        await withStore(options, ctx, { readonly: false }, async (store) => {
          const model = store.model(name);
          const shown = escapeUnsafeCharacters(name);
          if (model.subwordInfo()?.source === 'fasttext')
            throw new CliError(`${shown} is a fastText model: it has its own n-gram table, which is kept`);
          if (options.remove) {
            store.putSubwords(name, undefined);
            emit(options, ctx, { model: name, removed: true }, () => `removed the subword table of ${shown}`);
            return;
          }
          const progress = createProgressReporter({ quiet: Boolean(options.quiet || options.json) });
          const started = Date.now();
          try {
            const kv = model.toKeyedVectors();
            const built = buildSubwordTable(
              { words: kv.words, dim: kv.dim, unit: kv.unitVectors() },
              progress.onProgress,
            );
            const buildSeconds = (Date.now() - started) / 1000;
            const info = store.putSubwords(name, built);
            progress.stop();
            const seconds = (Date.now() - started) / 1000;
            const memoryBytes = built.table.rows.byteLength;
            emit(
              options,
              ctx,
              { model: name, subword: info, seconds, buildSeconds, memoryBytes },
              () =>
                `built the subword table of ${shown}: ${info?.bucket} n-gram rows × ${info?.dim} (n ${info?.minn}–${info?.maxn}) in ${seconds.toFixed(1)} s (fit ${buildSeconds.toFixed(1)} s); ` +
                `${megabytes(info?.bytes ?? 0)} on disk, ${megabytes(memoryBytes)} in memory while built, read piece by piece afterwards`,
            );
          } finally {
            progress.stop();
          }
        });
      }),
    );
}
