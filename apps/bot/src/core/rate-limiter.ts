import type { Admission, BotState, RateDecision } from '../state/bot-state.js';
import { SqliteState } from '../state/sqlite-state.js';

export type { RateDecision } from '../state/bot-state.js';

/**
 * Per-user sliding-window rate limit: at most `limit` commands in any `windowMs` milliseconds.
 * The hits live in the bot's state, so a user's limit holds across every shard and replica that
 * shares it; without `state`, a private in-memory SQLite state (one process). The clock is
 * injected so tests move time by hand.
 */
export interface RateLimiterOptions {
  limit: number;
  windowMs: number;
  /** Where the hits are kept (the bot's shared state); default: a private in-memory one. */
  state?: BotState;
  now?: () => number;
}

export class RateLimiter {
  readonly limit: number;
  readonly windowMs: number;
  readonly state: BotState;
  readonly #now: () => number;

  constructor(options: RateLimiterOptions) {
    if (!Number.isInteger(options.limit) || options.limit < 1) {
      throw new RangeError(`rate limit must be a positive integer, got ${options.limit}`);
    }
    if (!(options.windowMs > 0))
      throw new RangeError(`rate window must be positive, got ${options.windowMs}`);
    this.limit = options.limit;
    this.windowMs = options.windowMs;
    this.state = options.state ?? SqliteState.open(':memory:');
    this.#now = options.now ?? Date.now;
  }

  /**
   * Records a command by `user` if the limit allows it.
   *
   * @throws `StateUnavailableError` when the shared state cannot be reached (the runner then lets the
   * command through: a read-only answer is better than none).
   * @example
   * ```ts
   * const rl = new RateLimiter({ limit: 1, windowMs: 1000 });
   * await rl.take('u1'); // { allowed: true }
   * await rl.take('u1'); // { allowed: false, retryAfterMs: 1000 }
   * ```
   */
  take(user: string): Promise<RateDecision> {
    return this.state.takeRate(user, this.limit, this.windowMs, this.#now());
  }

  /**
   * A signed request's replay check (`replayKey` remembered until `expiresAtMs`) and, when it is
   * new, a command by `user` recorded as {@link RateLimiter.take} does: one atomic step on the state.
   *
   * @throws `StateUnavailableError` when the shared state cannot be reached.
   * @example
   * ```ts
   * await rl.admit('discord:id:42', Date.now() + 300_000, 'u1'); // { firstSeen: true, rate: { allowed: true } }
   * await rl.admit('discord:id:42', Date.now() + 300_000, 'u1'); // { firstSeen: false }
   * ```
   */
  admit(replayKey: string, expiresAtMs: number, user: string): Promise<Admission> {
    return this.state.admit(
      replayKey,
      expiresAtMs,
      { key: user, limit: this.limit, windowMs: this.windowMs },
      this.#now(),
    );
  }
}
