import type { Logger } from '../core/logger.js';
import type { RateLimiter } from '../core/rate-limiter.js';
import type { BotState, RateDecision } from '../state/bot-state.js';
import { StateUnavailableError } from '../state/bot-state.js';
import { ReplayCache } from './replay-cache.js';

/** What an endpoint asks before running a signed request: was this key accepted already? */
export interface ReplayGuard {
  /** Records `key` until `expiresAtMs`; false when it was already recorded (a replay). */
  firstSeen(key: string, expiresAtMs: number): boolean | Promise<boolean>;
  /**
   * {@link ReplayGuard.firstSeen} and, for a new request, its hit on `limiter` for `user`, in one step
   * where the guard and the limiter share a state. `rate` is undefined when no decision could be made
   * (the state unreachable: the command goes through, as the runner does then).
   */
  admit?(
    key: string,
    expiresAtMs: number,
    limiter: RateLimiter,
    user: string,
  ): Promise<{ firstSeen: boolean; rate?: RateDecision }>;
}

/**
 * The replay keys in the bot's shared state, so a request replayed to another replica behind the
 * load balancer is recognised too. When the state cannot be reached, this process's own
 * {@link ReplayCache} answers (and keeps the key), so a replay to the same replica is still caught.
 *
 * @example
 * ```ts
 * const replays = new SharedReplayCache(state, 'discord');
 * await replays.firstSeen('id:123', expiresAtMs); // true, then false on every replica
 * ```
 */
export class SharedReplayCache implements ReplayGuard {
  readonly #local: ReplayCache;

  constructor(
    readonly state: BotState,
    /** Keeps the two endpoints' keys apart. */
    readonly scope: string,
    readonly options: { logger?: Logger; now?: () => number } = {},
  ) {
    this.#local = new ReplayCache({ now: options.now });
  }

  async firstSeen(key: string, expiresAtMs: number): Promise<boolean> {
    const now = (this.options.now ?? Date.now)();
    const local = this.#local.firstSeen(key, expiresAtMs);
    try {
      return (await this.state.firstSeen(`${this.scope}:${key}`, expiresAtMs, now)) && local;
    } catch (error) {
      return this.#unreachable(error, local);
    }
  }

  /**
   * The replay check and the rate-limit hit of a command as one step on the shared state (one round
   * trip on Redis instead of two); when `limiter` keeps its hits elsewhere, one after the other.
   */
  async admit(
    key: string,
    expiresAtMs: number,
    limiter: RateLimiter,
    user: string,
  ): Promise<{ firstSeen: boolean; rate?: RateDecision }> {
    if (limiter.state !== this.state) {
      if (!(await this.firstSeen(key, expiresAtMs))) return { firstSeen: false };
      try {
        return { firstSeen: true, rate: await limiter.take(user) };
      } catch (error) {
        if (!(error instanceof StateUnavailableError)) throw error;
        this.options.logger?.warn('rate limit skipped: state unreachable', { error: error.message });
        return { firstSeen: true };
      }
    }
    if (!this.#local.firstSeen(key, expiresAtMs)) return { firstSeen: false };
    try {
      const admission = await limiter.admit(`${this.scope}:${key}`, expiresAtMs, user);
      return admission.firstSeen ? admission : { firstSeen: false };
    } catch (error) {
      this.#unreachable(error, true);
      this.options.logger?.warn('rate limit skipped: state unreachable', {
        error: (error as Error).message,
      });
      return { firstSeen: true };
    }
  }

  #unreachable(error: unknown, local: boolean): boolean {
    if (!(error instanceof StateUnavailableError)) throw error;
    this.options.logger?.warn('replay check on this replica only: state unreachable', {
      error: error.message,
    });
    return local;
  }
}
