import { quoteWord } from '../core/escape.js';
import type { Reply } from '../core/reply.js';
import { gameContext, playGuess } from '../game/game-session.js';
import { closenessBar, rankText, shareableSummary } from '../game/score.js';
import type { Command } from './command.js';

/** `/guess word`: a guess in the channel's game, scored by cosine and by rank among the secret's neighbours. */
export const guess: Command = {
  definition: {
    name: 'guess',
    description: 'Guess the secret word of this channel’s game',
    options: [
      { type: 'string', name: 'word', description: 'Your guess (one word)', required: true, maxLength: 100 },
    ],
    needsVectors: false,
  },
  async handle(options, context): Promise<Reply> {
    const g = gameContext(context);
    const result = await playGuess(g, String(options.word), Date.now());
    if (result.kind === 'no-game') throw new Error('unreachable: playGuess refuses no-game');
    const { guess: x, game } = result;
    const of = game.neighbourCount;
    if (result.kind === 'duplicate') {
      return {
        title: `${quoteWord(x.word)} was already guessed`,
        lines: [
          `${x.userName} guessed it as #${x.n}: ${rankText(x.rank, of)}, cosine ${x.score.toFixed(3)}. Nothing new was recorded.`,
        ],
        ephemeral: true,
        data: { duplicate: true, n: x.n, word: x.word, rank: x.rank, score: x.score, gameId: game.id },
      };
    }
    if (game.status === 'won') {
      const guesses = await g.state.guesses(g.channel, game.id);
      return {
        title: `🎉 ${x.userName} found it: ${quoteWord(game.secret)}`,
        lines: [
          `Found with guess #${x.n} of this channel's game${game.hints > 0 ? `, after ${game.hints} hint${game.hints === 1 ? '' : 's'}` : ''}.`,
          'Share it (no spoilers):',
          ...shareableSummary(game, guesses).split('\n'),
        ],
        footer: `model ${game.model} · /game start for another`,
        data: { won: true, n: x.n, word: x.word, winner: x.user, gameId: game.id },
      };
    }
    return {
      title: `#${x.n} ${quoteWord(x.word)}: ${rankText(x.rank, of)}`,
      lines: [`${closenessBar(x.rank, of)}  cosine ${x.score.toFixed(3)}`],
      footer: `${x.userName} · ${game.guessCount} guesses in this game`,
      data: { n: x.n, word: x.word, rank: x.rank, score: x.score, gameId: game.id },
    };
  },
};
