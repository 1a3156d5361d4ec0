/**
 * The word game's moves (start, guess, hint, give up), between a channel's state and the game's
 * model: the secret's neighbours come from the query layer's one top-k (`mostSimilar`), a guess is
 * resolved by the OOV pipeline's vocabulary steps, and every change goes through the state's atomic
 * operations. Replies are built by the commands.
 */
import { randomInt } from 'node:crypto';
import { OovError, stripAccents, tokenize } from '@wordvec/embeddings';
import type { CommandContext } from '../commands/command.js';
import { BotInputError } from '../core/bot-error.js';
import { quoteWord } from '../core/escape.js';
import type { QueryModel } from '../core/model-source.js';
import { normalizeWord } from '../core/words.js';
import {
  type BotState,
  type Difficulty,
  type GameRecord,
  type GuessResult,
  isIdleGame,
  type StartResult,
} from '../state/bot-state.js';
import { NEIGHBOURS } from './score.js';
import { chooseSecret, DIFFICULTY_BANDS } from './secret.js';

/** The state, channel and player of a game command; refuses clearly where one is missing. */
export interface GameContext {
  state: BotState;
  channel: string;
  user: string;
  userName: string;
  context: CommandContext;
}

export function gameContext(context: CommandContext): GameContext {
  if (!context.state)
    throw new BotInputError(
      'No game state',
      'This bot runs without a state store, so it cannot hold a game.',
    );
  if (!context.channel)
    throw new BotInputError(
      'No channel',
      'Games are played in a channel or conversation; this request came from none.',
    );
  return {
    state: context.state,
    channel: context.channel,
    user: context.user ?? 'unknown',
    userName: context.userName ?? context.user ?? 'someone',
    context,
  };
}

/** Neighbour ranks by game id, read from the state once per process (a guess then costs one look-up). */
const RANKS = new Map<string, Map<string, number>>();
const MAX_CACHED_GAMES = 256;

async function ranksOf(g: GameContext, game: GameRecord): Promise<Map<string, number>> {
  let ranks = RANKS.get(game.id);
  if (!ranks) {
    const words = await g.state.neighbours(g.channel, game.id);
    ranks = new Map(words.map((w, i) => [w, i + 1]));
    if (RANKS.size >= MAX_CACHED_GAMES) RANKS.delete(RANKS.keys().next().value as string);
    RANKS.set(game.id, ranks);
  }
  return ranks;
}

/** The game's model, or a reply-ready refusal when it has left the store (the game is kept). */
export function gameModel(g: GameContext, game: GameRecord): QueryModel {
  try {
    return g.context.catalog.model(game.model);
  } catch (error) {
    if (error instanceof BotInputError && error.title === 'Unknown model') {
      throw new BotInputError(
        'The game’s model is gone',
        `This game is played on model ${quoteWord(game.model)}, which is no longer in the store, so guesses cannot be scored. The game is kept: /giveup ends it and shows the secret, or restore the model.`,
      );
    }
    throw error;
  }
}

/**
 * Starts a game in the channel: the secret drawn from the model's frequent words by difficulty
 * with a fresh seed, and its nearest neighbours ranked once.
 */
export async function startGame(
  g: GameContext,
  model: QueryModel,
  difficulty: Difficulty,
  nowMs: number,
): Promise<StartResult> {
  const idleMs = g.context.gameIdleMs;
  const running = await g.state.currentGame(g.channel);
  if (running && (idleMs === undefined || !isIdleGame(running, idleMs, nowMs)))
    return { started: false, game: running };
  const seed = randomInt(0, 2 ** 32);
  const secret = chooseSecret(model.complete('', DIFFICULTY_BANDS.hard[1]), difficulty, seed);
  if (!secret)
    throw new BotInputError(
      'No secret word',
      `Model ${quoteWord(model.summary.name)} has no word a game can use (letters only, not a stop word).`,
    );
  await model.load();
  const neighbours = model.mostSimilar({ positive: [secret], topn: NEIGHBOURS }).map((n) => n.word);
  const game: GameRecord = {
    id: `${nowMs.toString(36)}${seed.toString(16).padStart(8, '0')}`,
    channel: g.channel,
    model: model.summary.name,
    difficulty,
    secret,
    seed,
    startedBy: g.user,
    startedByName: g.userName,
    startedAt: nowMs,
    neighbourCount: neighbours.length,
    status: 'playing',
    guessCount: 0,
    hints: 0,
  };
  return g.state.startGame(game, neighbours, idleMs);
}

/** The running game, or a refusal naming the last one (and how to start). */
export async function requireGame(g: GameContext): Promise<GameRecord> {
  const game = await g.state.currentGame(g.channel);
  if (game) return game;
  throw new BotInputError('No game here', await noGameText(g));
}

async function noGameText(g: GameContext): Promise<string> {
  const last = await g.state.lastGame(g.channel);
  const start = 'Start one with /game start [model] [easy|medium|hard].';
  if (!last) return `No game is running in this channel. ${start}`;
  const ended =
    last.status === 'won'
      ? `${last.endedByName} found ${quoteWord(last.secret)} in ${last.guessCount} guesses`
      : `${last.endedByName} gave up; the secret was ${quoteWord(last.secret)}`;
  return `No game is running in this channel (the last one ended: ${ended}). ${start}`;
}

/** "7 days": how long a game may go without a guess (rounded to days, else hours). */
export function idleText(idleMs: number | undefined): string {
  if (idleMs === undefined) return 'a long time';
  const days = Math.round(idleMs / 86_400_000);
  if (days >= 1) return `${days} day${days === 1 ? '' : 's'}`;
  const hours = Math.max(1, Math.round(idleMs / 3_600_000));
  return `${hours} hour${hours === 1 ? '' : 's'}`;
}

/** Case, accents and surrounding punctuation folded: the secret typed any such way is the secret. */
export function foldWord(word: string): string {
  return stripAccents(normalizeWord(word)).toLowerCase();
}

/** A guess resolved to the vocabulary entry that is scored. */
export type ResolvedGuess = { word: string; how: string; isSecret: boolean };

/**
 * Resolves a typed guess: the secret in any case or accents wins; otherwise the OOV pipeline's
 * vocabulary steps (exact, case, accents, punctuation) give the entry scored. A word the pipeline
 * only reaches by lemma, or not at all, is refused with its suggestions: an estimated vector is
 * never scored.
 *
 * @throws {@link BotInputError} for several words or an unknown word.
 */
export function resolveGuess(model: QueryModel, secret: string, typed: string): ResolvedGuess {
  const tokens = tokenize(typed, { lowercase: false });
  if (tokens.length > 1 && !model.has(typed)) {
    throw new BotInputError(
      'One word per guess',
      `${quoteWord(typed)} is ${tokens.length} words; a guess is one word. Try ${tokens
        .slice(0, 3)
        .map((t) => quoteWord(t))
        .join(' or ')} on its own.`,
    );
  }
  if (typed === secret || foldWord(typed) === foldWord(secret))
    return { word: secret, how: 'secret', isSecret: true };
  let resolution: ReturnType<NonNullable<QueryModel['resolve']>> | undefined;
  try {
    resolution = model.resolve
      ? model.resolve(typed, { forms: true, lemma: true })
      : model.has(typed)
        ? { word: typed, how: 'exact', resolvedAs: typed }
        : undefined;
  } catch (error) {
    if (!(error instanceof OovError)) throw error;
  }
  if (resolution?.resolvedAs && resolution.how !== 'lemma') {
    const word = resolution.resolvedAs;
    return { word, how: resolution.how, isSecret: word === secret };
  }
  const suggestions = [
    ...(resolution?.resolvedAs ? [resolution.resolvedAs] : []),
    ...safeSuggest(model, normalizeWord(typed) || typed),
  ].filter((w, i, all) => all.indexOf(w) === i && w !== secret);
  throw new BotInputError(
    'Not in the vocabulary',
    `${quoteWord(typed)} is not in the vocabulary of model ${quoteWord(model.summary.name)}, so it cannot be scored (nothing was recorded).` +
      (suggestions.length > 0 ? ` Did you mean: ${suggestions.slice(0, 5).join(', ')}?` : ''),
  );
}

function safeSuggest(model: QueryModel, word: string): string[] {
  try {
    return model.suggest(word, 5);
  } catch {
    return [];
  }
}

/**
 * The running game of each channel as this process last saw it, per state. A guess scores against
 * it without reading it first (a round trip fewer on Redis): the secret, model and id of a game never
 * change, and recording checks on the backend that the game is still the one running, so a stale
 * entry (the game ended, or another replica started a new one) costs one re-read, never a wrong score.
 */
const RUNNING = new WeakMap<BotState, Map<string, GameRecord>>();

function runningGames(state: BotState): Map<string, GameRecord> {
  let games = RUNNING.get(state);
  if (!games) RUNNING.set(state, (games = new Map()));
  return games;
}

/** Scores and records one guess in the running game. */
export async function playGuess(g: GameContext, typed: string, nowMs: number): Promise<GuessResult> {
  const games = runningGames(g.state);
  const known = games.get(g.channel);
  let result: GuessResult | undefined;
  if (known) {
    try {
      result = await scoreAndRecord(g, known, typed, nowMs);
    } catch (error) {
      // A refusal by the known game's model (word unknown, model gone) stands only if it still runs.
      if (!(error instanceof BotInputError)) throw error;
    }
    // Refused, or what this process knew has ended: the channel's game now (another one, or none) decides.
    if (result?.kind !== 'recorded' && result?.kind !== 'duplicate') games.delete(g.channel);
  }
  if (!games.has(g.channel)) result = await scoreAndRecord(g, await requireGame(g), typed, nowMs);
  if (!result) throw new Error('unreachable: a guess is recorded or refused');
  if (result.kind === 'no-game') {
    games.delete(g.channel);
    throw new BotInputError('No game here', await noGameText(g));
  }
  if (result.game.status === 'playing') {
    if (games.size >= MAX_CACHED_GAMES && !games.has(g.channel))
      games.delete(games.keys().next().value as string);
    games.set(g.channel, result.game);
  } else games.delete(g.channel);
  return result;
}

async function scoreAndRecord(
  g: GameContext,
  game: GameRecord,
  typed: string,
  nowMs: number,
): Promise<GuessResult> {
  const model = gameModel(g, game);
  const guess = resolveGuess(model, game.secret, typed);
  let score = 1;
  let rank: number | null = 0;
  if (!guess.isSecret) {
    if (!model.isLoaded) await model.load();
    score = model.similarity(game.secret, guess.word);
    rank = (await ranksOf(g, game)).get(guess.word) ?? null;
  }
  return g.state.recordGuess(
    g.channel,
    game.id,
    { word: guess.word, user: g.user, userName: g.userName, score, rank, at: nowMs },
    guess.isSecret,
  );
}

/**
 * A hint: the neighbour halfway (by rank) between the best guess so far and the secret, never one
 * already guessed; rank 500 when no guess is ranked yet.
 */
export async function playHint(
  g: GameContext,
): Promise<{ game: GameRecord; word: string; rank: number } | { game: GameRecord; word: undefined }> {
  const game = await requireGame(g);
  const neighbours = await g.state.neighbours(g.channel, game.id);
  const guessed = new Set((await g.state.guesses(g.channel, game.id)).map((x) => x.word));
  const best = (await g.state.topGuesses(g.channel, game.id, 1))[0]?.rank ?? null;
  const from =
    best === null ? Math.min(neighbours.length, Math.ceil(neighbours.length / 2)) : Math.floor(best / 2);
  for (let rank = from; rank >= 1; rank--) {
    const word = neighbours[rank - 1];
    if (word !== undefined && !guessed.has(word)) {
      const after = await g.state.addHint(g.channel, game.id);
      if (!after) throw new BotInputError('No game here', await noGameText(g));
      return { game: after, word, rank };
    }
  }
  return { game, word: undefined };
}
