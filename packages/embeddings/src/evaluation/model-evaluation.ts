import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { OovOptions } from '../oov/resolve-word.js';
import type { KeyedVectors } from '../query/keyed-vectors.js';
import { parseAnalogies, parseWordPairs, scoreWordAnalogies, scoreWordPairs } from './evaluation.js';

/**
 * The scores stored with a model (CLI `wordvec eval`, `wordvec train`, the bot's first model) and
 * shown by `wordvec models` and the bot's `/models`.
 *
 * @example
 * ```ts
 * const scores = await evaluateModel(kv, findEvaluationData());
 * store.setEvaluation('brown-cbow', { ...scores }); // shown by `wordvec models` and the bot's /models
 * ```
 */
export interface EvaluationScores {
  /** In-vocabulary analogy accuracy, 0–1 (gensim's `evaluate_word_analogies` score). */
  analogyAccuracy?: number;
  analogyCorrect?: number;
  /** Questions scored (with every word among the first `restrictVocab` words). */
  analogyTotal?: number;
  analogySections?: { section: string; correct: number; total: number }[];
  wordPairsSpearman?: number;
  wordPairsPearson?: number;
  /** Percentage (0–100) of pairs with an unknown word, as gensim's `oov_ratio`. */
  wordPairsOovRatio?: number;
  /**
   * The same evaluation with the items gensim skips answered through the OOV pipeline (present only
   * when `evaluateModel` was given `oov`): how many items that answered and how they scored.
   */
  withOov?: OovEvaluationScores;
  evaluatedAt: string;
}

/** Scores with OOV words answered by the pipeline (see {@link EvaluationScores.withOov}). */
export interface OovEvaluationScores {
  analogyAccuracy?: number;
  analogyCorrect?: number;
  analogyTotal?: number;
  /** Questions scored with at least one input word answered by the pipeline. */
  analogyEstimated?: number;
  /** Of those, answered correctly. */
  analogyEstimatedCorrect?: number;
  /** Questions still skipped (a word no enabled step resolves, or an unknown expected word). */
  analogyOov?: number;
  wordPairsSpearman?: number;
  wordPairsPearson?: number;
  wordPairsOovRatio?: number;
  /** Pairs scored with a word answered by the pipeline. */
  wordPairsEstimated?: number;
}

/**
 * Paths of an analogy file and a word-pair file; either may be absent.
 *
 * @example
 * ```ts
 * const scores = await evaluateModel(kv, { analogies: 'questions-words.txt', pairs: 'wordsim353.tsv' });
 * ```
 */
export interface EvaluationFiles {
  analogies?: string;
  pairs?: string;
}

/**
 * Runs the analogy and word-pair evaluations whose files are given.
 *
 * @example
 * ```ts
 * const scores = await evaluateModel(kv, findEvaluationData());
 * scores.analogyAccuracy; // e.g. 0.1357
 * ```
 */
export async function evaluateModel(
  kv: KeyedVectors,
  files: EvaluationFiles,
  options: {
    restrictVocab?: number;
    caseInsensitive?: boolean;
    dummy4unknown?: boolean;
    oov?: OovOptions;
  } = {},
): Promise<EvaluationScores> {
  const restrictVocab = options.restrictVocab ?? 300_000;
  const { caseInsensitive, dummy4unknown } = options;
  const scores: EvaluationScores = { evaluatedAt: new Date().toISOString() };
  const withOov: OovEvaluationScores = {};
  if (files.analogies) {
    const parsed = parseAnalogies(await readFile(files.analogies, 'utf8'), files.analogies);
    const a = scoreWordAnalogies(kv, parsed, { restrictVocab, caseInsensitive, dummy4unknown });
    scores.analogyCorrect = a.total.correct;
    scores.analogyTotal = a.total.correct + a.total.incorrect;
    scores.analogyAccuracy = a.total.accuracy;
    scores.analogySections = a.sections.map((s) => ({
      section: s.section,
      correct: s.correct,
      total: s.correct + s.incorrect,
    }));
    if (options.oov) {
      const e = scoreWordAnalogies(kv, parsed, {
        restrictVocab,
        caseInsensitive,
        dummy4unknown,
        oov: options.oov,
      });
      withOov.analogyAccuracy = e.total.accuracy;
      withOov.analogyCorrect = e.total.correct;
      withOov.analogyTotal = e.total.correct + e.total.incorrect;
      withOov.analogyEstimated = e.estimated;
      withOov.analogyEstimatedCorrect = e.estimatedCorrect;
      withOov.analogyOov = e.oov;
    }
  }
  if (files.pairs) {
    const parsed = parseWordPairs(await readFile(files.pairs, 'utf8'));
    const p = scoreWordPairs(kv, parsed, { restrictVocab, caseInsensitive, dummy4unknown }, files.pairs);
    scores.wordPairsSpearman = p.spearman;
    scores.wordPairsPearson = p.pearson;
    scores.wordPairsOovRatio = p.oovRatio;
    if (options.oov) {
      const e = scoreWordPairs(
        kv,
        parsed,
        { restrictVocab, caseInsensitive, dummy4unknown, oov: options.oov },
        files.pairs,
      );
      withOov.wordPairsSpearman = e.spearman;
      withOov.wordPairsPearson = e.pearson;
      withOov.wordPairsOovRatio = e.oovRatio;
      withOov.wordPairsEstimated = e.estimated;
    }
  }
  if (options.oov) scores.withOov = withOov;
  return scores;
}

export function findEvaluationData(
  options: { env?: NodeJS.ProcessEnv; cwd?: string; from?: string } = {},
): EvaluationFiles {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const dirs: string[] = [];
  if (env.WORDVEC_EVAL_DIR) dirs.push(resolve(cwd, env.WORDVEC_EVAL_DIR));
  else {
    for (const start of [cwd, options.from]) {
      const root = start ? findWorkspaceRoot(start) : undefined;
      if (root) dirs.push(join(root, '..', 'shared', 'eval'));
    }
  }
  for (const dir of dirs) {
    const analogies = join(dir, 'questions-words.txt');
    const pairs = join(dir, 'wordsim353.tsv');
    const found: EvaluationFiles = {};
    if (existsSync(analogies)) found.analogies = analogies;
    if (existsSync(pairs)) found.pairs = pairs;
    if (found.analogies || found.pairs) return found;
  }
  return {};
}

/** The nearest folder at or above `from` holding pnpm-workspace.yaml. */
function findWorkspaceRoot(from: string): string | undefined {
  let dir = resolve(from);
  for (;;) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return dir;
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}
