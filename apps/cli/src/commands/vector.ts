import { escapeUnsafeCharacters, isEstimate } from '@wordvec/embeddings';
import type { Command } from 'commander';
import { type CommandContext, emit, type GlobalOptions } from '../context.js';
import {
  addOovOptions,
  type OovFlags,
  oovOptions,
  quoteCliWord,
  resolutionLines,
  resolveOrExplain,
} from '../oov-options.js';
import { withStore } from '../store-access.js';

type Options = GlobalOptions & OovFlags;

/**
 * `wordvec vector NAME WORD`: a word's vector and how it was found. Like the bot, it estimates a
 * word missing from the vocabulary by default (`--oov estimate`) and says so; `--oov exact` refuses.
 */
export function register(
  program: Command,
  run: (fn: (ctx: CommandContext) => Promise<void>) => Promise<void>,
): void {
  const command = program
    .command('vector')
    .description(
      "WORD's vector in model NAME and how it was found (a word not in the vocabulary is estimated, as the bot does, and labelled as such)",
    )
    .argument('<name>', 'model name')
    .argument('<word>', 'the word');
  addOovOptions(command, 'estimate').action((name: string, word: string, options: Options) =>
    run(async (ctx) => {
      const oov = oovOptions(options);
      await withStore(options, ctx, { readonly: true }, async (store) => {
        const model = store.model(name);
        const { items, resolutions } = resolveOrExplain(model, [word], oov);
        const [resolution] = resolutions;
        const item = items[0];
        const vector = typeof item === 'string' ? model.get(item) : Float32Array.from(item);
        const estimated = isEstimate(resolution);
        emit(
          options,
          ctx,
          { model: name, word, resolution, estimated, dim: vector.length, vector: Array.from(vector) },
          () => {
            const how = resolutionLines(resolutions);
            const head =
              how.length > 0
                ? how
                : [`${quoteCliWord(word)} is in the vocabulary of ${escapeUnsafeCharacters(name)}`];
            const label = escapeUnsafeCharacters(resolution.resolvedAs ?? word);
            return [...head, `${label} ${Array.from(vector, (v) => v.toFixed(6)).join(' ')}`].join('\n');
          },
        );
      });
    }),
  );
}
