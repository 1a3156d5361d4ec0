import { createHash, randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import {
  type Admission,
  type BotState,
  type GameRecord,
  type GuessRecord,
  type GuessResult,
  type NewGuess,
  type PendingReply,
  type RateCheck,
  type RateDecision,
  type StartResult,
  StateUnavailableError,
  type WinCount,
} from './bot-state.js';
import {
  ADD_HINT,
  ADMIT,
  CLAIM_PENDING,
  GIVE_UP,
  HOLD_PENDING,
  RECORD_GUESS,
  START_GAME,
  TAKE_RATE,
} from './redis-scripts.js';

export interface RedisStateOptions {
  /** Prefix of every key (default `wordvec:`), so one Redis can serve several bots. */
  prefix?: string;
  /** How long one command may take before the state counts as unreachable (default 2,000 ms). */
  commandTimeoutMs?: number;
  /** How long {@link RedisState.connect} waits for the first connection (default 5,000 ms). */
  connectTimeoutMs?: number;
}

/** Above any guess count, so `base − n` orders equal scores earliest first in a descending range. */
const TOP_MEMBER_BASE = 999_999_999_999;

/**
 * The bot's state in Redis, shared by every shard and replica on every host. Updates are Lua
 * scripts (atomic on the server). The client never queues commands while disconnected: a command
 * sent while Redis is unreachable fails at once with {@link StateUnavailableError} (the reply says
 * nothing was recorded), and the client keeps reconnecting in the background.
 *
 * @example
 * ```ts
 * const state = await RedisState.connect('redis://127.0.0.1:6379');
 * await state.takeRate('discord:42', 5, 10_000, Date.now()); // { allowed: true }
 * await state.close();
 * ```
 */
export class RedisState implements BotState {
  readonly backend = 'redis' as const;
  readonly #redis: Redis;
  readonly #prefix: string;
  readonly #sha = new Map<string, string>();

  private constructor(redis: Redis, prefix: string) {
    this.#redis = redis;
    this.#prefix = prefix;
  }

  /**
   * Connects to `url` (`redis://[user:password@]host:port[/db]`, `rediss://` for TLS).
   *
   * @throws {@link StateUnavailableError} naming the host (never the password) when no connection is made in time.
   */
  static async connect(url: string, options: RedisStateOptions = {}): Promise<RedisState> {
    const redis = new Redis(url, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectTimeout: options.connectTimeoutMs ?? 5000,
      commandTimeout: options.commandTimeoutMs ?? 2000,
      // Keep trying, at most every second: the bot answers "unreachable" meanwhile.
      retryStrategy: (times) => Math.min(50 * times, 1000),
    });
    // Errors surface on the commands that fail; without a listener ioredis would print each retry.
    redis.on('error', () => {});
    try {
      await redis.connect();
    } catch (error) {
      redis.disconnect();
      throw new StateUnavailableError(
        `cannot reach Redis at ${describeRedisUrl(url)}: ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
    return new RedisState(redis, options.prefix ?? 'wordvec:');
  }

  /** Whether the connection is up right now. */
  get connected(): boolean {
    return this.#redis.status === 'ready';
  }

  async takeRate(key: string, limit: number, windowMs: number, nowMs: number): Promise<RateDecision> {
    const got = (await this.#script(
      TAKE_RATE,
      [this.#rateKey(key)],
      [nowMs, windowMs, limit, `${nowMs}:${randomUUID()}`],
    )) as [number, string?];
    return rateDecision(got[0], got[1], windowMs, nowMs);
  }

  async admit(replayKey: string, expiresAtMs: number, rate: RateCheck, nowMs: number): Promise<Admission> {
    const hits = this.#rateKey(rate.key);
    const got = (await this.#script(
      ADMIT,
      // Under the rate key's hash tag: both keys of the script in one slot.
      [`${hits}:replay:${replayKey}`, hits],
      [
        Math.max(1, Math.ceil(expiresAtMs - nowMs)),
        nowMs,
        rate.windowMs,
        rate.limit,
        `${nowMs}:${randomUUID()}`,
      ],
    )) as [string, number?, string?];
    if (got[0] === 'replay') return { firstSeen: false };
    return { firstSeen: true, rate: rateDecision(got[1]!, got[2], rate.windowMs, nowMs) };
  }

  /** A user's hits: the key is its own hash tag, shared by the replay keys {@link RedisState.admit} checks with it. */
  #rateKey(key: string): string {
    return `${this.#prefix}{rate:${key}}`;
  }

  async firstSeen(key: string, expiresAtMs: number, nowMs: number): Promise<boolean> {
    const ttl = Math.max(1, Math.ceil(expiresAtMs - nowMs));
    const set = await this.#call(() => this.#redis.set(`${this.#prefix}replay:${key}`, '1', 'PX', ttl, 'NX'));
    return set === 'OK';
  }

  async startGame(game: GameRecord, neighbours: readonly string[], idleMs?: number): Promise<StartResult> {
    const k = this.#keys(game.channel, game.id);
    const got = (await this.#script(
      START_GAME,
      [k.active, k.last, k.game, k.neighbours],
      [
        game.id,
        JSON.stringify(game),
        JSON.stringify(neighbours),
        game.startedAt,
        idleMs ?? '',
        this.#keys(game.channel).game,
      ],
    )) as string[];
    if (got[0] === 'started') {
      const expired = got[1] ? await this.#game(game.channel, got[1]) : undefined;
      return expired ? { started: true, game, expired } : { started: true, game };
    }
    const running = await this.#game(game.channel, got[1]);
    if (!running) throw new Error(`game ${got[1]} is marked running but has no record`);
    return { started: false, game: running };
  }

  async currentGame(channel: string): Promise<GameRecord | undefined> {
    const id = await this.#call(() => this.#redis.get(this.#keys(channel).active));
    return id ? this.#game(channel, id) : undefined;
  }

  async lastGame(channel: string): Promise<GameRecord | undefined> {
    const id = await this.#call(() => this.#redis.get(this.#keys(channel).last));
    return id ? this.#game(channel, id) : undefined;
  }

  async neighbours(channel: string, gameId: string): Promise<string[]> {
    const json = await this.#call(() => this.#redis.get(this.#keys(channel, gameId).neighbours));
    return json ? (JSON.parse(json) as string[]) : [];
  }

  async recordGuess(channel: string, gameId: string, guess: NewGuess, win: boolean): Promise<GuessResult> {
    const k = this.#keys(channel, gameId);
    const got = (await this.#script(
      RECORD_GUESS,
      [k.active, k.game, k.guesses, k.words, k.top, k.wins, k.winNames],
      [
        gameId,
        guess.word,
        JSON.stringify(guess),
        win ? '1' : '0',
        guess.score,
        guess.user,
        guess.userName,
        guess.at,
        TOP_MEMBER_BASE,
      ],
    )) as string[];
    if (got[0] === 'no-game') return { kind: 'no-game', last: await this.#game(channel, gameId) };
    const game = toGame(got.slice(2));
    return { kind: got[0] as 'recorded' | 'duplicate', guess: JSON.parse(got[1]) as GuessRecord, game };
  }

  async addHint(channel: string, gameId: string): Promise<GameRecord | undefined> {
    const k = this.#keys(channel, gameId);
    const got = (await this.#script(ADD_HINT, [k.active, k.game], [gameId])) as string[] | null;
    return got ? toGame(got) : undefined;
  }

  async giveUp(
    channel: string,
    gameId: string,
    user: string,
    userName: string,
    nowMs: number,
  ): Promise<GameRecord | undefined> {
    const k = this.#keys(channel, gameId);
    const got = (await this.#script(GIVE_UP, [k.active, k.game], [gameId, user, userName, nowMs])) as
      | string[]
      | null;
    return got ? toGame(got) : undefined;
  }

  async guesses(channel: string, gameId: string): Promise<GuessRecord[]> {
    const list = await this.#call(() => this.#redis.lrange(this.#keys(channel, gameId).guesses, 0, -1));
    return list.map((g) => JSON.parse(g) as GuessRecord);
  }

  async topGuesses(channel: string, gameId: string, limit: number): Promise<GuessRecord[]> {
    const k = this.#keys(channel, gameId);
    const members = await this.#call(() => this.#redis.zrevrange(k.top, 0, limit - 1));
    if (members.length === 0) return [];
    const pipeline = this.#redis.pipeline();
    for (const m of members) pipeline.lindex(k.guesses, TOP_MEMBER_BASE - Number(m) - 1);
    const rows = await this.#call(() => pipeline.exec());
    return (rows ?? []).map(([error, value]) => {
      if (error) throw error;
      return JSON.parse(value as string) as GuessRecord;
    });
  }

  async wins(channel: string, limit: number): Promise<WinCount[]> {
    const k = this.#keys(channel);
    const flat = await this.#call(() => this.#redis.zrevrange(k.wins, 0, limit - 1, 'WITHSCORES'));
    const users: string[] = [];
    const counts: number[] = [];
    for (let i = 0; i < flat.length; i += 2) {
      users.push(flat[i]);
      counts.push(Number(flat[i + 1]));
    }
    if (users.length === 0) return [];
    const names = await this.#call(() => this.#redis.hmget(k.winNames, ...users));
    return users
      .map((user, i) => ({ user, name: names[i] ?? user, wins: counts[i] }))
      .sort((a, b) => b.wins - a.wins || (a.user < b.user ? -1 : a.user > b.user ? 1 : 0));
  }

  async holdPending(reply: PendingReply, owner: string, leaseUntilMs: number): Promise<boolean> {
    const got = await this.#script(HOLD_PENDING, this.#pendingKeys(), [
      reply.id,
      owner,
      leaseUntilMs,
      reply.expiresAtMs,
      reply.payload,
    ]);
    return got === 1;
  }

  async finishPending(id: string): Promise<void> {
    const [hash, lease] = this.#pendingKeys();
    await this.#call(() => this.#redis.multi().hdel(hash, id).zrem(lease, id).exec());
  }

  async claimPending(owner: string, nowMs: number, leaseMs: number, limit: number): Promise<PendingReply[]> {
    const flat = (await this.#script(CLAIM_PENDING, this.#pendingKeys(), [
      owner,
      nowMs,
      leaseMs,
      limit,
    ])) as string[];
    const claimed: PendingReply[] = [];
    for (let i = 0; i + 2 < flat.length; i += 3)
      claimed.push({ id: flat[i], expiresAtMs: Number(flat[i + 1]), payload: flat[i + 2] });
    return claimed;
  }

  /** The deferred replies in flight share one hash tag: both keys in one slot. */
  #pendingKeys(): string[] {
    return [`${this.#prefix}{pending}:replies`, `${this.#prefix}{pending}:leases`];
  }

  async close(): Promise<void> {
    try {
      await this.#redis.quit();
    } catch {
      this.#redis.disconnect();
    }
  }

  /** Every key of a channel carries the channel as its hash tag: one slot per channel. */
  #keys(channel: string, gameId = '') {
    const base = `${this.#prefix}{${channel}}:`;
    const game = `${base}game:${gameId}`;
    return {
      active: `${base}active`,
      last: `${base}last`,
      wins: `${base}wins`,
      winNames: `${base}win-names`,
      game,
      neighbours: `${game}:neighbours`,
      guesses: `${game}:guesses`,
      words: `${game}:words`,
      top: `${game}:top`,
    };
  }

  async #game(channel: string, gameId: string): Promise<GameRecord | undefined> {
    const h = await this.#call(() => this.#redis.hgetall(this.#keys(channel, gameId).game));
    return h.record ? toGame(Object.entries(h).flat()) : undefined;
  }

  /** EVALSHA, falling back to EVAL once when the server does not know the script (after a restart). */
  async #script(lua: string, keys: string[], args: (string | number)[]): Promise<unknown> {
    let sha = this.#sha.get(lua);
    if (!sha) this.#sha.set(lua, (sha = createHash('sha1').update(lua).digest('hex')));
    try {
      return await this.#call(() => this.#redis.evalsha(sha, keys.length, ...keys, ...args));
    } catch (error) {
      if (!String((error as Error)?.message).startsWith('NOSCRIPT')) throw error;
      return this.#call(() => this.#redis.eval(lua, keys.length, ...keys, ...args));
    }
  }

  async #call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      // A reply from the server (a script bug, NOSCRIPT) is an error of ours; anything else means
      // the command did not complete: connection refused or lost, timed out, not connected.
      if ((error as Error)?.name === 'ReplyError') throw error;
      throw new StateUnavailableError(`Redis is unreachable: ${(error as Error)?.message ?? error}`, {
        cause: error,
      });
    }
  }
}

/** `host:port` of a Redis URL, without credentials (for messages and logs). */
export function describeRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || '6379'}`;
  } catch {
    return 'an unparseable REDIS_URL';
  }
}

/** A rate-limit script's answer: allowed (1), or refused (0) until the oldest hit leaves the window. */
function rateDecision(
  allowed: number,
  oldest: string | undefined,
  windowMs: number,
  nowMs: number,
): RateDecision {
  if (allowed === 1) return { allowed: true };
  return { allowed: false, retryAfterMs: Math.max(1, Number(oldest) + windowMs - nowMs) };
}

function toGame(flat: string[]): GameRecord {
  const h: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) h[flat[i]] = flat[i + 1];
  const game = JSON.parse(h.record) as GameRecord;
  game.status = h.status as GameRecord['status'];
  game.guessCount = Number(h.guessCount);
  game.hints = Number(h.hints);
  if (h.lastGuessAt !== undefined) game.lastGuessAt = Number(h.lastGuessAt);
  if (h.endedAt !== undefined) game.endedAt = Number(h.endedAt);
  if (h.endedBy !== undefined) {
    game.endedBy = h.endedBy;
    game.endedByName = h.endedByName;
    game.endedAt = Number(h.endedAt);
  }
  return game;
}
