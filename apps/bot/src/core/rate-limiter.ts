/**
 * Per-user sliding-window rate limit: at most `limit` commands in any `windowMs` milliseconds.
 * The clock is injected so tests move time by hand.
 */
export interface RateLimiterOptions {
  limit: number;
  windowMs: number;
  now?: () => number;
}

export type RateDecision = { allowed: true } | { allowed: false; retryAfterMs: number };

export class RateLimiter {
  readonly limit: number;
  readonly windowMs: number;
  readonly #now: () => number;
  readonly #hits = new Map<string, number[]>();
  #lastSweep = 0;

  constructor(options: RateLimiterOptions) {
    if (!Number.isInteger(options.limit) || options.limit < 1) {
      throw new RangeError(`rate limit must be a positive integer, got ${options.limit}`);
    }
    if (!(options.windowMs > 0))
      throw new RangeError(`rate window must be positive, got ${options.windowMs}`);
    this.limit = options.limit;
    this.windowMs = options.windowMs;
    this.#now = options.now ?? Date.now;
  }

  /**
   * Records a command by `user` if the limit allows it.
   *
   * @example
   * ```ts
   * const rl = new RateLimiter({ limit: 1, windowMs: 1000 });
   * rl.take('u1'); // { allowed: true }
   * rl.take('u1'); // { allowed: false, retryAfterMs: 1000 }
   * ```
   */
  take(user: string): RateDecision {
    const now = this.#now();
    this.#sweep(now);
    const since = now - this.windowMs;
    const hits = (this.#hits.get(user) ?? []).filter((t) => t > since);
    if (hits.length >= this.limit) {
      this.#hits.set(user, hits);
      return { allowed: false, retryAfterMs: hits[0] + this.windowMs - now };
    }
    hits.push(now);
    this.#hits.set(user, hits);
    return { allowed: true };
  }

  /** Number of users currently tracked (for tests and metrics). */
  get trackedUsers(): number {
    return this.#hits.size;
  }

  // A bot runs for months: forget users whose hits have all expired, at most once per window.
  #sweep(now: number): void {
    if (now - this.#lastSweep < this.windowMs) return;
    this.#lastSweep = now;
    const since = now - this.windowMs;
    for (const [user, hits] of this.#hits) {
      if (hits[hits.length - 1] <= since) this.#hits.delete(user);
    }
  }
}
