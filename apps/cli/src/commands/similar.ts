import { escapeUnsafeCharacters } from '@wordvec/embeddings';
import type { Command } from 'commander';
import { positiveInt } from '../arguments.js';
import { type CommandContext, emit, type GlobalOptions } from '../context.js';
import { withStore } from '../store-access.js';
import { formatTable } from '../table.js';

interface Options extends GlobalOptions {
  topn: number;
}

/** `wordvec similar NAME WORD`: nearest neighbours of a word. */
export function register(
  program: Command,
  run: (fn: (ctx: CommandContext) => Promise<void>) => Promise<void>,
): void {
  program
    .command('similar')
    .description('the words nearest to WORD in model NAME, by cosine similarity')
    .argument('<name>', 'model name')
    .argument('<word>', 'query word')
    .option('-n, --topn <n>', 'how many neighbours', positiveInt('--topn'), 10)
    .action((name: string, word: string, options: Options) =>
      run(async (ctx) => {
        await withStore(options, ctx, { readonly: true }, async (store) => {
          const model = store.model(name);
          const results = model.mostSimilar({ positive: [word], topn: options.topn });
          emit(options, ctx, { model: name, results }, () =>
            formatTable([
              ['word', 'cosine'],
              ...results.map((r) => [escapeUnsafeCharacters(r.word), r.score.toFixed(4)]),
            ]),
          );
        });
      }),
    );
}
