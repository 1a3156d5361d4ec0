import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { type OovOptions, parseOovPolicy } from '@wordvec/embeddings';

/** Discord's own REST API; tests and staging set `DISCORD_API_BASE` elsewhere. */
export const DEFAULT_DISCORD_API = 'https://discord.com/api';

/** Bot configuration, read from the environment (and `.env`) by {@link loadConfig}. */
export interface BotConfig {
  /** Absent: no Discord; `pnpm start` opens the local chat. */
  discordToken?: string;
  discordAppId?: string;
  /** Commands are registered in this guild only (instant updates) instead of globally. */
  discordGuildId?: string;
  discordApiBase: string;
  /** Absolute path of the store file. */
  storePath: string;
  /** Model to answer from when a command names none; default: the store's default model. */
  model?: string;
  /** Corpus the first model is trained on when the store is empty (`openCorpus` spec); default `starter`. */
  firstCorpus: string;
  /** Absolute path of the bot's state file (games, rate limits), when Redis is not used; default beside the store. */
  statePath: string;
  /** Redis holding the state instead, shared by every host (`REDIS_URL`). */
  redisUrl?: string;
  /** Commands per user per window. */
  rateLimit: number;
  rateWindowMs: number;
  /** A game with no guess for this long ends when the channel starts another (`WORDVEC_GAME_IDLE_DAYS`, default 7). */
  gameIdleMs: number;
  /**
   * How words missing from the vocabulary are answered (`WORDVEC_OOV`, default `estimate`, and
   * `WORDVEC_UNK`, default `error`): the library's OOV pipeline options.
   */
  oov: OovOptions;
  /** Where the local chat writes pictures (`WORDVEC_PICTURES`); default `wordvec-pictures` in the OS temp folder. */
  picturesDir: string;
}

/** Days without a guess after which a game ends when its channel starts another. */
export const GAME_IDLE_DAYS_DEFAULT = 7;

/** The bot's OOV policy unless configured: estimate (case/accents/punctuation, lemma, subword), no UNK stand-in. */
export const BOT_OOV_DEFAULT: OovOptions = parseOovPolicy('estimate', 'error');

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

const SNOWFLAKE = /^\d{17,20}$/;

/**
 * Loads `.env` files into `process.env` (values already set win), from the directory the command was
 * started in (`INIT_CWD`, set by pnpm/npm) and the current directory. Uses Node's own
 * `process.loadEnvFile` (Node ≥ 20.12).
 */
export function loadDotEnv(dirs: string[] = baseDirs()): string[] {
  const loaded: string[] = [];
  for (const dir of new Set(dirs)) {
    const file = resolve(dir, '.env');
    if (existsSync(file)) {
      process.loadEnvFile(file);
      loaded.push(file);
    }
  }
  return loaded;
}

function baseDirs(): string[] {
  return [process.env.INIT_CWD, process.cwd()].filter((d): d is string => !!d);
}

/**
 * Reads and validates the bot configuration. Relative `WORDVEC_STORE` paths are resolved against
 * the directory the command was started in (`INIT_CWD`), so `pnpm start` at the repository root
 * and the `wordvec` CLI use the same `data/wordvec.db`.
 *
 * @throws {@link ConfigError} with a message naming the variable and the bad value (never the token).
 * @example
 * ```ts
 * const config = loadConfig({ WORDVEC_STORE: '/tmp/w.db' });
 * config.discordToken; // undefined → local chat
 * ```
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): BotConfig {
  const problems: string[] = [];
  const text = (name: string) => {
    const v = env[name]?.trim();
    return v === '' ? undefined : v;
  };

  const discordToken = text('DISCORD_TOKEN');
  if (discordToken !== undefined && /\s/.test(discordToken)) {
    problems.push('DISCORD_TOKEN contains whitespace; copy the bot token again from the developer portal');
  }
  const discordAppId = text('DISCORD_APP_ID');
  if (discordAppId !== undefined && !SNOWFLAKE.test(discordAppId)) {
    problems.push(
      `DISCORD_APP_ID must be a numeric application id (17–20 digits), got ${JSON.stringify(discordAppId)}`,
    );
  }
  const discordGuildId = text('DISCORD_GUILD_ID');
  if (discordGuildId !== undefined && !SNOWFLAKE.test(discordGuildId)) {
    problems.push(
      `DISCORD_GUILD_ID must be a numeric guild id (17–20 digits), got ${JSON.stringify(discordGuildId)}`,
    );
  }
  const discordApiBase = (text('DISCORD_API_BASE') ?? DEFAULT_DISCORD_API).replace(/\/+$/, '');
  try {
    const u = new URL(discordApiBase);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('protocol');
  } catch {
    problems.push(`DISCORD_API_BASE must be an http(s) URL, got ${JSON.stringify(discordApiBase)}`);
  }
  const rateLimit = integer(env, 'WORDVEC_RATE_LIMIT', 5, 1, 10_000, problems);
  const rateWindowSeconds = integer(env, 'WORDVEC_RATE_WINDOW', 10, 1, 86_400, problems);
  const gameIdleDays = integer(env, 'WORDVEC_GAME_IDLE_DAYS', GAME_IDLE_DAYS_DEFAULT, 1, 365, problems);

  let oov: OovOptions = BOT_OOV_DEFAULT;
  try {
    oov = parseOovPolicy(text('WORDVEC_OOV') ?? 'estimate', text('WORDVEC_UNK') ?? 'error');
  } catch (error) {
    problems.push(`WORDVEC_OOV/WORDVEC_UNK: ${(error as Error).message}`);
  }

  const storeRaw = text('WORDVEC_STORE') ?? 'data/wordvec.db';
  const storePath = isAbsolute(storeRaw) ? storeRaw : resolve(baseDirs()[0] ?? '.', storeRaw);

  // Default: beside the store (data/bot-state.db for the default store), a file of its own.
  const stateRaw = text('WORDVEC_STATE');
  const statePath =
    stateRaw === undefined
      ? join(dirname(storePath), 'bot-state.db')
      : isAbsolute(stateRaw)
        ? stateRaw
        : resolve(baseDirs()[0] ?? '.', stateRaw);
  if (statePath === storePath) {
    problems.push(
      `WORDVEC_STATE must be a file of its own, not the vector store ${JSON.stringify(storePath)}`,
    );
  }
  const picturesRaw = text('WORDVEC_PICTURES');
  const picturesDir =
    picturesRaw === undefined
      ? join(tmpdir(), 'wordvec-pictures')
      : isAbsolute(picturesRaw)
        ? picturesRaw
        : resolve(baseDirs()[0] ?? '.', picturesRaw);
  const redisUrl = text('REDIS_URL');
  if (redisUrl !== undefined) {
    let ok = false;
    try {
      const u = new URL(redisUrl);
      ok = (u.protocol === 'redis:' || u.protocol === 'rediss:') && u.hostname !== '';
    } catch {}
    // The URL may hold a password: never echo it.
    if (!ok)
      problems.push('REDIS_URL must look like redis://[user:password@]host:port[/db] (or rediss:// for TLS)');
  }

  if (problems.length > 0) throw new ConfigError(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
  return {
    discordToken,
    discordAppId,
    discordGuildId,
    discordApiBase,
    storePath,
    model: text('WORDVEC_MODEL'),
    firstCorpus: text('WORDVEC_FIRST_CORPUS') ?? 'starter',
    statePath,
    redisUrl,
    rateLimit,
    rateWindowMs: rateWindowSeconds * 1000,
    gameIdleMs: gameIdleDays * 86_400_000,
    oov,
    picturesDir,
  };
}

function integer(
  env: NodeJS.ProcessEnv,
  name: string,
  fallback: number,
  min: number,
  max: number,
  problems: string[],
): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    problems.push(`${name} must be a whole number from ${min} to ${max}, got ${JSON.stringify(raw)}`);
    return fallback;
  }
  return n;
}

/**
 * Checks what Discord needs (token, application id) and says what is missing.
 *
 * @throws {@link ConfigError}
 */
export function requireDiscord(
  config: BotConfig,
): Required<Pick<BotConfig, 'discordToken' | 'discordAppId'>> {
  const missing = [
    config.discordToken ? undefined : 'DISCORD_TOKEN',
    config.discordAppId ? undefined : 'DISCORD_APP_ID',
  ].filter(Boolean);
  if (missing.length > 0) {
    throw new ConfigError(`Missing ${missing.join(' and ')}: set it in the environment or in .env`);
  }
  return { discordToken: config.discordToken!, discordAppId: config.discordAppId! };
}
