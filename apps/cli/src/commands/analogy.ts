import { escapeUnsafeCharacters } from '@wordvec/embeddings';
import type { Command } from 'commander';
import { oneOf, positiveInt } from '../arguments.js';
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
  method: 'add' | 'mul';
}

/** `wordvec analogy NAME A B C`: A − B + C (b is to a as c is to ?). */
export function register(
  program: Command,
  run: (fn: (ctx: CommandContext) => Promise<void>) => Promise<void>,
): void {
  const command = program
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
    );
  addOovOptions(command, 'exact').action((name: string, a: string, b: string, c: string, options: Options) =>
    run(async (ctx) => {
      const oov = oovOptions(options);
      await withStore(options, ctx, { readonly: true }, async (store) => {
        const model = store.model(name);
        const { items, resolutions } = resolveOrExplain(model, [a, b, c], oov);
        const [ia, ib, ic] = items;
        const results = model.analogy(ia, ib, ic, { topn: options.topn, method: options.method });
        emit(options, ctx, { model: name, resolutions, results }, () =>
          [
            ...resolutionLines(resolutions),
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
