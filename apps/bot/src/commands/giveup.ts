import { quoteWord } from '../core/escape.js';
import type { Reply } from '../core/reply.js';
import { gameContext, requireGame } from '../game/game-session.js';
import { shareableSummary } from '../game/score.js';
import type { Command } from './command.js';

/** `/giveup`: ends the channel's game and shows the secret with its nearest words. */
export const giveup: Command = {
  definition: {
    name: 'giveup',
    description: 'End this channel’s game and show the secret word',
    options: [],
    needsVectors: false,
  },
  async handle(_options, context): Promise<Reply> {
    const g = gameContext(context);
    const game = await requireGame(g);
    // Works when the game's model has left the store: the secret and its neighbours are in the state.
    const ended = await g.state.giveUp(g.channel, game.id, g.user, g.userName, Date.now());
    const shown = ended ?? (await g.state.lastGame(g.channel)) ?? game;
    const nearest = (await g.state.neighbours(g.channel, game.id)).slice(0, 5);
    const guesses = await g.state.guesses(g.channel, game.id);
    return {
      title: `The secret was ${quoteWord(shown.secret)}`,
      lines: [
        ended
          ? `${g.userName} gave up after ${shown.guessCount} guesses.`
          : `The game had just ended (${shown.endedByName}).`,
        ...(nearest.length > 0 ? [`Its nearest words: ${nearest.join(', ')}.`] : []),
        ...shareableSummary(shown, guesses).split('\n'),
      ],
      footer: `model ${shown.model} · /game start for another`,
      data: { secret: shown.secret, gameId: shown.id, gaveUp: !!ended },
    };
  },
};
