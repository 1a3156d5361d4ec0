import { escapeUnsafeCharacters, quoteForMessage } from '@wordvec/embeddings';
import type { Command } from 'commander';
import { type CommandContext, emit, type GlobalOptions } from '../context.js';
import { withStore } from '../store-access.js';

/** `wordvec oov NAME WORD`: is WORD in the vocabulary, and if not, what is close. */
export function register(
  program: Command,
  run: (fn: (ctx: CommandContext) => Promise<void>) => Promise<void>,
): void {
  program
    .command('oov')
    .description('whether WORD is in the vocabulary of model NAME (count and rank, or suggestions)')
    .argument('<name>', 'model name')
    .argument('<word>', 'word to check')
    .action((name: string, word: string, options: GlobalOptions) =>
      run(async (ctx) => {
        await withStore(options, ctx, { readonly: true }, async (store) => {
          const model = store.model(name);
          if (model.has(word)) {
            const result = {
              model: name,
              word,
              inVocabulary: true,
              count: model.count(word),
              rank: model.rank(word),
            };
            emit(options, ctx, result, () => {
              const count = result.count === undefined ? '' : `, seen ${result.count} times`;
              return `${quoteForMessage(word, 200)} is in the vocabulary of ${escapeUnsafeCharacters(name)} (frequency rank ${result.rank}${count})`;
            });
          } else {
            const suggestions = model.suggest(word, 5);
            const rare = model.rareCount?.(word) ?? 0;
            const result = { model: name, word, inVocabulary: false, rareCount: rare, suggestions };
            emit(options, ctx, result, () => {
              const why =
                rare > 0 ? `seen ${rare} times, fewer than the model's min-count` : 'never seen in training';
              const hint =
                suggestions.length > 0
                  ? `; did you mean ${escapeUnsafeCharacters(suggestions.join(', '))}?`
                  : '';
              return `${quoteForMessage(word, 200)} is not in the vocabulary of ${escapeUnsafeCharacters(name)} (${why})${hint}`;
            });
          }
        });
      }),
    );
}
