import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisState } from '../src/state/redis-state.js';
import { SqliteState } from '../src/state/sqlite-state.js';
import { BotProcess, cleanEnv, httpMain } from './support/bot-process.js';
import { gameStore } from './support/game-store.js';
import { discordHeaders, ed25519Pair, post } from './support/http-signing.js';
import { hasRedisServer, RedisServer } from './support/redis-server.js';

const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));

describe.skipIf(!existsSync(main))(
  'local chat: one channel that lasts from one `pnpm start` to the next',
  () => {
    it('a game started in one session goes on in the next', async () => {
      const { path } = gameStore();
      const chat = (input: string) =>
        spawnSync(process.execPath, [main], {
          input,
          encoding: 'utf8',
          env: cleanEnv({ WORDVEC_STORE: path }),
          timeout: 30_000,
        });
      const first = chat('/guess pizza\n/game start easy\n/game start\n');
      expect(first.stderr).toBe('');
      const blocks = first.stdout.trim().split('\n\n');
      expect(blocks[0]).toMatch(/No game is running in this channel/);
      expect(blocks[1]).toMatch(/^New game \(easy\): guess the secret word/);
      expect(blocks[2]).toMatch(/A game is already running here/);
      // The state file lives beside the store.
      const state = SqliteState.open(join(dirname(path), 'bot-state.db'));
      const game = (await state.currentGame('local'))!;
      await state.close();
      expect(game.difficulty).toBe('easy');

      const second = chat(`/guess pizza\n/game status\n/guess ${game.secret.toUpperCase()}\n`);
      expect(second.stderr).toBe('');
      const [guess, status, win] = second.stdout.trim().split('\n\n');
      expect(guess).toMatch(/^#1 “pizza”: (rank \d+ of 1,000|cold)/);
      expect(status).toMatch(/Game in progress\n.*\n {2}1 guess, 0 hints/);
      expect(win).toMatch(new RegExp(`found it: “${game.secret}”\\n {2}Found with guess #2`));
    });
  },
);

describe.skipIf(!existsSync(httpMain) || !hasRedisServer)(
  hasRedisServer
    ? 'two `pnpm start:http` replicas on one real Redis'
    : 'two replicas on Redis: SKIPPED, redis-server is not installed (apt-get install -y redis-server)',
  () => {
    const redis = new RedisServer();
    const keys = ed25519Pair();
    let store = '';
    let a: BotProcess;
    let b: BotProcess;
    let state: RedisState;
    const channel = '900000000000000001';

    beforeAll(async () => {
      await redis.start();
      store = gameStore().path;
      const env = {
        WORDVEC_STORE: store,
        REDIS_URL: redis.url,
        DISCORD_PUBLIC_KEY: keys.publicHex,
        DISCORD_API_BASE: 'http://127.0.0.1:9',
        WORDVEC_RATE_LIMIT: '6',
        WORDVEC_RATE_WINDOW: '600',
      };
      [a, b] = await Promise.all([
        new BotProcess(env, keys.privateKey).start(),
        new BotProcess(env, keys.privateKey).start(),
      ]);
      state = await RedisState.connect(redis.url);
    });
    afterAll(async () => {
      await state?.close();
      await a?.kill();
      await b?.kill();
      await redis.dispose();
    });

    it('share one game, one score sheet and one rate limit; a killed replica restarts into the same game; Redis down and back', async () => {
      const started = await a.command('game', { difficulty: 'easy' }, '11', channel, 'start');
      expect(started.title).toMatch(/New game \(easy\)/);
      const other = await b.command('game', {}, '12', channel, 'start');
      expect(other.title).toMatch(/A game is already running here/);
      expect(other.ephemeral).toBe(true);
      const game = (await state.currentGame(`discord:${channel}`))!;
      // The secret is random, so its neighbours may hold "pizza", "café" or "pizzas": leave those out so
      // that every guess below is new (the ninth, after the kill, comes from the same pool).
      const pool = (await state.neighbours(`discord:${channel}`, game.id)).filter(
        (w) => !['pizza', 'café', 'pizzas'].includes(w),
      );
      const words = ['pizza', 'café', ...pool.slice(0, 6)];

      // Alternate replicas and users; numbering is one sequence.
      for (const [i, w] of words.entries()) {
        const bot = i % 2 === 0 ? a : b;
        const r = await bot.command('guess', { word: w }, String(20 + (i % 4)), channel);
        expect(r.title).toMatch(new RegExp(`^\\\\?#${i + 1} “${w}”`));
      }
      const dup = await b.command('guess', { word: 'pizza' }, '30', channel);
      expect(dup.title).toMatch(/“pizza” was already guessed/);
      expect(dup.text).toMatch(/user20 guessed it as \\?#1/);
      const top = await a.command('game', {}, '31', channel, 'top');
      expect(top.text).toMatch(/1\. \\?#3 /);

      // A signed interaction replayed to the other replica is recognised there too (shared replay keys).
      const body = JSON.stringify({
        id: '77000000000000001',
        type: 2,
        token: 'tok-replay',
        channel_id: channel,
        member: { user: { id: '50' } },
        data: { name: 'game', options: [{ name: 'status', type: 1, options: [] }] },
      });
      const headers = {
        'content-type': 'application/json',
        ...discordHeaders(keys.privateKey, body, Math.floor(Date.now() / 1000)),
      };
      expect((await post(`http://127.0.0.1:${a.port}/discord/interactions`, body, headers)).status).toBe(200);
      const replayed = await post(`http://127.0.0.1:${b.port}/discord/interactions`, body, headers);
      expect(replayed).toMatchObject({ status: 409, json: { error: 'interaction already received' } });

      // One rate limit across replicas: 6 commands in the window, whichever replica answers. User 50
      // spent one on the request above; its replay counted none.
      const spam = [];
      for (let i = 0; i < 6; i++)
        spam.push(await (i % 2 ? a : b).command('game', {}, '50', channel, 'status'));
      expect(spam.slice(0, 5).map((r) => r.title)).toEqual(Array(5).fill('Game in progress'));
      expect(spam[5].title).toBe('Slow down a little');

      // Kill a replica mid-game: the other goes on, the restarted one too.
      await a.kill();
      expect((await b.command('guess', { word: pool[6] }, '40', channel)).title).toMatch(/#9 /);
      await a.start();
      expect((await a.command('game', {}, '41', channel, 'status')).text).toMatch(/9 guesses, 0 hints/);

      // Redis unreachable: a clear reply, nothing recorded; back: the game goes on where it was.
      await redis.stop();
      const down = await a.command('guess', { word: 'king' }, '42', channel);
      expect(down.status).toBe(200);
      expect(down.title).toBe('Game state unreachable');
      expect(down.text).toMatch(/nothing was recorded\. Try again in a moment/);
      expect(down.ephemeral).toBe(true);
      // The vector commands still answer from the read-only store (rate limit skipped, logged).
      expect((await b.command('similar', { word: 'pizza' }, '43', channel)).title).toMatch(
        /Words similar to/,
      );
      await redis.start();
      let back = down;
      for (let i = 0; i < 100 && back.title === 'Game state unreachable'; i++) {
        await new Promise((r) => setTimeout(r, 100));
        back = await a.command('guess', { word: game.secret.toUpperCase() }, '42', channel);
      }
      expect(back.title).toMatch(new RegExp(`user42 found it: “${game.secret}”`));
      expect(back.text).toMatch(/Found with guess \\?#10/);
      const all = await state.guesses(`discord:${channel}`, game.id);
      expect(all.map((g) => g.n)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      expect(all.some((g) => g.word === 'king')).toBe(false);
      expect(a.stdout).toMatch(/"msg":"command failed".*StateUnavailableError|Redis is unreachable/);
    });
  },
);
