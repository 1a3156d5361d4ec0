import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, loadDotEnv, requireDiscord } from '../src/core/config.js';
import { escapeChat } from '../src/core/escape.js';
import { createLogger } from '../src/core/logger.js';
import { RateLimiter } from '../src/core/rate-limiter.js';
import { CommandRunner } from '../src/core/runner.js';
import { worldCatalog } from './support/memory-catalog.js';

describe('RateLimiter', () => {
  it('allows `limit` commands per window per user, then says when to retry', async () => {
    let t = 0;
    const rl = new RateLimiter({ limit: 2, windowMs: 1000, now: () => t });
    expect((await rl.take('a')).allowed).toBe(true);
    t = 100;
    expect((await rl.take('a')).allowed).toBe(true);
    expect((await rl.take('b')).allowed).toBe(true);
    t = 400;
    expect(await rl.take('a')).toEqual({ allowed: false, retryAfterMs: 600 });
    t = 1001;
    expect((await rl.take('a')).allowed).toBe(true);
  });

  it('makes the runner answer with an ephemeral notice', async () => {
    let t = 0;
    const r = new CommandRunner({
      catalog: worldCatalog(),
      limiter: new RateLimiter({ limit: 1, windowMs: 10_000, now: () => t }),
    });
    expect((await r.run({ command: 'models', options: {}, user: 'u' })).error).toBeFalsy();
    t = 2500;
    const notice = await r.run({ command: 'models', options: {}, user: 'u' });
    expect(notice).toMatchObject({ ephemeral: true, title: 'Slow down a little' });
    expect(notice.lines[0]).toMatch(/Try again in 8 seconds/);
  });
});

describe('escapeChat', () => {
  it('defuses mentions and markdown', () => {
    const out = escapeChat('@everyone **bold** <@123> `x` [a](http://e)');
    expect(out).not.toMatch(/@everyone|<@123>/);
    expect(out).toBe('@\u200beveryone \\*\\*bold\\*\\* <\u200b@\u200b123\\> \\`x\\` \\[a\\](http://e)');
  });
});

describe('loadConfig', () => {
  it('applies defaults and resolves the store path', () => {
    const c = loadConfig({ WORDVEC_STORE: '/tmp/x.db' });
    expect(c).toMatchObject({
      discordToken: undefined,
      storePath: '/tmp/x.db',
      rateLimit: 5,
      rateWindowMs: 10_000,
      gameIdleMs: 7 * 86_400_000,
    });
    expect(loadConfig({ WORDVEC_GAME_IDLE_DAYS: '2' }).gameIdleMs).toBe(2 * 86_400_000);
    expect(c.discordApiBase).toBe('https://discord.com/api');
  });

  it('names every bad variable and never echoes the token', () => {
    const token = 'abc def-secret-token-value';
    let message = '';
    try {
      loadConfig({
        DISCORD_TOKEN: token,
        DISCORD_APP_ID: 'app',
        WORDVEC_RATE_LIMIT: '0',
        WORDVEC_GAME_IDLE_DAYS: '0',
        DISCORD_API_BASE: 'ftp://x',
      });
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      message = (e as Error).message;
    }
    expect(message).toMatch(/DISCORD_TOKEN contains whitespace/);
    expect(message).toMatch(/DISCORD_APP_ID must be a numeric application id.*"app"/);
    expect(message).toMatch(/WORDVEC_RATE_LIMIT must be a whole number from 1 to 10000, got "0"/);
    expect(message).toMatch(/WORDVEC_GAME_IDLE_DAYS must be a whole number from 1 to 365, got "0"/);
    expect(message).toMatch(/DISCORD_API_BASE must be an http\(s\) URL/);
    expect(message).not.toContain('secret');
    expect(() => requireDiscord(loadConfig({ DISCORD_TOKEN: 't' }))).toThrow(/Missing DISCORD_APP_ID/);
  });
});

describe('loadDotEnv', () => {
  it('reads .env into the environment without overriding what is already set', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wordvec-env-'));
    writeFileSync(join(dir, '.env'), 'WORDVEC_TEST_FROM_FILE=file\nWORDVEC_TEST_PRESET=file\n');
    process.env.WORDVEC_TEST_PRESET = 'env';
    try {
      expect(loadDotEnv([dir])).toEqual([join(dir, '.env')]);
      expect(process.env.WORDVEC_TEST_FROM_FILE).toBe('file');
      expect(process.env.WORDVEC_TEST_PRESET).toBe('env');
    } finally {
      delete process.env.WORDVEC_TEST_FROM_FILE;
      delete process.env.WORDVEC_TEST_PRESET;
    }
  });
});

describe('logger', () => {
  it('writes JSON lines and redacts secrets', () => {
    const lines: string[] = [];
    const log = createLogger({ write: (l) => lines.push(l), secrets: ['TOKEN.secret.123'] });
    log.info('command', { requestId: 'r1', error: new Error('bad TOKEN.secret.123') });
    const parsed = JSON.parse(lines[0]);
    expect(parsed).toMatchObject({ level: 'info', msg: 'command', requestId: 'r1' });
    expect(lines[0]).not.toContain('TOKEN.secret.123');
    expect(lines[0]).toContain('[redacted]');
  });

  it('logs one line per command with request id, command, latency and outcome', async () => {
    const lines: string[] = [];
    const r = new CommandRunner({
      catalog: worldCatalog(),
      logger: createLogger({ write: (l) => lines.push(l) }),
    });
    await r.run({ command: 'similar', options: { word: 'nope' }, user: 'u', requestId: 'req-7' });
    expect(JSON.parse(lines[0])).toMatchObject({
      requestId: 'req-7',
      command: 'similar',
      outcome: 'user-error',
    });
    expect(typeof JSON.parse(lines[0]).latencyMs).toBe('number');
  });
});

describe('unexpected failures', () => {
  it('answer with a generic ephemeral reply carrying the request id, and log the details', async () => {
    const catalog = worldCatalog();
    const failing = Object.assign(new Error('SQLITE_CORRUPT in /srv/secret/path/wordvec.db'), {
      name: 'StoreError',
      code: 'SQLITE',
    });
    catalog.model = () => {
      throw failing;
    };
    const lines: string[] = [];
    const r = new CommandRunner({ catalog, logger: createLogger({ write: (l) => lines.push(l) }) });
    const reply = await r.run({
      command: 'similar',
      options: { word: 'cat' },
      user: 'u',
      requestId: 'req-9',
    });
    expect(reply).toMatchObject({ error: true, ephemeral: true, title: 'Something went wrong' });
    expect(reply.lines.join(' ')).toContain('req-9');
    expect(JSON.stringify(reply)).not.toContain('/srv/secret');
    const logged = lines.map((l) => JSON.parse(l));
    expect(logged[0]).toMatchObject({
      level: 'error',
      requestId: 'req-9',
      error: { message: failing.message },
    });
    expect(logged[1]).toMatchObject({ msg: 'command', outcome: 'error' });
  });
});

describe('loadConfig: the bot state', () => {
  it('keeps the state beside the store unless WORDVEC_STATE says otherwise, and checks REDIS_URL', () => {
    expect(loadConfig({ WORDVEC_STORE: '/tmp/s/w.db' })).toMatchObject({
      statePath: '/tmp/s/bot-state.db',
      redisUrl: undefined,
    });
    expect(loadConfig({ WORDVEC_STORE: '/tmp/s/w.db', WORDVEC_STATE: '/var/b.db' }).statePath).toBe(
      '/var/b.db',
    );
    expect(() => loadConfig({ WORDVEC_STORE: '/tmp/w.db', WORDVEC_STATE: '/tmp/w.db' })).toThrow(
      /WORDVEC_STATE must be a file of its own/,
    );
    expect(loadConfig({ REDIS_URL: 'redis://:pw@10.0.0.5:6380/2' }).redisUrl).toBe(
      'redis://:pw@10.0.0.5:6380/2',
    );
    const bad = () => loadConfig({ REDIS_URL: 'http://:hunter2@x' });
    expect(bad).toThrow(/REDIS_URL must look like redis:\/\//);
    expect(bad).toThrow(expect.objectContaining({ message: expect.not.stringContaining('hunter2') }));
  });
});
