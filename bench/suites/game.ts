/**
 * `pnpm bench game`: the word game under load (issue 16). Two `pnpm start:http` replicas
 * (apps/bot `dist/http-main.js`, each its own process on 127.0.0.1) share one state: a real
 * redis-server on a random loopback port, then one SQLite state file on this host. An open-loop
 * generator sends 200 signed `/guess` interactions a second for 30 s into one channel's game,
 * alternating replicas, each guess a different vocabulary word from a different user. Afterwards
 * the state is read back: every guess answered as recorded must be there exactly once, numbered
 * 1…n without gaps (0 lost, 0 doubled), and the reply p99 must be ≤ 50 ms. The generator posts
 * with `node:http` over kept-alive connections, not `fetch` (which keeps connections too, but costs
 * more per request): on two cores the client's own work competes with the replicas it measures.
 * Also the cost of one guess in process: scoring against the secret's top 1,000 (cosine + rank
 * look-up) and the state's atomic record on each backend. There is no peer: no other program plays this game on these
 * vectors (Semantle clones call a hosted API), so the table has no peer column.
 * `WORDVEC_BENCH_QUICK=1` runs 5 s per backend instead of 30 s.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VectorStore } from '@wordvec/vector-store';
import { BotProcess } from '../../apps/bot/__tests__/support/bot-process.js';
import { ed25519Pair } from '../../apps/bot/__tests__/support/http-signing.js';
import { RedisServer } from '../../apps/bot/__tests__/support/redis-server.js';
import type { BotState } from '../../apps/bot/src/state/bot-state.js';
import { RedisState } from '../../apps/bot/src/state/redis-state.js';
import { SqliteState } from '../../apps/bot/src/state/sqlite-state.js';
import { CACHE_DIR, syntheticGloveFile, syntheticWord } from '../synthetic.js';
import { type BenchRow, percentile, printTable } from '../table.js';

const ROWS = 100_000;
const DIM = 50;
const RATE = 200;
const SECONDS = process.env.WORDVEC_BENCH_QUICK ? 5 : 30;
const CHANNEL = '900000000000000777';

async function prepareStore(): Promise<string> {
  const path = `${CACHE_DIR}game-${ROWS}x${DIM}.db`;
  if (existsSync(path)) return path;
  const glove = await syntheticGloveFile(ROWS, DIM);
  const tmp = `${path}.tmp`;
  rmSync(tmp, { force: true });
  const store = VectorStore.open(tmp);
  await store.importFile(glove, { name: 'synthetic' });
  store.close();
  renameSync(tmp, path);
  return path;
}

interface LoadResult {
  sent: number;
  recordedReplies: number;
  otherReplies: Map<string, number>;
  latencies: number[];
  stored: number;
  lost: number;
  doubled: number;
  gaps: boolean;
}

/** Two replicas on `env`'s state; one game; RATE guesses/s for SECONDS; the state read back. */
async function load(env: Record<string, string>, open: () => Promise<BotState>): Promise<LoadResult> {
  const keys = ed25519Pair();
  const full = { ...env, DISCORD_PUBLIC_KEY: keys.publicHex, DISCORD_API_BASE: 'http://127.0.0.1:9' };
  // The generator's client: node:http over kept-alive connections (as Discord's servers keep theirs),
  // not fetch, whose own work per request would compete with the replicas for the two cores.
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const bots = await Promise.all([
    new BotProcess(full, keys.privateKey, agent).start(),
    new BotProcess(full, keys.privateKey, agent).start(),
  ]);
  const state = await open();
  try {
    const started = await bots[0].command('game', { difficulty: 'easy' }, '1', CHANNEL, 'start');
    if (!/New game/.test(started.title)) throw new Error(`game did not start: ${started.title}`);
    const game = (await state.currentGame(`discord:${CHANNEL}`))!;
    // Warm both replicas (model matrix, neighbour ranks) before the clock starts.
    await bots[1].command('guess', { word: syntheticWord(ROWS - 1) }, '2', CHANNEL);
    await bots[0].command('guess', { word: syntheticWord(ROWS - 2) }, '3', CHANNEL);
    const total = RATE * SECONDS;
    const words: string[] = [];
    for (let i = 10; words.length < total; i++)
      if (syntheticWord(i) !== game.secret) words.push(syntheticWord(i));
    const latencies: number[] = [];
    const otherReplies = new Map<string, number>();
    const recordedWords: string[] = [];
    const inFlight: Promise<void>[] = [];
    const t0 = performance.now();
    for (let i = 0; i < total; i++) {
      const due = t0 + (i * 1000) / RATE;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const word = words[i];
      const sentAt = performance.now();
      inFlight.push(
        bots[i % 2].command('guess', { word }, String(1_000_000 + i), CHANNEL).then(
          (r) => {
            latencies.push(performance.now() - sentAt);
            if (r.status === 200 && /^\\?#\d+ /.test(r.title)) recordedWords.push(word);
            else
              otherReplies.set(
                `${r.status} ${r.title}`,
                (otherReplies.get(`${r.status} ${r.title}`) ?? 0) + 1,
              );
          },
          (error: Error) => {
            latencies.push(performance.now() - sentAt);
            otherReplies.set(`error ${error.message}`, (otherReplies.get(`error ${error.message}`) ?? 0) + 1);
          },
        ),
      );
    }
    await Promise.all(inFlight);
    const stored = await state.guesses(`discord:${CHANNEL}`, game.id);
    const storedWords = new Map<string, number>();
    for (const g of stored) storedWords.set(g.word, (storedWords.get(g.word) ?? 0) + 1);
    return {
      sent: total,
      recordedReplies: recordedWords.length,
      otherReplies,
      latencies: latencies.sort((a, b) => a - b),
      stored: stored.length - 2,
      lost: recordedWords.filter((w) => !storedWords.has(w)).length,
      doubled: [...storedWords.values()].filter((n) => n > 1).length,
      gaps: stored.some((g, i) => g.n !== i + 1),
    };
  } finally {
    await state.close();
    for (const b of bots) await b.kill();
    agent.destroy();
  }
}

/** In process: one guess's scoring (cosine to the secret + rank among its top 1,000) and the state's atomic record. */
async function guessCost(storePath: string, states: [string, BotState][]): Promise<BenchRow[]> {
  const store = VectorStore.open(storePath, { readonly: true });
  const model = store.model('synthetic');
  await model.load();
  const secret = syntheticWord(500);
  let t = performance.now();
  const neighbours = model.mostSimilar({ positive: [secret], topn: 1000 });
  const topMs = performance.now() - t;
  const ranks = new Map(neighbours.map((n, i) => [n.word, i + 1]));
  const N = 20_000;
  let sink = 0;
  t = performance.now();
  for (let i = 0; i < N; i++) {
    const w = syntheticWord(1000 + i);
    sink += model.similarity(secret, w) + (ranks.get(w) ?? 0);
  }
  const scoreUs = ((performance.now() - t) * 1000) / N;
  if (Number.isNaN(sink)) throw new Error('NaN score');
  store.close();
  const rows: BenchRow[] = [
    {
      metric: `start: the secret's top 1,000 (mostSimilar, ${ROWS.toLocaleString('en-US')} × ${DIM})`,
      ours: topMs,
      unit: 'ms',
    },
    { metric: 'one guess scored (cosine + rank look-up)', ours: scoreUs, unit: 'µs' },
  ];
  for (const [name, state] of states) {
    const channel = `cost-${Date.now()}`;
    const game = {
      id: `cost${Math.random().toString(36).slice(2)}`,
      channel,
      model: 'synthetic',
      difficulty: 'easy' as const,
      secret,
      seed: 1,
      startedBy: 'b',
      startedByName: 'b',
      startedAt: Date.now(),
      neighbourCount: 1000,
      status: 'playing' as const,
      guessCount: 0,
      hints: 0,
    };
    await state.startGame(
      game,
      neighbours.map((n) => n.word),
    );
    const M = 2000;
    const times: number[] = [];
    for (let i = 0; i < M; i++) {
      const s = performance.now();
      await state.recordGuess(
        channel,
        game.id,
        { word: `w${i}`, user: 'u', userName: 'u', score: 0.5, rank: null, at: Date.now() },
        false,
      );
      times.push(performance.now() - s);
    }
    times.sort((a, b) => a - b);
    rows.push({
      metric: `one guess recorded (${name}, atomic): p50`,
      ours: percentile(times, 50) * 1000,
      unit: 'µs',
    });
    await state.close();
  }
  return rows;
}

export async function run(): Promise<void> {
  if (spawnSync('redis-server', ['--version']).status !== 0) {
    console.log(
      'redis-server is not installed (apt-get install -y redis-server; scripts/setup.sh does it): skipped',
    );
    return;
  }
  const storePath = await prepareStore();
  // Persistence as operators run it: the append-only file fsynced once a second.
  const redis = new RedisServer('everysec');
  await redis.start();
  const rows: BenchRow[] = [];
  try {
    const results: [string, LoadResult][] = [];
    results.push([
      'Redis, 2 processes',
      await load({ WORDVEC_STORE: storePath, REDIS_URL: redis.url }, () => RedisState.connect(redis.url)),
    ]);
    const stateFile = join(mkdtempSync(join(tmpdir(), 'wordvec-bench-game-')), 'bot-state.db');
    results.push([
      'SQLite, 2 processes',
      await load({ WORDVEC_STORE: storePath, WORDVEC_STATE: stateFile }, async () =>
        SqliteState.open(stateFile),
      ),
    ]);
    for (const [name, r] of results) {
      const loss = r.sent - r.recordedReplies;
      rows.push(
        { metric: `${name}: guesses sent (${RATE}/s × ${SECONDS} s)`, ours: r.sent },
        { metric: `${name}: answered "recorded"`, ours: r.recordedReplies, bar: `= sent`, pass: loss === 0 },
        {
          metric: `${name}: stored in the state`,
          ours: r.stored,
          bar: '= recorded',
          pass: r.stored === r.recordedReplies,
        },
        {
          metric: `${name}: lost / doubled`,
          ours: `${r.lost} / ${r.doubled}${r.gaps ? ' (gaps in numbering)' : ''}`,
          bar: '0 / 0',
          pass: r.lost === 0 && r.doubled === 0 && !r.gaps,
        },
        { metric: `${name}: reply p50`, ours: percentile(r.latencies, 50), unit: 'ms' },
        {
          metric: `${name}: reply p99`,
          ours: percentile(r.latencies, 99),
          unit: 'ms',
          bar: '≤ 50 ms',
          pass: percentile(r.latencies, 99) <= 50,
        },
      );
      for (const [reply, n] of r.otherReplies)
        rows.push({ metric: `${name}: other reply ${JSON.stringify(reply).slice(0, 60)}`, ours: n });
    }
    rows.push(
      ...(await guessCost(storePath, [
        ['Redis', await RedisState.connect(redis.url)],
        [
          'SQLite',
          SqliteState.open(join(mkdtempSync(join(tmpdir(), 'wordvec-bench-game-')), 'bot-state.db')),
        ],
      ])),
    );
  } finally {
    await redis.dispose();
  }
  printTable(`game: two replicas sharing the state, one channel, loopback (no peer exists for this)`, rows);
}
