import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { KeyedVectors } from '../query/keyed-vectors.js';
import { evaluateWordAnalogies, evaluateWordPairs } from './evaluation.js';

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
  evaluatedAt: string;
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
  options: { restrictVocab?: number; caseInsensitive?: boolean; dummy4unknown?: boolean } = {},
): Promise<EvaluationScores> {
  const restrictVocab = options.restrictVocab ?? 300_000;
  const { caseInsensitive, dummy4unknown } = options;
  const scores: EvaluationScores = { evaluatedAt: new Date().toISOString() };
  if (files.analogies) {
    const a = await evaluateWordAnalogies(kv, files.analogies, {
      restrictVocab,
      caseInsensitive,
      dummy4unknown,
    });
    scores.analogyCorrect = a.total.correct;
    scores.analogyTotal = a.total.correct + a.total.incorrect;
    scores.analogyAccuracy = a.total.accuracy;
    scores.analogySections = a.sections.map((s) => ({
      section: s.section,
      correct: s.correct,
      total: s.correct + s.incorrect,
    }));
  }
  if (files.pairs) {
    const p = await evaluateWordPairs(kv, files.pairs, { restrictVocab, caseInsensitive, dummy4unknown });
    scores.wordPairsSpearman = p.spearman;
    scores.wordPairsPearson = p.pearson;
    scores.wordPairsOovRatio = p.oovRatio;
  }
  return scores;
}

/**
 * Finds the shared evaluation data (questions-words.txt, wordsim353.tsv): in `WORDVEC_EVAL_DIR`
 * when set (and only there, so pointing it at an empty folder turns evaluation off), else in
 * `shared/eval` beside the monorepo that holds `from` or the working directory.
 *
 * @returns the files that exist; an empty object when there are none.
 *
 * @example
 * ```ts
 * findEvaluationData(); // { analogies: '…/shared/eval/questions-words.txt', pairs: '…/shared/eval/wordsim353.tsv' }
 * findEvaluationData({ env: { WORDVEC_EVAL_DIR: '/data/eval' } }); // only that folder
 * ```
 */
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
