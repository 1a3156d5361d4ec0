import { escapeUnsafeCharacters } from '@wordvec/embeddings';
import type { Command } from 'commander';
import { type CommandContext, emit, type GlobalOptions } from '../context.js';
import {
  addOovOptions,
  type OovFlags,
  oovOptions,
  resolutionLines,
  resolveOrExplain,
} from '../oov-options.js';
import { withStore } from '../store-access.js';

type Options = GlobalOptions & OovFlags;

/** `wordvec similarity NAME A B`: the cosine similarity of two words (gensim `similarity`). */
export function register(
  program: Command,
  run: (fn: (ctx: CommandContext) => Promise<void>) => Promise<void>,
): void {
  const command = program
    .command('similarity')
    .description(
      'the cosine similarity of words A and B in model NAME (--oov estimate: also for words not in the vocabulary)',
    )
    .argument('<name>', 'model name')
    .argument('<a>', 'first word')
    .argument('<b>', 'second word');
  addOovOptions(command, 'exact').action((name: string, a: string, b: string, options: Options) =>
    run(async (ctx) => {
      const oov = oovOptions(options);
      await withStore(options, ctx, { readonly: true }, async (store) => {
        const model = store.model(name);
        const { items, resolutions } = resolveOrExplain(model, [a, b], oov);
        const similarity = model.similarity(items[0], items[1]);
        emit(options, ctx, { model: name, resolutions, similarity }, () =>
          [
            ...resolutionLines(resolutions),
            `${escapeUnsafeCharacters(`cosine(${a}, ${b})`)} = ${similarity.toFixed(4)}`,
          ].join('\n'),
        );
      });
    }),
  );
}
