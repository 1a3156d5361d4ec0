import { escapeUnsafeCharacters } from '@wordvec/embeddings';
import type { Command } from 'commander';
import { oneOf, positiveInt } from '../arguments.js';
import { type CommandContext, emit, type GlobalOptions } from '../context.js';
import { withStore } from '../store-access.js';
import { formatTable } from '../table.js';

interface Options extends GlobalOptions {
  topn: number;
  method: 'add' | 'mul';
}

/** `wordvec analogy NAME A B C`: A − B + C (b is to a as c is to ?). */
export function register(
  program: Command,
  run: (fn: (ctx: CommandContext) => Promise<void>) => Promise<void>,
): void {
  program
    .command('analogy')
    .description('A − B + C in model NAME: "B is to A as C is to ?" (king man woman → queen)')
    .argument('<name>', 'model name')
    .argument('<a>', 'word A')
    .argument('<b>', 'word B')
    .argument('<c>', 'word C')
    .option('-n, --topn <n>', 'how many answers', positiveInt('--topn'), 5)
    .option(
      '--method <method>',
      '3CosAdd (add) or 3CosMul (mul)',
      oneOf('--method', ['add', 'mul'] as const),
      'add',
    )
    .action((name: string, a: string, b: string, c: string, options: Options) =>
      run(async (ctx) => {
        await withStore(options, ctx, { readonly: true }, async (store) => {
          const model = store.model(name);
          const results = model.analogy(a, b, c, { topn: options.topn, method: options.method });
          emit(options, ctx, { model: name, results }, () =>
            [
              escapeUnsafeCharacters(`${b} is to ${a} as ${c} is to ${results[0]?.word ?? '?'}`),
              formatTable([
                ['word', 'score'],
                ...results.map((r) => [escapeUnsafeCharacters(r.word), r.score.toFixed(4)]),
              ]),
            ].join('\n'),
          );
        });
      }),
    );
}
