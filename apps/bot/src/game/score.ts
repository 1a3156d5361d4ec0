import type { GameRecord, GuessRecord } from '../state/bot-state.js';

/** How many of the secret's nearest neighbours are ranked; a guess beyond them is "cold". */
export const NEIGHBOURS = 1000;

/** Cells of the closeness bar. */
const BAR_CELLS = 20;

/** A guess's band: found, top 10, top 100, ranked, cold. */
export type Band = 'found' | 'hot' | 'warm' | 'tepid' | 'cold';

export function bandOf(rank: number | null): Band {
  if (rank === 0) return 'found';
  if (rank === null) return 'cold';
  if (rank <= 10) return 'hot';
  if (rank <= 100) return 'warm';
  return 'tepid';
}

const SQUARES: Record<Band, string> = { found: '🟩', hot: '🟥', warm: '🟧', tepid: '🟨', cold: '⬜' };

/**
 * "rank 37 of 1,000", "the secret", or "cold" (beyond the ranked neighbours).
 *
 * @example
 * ```ts
 * rankText(37, 1000); // 'rank 37 of 1,000'
 * ```
 */
export function rankText(rank: number | null, of: number): string {
  if (rank === 0) return 'the secret';
  if (rank === null) return `cold (not in the ${of.toLocaleString('en-US')} nearest)`;
  return `rank ${rank.toLocaleString('en-US')} of ${of.toLocaleString('en-US')}`;
}

/**
 * A text bar of closeness: full for the secret, by rank among the neighbours, empty when cold.
 *
 * @example
 * ```ts
 * closenessBar(1, 1000); // '███████████████████▉' (nearly full)
 * ```
 */
export function closenessBar(rank: number | null, of: number): string {
  const filled =
    rank === 0 ? BAR_CELLS : rank === null ? 0 : Math.max(1, Math.round((BAR_CELLS * (of - rank + 1)) / of));
  return `${'█'.repeat(filled)}${'░'.repeat(BAR_CELLS - filled)}`;
}

/** One line per guess: "#3 pasta — rank 1 of 1,000, cosine 0.812 (Ann)". */
export function guessLine(g: GuessRecord, of: number, showUser = true): string {
  return `#${g.n} ${g.word} — ${rankText(g.rank, of)}, cosine ${g.score.toFixed(3)}${showUser ? ` (${g.userName})` : ''}`;
}

/**
 * The shareable, spoiler-free summary of a game: how it ended, guesses and hints, and one square
 * per guess by band (🟥 top 10, 🟧 top 100, 🟨 ranked, ⬜ cold, 🟩 the secret), never a word.
 *
 * @example
 * ```ts
 * shareableSummary(game, guesses); // 'wordvec game 3f2a9c (medium): solved in 12 guesses, 1 hint\n⬜⬜🟨🟧🟥🟩'
 * ```
 */
export function shareableSummary(game: GameRecord, guesses: readonly GuessRecord[]): string {
  const n = game.guessCount;
  const how =
    game.status === 'won'
      ? `solved in ${n} guess${n === 1 ? '' : 'es'}`
      : game.status === 'given-up'
        ? `given up after ${n} guess${n === 1 ? '' : 'es'}`
        : game.status === 'expired'
          ? `ended idle after ${n} guess${n === 1 ? '' : 'es'}`
          : `${n} guess${n === 1 ? '' : 'es'} so far`;
  const hints = game.hints > 0 ? `, ${game.hints} hint${game.hints === 1 ? '' : 's'}` : '';
  const squares = guesses.map((g) => SQUARES[bandOf(g.rank)]);
  const shown = squares.length > 60 ? `${squares.slice(-60).join('')} (last 60)` : squares.join('');
  const counts = (['hot', 'warm', 'tepid', 'cold'] as const)
    .map((b) => `${SQUARES[b]} ${guesses.filter((g) => bandOf(g.rank) === b).length}`)
    .join(' · ');
  return `wordvec game ${game.id.slice(0, 6)} (${game.difficulty}): ${how}${hints}\n${shown}\n${counts}`;
}
