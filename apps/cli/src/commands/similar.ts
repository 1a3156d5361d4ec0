import { escapeUnsafeCharacters } from '@wordvec/embeddings';
import type { Command } from 'commander';
import { positiveInt } from '../arguments.js';
import { type CommandContext, emit, type GlobalOptions } from '../context.js';
import {
  addOovOptions,
  type OovFlags,
  oovOptions,
  resolutionLines,
  resolveOrExplain,
} from '../oov-options.js';
import { withStore } from '../store-access.js';
import { formatTable } from '../table.js';

interface Options extends GlobalOptions, OovFlags {
  topn: number;
}

/** `wordvec similar NAME WORD`: nearest neighbours of a word. */
export function register(
  program: Command,
  run: (fn: (ctx: CommandContext) => Promise<void>) => Promise<void>,
): void {
  const command = program
    .command('similar')
    .description(
      'the words nearest to WORD in model NAME, by cosine similarity (--oov estimate: also for a word not in the vocabulary)',
    )
    .argument('<name>', 'model name')
    .argument('<word>', 'query word')
    .option('-n, --topn <n>', 'how many neighbours', positiveInt('--topn'), 10);
  addOovOptions(command, 'exact').action((name: string, word: string, options: Options) =>
    run(async (ctx) => {
      const oov = oovOptions(options);
      await withStore(options, ctx, { readonly: true }, async (store) => {
        const model = store.model(name);
        const { items, resolutions } = resolveOrExplain(model, [word], oov);
        const results = model.mostSimilar({ positive: items, topn: options.topn });
        emit(options, ctx, { model: name, resolutions, results }, () =>
          [
            ...resolutionLines(resolutions),
            formatTable([
              ['word', 'cosine'],
              ...results.map((r) => [escapeUnsafeCharacters(r.word), r.score.toFixed(4)]),
            ]),
          ].join('\n'),
        );
      });
    }),
  );
}
