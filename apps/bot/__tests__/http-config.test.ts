import { describe, expect, it } from 'vitest';
import { ConfigError } from '../src/core/config.js';
import { loadHttpConfig } from '../src/http/http-config.js';
import { ed25519Pair } from './support/http-signing.js';

const KEY = ed25519Pair().publicHex;
const APP = '123456789012345678';
const SECRET = '0123456789abcdef0123456789abcdef';
const TOKEN = 'xoxb-1-2-abcdefghijklmnop';
const store = { WORDVEC_STORE: '/tmp/w.db' };

function problem(env: Record<string, string>): string {
  try {
    loadHttpConfig({ ...store, ...env });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('loadHttpConfig', () => {
  it('takes either transport alone, or both, with PORT defaulting to 3000', () => {
    const discord = loadHttpConfig({ ...store, DISCORD_PUBLIC_KEY: KEY, DISCORD_APP_ID: APP });
    expect(discord).toMatchObject({ port: 3000, discord: { publicKey: KEY, appId: APP }, slack: undefined });
    const slack = loadHttpConfig({
      ...store,
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_BOT_TOKEN: TOKEN,
      PORT: '8080',
    });
    expect(slack).toMatchObject({
      port: 8080,
      discord: undefined,
      slack: { signingSecret: SECRET, botToken: TOKEN },
    });
    const both = loadHttpConfig({
      ...store,
      DISCORD_PUBLIC_KEY: KEY,
      DISCORD_APP_ID: APP,
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_BOT_TOKEN: TOKEN,
      SLACK_API_URL: 'http://127.0.0.1:9/api/',
    });
    expect(both.slack?.apiUrl).toBe('http://127.0.0.1:9/api/');
    expect(both.storePath).toBe('/tmp/w.db');
  });

  it('serves the web explorer alone when no transport is configured, and refuses nothing at all', () => {
    const webOnly = loadHttpConfig({});
    expect(webOnly.web).toBe(true);
    expect(webOnly.discord).toBeUndefined();
    expect(webOnly.slack).toBeUndefined();
    expect(problem({ WORDVEC_WEB: '0' })).toContain('nothing to serve: WORDVEC_WEB is 0');
    expect(
      loadHttpConfig({ WORDVEC_WEB: 'off', SLACK_SIGNING_SECRET: SECRET, SLACK_BOT_TOKEN: TOKEN }).web,
    ).toBe(false);
    expect(problem({ WORDVEC_WEB: 'maybe' })).toContain('WORDVEC_WEB must be 1 or 0');
    expect(problem({ WORDVEC_TRUST_PROXY: '2' })).toContain('WORDVEC_TRUST_PROXY must be 1 or 0');
  });

  it('names half-configured transports', () => {
    expect(problem({ DISCORD_PUBLIC_KEY: KEY })).toContain(
      'DISCORD_PUBLIC_KEY is set but DISCORD_APP_ID is not',
    );
    expect(problem({ SLACK_SIGNING_SECRET: SECRET })).toContain(
      'SLACK_SIGNING_SECRET is set but SLACK_BOT_TOKEN is not',
    );
    expect(problem({ SLACK_BOT_TOKEN: TOKEN })).toContain(
      'SLACK_BOT_TOKEN is set but SLACK_SIGNING_SECRET is not',
    );
  });

  it('names bad values without echoing secrets', () => {
    expect(problem({ DISCORD_PUBLIC_KEY: 'abc', DISCORD_APP_ID: APP })).toContain(
      'DISCORD_PUBLIC_KEY must be 64 hexadecimal characters (32 bytes), got 3 characters',
    );
    expect(problem({ DISCORD_PUBLIC_KEY: KEY, DISCORD_APP_ID: 'my-app' })).toContain(
      'DISCORD_APP_ID must be a numeric',
    );
    const secret = 'not-a-hex-secret-but-still-secret';
    const badSecret = problem({ SLACK_SIGNING_SECRET: secret, SLACK_BOT_TOKEN: TOKEN });
    expect(badSecret).toContain('SLACK_SIGNING_SECRET must be the hexadecimal signing secret');
    expect(badSecret).not.toContain(secret);
    const token = 'xapp-1-this-is-an-app-level-token';
    const badToken = problem({ SLACK_SIGNING_SECRET: SECRET, SLACK_BOT_TOKEN: token });
    expect(badToken).toContain('SLACK_BOT_TOKEN must be a bot token starting with xoxb-');
    expect(badToken).not.toContain(token);
    expect(
      problem({ SLACK_SIGNING_SECRET: SECRET, SLACK_BOT_TOKEN: TOKEN, SLACK_API_URL: 'ftp://x' }),
    ).toContain('SLACK_API_URL must be an http(s) URL, got "ftp://x"');
    expect(problem({ DISCORD_PUBLIC_KEY: KEY, DISCORD_APP_ID: APP, PORT: '70000' })).toContain(
      'PORT must be a whole number from 0 to 65535, got "70000"',
    );
  });

  it('reports the bot settings it shares with the gateway bot alongside its own', () => {
    const message = problem({ DISCORD_PUBLIC_KEY: 'zz', DISCORD_APP_ID: APP, WORDVEC_RATE_LIMIT: '0' });
    expect(message).toContain('WORDVEC_RATE_LIMIT must be a whole number');
    expect(message).toContain('DISCORD_PUBLIC_KEY must be 64 hexadecimal characters');
  });
});
