import { isIP } from 'node:net';
import { type BotConfig, ConfigError, loadConfig } from '../core/config.js';
import { discordPublicKey } from './discord-signature.js';
import { DEFAULT_HTTP_LIMITS, type HttpLimits } from './http-server.js';

/**
 * Default `HOST`: loopback only. Discord and Slack call `https://` URLs, so something in front
 * terminates TLS; on the same machine (a reverse proxy, a tunnel) it reaches 127.0.0.1, and
 * nothing else can reach the plain-HTTP port. A container, whose proxy is outside it, sets
 * `HOST=0.0.0.0` (or `::`) on purpose.
 */
export const DEFAULT_HOST = '127.0.0.1';

/** What `pnpm start:http` needs on top of the bot's {@link BotConfig} (store, model, rate limit). */
export interface HttpConfig extends BotConfig {
  port: number;
  /** Address to listen on: an IPv4 or IPv6 literal or `localhost` (`HOST`, default {@link DEFAULT_HOST}). */
  host: string;
  /** `WORDVEC_HTTP_REQUEST_TIMEOUT`, `WORDVEC_HTTP_MAX_CONNECTIONS`, `WORDVEC_HTTP_STOP_TIMEOUT`. */
  limits: HttpLimits;
  /** Both set: the Discord interactions endpoint is served. */
  discord?: { publicKey: string; appId: string };
  /** Both set: Slack slash commands are served. */
  slack?: { signingSecret: string; botToken: string; apiUrl?: string };
  /** The web explorer at `GET /` and `/api/…` (`WORDVEC_WEB`, default on; `0` switches it off). */
  web: boolean;
  /** Rate-limit web clients by the first `X-Forwarded-For` address (`WORDVEC_TRUST_PROXY=1`, behind a proxy). */
  trustProxy: boolean;
}

/**
 * Reads the HTTP transports' configuration: `PORT` (default 3000), `HOST` (default 127.0.0.1), the
 * server limits (`WORDVEC_HTTP_REQUEST_TIMEOUT` and `WORDVEC_HTTP_STOP_TIMEOUT` in seconds,
 * `WORDVEC_HTTP_MAX_CONNECTIONS`), `DISCORD_PUBLIC_KEY` with
 * `DISCORD_APP_ID`, `SLACK_SIGNING_SECRET` with `SLACK_BOT_TOKEN` and optional `SLACK_API_URL`,
 * `WORDVEC_WEB` (the web explorer, default on) and `WORDVEC_TRUST_PROXY`, plus everything
 * {@link loadConfig} reads. Either transport may be configured alone, or none when the web explorer
 * is on; half a transport (a public key without an application id…) is an error, and so is nothing
 * at all to serve.
 *
 * @throws {@link ConfigError} listing every problem; messages name variables, never secret values.
 * @example
 * ```ts
 * const config = loadHttpConfig({ DISCORD_PUBLIC_KEY: hex, DISCORD_APP_ID: '1234567890123456789' });
 * config.discord?.appId; // '1234567890123456789'
 * ```
 */
export function loadHttpConfig(env: NodeJS.ProcessEnv = process.env): HttpConfig {
  const problems: string[] = [];
  let base: BotConfig | undefined;
  try {
    base = loadConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(...error.message.split('\n  - ').slice(1));
  }
  const text = (name: string) => {
    const v = env[name]?.trim();
    return v === '' ? undefined : v;
  };

  const portRaw = text('PORT');
  const port = portRaw === undefined ? 3000 : Number(portRaw);
  if (!/^\d{1,5}$/.test(portRaw ?? '3000') || port > 65_535) {
    problems.push(`PORT must be a whole number from 0 to 65535, got ${JSON.stringify(portRaw)}`);
  }

  const host = text('HOST') ?? DEFAULT_HOST;
  if (host !== 'localhost' && isIP(host) === 0) {
    problems.push(
      `HOST must be an IP address to listen on (127.0.0.1 loopback only, 0.0.0.0 or :: every interface) or localhost, got ${JSON.stringify(host)}`,
    );
  }
  const limit = (name: string, fallback: number, min: number, max: number, unit: 'seconds' | 'count') => {
    const raw = text(name);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    const ok = unit === 'seconds' ? /^\d+(\.\d+)?$/.test(raw) : /^\d+$/.test(raw);
    if (!ok || n < min || n > max) {
      problems.push(
        `${name} must be ${unit === 'seconds' ? 'a number of seconds' : 'a whole number'} from ${min} to ${max}, got ${JSON.stringify(raw)}`,
      );
      return fallback;
    }
    return unit === 'seconds' ? Math.round(n * 1000) : n;
  };
  const limits: HttpLimits = {
    requestTimeoutMs: limit(
      'WORDVEC_HTTP_REQUEST_TIMEOUT',
      DEFAULT_HTTP_LIMITS.requestTimeoutMs,
      0.1,
      300,
      'seconds',
    ),
    maxConnections: limit(
      'WORDVEC_HTTP_MAX_CONNECTIONS',
      DEFAULT_HTTP_LIMITS.maxConnections,
      1,
      100_000,
      'count',
    ),
    stopTimeoutMs: limit('WORDVEC_HTTP_STOP_TIMEOUT', DEFAULT_HTTP_LIMITS.stopTimeoutMs, 0, 600, 'seconds'),
  };

  const publicKey = text('DISCORD_PUBLIC_KEY');
  const appId = text('DISCORD_APP_ID');
  if (publicKey !== undefined) {
    try {
      discordPublicKey(publicKey);
    } catch (error) {
      // A public key is not a secret, but its length is all that is needed to spot a mix-up.
      problems.push(
        `DISCORD_PUBLIC_KEY ${(error as Error).message}; copy "Public Key" from the developer portal's General Information page`,
      );
    }
    if (appId === undefined)
      problems.push('DISCORD_PUBLIC_KEY is set but DISCORD_APP_ID is not; set both for Discord');
  }

  const signingSecret = text('SLACK_SIGNING_SECRET');
  const botToken = text('SLACK_BOT_TOKEN');
  const apiUrl = text('SLACK_API_URL');
  if (signingSecret !== undefined && !/^[0-9a-f]{16,128}$/i.test(signingSecret)) {
    problems.push(
      `SLACK_SIGNING_SECRET must be the hexadecimal signing secret from the app's Basic Information page (${signingSecret.length} characters given)`,
    );
  }
  if (botToken !== undefined && !/^xox[bp]-[\w-]+$/.test(botToken)) {
    problems.push(
      `SLACK_BOT_TOKEN must be a bot token starting with xoxb- (${botToken.length} characters given)`,
    );
  }
  if ((signingSecret === undefined) !== (botToken === undefined)) {
    problems.push(
      `${signingSecret === undefined ? 'SLACK_BOT_TOKEN' : 'SLACK_SIGNING_SECRET'} is set but ${signingSecret === undefined ? 'SLACK_SIGNING_SECRET' : 'SLACK_BOT_TOKEN'} is not; set both for Slack`,
    );
  }
  if (apiUrl !== undefined) {
    try {
      const u = new URL(apiUrl);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('protocol');
    } catch {
      problems.push(`SLACK_API_URL must be an http(s) URL, got ${JSON.stringify(apiUrl)}`);
    }
  }
  const flag = (name: string, fallback: boolean) => {
    const raw = text(name);
    if (raw === undefined) return fallback;
    if (/^(1|true|yes|on)$/i.test(raw)) return true;
    if (/^(0|false|no|off)$/i.test(raw)) return false;
    problems.push(
      `${name} must be 1 or 0 (true/false, yes/no, on/off), got ${JSON.stringify(raw.slice(0, 40))}`,
    );
    return fallback;
  };
  const web = flag('WORDVEC_WEB', true);
  const trustProxy = flag('WORDVEC_TRUST_PROXY', false);
  if (!web && publicKey === undefined && signingSecret === undefined && botToken === undefined) {
    problems.push(
      'nothing to serve: WORDVEC_WEB is 0 and no transport is configured; set DISCORD_PUBLIC_KEY and DISCORD_APP_ID (Discord), or SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN (Slack), or leave the web explorer on',
    );
  }
  if (problems.length > 0 || !base)
    throw new ConfigError(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
  return {
    ...base,
    port,
    host,
    limits,
    discord: publicKey !== undefined && appId !== undefined ? { publicKey, appId } : undefined,
    slack:
      signingSecret !== undefined && botToken !== undefined ? { signingSecret, botToken, apiUrl } : undefined,
    web,
    trustProxy,
  };
}
