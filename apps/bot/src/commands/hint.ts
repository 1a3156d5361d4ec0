import { quoteWord } from '../core/escape.js';
import type { Reply } from '../core/reply.js';
import { gameContext, playHint } from '../game/game-session.js';
import { closenessBar, rankText } from '../game/score.js';
import type { Command } from './command.js';

/** `/hint`: a word closer to the secret than the best guess so far (halfway there by rank). */
export const hint: Command = {
  definition: {
    name: 'hint',
    description: 'A word closer to the secret than the best guess so far',
    options: [],
    needsVectors: false,
  },
  async handle(_options, context): Promise<Reply> {
    const g = gameContext(context);
    const got = await playHint(g);
    if (got.word === undefined) {
      return {
        title: 'No closer word to give',
        lines: [
          'The best guess is already the secret’s nearest neighbour, or every closer one was guessed: the secret is right next to it.',
        ],
        ephemeral: true,
        data: { hint: null },
      };
    }
    const of = got.game.neighbourCount;
    return {
      title: `Hint ${got.game.hints}: ${quoteWord(got.word)} is ${rankText(got.rank, of)}`,
      lines: [closenessBar(got.rank, of)],
      footer: 'hints count in the game summary',
      data: { hint: got.word, rank: got.rank, hints: got.game.hints },
    };
  },
};
