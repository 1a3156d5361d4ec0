import type { Logger } from '../core/logger.js';
import type { BotState } from '../state/bot-state.js';
import { StateUnavailableError } from '../state/bot-state.js';
import { ReplayCache } from './replay-cache.js';

/** What an endpoint asks before running a signed request: was this key accepted already? */
export interface ReplayGuard {
  /** Records `key` until `expiresAtMs`; false when it was already recorded (a replay). */
  firstSeen(key: string, expiresAtMs: number): boolean | Promise<boolean>;
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
      if (!(error instanceof StateUnavailableError)) throw error;
      this.options.logger?.warn('replay check on this replica only: state unreachable', {
        error: error.message,
      });
      return local;
    }
  }
}
