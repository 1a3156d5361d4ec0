import { existsSync } from 'node:fs';
import { type EvaluationScores, evaluateModel, resolvesBeyondExact } from '@wordvec/embeddings';
import type { Command } from 'commander';
import { modelName, positiveInt } from '../arguments.js';
import { CliError } from '../cli-error.js';
import { type CommandContext, emit, findEvalData, type GlobalOptions } from '../context.js';
import { addOovOptions, type OovFlags, oovOptions } from '../oov-options.js';
import { withStore } from '../store-access.js';
import { formatTable } from '../table.js';

interface Options extends GlobalOptions, OovFlags {
  analogies?: string;
  pairs?: string;
  restrictVocab: number;
  caseSensitive?: boolean;
  dummy4unknown?: boolean;
}

/** Human-readable report of {@link EvaluationScores}. */
export function formatScores(scores: EvaluationScores): string {
  const out: string[] = [];
  if (scores.analogySections) {
    out.push(
      formatTable([
        ['section', 'correct', 'total', 'accuracy'],
        ...scores.analogySections.map((s) => [
          s.section,
          String(s.correct),
          String(s.total),
          s.total ? `${((100 * s.correct) / s.total).toFixed(1)}%` : '—',
        ]),
      ]),
    );
  }
  if (scores.analogyAccuracy !== undefined) {
    out.push(
      `analogy accuracy: ${(100 * scores.analogyAccuracy).toFixed(2)}% (${scores.analogyCorrect}/${scores.analogyTotal} in-vocabulary questions)`,
    );
  }
  if (scores.wordPairsSpearman !== undefined) {
    out.push(
      `word pairs: Spearman ${scores.wordPairsSpearman.toFixed(4)}, Pearson ${scores.wordPairsPearson?.toFixed(4)}, OOV ${(scores.wordPairsOovRatio ?? 0).toFixed(1)}%`,
    );
  }
  const e = scores.withOov;
  if (e?.analogyAccuracy !== undefined) {
    out.push(
      `with OOV words answered by the pipeline: analogy accuracy ${(100 * e.analogyAccuracy).toFixed(2)}% (${e.analogyCorrect}/${e.analogyTotal} questions; ${e.analogyEstimated} answered with estimated or normalised words, ${e.analogyEstimatedCorrect} of them correctly; ${e.analogyOov} still skipped)`,
    );
  }
  if (e?.wordPairsSpearman !== undefined) {
    out.push(
      `with OOV words answered by the pipeline: word pairs Spearman ${e.wordPairsSpearman.toFixed(4)}, Pearson ${e.wordPairsPearson?.toFixed(4)} (${e.wordPairsEstimated} pairs with estimated or normalised words; OOV ${(e.wordPairsOovRatio ?? 0).toFixed(1)}%)`,
    );
  }
  return out.join('\n');
}

/** `wordvec eval NAME [--analogies FILE] [--pairs FILE]`. */
export function register(
  program: Command,
  run: (fn: (ctx: CommandContext) => Promise<void>) => Promise<void>,
): void {
  const command = program
    .command('eval')
    .description('evaluate model NAME on analogy questions and word-pair similarities, and store the scores')
    .argument('<name>', 'model name', modelName)
    .option('--analogies <file>', 'analogy questions (default: shared questions-words.txt)')
    .option('--pairs <file>', 'word pairs with human scores (default: shared wordsim353.tsv)')
    .option(
      '--restrict-vocab <n>',
      'only the N most frequent words answer (gensim default)',
      positiveInt('--restrict-vocab'),
      300000,
    )
    .option(
      '--case-sensitive',
      "compare words as written (gensim's case_insensitive=False; default: case-insensitive)",
    )
    .option(
      '--dummy4unknown',
      "count questions with unknown words as wrong and pairs as similarity 0 (gensim's dummy4unknown)",
    );
  addOovOptions(command, 'exact').action((name: string, options: Options) =>
    run(async (ctx) => {
      const oovRequest = oovOptions(options);
      const shared = findEvalData(ctx);
      const files = {
        analogies: options.analogies ?? shared.analogies,
        pairs: options.pairs ?? shared.pairs,
      };
      for (const f of [options.analogies, options.pairs]) {
        if (f && !existsSync(f)) throw new CliError(`no such file: ${f}`);
      }
      if (!files.analogies && !files.pairs) {
        throw new CliError(
          'no evaluation data: pass --analogies FILE and/or --pairs FILE (or set WORDVEC_EVAL_DIR)',
        );
      }
      await withStore(options, ctx, { readonly: false }, async (store) => {
        const model = store.model(name);
        const kv = model.toKeyedVectors();
        const scores = await evaluateModel(kv, files, {
          restrictVocab: options.restrictVocab,
          caseInsensitive: !options.caseSensitive,
          dummy4unknown: Boolean(options.dummy4unknown),
          // gensim's figures always; with --oov also the same items answered through the pipeline.
          oov: resolvesBeyondExact(oovRequest)
            ? { ...oovRequest, estimator: model.subwordModel() }
            : undefined,
        });
        store.setEvaluation(name, scores as unknown as Record<string, unknown>);
        emit(options, ctx, { model: name, ...scores }, () => formatScores(scores));
      });
    }),
  );
}
