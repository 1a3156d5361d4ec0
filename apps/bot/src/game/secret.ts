import { createRandom } from '@wordvec/embeddings';
import type { Difficulty } from '../state/bot-state.js';
import { STOP_WORDS } from './stop-words.js';

/** The difficulties, easiest first. */
export const DIFFICULTIES: readonly Difficulty[] = ['easy', 'medium', 'hard'];

/**
 * Frequency-rank bands (1-based, end exclusive) a secret is drawn from: the easier, the more
 * frequent. Semantle's secrets are everyday words; "hard" reaches rarer ones.
 */
export const DIFFICULTY_BANDS: Readonly<Record<Difficulty, readonly [number, number]>> = {
  easy: [50, 1500],
  medium: [1500, 6000],
  hard: [6000, 20000],
};

/** Whether `word` can be a secret: letters only (no digits, no phrases), 3–20 of them, not a stop word. */
export function isSecretCandidate(word: string): boolean {
  return /^\p{L}{3,20}$/u.test(word) && !STOP_WORDS.has(word.toLowerCase()) && word === word.toLowerCase();
}

/**
 * Draws the secret for a game: among `byFrequency` (the model's words, most frequent first), the
 * candidates whose rank falls in the difficulty's band, one picked with the game's seed (the same
 * seed and model always give the same secret). A model too small for the band draws from its
 * least frequent third of candidates for `hard`, its middle for `medium`, its top for `easy`.
 *
 * @returns undefined when the model has no candidate at all.
 * @example
 * ```ts
 * chooseSecret(model.complete('', 20000), 'medium', 42); // e.g. 'harbour'
 * ```
 */
export function chooseSecret(
  byFrequency: readonly string[],
  difficulty: Difficulty,
  seed: number,
): string | undefined {
  const [start, end] = DIFFICULTY_BANDS[difficulty];
  let pool: string[] = [];
  for (let rank = start; rank < end && rank <= byFrequency.length; rank++) {
    if (isSecretCandidate(byFrequency[rank - 1])) pool.push(byFrequency[rank - 1]);
  }
  if (pool.length === 0) {
    const all = byFrequency.filter(isSecretCandidate);
    const third = Math.ceil(all.length / 3);
    const band = DIFFICULTIES.indexOf(difficulty);
    pool = all.slice(band * third, (band + 1) * third);
    if (pool.length === 0) pool = all;
  }
  if (pool.length === 0) return undefined;
  return pool[Math.floor(createRandom(seed)() * pool.length)];
}
