import { escapeUnsafeCharacters } from '@wordvec/embeddings';
import type { Command } from 'commander';
import { modelName } from '../arguments.js';
import { type CommandContext, emit, type GlobalOptions } from '../context.js';
import { withStore } from '../store-access.js';
import { formatTable } from '../table.js';

function score(evaluation: Record<string, unknown> | undefined, key: string): string {
  const v = evaluation?.[key];
  return typeof v === 'number' ? v.toFixed(3) : '—';
}

/** `wordvec models`, `rm`, `rename`, `default`: list and manage stored models. */
export function register(
  program: Command,
  run: (fn: (ctx: CommandContext) => Promise<void>) => Promise<void>,
): void {
  program
    .command('models')
    .description('list the stored models')
    .action((options: GlobalOptions) =>
      run(async (ctx) => {
        await withStore(options, ctx, { readonly: true }, async (store) => {
          const models = store.models();
          emit(options, ctx, { models }, () =>
            models.length === 0
              ? 'no models yet: add one with `wordvec train` or `wordvec import`'
              : formatTable([
                  ['', 'name', 'dim', 'words', 'algorithm', 'corpus', 'analogy', 'ws353', 'created'],
                  ...models.map((m) => [
                    m.isDefault ? '*' : '',
                    escapeUnsafeCharacters(m.name),
                    String(m.dim),
                    String(m.vocabSize),
                    escapeUnsafeCharacters(m.algorithm ?? '—'),
                    escapeUnsafeCharacters(m.corpus?.name ?? '—'),
                    score(m.evaluation, 'analogyAccuracy'),
                    score(m.evaluation, 'wordPairsSpearman'),
                    String(m.createdAt).slice(0, 19),
                  ]),
                ]),
          );
        });
      }),
    );

  program
    .command('rm')
    .description('delete model NAME')
    .argument('<name>', 'model name', modelName)
    .action((name: string, options: GlobalOptions) =>
      run(async (ctx) => {
        await withStore(options, ctx, { readonly: false }, async (store) => {
          store.deleteModel(name);
          emit(options, ctx, { deleted: name }, () => `deleted ${name}`);
        });
      }),
    );

  program
    .command('rename')
    .description('rename model OLD to NEW')
    .argument('<old>', 'current name', modelName)
    .argument('<new>', 'new name', modelName)
    .action((from: string, to: string, options: GlobalOptions) =>
      run(async (ctx) => {
        await withStore(options, ctx, { readonly: false }, async (store) => {
          store.renameModel(from, to);
          emit(options, ctx, { renamed: from, to }, () => `renamed ${from} to ${to}`);
        });
      }),
    );

  program
    .command('default')
    .description('make model NAME the default the bot answers from')
    .argument('<name>', 'model name', modelName)
    .action((name: string, options: GlobalOptions) =>
      run(async (ctx) => {
        await withStore(options, ctx, { readonly: false }, async (store) => {
          store.setDefault(name);
          emit(options, ctx, { default: name }, () => `${name} is now the default model`);
        });
      }),
    );
}
