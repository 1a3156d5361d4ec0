import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BotState,
  type GameRecord,
  type NewGuess,
  StateUnavailableError,
} from '../src/state/bot-state.js';
import { RedisState } from '../src/state/redis-state.js';
import { SqliteState } from '../src/state/sqlite-state.js';

/**
 * Replay keys' lifetime in the expiry tests: the keys must outlive the calls that follow (Redis expires them in
 * real time, and a loaded CI machine may take hundreds of ms for a few calls) and expire within the wait.
 */
const REPLAY_TTL_MS = 1500;

import { hasRedisServer, RedisServer } from './support/redis-server.js';

let gameCounter = 0;
function game(channel: string, over: Partial<GameRecord> = {}): GameRecord {
  gameCounter++;
  return {
    id: `g${gameCounter}-${Math.random().toString(36).slice(2)}`,
    channel,
    model: 'world',
    difficulty: 'easy',
    secret: 'pizza',
    seed: 7,
    startedBy: 'u1',
    startedByName: 'Ann',
    startedAt: 1_700_000_000_000 + gameCounter,
    neighbourCount: 3,
    status: 'playing',
    guessCount: 0,
    hints: 0,
    ...over,
  };
}

function guess(word: string, score: number, user = 'u1', rank: number | null = null): NewGuess {
  return { word, user, userName: user.toUpperCase(), score, rank, at: 1_700_000_000_500 };
}

/**
 * The same contract on both backends. `open()` returns a new connection to the same state each
 * call (two processes' worth), `reopen` one after the others closed.
 */
function contract(name: string, open: () => Promise<BotState>, available: () => boolean) {
  describe.skipIf(!available())(`bot state contract: ${name}`, () => {
    const opened: BotState[] = [];
    const connect = async () => {
      const s = await open();
      opened.push(s);
      return s;
    };
    afterAll(async () => {
      for (const s of opened) await s.close();
    });

    it('rate limit: `limit` hits per sliding window per key, shared by every connection', async () => {
      const [a, b] = [await connect(), await connect()];
      const key = `rate-${Math.random()}`;
      // A 60 s window: Redis also expires the hits' key that long after the last hit, in real time, so the
      // window must outlast the test on a slow machine (these `now`s are made up; the real clock runs on).
      const w = 60_000;
      expect(await a.takeRate(key, 2, w, 10_000)).toEqual({ allowed: true });
      expect(await b.takeRate(key, 2, w, 10_100)).toEqual({ allowed: true });
      expect(await a.takeRate(`${key}-other`, 2, w, 10_100)).toEqual({ allowed: true });
      expect(await b.takeRate(key, 2, w, 10_400)).toEqual({ allowed: false, retryAfterMs: 59_600 });
      // A refused hit is not counted: the first hit leaves the window at 70,000.
      expect(await a.takeRate(key, 2, w, 70_001)).toEqual({ allowed: true });
      expect(await a.takeRate(key, 2, w, 70_050)).toEqual({ allowed: false, retryAfterMs: 50 });
    });

    it('replay keys: first seen once, again after expiry', async () => {
      const [a, b] = [await connect(), await connect()];
      const key = `replay-${Math.random()}`;
      const now = Date.now();
      expect(await a.firstSeen(key, now + REPLAY_TTL_MS, now)).toBe(true);
      expect(await b.firstSeen(key, now + REPLAY_TTL_MS, now + 10)).toBe(false);
      await new Promise((r) => setTimeout(r, REPLAY_TTL_MS + 100));
      expect(await b.firstSeen(key, now + 10_000, Date.now())).toBe(true);
    });

    it('admission: a replay counts nothing; a new request takes a hit of the same limit as takeRate', async () => {
      const [a, b] = [await connect(), await connect()];
      const user = `user-${Math.random()}`;
      const rate = { key: user, limit: 2, windowMs: 60_000 };
      const now = Date.now();
      expect(await a.admit('id:1', now + REPLAY_TTL_MS, rate, now)).toEqual({
        firstSeen: true,
        rate: { allowed: true },
      });
      // Replayed to the other connection, again and again: not run, not counted.
      for (let i = 0; i < 3; i++)
        expect(await b.admit('id:1', now + REPLAY_TTL_MS, rate, now + 10)).toEqual({ firstSeen: false });
      expect(await b.takeRate(user, 2, 60_000, now + 20)).toEqual({ allowed: true });
      expect(await a.admit('id:2', now + REPLAY_TTL_MS, rate, now + 30)).toEqual({
        firstSeen: true,
        rate: { allowed: false, retryAfterMs: 59_970 },
      });
      // The same id from another user is another request; after expiry the key is new again.
      expect(
        (await a.admit('id:1', now + REPLAY_TTL_MS, { ...rate, key: `${user}-2` }, now + 40)).firstSeen,
      ).toBe(true);
      await new Promise((r) => setTimeout(r, REPLAY_TTL_MS + 100));
      expect((await b.admit('id:1', Date.now() + 10_000, rate, Date.now())).firstSeen).toBe(true);
    });

    it('an idle game: ends as expired when the channel starts another after idleMs without a guess', async () => {
      const [a, b] = [await connect(), await connect()];
      const channel = `idle-${Math.random()}`;
      const idle = 7 * 86_400_000;
      const g1 = game(channel);
      const t0 = g1.startedAt;
      expect((await a.startGame(g1, ['pasta'], idle)).started).toBe(true);
      // Idle since its start, not yet for idleMs; and without idleMs it never expires.
      expect(await b.startGame(game(channel, { startedAt: t0 + idle - 1 }), [], idle)).toMatchObject({
        started: false,
        game: { id: g1.id },
      });
      expect((await b.startGame(game(channel, { startedAt: t0 + 10 * idle }), [])).started).toBe(false);
      // A guess makes it active again: idle counts from the last guess.
      const at = t0 + idle - 10;
      await a.recordGuess(channel, g1.id, { ...guess('pasta', 0.5), at }, false);
      expect(await b.startGame(game(channel, { startedAt: at + idle - 1 }), [], idle)).toMatchObject({
        started: false,
      });
      const g2 = game(channel, { startedAt: at + idle });
      const started = await b.startGame(g2, ['king'], idle);
      expect(started).toMatchObject({
        started: true,
        game: { id: g2.id },
        expired: { id: g1.id, status: 'expired', endedAt: g2.startedAt, guessCount: 1, lastGuessAt: at },
      });
      expect((await a.currentGame(channel))?.id).toBe(g2.id);
      expect((await a.lastGame(channel))?.id).toBe(g2.id);
      expect((await a.recordGuess(channel, g1.id, guess('bread', 0.1), false)).kind).toBe('no-game');
      expect(await a.guesses(channel, g1.id)).toHaveLength(1);
    });

    it('deferred replies in flight: held by one owner, claimed once after its lease, dropped when expired', async () => {
      const [a, b] = [await connect(), await connect()];
      const t = 5_000_000;
      const reply = { id: `i-${Math.random()}`, payload: '{"command":"similar"}', expiresAtMs: t + 900_000 };
      const dead = { id: `i-${Math.random()}`, payload: '{}', expiresAtMs: t + 1000 };
      expect(await a.holdPending(reply, 'A', t + 30_000)).toBe(true);
      expect(await a.holdPending(dead, 'A', t + 500)).toBe(true);
      // The owner renews its lease; another process cannot take a reply that is held.
      expect(await a.holdPending(reply, 'A', t + 60_000)).toBe(true);
      expect(await b.holdPending(reply, 'B', t + 60_000)).toBe(false);
      expect(await b.claimPending('B', t + 59_000, 30_000, 10)).toEqual([]);
      // A stops renewing (it died): after the lease, the two claimers at once get it exactly once;
      // the reply past its token's life is dropped, not handed out.
      const [x, y] = await Promise.all([
        a.claimPending('A2', t + 60_001, 30_000, 10),
        b.claimPending('B', t + 60_001, 30_000, 10),
      ]);
      expect([...x, ...y]).toEqual([reply]);
      const winner = x.length === 1 ? 'A2' : 'B';
      const loser = winner === 'B' ? 'A' : 'B';
      expect(await a.holdPending(reply, loser, t + 70_000)).toBe(false);
      expect(await a.holdPending(reply, winner, t + 70_000)).toBe(true);
      await b.finishPending(reply.id);
      expect(await a.claimPending('C', t + 200_000, 30_000, 10)).toEqual([]);
      // A finished reply can be recorded afresh (a new deferral with the same id is a new flight).
      expect(await b.holdPending(reply, 'B', t + 200_000)).toBe(true);
      await b.finishPending(reply.id);
      expect(await a.claimPending('C', t + 300_000, 30_000, 10)).toEqual([]);
    });

    it('one game per channel; guesses numbered, duplicates and wins recorded once', async () => {
      const [a, b] = [await connect(), await connect()];
      const channel = `c-${Math.random()}`;
      expect(await a.currentGame(channel)).toBeUndefined();
      const g = game(channel);
      expect(await a.startGame(g, ['pasta', 'cheese', 'bread'])).toEqual({ started: true, game: g });
      const second = await b.startGame(game(channel, { secret: 'king' }), ['queen']);
      expect(second).toMatchObject({ started: false, game: { id: g.id, secret: 'pizza' } });
      expect(await b.neighbours(channel, g.id)).toEqual(['pasta', 'cheese', 'bread']);

      const r1 = await a.recordGuess(channel, g.id, guess('pasta', 0.9, 'u1', 1), false);
      expect(r1).toMatchObject({
        kind: 'recorded',
        guess: { n: 1, word: 'pasta', rank: 1 },
        game: { guessCount: 1 },
      });
      const r2 = await b.recordGuess(channel, g.id, guess('king', 0.1, 'u2'), false);
      expect(r2).toMatchObject({
        kind: 'recorded',
        guess: { n: 2, word: 'king', rank: null, userName: 'U2' },
      });
      const dup = await b.recordGuess(channel, g.id, guess('pasta', 0.9, 'u2', 1), false);
      expect(dup).toMatchObject({ kind: 'duplicate', guess: { n: 1, user: 'u1' }, game: { guessCount: 2 } });

      expect((await a.addHint(channel, g.id))?.hints).toBe(1);
      expect((await b.currentGame(channel))?.hints).toBe(1);

      const win = await b.recordGuess(channel, g.id, guess('pizza', 1, 'u2', 0), true);
      expect(win).toMatchObject({
        kind: 'recorded',
        guess: { n: 3 },
        game: { status: 'won', endedBy: 'u2', endedByName: 'U2', guessCount: 3, hints: 1 },
      });
      expect(await a.currentGame(channel)).toBeUndefined();
      expect(await a.lastGame(channel)).toMatchObject({ id: g.id, status: 'won', guessCount: 3 });
      const late = await a.recordGuess(channel, g.id, guess('bread', 0.5), false);
      expect(late).toMatchObject({ kind: 'no-game', last: { id: g.id, status: 'won' } });
      expect(await a.addHint(channel, g.id)).toBeUndefined();
      expect(await a.giveUp(channel, g.id, 'u1', 'U1', 5)).toBeUndefined();
      expect(await a.wins(channel, 10)).toEqual([{ user: 'u2', name: 'U2', wins: 1 }]);
      expect((await b.guesses(channel, g.id)).map((x) => [x.n, x.word])).toEqual([
        [1, 'pasta'],
        [2, 'king'],
        [3, 'pizza'],
      ]);

      // The next game starts; giving up ends it without a win.
      const g2 = game(channel);
      expect((await b.startGame(g2, [])).started).toBe(true);
      const gaveUp = await a.giveUp(channel, g2.id, 'u1', 'U1', 1234);
      expect(gaveUp).toMatchObject({ status: 'given-up', endedBy: 'u1', endedAt: 1234 });
      expect(await a.currentGame(channel)).toBeUndefined();
      expect(await a.wins(channel, 10)).toEqual([{ user: 'u2', name: 'U2', wins: 1 }]);
    });

    it('top guesses: highest cosine first, the earlier guess first on a tie', async () => {
      const s = await connect();
      const channel = `c-${Math.random()}`;
      const g = game(channel);
      await s.startGame(g, []);
      for (const [w, score] of [
        ['a', 0.2],
        ['b', 0.5],
        ['c', 0.5],
        ['d', -0.1],
        ['e', 0.9],
      ] as const)
        await s.recordGuess(channel, g.id, guess(w, score), false);
      expect((await s.topGuesses(channel, g.id, 3)).map((x) => x.word)).toEqual(['e', 'b', 'c']);
      expect((await s.topGuesses(channel, g.id, 10)).map((x) => x.word)).toEqual(['e', 'b', 'c', 'a', 'd']);
    });

    it('concurrent guesses from two connections: each recorded once, numbered 1…n without gaps', async () => {
      const [a, b] = [await connect(), await connect()];
      const channel = `c-${Math.random()}`;
      const g = game(channel);
      await a.startGame(g, []);
      const words = Array.from({ length: 60 }, (_, i) => `w${i}`);
      // Every word sent twice, once on each connection, all at once.
      const results = await Promise.all(
        words.flatMap((w, i) => [
          a.recordGuess(channel, g.id, guess(w, i / 100, 'a'), false),
          b.recordGuess(channel, g.id, guess(w, i / 100, 'b'), false),
        ]),
      );
      expect(results.filter((r) => r.kind === 'recorded')).toHaveLength(60);
      expect(results.filter((r) => r.kind === 'duplicate')).toHaveLength(60);
      const all = await b.guesses(channel, g.id);
      expect(all.map((x) => x.n)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
      expect(new Set(all.map((x) => x.word)).size).toBe(60);
      expect((await a.currentGame(channel))?.guessCount).toBe(60);
    });

    it('two concurrent starts in one channel: exactly one game', async () => {
      const [a, b] = [await connect(), await connect()];
      const channel = `c-${Math.random()}`;
      const results = await Promise.all([a.startGame(game(channel), []), b.startGame(game(channel), [])]);
      expect(results.filter((r) => r.started)).toHaveLength(1);
      expect(results[0].game.id).toBe(results[1].game.id);
    });
  });
}

const sqliteDir = mkdtempSync(join(tmpdir(), 'wordvec-state-'));
contract(
  'SQLite',
  async () => SqliteState.open(join(sqliteDir, 'bot-state.db')),
  () => true,
);

const redis = new RedisServer();
describe.skipIf(!hasRedisServer)(
  hasRedisServer
    ? 'Redis (a real redis-server)'
    : 'Redis: SKIPPED, redis-server is not installed (apt-get install -y redis-server)',
  () => {
    beforeAll(() => redis.start());
    afterAll(() => redis.dispose());
    contract(
      'Redis',
      () => RedisState.connect(redis.url),
      () => hasRedisServer,
    );

    it('unreachable: fails at once with StateUnavailableError, then reconnects with the data kept', async () => {
      const s = await RedisState.connect(redis.url, { commandTimeoutMs: 1000 });
      try {
        const channel = `c-${Math.random()}`;
        const g = game(channel);
        await s.startGame(g, ['pasta']);
        await s.recordGuess(channel, g.id, guess('king', 0.1), false);
        await redis.stop();
        const started = performance.now();
        await expect(s.recordGuess(channel, g.id, guess('queen', 0.2), false)).rejects.toBeInstanceOf(
          StateUnavailableError,
        );
        await expect(s.takeRate('k', 1, 1000, 0)).rejects.toThrow(/Redis is unreachable/);
        expect(performance.now() - started).toBeLessThan(2500);
        await redis.start();
        const deadline = Date.now() + 10_000;
        while (!s.connected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
        expect(s.connected).toBe(true);
        // The refused guess was not recorded; the one before survived the restart.
        const r = await s.recordGuess(channel, g.id, guess('queen', 0.2), false);
        expect(r).toMatchObject({ kind: 'recorded', guess: { n: 2 } });
        expect((await s.guesses(channel, g.id)).map((x) => x.word)).toEqual(['king', 'queen']);
      } finally {
        await s.close();
      }
    });

    it('refuses to start when Redis is not there, naming host and port, never the password', async () => {
      const err = await RedisState.connect('redis://user:s3cret@127.0.0.1:1', {
        connectTimeoutMs: 500,
      }).catch((e) => e);
      expect(err).toBeInstanceOf(StateUnavailableError);
      expect(err.message).toMatch(/cannot reach Redis at 127\.0\.0\.1:1/);
      expect(err.message).not.toContain('s3cret');
    });
  },
);

describe('SQLite state file', () => {
  it('survives a restart and refuses a file from a newer schema', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'wordvec-state-')), 'nested', 'bot-state.db');
    const s = SqliteState.open(path);
    const g = game('c');
    await s.startGame(g, ['pasta']);
    await s.recordGuess('c', g.id, guess('king', 0.1), false);
    await s.close();
    const again = SqliteState.open(path);
    expect(await again.currentGame('c')).toMatchObject({ id: g.id, guessCount: 1 });
    await again.close();
    const Database = (await import('better-sqlite3')).default;
    const db = new Database(path);
    db.pragma('user_version = 99');
    db.close();
    expect(() => SqliteState.open(path)).toThrow(/newer version \(schema 99/);
  });

  it('checkpoints on its worker thread: commits reach the database file with no commit checkpointing inline', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wordvec-state-'));
    const path = join(dir, 'bot-state.db');
    const s = SqliteState.open(path);
    const g = game('c');
    try {
      await s.startGame(g, ['pasta']);
      // A few hundred WAL pages: far below the inline back-stop, so only the worker can have copied them.
      for (let i = 0; i < 40; i++) await s.recordGuess('c', g.id, guess(`w${i}`, i / 100), false);
      const Database = (await import('better-sqlite3')).default;
      // The database file alone (no log beside it): what the checkpoints have copied into it.
      const copied = async () => {
        const copy = join(dir, `copy-${Math.random()}.db`);
        copyFileSync(path, copy);
        const db = new Database(copy);
        try {
          const table = db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'guesses'").get();
          if (!table) return 0;
          return (
            db.prepare('SELECT count(*) AS n FROM guesses WHERE game_id = ?').get(g.id) as { n: number }
          ).n;
        } finally {
          db.close();
        }
      };
      // Rounds are a second apart; a loaded CI machine may delay one by several.
      const deadline = Date.now() + 20_000;
      while ((await copied()) < 40 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(await copied()).toBe(40);
    } finally {
      await s.close();
    }
    // Closed cleanly: reopened, every guess is there.
    const again = SqliteState.open(path);
    expect((await again.guesses('c', g.id)).map((x) => x.word)).toHaveLength(40);
    await again.close();
  });

  it('two processes opening a new file at once: both start, the schema made once', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'wordvec-state-')), 'bot-state.db');
    const Database = (await import('better-sqlite3')).default;
    const holder = new Database(path);
    holder.pragma('journal_mode = WAL');
    // Held until both have read the (still empty) schema version and queue for the write lock.
    holder.exec('BEGIN IMMEDIATE');
    const dist = fileURLToPath(new URL('../dist/state/sqlite-state.js', import.meta.url));
    const script = `import { SqliteState } from ${JSON.stringify(dist)};
      process.stdout.write('opening\\n');
      const s = SqliteState.open(process.env.STATE_PATH);
      await s.close();`;
    let opening = 0;
    let ready: () => void = () => {};
    const bothOpening = new Promise<void>((resolve) => {
      ready = resolve;
    });
    const opened = [0, 1].map(
      () =>
        new Promise<{ code: number | null; stderr: string }>((resolve) => {
          const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
            env: { ...process.env, STATE_PATH: path },
            stdio: ['ignore', 'pipe', 'pipe'],
          });
          let stderr = '';
          child.stderr.on('data', (c) => {
            stderr += c;
          });
          child.stdout.on('data', () => {
            if (++opening === 2) ready();
          });
          child.on('exit', (code) => resolve({ code, stderr }));
        }),
    );
    await bothOpening;
    await new Promise((r) => setTimeout(r, 300));
    holder.exec('COMMIT');
    holder.close();
    expect(await Promise.all(opened)).toEqual([
      { code: 0, stderr: '' },
      { code: 0, stderr: '' },
    ]);
    const again = SqliteState.open(path);
    expect(await again.currentGame('c')).toBeUndefined();
    await again.close();
  });
});
