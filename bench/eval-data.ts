/**
 * Where the benchmarks find the shared evaluation data: `WORDVEC_EVAL_DIR`, else `shared/eval` beside
 * the repository (or two levels up, from a git worktree under a folder of worktrees).
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

/** The folder of `questions-words.txt` and `wordsim353.tsv`. */
export const EVAL_DIR =
  process.env.WORDVEC_EVAL_DIR ??
  [resolve(ROOT, '../shared/eval'), resolve(ROOT, '../../shared/eval')].find((d) => existsSync(d)) ??
  resolve(ROOT, '../shared/eval');
/** Mikolov's analogy questions. */
export const ANALOGIES = join(EVAL_DIR, 'questions-words.txt');
/** WordSim-353 word pairs with human scores. */
export const WS353 = join(EVAL_DIR, 'wordsim353.tsv');
