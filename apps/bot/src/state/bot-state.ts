/**
 * The bot's state behind one small interface: games, guesses, wins, rate-limit buckets, the
 * replay keys of signed HTTP requests and the deferred replies in flight. Two backends implement it: SQLite (`sqlite-state.ts`, one file
 * shared by every process on a host) and Redis (`redis-state.ts`, shared by every host). Every
 * method that changes state is one atomic step on the backend (an IMMEDIATE transaction, a Lua
 * script), so two processes answering at once never lose or double an update.
 */

/** Difficulty bands a secret is drawn from (by frequency rank). */
export type Difficulty = 'easy' | 'medium' | 'hard';

/** A game as stored: one per channel at a time. */
export interface GameRecord {
  /** Unique id (also in the shareable summary). */
  id: string;
  /** `discord:<channel>`, `slack:<team>:<channel>`, `local`. */
  channel: string;
  model: string;
  difficulty: Difficulty;
  secret: string;
  /** The seed the secret was drawn with. */
  seed: number;
  startedBy: string;
  startedByName: string;
  startedAt: number;
  /** How many of the secret's nearest neighbours were ranked (1,000, fewer in a small model). */
  neighbourCount: number;
  /** `expired`: no guess for the configured idle time, ended when the channel started another. */
  status: 'playing' | 'won' | 'given-up' | 'expired';
  guessCount: number;
  hints: number;
  /** When the last guess was recorded (undefined: none yet; the game is idle since `startedAt`). */
  lastGuessAt?: number;
  /** Who ended it (the finder, or who gave up). */
  endedBy?: string;
  endedByName?: string;
  endedAt?: number;
}

/**
 * Whether `game` has had no guess (nor its start) in the `idleMs` before `nowMs`: a running game that
 * idle ends when its channel starts another (the Redis script `START_GAME` applies the same rule).
 */
export function isIdleGame(game: GameRecord, idleMs: number, nowMs: number): boolean {
  return (game.lastGuessAt ?? game.startedAt) + idleMs <= nowMs;
}

/** One recorded guess. */
export interface GuessRecord {
  /** 1-based order in the game. */
  n: number;
  /** The vocabulary entry scored. */
  word: string;
  user: string;
  userName: string;
  /** Cosine similarity to the secret. */
  score: number;
  /** Rank among the secret's neighbours (1-based), 0 for the secret itself, null beyond them ("cold"). */
  rank: number | null;
  at: number;
}

/** A guess to record (the store numbers it). */
export type NewGuess = Omit<GuessRecord, 'n'>;

/** What recording a guess did. */
export type GuessResult =
  | { kind: 'recorded'; guess: GuessRecord; game: GameRecord }
  | { kind: 'duplicate'; guess: GuessRecord; game: GameRecord }
  | { kind: 'no-game'; last?: GameRecord };

/**
 * Starting a game: started (`expired`: the idle game it ended first), or the game already running in
 * the channel.
 */
export type StartResult =
  | { started: true; game: GameRecord; expired?: GameRecord }
  | { started: false; game: GameRecord };

/** A user's wins in a channel. */
export interface WinCount {
  user: string;
  name: string;
  wins: number;
}

export type RateDecision = { allowed: true } | { allowed: false; retryAfterMs: number };

/** A sliding-window rate limit to apply: `limit` hits of `key` in any `windowMs`. */
export interface RateCheck {
  key: string;
  limit: number;
  windowMs: number;
}

/** What {@link BotState.admit} decided: a replay (nothing counted), or a new request and its rate decision. */
export type Admission = { firstSeen: false } | { firstSeen: true; rate: RateDecision };

/**
 * A deferred reply in flight: a request acknowledged ("thinking…") whose answer is not sent yet.
 * Its owner renews a lease while it works; when the owner dies, another process claims it once the
 * lease has run out and finishes it, until `expiresAtMs` (when the transport's token dies).
 */
export interface PendingReply {
  /** The request's id (Discord: the interaction id). */
  id: string;
  /** What the transport needs to finish it (JSON it wrote; may hold a short-lived token). */
  payload: string;
  /** After this the reply cannot be sent any more (Discord's interaction token lives 15 minutes). */
  expiresAtMs: number;
}

/** The shared state could not be reached (Redis down, SQLite busy past its timeout): nothing was changed. */
export class StateUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StateUnavailableError';
  }
}

/**
 * The bot's state. Every write is atomic; reads see every write acknowledged before them, from any
 * process sharing the backend.
 *
 * @example
 * ```ts
 * const state = await openBotState({ sqlitePath: 'data/bot-state.db' });
 * const started = await state.startGame(game, neighbours);
 * await state.recordGuess(game.channel, game.id, guess, false);
 * await state.close();
 * ```
 */
export interface BotState {
  readonly backend: 'sqlite' | 'redis';

  /**
   * Sliding-window rate limit: records a hit for `key` at `nowMs` when fewer than `limit` hits fall
   * in the last `windowMs`, else says how long until one leaves the window.
   */
  takeRate(key: string, limit: number, windowMs: number, nowMs: number): Promise<RateDecision>;

  /** Remembers `key` until `expiresAtMs`: true the first time, false while it is remembered (a replay). */
  firstSeen(key: string, expiresAtMs: number, nowMs: number): Promise<boolean>;

  /**
   * A signed request's two checks as one atomic step (one round trip on Redis): remembers
   * `replayKey` until `expiresAtMs` as {@link BotState.firstSeen} does and, only when it is new,
   * takes a hit of `rate` as {@link BotState.takeRate} does (the same hits). A replay counts nothing.
   * The replay keys remembered here belong to `rate.key` (a replay is the same signed request, so
   * the same user), apart from those of {@link BotState.firstSeen}.
   */
  admit(replayKey: string, expiresAtMs: number, rate: RateCheck, nowMs: number): Promise<Admission>;

  /**
   * Starts `game` in its channel unless one is running there; `neighbours` are the secret's nearest
   * words, best first. A running game with no guess (nor start) in the `idleMs` before
   * `game.startedAt` is ended first as `expired` (at `game.startedAt`), in the same atomic step.
   */
  startGame(game: GameRecord, neighbours: readonly string[], idleMs?: number): Promise<StartResult>;

  /** The game running in `channel`, if any. */
  currentGame(channel: string): Promise<GameRecord | undefined>;

  /** The most recent game of `channel`, running or ended. */
  lastGame(channel: string): Promise<GameRecord | undefined>;

  /** The secret's neighbours stored at start (best first). */
  neighbours(channel: string, gameId: string): Promise<string[]>;

  /**
   * Records a guess in the running game `gameId` of `channel`: numbered after every guess before
   * it; a word already guessed in this game is not recorded again (`duplicate`, with the first
   * guess). `win` ends the game, credits the guesser with a win and names them.
   */
  recordGuess(channel: string, gameId: string, guess: NewGuess, win: boolean): Promise<GuessResult>;

  /** Counts a hint in the running game; the game after it, or undefined when that game is not running. */
  addHint(channel: string, gameId: string): Promise<GameRecord | undefined>;

  /** Ends the running game `gameId` as given up by `user`; undefined when it was not running. */
  giveUp(
    channel: string,
    gameId: string,
    user: string,
    userName: string,
    nowMs: number,
  ): Promise<GameRecord | undefined>;

  /** Every guess of a game, in order. */
  guesses(channel: string, gameId: string): Promise<GuessRecord[]>;

  /** The `limit` closest guesses of a game (highest cosine first, earlier guess first on ties). */
  topGuesses(channel: string, gameId: string, limit: number): Promise<GuessRecord[]>;

  /** The `limit` users with most wins in `channel`. */
  wins(channel: string, limit: number): Promise<WinCount[]>;

  /**
   * Records (or renews) a deferred reply in flight, held by `owner` until `leaseUntilMs`. False when
   * another owner holds it now (it was claimed after this owner's lease ran out): stop working on it.
   */
  holdPending(reply: PendingReply, owner: string, leaseUntilMs: number): Promise<boolean>;

  /** The reply `id` was sent (or given up): forget it. */
  finishPending(id: string): Promise<void>;

  /**
   * Claims up to `limit` pending replies whose lease ran out before `nowMs` (their owner stopped):
   * each is handed to one claimer only, held by `owner` for `leaseMs`. Replies past their expiry are
   * dropped instead.
   */
  claimPending(owner: string, nowMs: number, leaseMs: number, limit: number): Promise<PendingReply[]>;

  close(): Promise<void>;
}
