import type { BotState } from './bot-state.js';

/** Where the state lives: Redis when `redisUrl` is set (every host), else the SQLite file (one host). */
export interface StateLocation {
  /** `WORDVEC_STATE`: the SQLite state file. */
  sqlitePath: string;
  /** `REDIS_URL`: when set, Redis holds the state instead. */
  redisUrl?: string;
}

/**
 * Opens the bot's state: Redis when a URL is given, else the SQLite file. Each backend loads only
 * when used, so a one-host bot never loads the Redis client.
 *
 * @throws `StateUnavailableError` when Redis cannot be reached at start.
 * @example
 * ```ts
 * const state = await openBotState({ sqlitePath: config.statePath, redisUrl: config.redisUrl });
 * ```
 */
export async function openBotState(location: StateLocation): Promise<BotState> {
  if (location.redisUrl) {
    const { RedisState } = await import('./redis-state.js');
    return RedisState.connect(location.redisUrl);
  }
  const { SqliteState } = await import('./sqlite-state.js');
  return SqliteState.open(location.sqlitePath);
}
