import { BotInputError } from '../core/bot-error.js';
import { quoteWord } from '../core/escape.js';
import type { Reply } from '../core/reply.js';
import { gameContext, idleText, startGame } from '../game/game-session.js';
import { guessLine, shareableSummary } from '../game/score.js';
import { DIFFICULTIES } from '../game/secret.js';
import type { Difficulty, GameRecord } from '../state/bot-state.js';
import { type Command, type CommandContext, type CommandOptions, modelFooter, pickModel } from './command.js';

/** `/game start [model] [difficulty]`, `/game status`, `/game top`: the word game of a channel. */
export const game: Command = {
  definition: {
    name: 'game',
    description: 'Guess the secret word by meaning (Semantle-style): start, status, top',
    options: [
      {
        type: 'string',
        name: 'action',
        description: 'start a game, its status, or the 10 closest guesses',
        required: true,
        maxLength: 10,
        choices: ['start', 'status', 'top'],
        subcommand: true,
      },
      {
        type: 'string',
        name: 'model',
        description: 'Model to play on (default: the default model)',
        maxLength: 100,
        autocomplete: 'model',
        for: ['start'],
      },
      {
        type: 'string',
        name: 'difficulty',
        description: 'easy (frequent words), medium (default) or hard (rarer words)',
        maxLength: 10,
        choices: DIFFICULTIES,
        for: ['start'],
      },
    ],
    needsVectors: false,
  },
  async handle(options, context): Promise<Reply> {
    const action = String(options.action);
    if (action !== 'start' && (options.model !== undefined || options.difficulty !== undefined)) {
      throw new BotInputError('Options of /game start', `/game ${action} takes no model or difficulty.`);
    }
    if (action === 'start') return start(options, context);
    if (action === 'top') return top(context);
    return status(context);
  },
};

async function start(options: CommandOptions, context: CommandContext): Promise<Reply> {
  const g = gameContext(context);
  let { model: modelName, difficulty } = options;
  // `/game start hard` in the text transports: a difficulty in the model's place.
  if (
    difficulty === undefined &&
    typeof modelName === 'string' &&
    (DIFFICULTIES as readonly string[]).includes(modelName.toLowerCase()) &&
    !context.catalog.models().some((m) => m.name === modelName)
  ) {
    difficulty = modelName.toLowerCase();
    modelName = undefined;
  }
  const model = pickModel({ model: modelName }, context);
  const result = await startGame(g, model, (difficulty ?? 'medium') as Difficulty, Date.now());
  if (!result.started) {
    const running = result.game;
    return {
      title: 'A game is already running here',
      lines: [
        `${running.startedByName} started it ${ago(running.startedAt)} on model ${quoteWord(running.model)} (${running.difficulty}); ${running.guessCount} guesses so far.`,
        'Keep guessing with /guess word, or end it with /giveup before starting another.',
      ],
      ephemeral: true,
      error: true,
      data: { gameId: running.id },
    };
  }
  const n = result.game.neighbourCount;
  const expired = result.expired;
  return {
    title: `New game (${result.game.difficulty}): guess the secret word`,
    lines: [
      ...(expired
        ? [
            `The game ${expired.startedByName} started ended first: nobody had guessed for ${idleText(context.gameIdleMs)} (${expired.guessCount} guess${expired.guessCount === 1 ? '' : 'es'}; the secret was ${quoteWord(expired.secret)}).`,
          ]
        : []),
      `${result.game.startedByName} started a game. Guess with /guess word: each guess is scored by cosine similarity to the secret and by its rank among the secret's ${n.toLocaleString('en-US')} nearest words (“rank 1” is the closest; beyond them it is cold).`,
      '/hint gives a word closer than your best, /game top the closest guesses, /giveup shows the secret.',
    ],
    footer: modelFooter(model),
    data: { gameId: result.game.id, model: result.game.model, difficulty: result.game.difficulty },
  };
}

async function status(context: CommandContext): Promise<Reply> {
  const g = gameContext(context);
  const current = await g.state.currentGame(g.channel);
  const shown = current ?? (await g.state.lastGame(g.channel));
  const wins = await g.state.wins(g.channel, 5);
  const board = wins.length > 0 ? [`Wins here: ${wins.map((w) => `${w.name} ${w.wins}`).join(', ')}`] : [];
  if (!shown) {
    return {
      title: 'No game in this channel yet',
      lines: ['Start one with /game start [model] [easy|medium|hard].', ...board],
      data: { game: null },
    };
  }
  const best = (await g.state.topGuesses(g.channel, shown.id, 1))[0];
  const lines = [
    `Model ${quoteWord(shown.model)}, ${shown.difficulty}, started by ${shown.startedByName} ${ago(shown.startedAt)}.`,
    `${shown.guessCount} guess${shown.guessCount === 1 ? '' : 'es'}, ${shown.hints} hint${shown.hints === 1 ? '' : 's'}.`,
  ];
  if (best && shown.status === 'playing')
    lines.push(`Closest so far: ${guessLine(best, shown.neighbourCount)}`);
  if (shown.status !== 'playing') lines.push(endedLine(shown));
  lines.push(...board);
  return {
    title: current ? 'Game in progress' : 'No game running (the last one)',
    lines,
    fields: [{ name: 'Summary', value: shareableSummary(shown, await g.state.guesses(g.channel, shown.id)) }],
    data: { game: { id: shown.id, status: shown.status, guessCount: shown.guessCount, hints: shown.hints } },
  };
}

async function top(context: CommandContext): Promise<Reply> {
  const g = gameContext(context);
  const shown = (await g.state.currentGame(g.channel)) ?? (await g.state.lastGame(g.channel));
  if (!shown)
    throw new BotInputError(
      'No game here',
      'No game has been played in this channel yet. Start one with /game start.',
    );
  const best = await g.state.topGuesses(g.channel, shown.id, 10);
  return {
    title: `The ${best.length} closest guess${best.length === 1 ? '' : 'es'}${shown.status === 'playing' ? '' : ' (last game)'}`,
    lines:
      best.length === 0
        ? ['No guesses yet: /guess word.']
        : best.map((x, i) => `${i + 1}. ${guessLine(x, shown.neighbourCount)}`),
    data: {
      gameId: shown.id,
      top: best.map((x) => ({ word: x.word, rank: x.rank, score: x.score, n: x.n })),
    },
  };
}

/** "Ann found “pizza” after 12 guesses" / "Bo gave up after 30 guesses; the secret was “pizza”". */
export function endedLine(game: GameRecord): string {
  if (game.status === 'won')
    return `${game.endedByName} found ${quoteWord(game.secret)} with guess #${game.guessCount}.`;
  if (game.status === 'expired')
    return `It ended after ${game.guessCount} guesses with nobody guessing for a while; the secret was ${quoteWord(game.secret)}.`;
  return `${game.endedByName} gave up after ${game.guessCount} guesses; the secret was ${quoteWord(game.secret)}.`;
}

function ago(atMs: number): string {
  const minutes = Math.max(0, Math.round((Date.now() - atMs) / 60_000));
  if (minutes < 1) return 'just now';
  if (minutes < 120) return `${minutes} min ago`;
  return `${Math.round(minutes / 60)} h ago`;
}
