import { escapeUnsafeCharacters } from '@wordvec/embeddings';
import {
  computeLens,
  type LensModel,
  type LensResult,
  lensModelNames,
  lensPicture,
  MAX_LENS_MODELS,
  sampleLensWords,
} from '@wordvec/plots';
import type { VectorStore } from '@wordvec/vector-store';
import type { Command } from 'commander';
import { positiveInt } from '../arguments.js';
import { CliError } from '../cli-error.js';
import { type CommandContext, emit, type GlobalOptions } from '../context.js';
import { withStore } from '../store-access.js';
import { formatTable } from '../table.js';
import { pictureFormat, writePicture } from './plot.js';

interface Options extends GlobalOptions {
  out?: string;
  models?: string;
  contexts: number;
  sample?: number;
  seed: number;
}

/** The models shown beside `name` (see {@link lensModelNames}), opened from the store. */
function lensModels(store: VectorStore, name: string, list: string | undefined): LensModel[] {
  store.model(name); // throws the store's UNKNOWN_MODEL error
  let names: string[];
  try {
    names = lensModelNames(
      store.models(),
      name,
      list?.split(',').map((s) => s.trim()),
    );
  } catch (error) {
    throw new CliError((error as Error).message);
  }
  return names.map((n) => {
    const model = store.model(n);
    return { name: n, algorithm: model.info.algorithm, source: model };
  });
}

/** Which models of the store keep co-occurrence statistics (for the refusal's hint). */
function modelsWithStats(store: VectorStore): string[] {
  return store
    .models()
    .map((m) => m.name)
    .filter((n) => store.model(n).cooccurrence() !== undefined);
}

/** `wordvec lens NAME WORD --out lens.png`: the PMI lens (PMI against w·c) of a word, or of a sample. */
export function register(
  program: Command,
  run: (fn: (ctx: CommandContext) => Promise<void>) => Promise<void>,
): void {
  program
    .command('lens')
    .description(
      "the PMI lens: PMI(w, c) from NAME's co-occurrence counts against each model's w·c and cosine for WORD's strongest contexts, with Spearman's ρ; models of the same corpus side by side",
    )
    .argument('<name>', 'model whose stored co-occurrence statistics give PMI (the first column)')
    .argument('[word]', 'the word (or --sample N for a corpus-wide figure)')
    .option('-o, --out <file>', 'write the picture: lens.png or lens.svg')
    .option(
      '--models <names>',
      `comma-separated models beside NAME (default: NAME's corpus's models, at most ${MAX_LENS_MODELS})`,
    )
    .option('--contexts <k>', 'strongest contexts per word', positiveInt('--contexts'), 40)
    .option(
      '--sample <n>',
      'instead of WORD: n words sampled from frequency ranks 101–10,000',
      positiveInt('--sample'),
    )
    .option('--seed <n>', 'seed of --sample', positiveInt('--seed'), 1)
    .action((name: string, word: string | undefined, options: Options) =>
      run(async (ctx) => {
        if (options.out !== undefined) pictureFormat(options.out);
        if ((word === undefined) === (options.sample === undefined)) {
          throw new CliError('give a WORD or --sample N (not both)', 2);
        }
        if (options.contexts < 2 || options.contexts > 1000) {
          throw new CliError(`--contexts must be from 2 to 1000, got ${options.contexts}`, 2);
        }
        await withStore(options, ctx, { readonly: true }, async (store) => {
          const models = lensModels(store, name, options.models);
          const stats = store.model(name).cooccurrence();
          if (!stats) {
            const have = modelsWithStats(store);
            throw new CliError(
              `model ${name} has no co-occurrence statistics (models trained here keep them; imported ones do not). ${
                have.length > 0
                  ? `Models that have them: ${have.join(', ')}`
                  : 'No model in this store has them'
              }`,
            );
          }
          const words =
            word !== undefined
              ? [word]
              : sampleLensWords(stats.words ?? [], options.sample as number, options.seed);
          const lensOptions = { words, reference: name, stats, models, contexts: options.contexts };
          let written: { path: string; bytes: number } | undefined;
          let lens: LensResult;
          if (options.out !== undefined) {
            const picture = lensPicture(lensOptions);
            lens = picture.data;
            written = writePicture(picture, options.out, ctx.cwd);
          } else {
            lens = computeLens(lensOptions);
          }
          const json = {
            reference: name,
            words: word !== undefined ? word : { sample: options.sample, seed: options.seed },
            spearman: lens.models[0].spearman,
            models: lens.models,
            pairs: lens.pairs.map((p) => ({
              word: p.word,
              context: p.context,
              pmi: p.pmi,
              count: p.count,
              dot: Object.fromEntries(lens.models.map((m, i) => [m.name, p.dot[i]])),
              cosine: Object.fromEntries(lens.models.map((m, i) => [m.name, p.cosine[i]])),
            })),
            dropped: lens.dropped,
            ...(written ? { out: written.path, bytes: written.bytes } : {}),
          };
          emit(options, ctx, json, () =>
            [
              escapeUnsafeCharacters(
                `PMI lens of ${word ?? `${options.sample} sampled words`}: ${lens.pairs.length} pairs, PMI from ${name}'s counts`,
              ),
              formatTable([
                ['model', 'algorithm', 'ρ(PMI, w·c)', 'ρ(PMI, cos)'],
                ...lens.models.map((m) => [
                  m.name,
                  m.algorithm ?? '',
                  m.spearman.toFixed(3),
                  m.spearmanCosine.toFixed(3),
                ]),
              ]),
              written ? `wrote ${written.path} (${(written.bytes / 1024).toFixed(0)} KiB)` : '',
            ]
              .filter(Boolean)
              .join('\n'),
          );
        });
      }),
    );
}
