/** Default bound of a {@link ReplayCache}: at 200 requests a second a 5-minute window holds 60,000; a
 * replay evicted early still has to get past the signature's own 5-minute age check. */
export const MAX_REPLAY_ENTRIES = 10_000;

/**
 * The signed requests an endpoint has accepted while they could still be replayed: a key (Discord's
 * interaction id, Slack's request signature) is remembered until its request's timestamp leaves the
 * 5-minute window, so a captured request sent again inside the window is recognised. Memory is
 * bounded: past `maxEntries` the oldest entry is forgotten first.
 *
 * Keys must only be recorded after the signature is verified, or forged requests could push real
 * ones out.
 *
 * @example
 * ```ts
 * const seen = new ReplayCache();
 * seen.firstSeen('123', expiresAtMs); // true
 * seen.firstSeen('123', expiresAtMs); // false: a replay
 * ```
 */
export class ReplayCache {
  readonly maxEntries: number;
  readonly #now: () => number;
  // Insertion order is arrival order: the first entries are the oldest.
  readonly #expiry = new Map<string, number>();

  constructor(options: { maxEntries?: number; now?: () => number } = {}) {
    this.maxEntries = options.maxEntries ?? MAX_REPLAY_ENTRIES;
    if (!Number.isInteger(this.maxEntries) || this.maxEntries < 1)
      throw new RangeError(`maxEntries must be a whole number ≥ 1, got ${this.maxEntries}`);
    this.#now = options.now ?? Date.now;
  }

  /** Entries currently remembered. */
  get size(): number {
    return this.#expiry.size;
  }

  /**
   * Records `key` until `expiresAtMs` and returns true, or returns false when it was already seen
   * and has not expired (a replay).
   */
  firstSeen(key: string, expiresAtMs: number): boolean {
    const now = this.#now();
    const known = this.#expiry.get(key);
    if (known !== undefined && known > now) return false;
    this.#expiry.delete(key);
    this.#evict(now);
    this.#expiry.set(key, expiresAtMs);
    return true;
  }

  #evict(now: number): void {
    // Expired entries leave from the front; arrival order and expiry order differ only by clock
    // skew between senders, so this walk stops early in practice, and the size bound holds anyway.
    for (const [key, expires] of this.#expiry) {
      if (expires > now && this.#expiry.size < this.maxEntries) break;
      this.#expiry.delete(key);
    }
  }
}
