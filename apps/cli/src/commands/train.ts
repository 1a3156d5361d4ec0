import { existsSync } from 'node:fs';
import {
  type CooccurrenceStats,
  countModelCooccurrences,
  type EvaluationScores,
  evaluateModel,
  type OnProgress,
  openCorpus,
  type TrainedModel,
  trainCbow,
  trainFastText,
  trainGlove,
  trainPpmiSvd,
} from '@wordvec/embeddings';
import type { Command } from 'commander';
import { byteSize, modelName, nonNegativeInt, oneOf, positiveInt, positiveNumber } from '../arguments.js';
import { CliError, describeError } from '../cli-error.js';
import { type CommandContext, emit, findEvalData, type GlobalOptions, resolveStorePath } from '../context.js';
import { createProgressReporter } from '../progress-reporter.js';
import { withStore } from '../store-access.js';
import {
  buildSubwords,
  OOV_INDEX_MODES,
  OOV_METHOD_HELP,
  OOV_METHODS,
  ownSubwords,
} from '../subword-builder.js';
import { formatScores } from './eval.js';

const ALGORITHMS = ['cbow', 'fasttext', 'glove', 'ppmi'] as const;
type Algorithm = (typeof ALGORITHMS)[number];

interface Options extends GlobalOptions {
  corpus: string;
  name: string;
  replace?: boolean;
  default?: boolean;
  eval: boolean;
  lowercase: boolean;
  cooccurrence: boolean;
  // shared
  dim?: number;
  window?: number;
  minCount?: number;
  epochs?: number;
  workers?: number;
  seed?: number;
  maxVocabSize?: number;
  memoryBudget?: number;
  // cbow
  negative?: number;
  sample?: number;
  alpha?: number;
  sg?: boolean;
  cbowSum?: boolean;
  // fasttext
  minn?: number;
  maxn?: number;
  bucket?: number;
  // glove
  xMax?: number;
  eta?: number;
  output?: 'w+c' | 'w' | 'all';
  // ppmi
  shift?: number;
  cds?: number;
  eigenWeight?: number;
  oov: (typeof OOV_INDEX_MODES)[number];
  oovMethod?: (typeof OOV_METHODS)[number];
}

/** Drops undefined entries so the trainers' own defaults apply. */
function defined<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

async function trainWith(
  algorithm: Algorithm,
  o: Options,
  onProgress: OnProgress,
  signal: AbortSignal,
  onCooccurrenceStats?: (stats: CooccurrenceStats) => void,
): Promise<TrainedModel> {
  const corpus = openCorpus(o.corpus, { lowercase: o.lowercase });
  const common = defined({
    dim: o.dim,
    window: o.window,
    minCount: o.minCount,
    epochs: o.epochs,
    workers: o.workers,
    seed: o.seed,
    maxVocabSize: o.maxVocabSize,
    memoryBudget: o.memoryBudget,
  });
  switch (algorithm) {
    case 'cbow':
      return trainCbow(corpus, {
        ...common,
        ...defined({
          negative: o.negative,
          sample: o.sample,
          alpha: o.alpha,
          sg: o.sg,
          cbowMean: o.cbowSum ? false : undefined,
        }),
        onProgress,
        signal,
      });
    case 'fasttext':
      // No flag given: fastText's own defaults (`fasttext cbow`), not word2vec's.
      return trainFastText(corpus, {
        ...common,
        ...defined({
          negative: o.negative,
          sample: o.sample,
          alpha: o.alpha,
          sg: o.sg,
          minn: o.minn,
          maxn: o.maxn,
          bucket: o.bucket,
        }),
        onProgress,
        signal,
      });
    case 'glove':
      return trainGlove(corpus, {
        ...common,
        ...defined({ xMax: o.xMax, alpha: o.alpha, eta: o.eta, output: o.output }),
        onProgress,
        signal,
      });
    case 'ppmi':
      return trainPpmiSvd(corpus, {
        ...common,
        ...defined({ shift: o.shift, cds: o.cds, eigenvalueWeighting: o.eigenWeight }),
        onCooccurrenceStats,
        onProgress,
        signal,
      });
  }
}

/** `wordvec train <cbow|fasttext|glove|ppmi> --corpus C --name NAME`. */
export function register(
  program: Command,
  run: (fn: (ctx: CommandContext) => Promise<void>) => Promise<void>,
): void {
  program
    .command('train')
    .description('train a model on a corpus and store it with its hyper-parameters and evaluation scores')
    .argument('<algorithm>', ALGORITHMS.join(', '), oneOf('algorithm', ALGORITHMS))
    .requiredOption('--corpus <corpus>', 'a text file, a directory, a .gz file, "starter" or "brown"')
    .requiredOption('--name <name>', 'model name', modelName)
    .option('--replace', 'replace an existing model of the same name')
    .option('--default', 'make it the default model')
    .option('--no-eval', 'skip evaluation on the shared analogy and word-pair data')
    .option('--no-lowercase', 'keep letter case when tokenising')
    .option('--no-cooccurrence', 'cbow, glove: do not count and store the co-occurrence statistics')
    .option('--dim <n>', 'vector dimension', positiveInt('--dim'))
    .option('--window <n>', 'context window', positiveInt('--window'))
    .option('--min-count <n>', 'ignore words seen fewer times', positiveInt('--min-count'))
    .option('--epochs <n>', 'passes over the corpus (GloVe: iterations)', positiveInt('--epochs'))
    .option('--workers <n>', 'worker threads', positiveInt('--workers'))
    .option('--seed <n>', 'random seed', nonNegativeInt('--seed'))
    .option(
      '--max-vocab-size <n>',
      'prune the vocabulary while counting (word2vec)',
      positiveInt('--max-vocab-size'),
    )
    .option(
      '--memory-budget <size>',
      'memory for the corpus and its counts before spilling to temporary files, e.g. 512M or 4G (default: cbow, fasttext, ppmi 1G; glove 2G)',
      byteSize('--memory-budget'),
    )
    .option('--negative <n>', 'cbow, fasttext: negative samples', positiveInt('--negative'))
    .option(
      '--sample <x>',
      'cbow, fasttext: sub-sampling threshold',
      positiveNumber('--sample', { allowZero: true }),
    )
    .option(
      '--alpha <x>',
      'cbow, fasttext: initial learning rate; glove: weighting exponent',
      positiveNumber('--alpha'),
    )
    .option('--sg', 'cbow, fasttext: train skip-gram instead')
    .option('--cbow-sum', 'cbow: sum context vectors instead of averaging')
    .option('--minn <n>', 'fasttext: shortest character n-gram (default 3)', nonNegativeInt('--minn'))
    .option(
      '--maxn <n>',
      'fasttext: longest character n-gram, 0 for none (default 6)',
      nonNegativeInt('--maxn'),
    )
    .option('--bucket <n>', 'fasttext: n-gram hash rows (default 2000000)', nonNegativeInt('--bucket'))
    .option('--x-max <x>', 'glove: weighting cut-off', positiveNumber('--x-max'))
    .option('--eta <x>', 'glove: AdaGrad learning rate', positiveNumber('--eta'))
    .option('--output <kind>', 'glove: w+c, w or all', oneOf('--output', ['w+c', 'w', 'all'] as const))
    .option('--shift <k>', 'ppmi: shifted PPMI, subtract log k', positiveNumber('--shift'))
    .option('--cds <alpha>', 'ppmi: context-distribution smoothing exponent', positiveNumber('--cds'))
    .option(
      '--eigen-weight <p>',
      'ppmi: singular-value weighting exponent',
      positiveNumber('--eigen-weight', { allowZero: true }),
    )
    .option(
      '--oov <mode>',
      'subword: also build a subword model (a Magnitude n-gram index; see --oov-method) so unknown words get estimated vectors (fastText models keep their own table)',
      oneOf('--oov', OOV_INDEX_MODES),
      'none',
    )
    .option('--oov-method <method>', OOV_METHOD_HELP, oneOf('--oov-method', OOV_METHODS))
    .action((algorithm: Algorithm, options: Options) =>
      run(async (ctx) => {
        if (options.oovMethod && options.oov !== 'subword')
          throw new CliError('--oov-method needs --oov subword');
        const special = options.corpus === 'starter' || options.corpus === 'brown';
        if (!special && !existsSync(options.corpus)) {
          throw new CliError(
            `no such corpus: ${options.corpus} (give a file, a directory, "starter" or "brown")`,
          );
        }
        const progress = createProgressReporter({ quiet: Boolean(options.quiet || options.json) });
        try {
          // Check the name before hours of training, not after; read-only, so nothing is created or
          // changed until there is a model to write.
          if (existsSync(resolveStorePath(options, ctx))) {
            await withStore(options, ctx, { readonly: true }, async (store) => {
              if (!options.replace && store.models().some((m) => m.name === options.name)) {
                throw new CliError(
                  `a model named ${options.name} exists already: pass --replace, or choose another --name`,
                );
              }
            });
          }
          const started = Date.now();
          // PPMI-SVD hands over the counts it factorised; CBOW and GloVe get theirs counted below. Stored
          // with the model (the store prunes them to each word's strongest and most frequent contexts).
          let cooccurrence: CooccurrenceStats | undefined;
          const trained = await trainWith(algorithm, options, progress.onProgress, ctx.signal, (s) => {
            cooccurrence = s;
          });
          // CBOW and GloVe keep no counts of their own: count them over the model's vocabulary and window
          // (the one counter, harmonic weighting) so /pmi, /cooccur and the PMI lens work for them too.
          if (!cooccurrence && options.cooccurrence && algorithm !== 'ppmi') {
            const window = trained.hyperParameters.window;
            cooccurrence = await countModelCooccurrences(
              openCorpus(options.corpus, { lowercase: options.lowercase }),
              trained.vectors,
              {
                window: typeof window === 'number' ? window : undefined,
                onProgress: progress.onProgress,
                signal: ctx.signal,
              },
            );
          }
          const seconds = (Date.now() - started) / 1000;
          const files = options.eval ? findEvalData(ctx) : {};
          let scores: EvaluationScores | undefined;
          if (files.analogies || files.pairs) {
            try {
              scores = await evaluateModel(trained.vectors, files);
            } catch (error) {
              // The model is worth keeping even when the evaluation data does not fit it (e.g. every pair unknown).
              ctx.stderr.write(`wordvec: warning: evaluation skipped: ${describeError(error)}\n`);
            }
          }
          // A model with its own n-gram table (fastText) keeps it; `--oov subword` fits one to the others.
          const subwords =
            ownSubwords(trained.vectors) ??
            (options.oov === 'subword'
              ? buildSubwords(
                  {
                    words: trained.vectors.words,
                    dim: trained.vectors.dim,
                    unit: trained.vectors.unitVectors(),
                  },
                  options.oovMethod,
                  progress.onProgress,
                ).subwords
              : undefined);
          progress.stop();
          const info = await withStore(options, ctx, { readonly: false }, async (store) => {
            const stored = store.putModel(
              options.name,
              trained.vectors,
              {
                algorithm: trained.algorithm,
                hyperParameters: trained.hyperParameters,
                corpus: trained.corpus,
                evaluation: scores as unknown as Record<string, unknown> | undefined,
                minCount:
                  typeof trained.hyperParameters.minCount === 'number'
                    ? trained.hyperParameters.minCount
                    : undefined,
                rareWords: trained.rareWords,
                cooccurrence,
                subwords,
              },
              { replace: Boolean(options.replace) },
            );
            if (options.default || !store.defaultModel()) store.setDefault(options.name);
            return stored;
          });
          emit(options, ctx, { trained: info, seconds, evaluation: scores }, () =>
            [
              `trained ${options.name} (${trained.algorithm}) on ${trained.corpus.name}: ${trained.vectors.size} words × ${trained.vectors.dim} dimensions, ${trained.corpus.tokens} tokens, ${seconds.toFixed(1)} s`,
              scores ? formatScores(scores) : '',
            ]
              .filter(Boolean)
              .join('\n'),
          );
        } finally {
          progress.stop();
        }
      }),
    );
}
