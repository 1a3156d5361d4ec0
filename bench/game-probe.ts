/**
 * What one `/guess` costs the two bot replicas of `pnpm bench game`, in figures that do not depend on
 * the machine's load: the Redis commands it sends (round trips from the bot, and the commands run
 * inside its Lua scripts, read from `MONITOR`) and the CPU time the replicas spend on it (user +
 * system, from /proc). Guesses go one at a time, so the reply time printed beside them has no
 * queueing in it (the machine's load still shows). Usage: `tsx bench/game-probe.ts [guesses] [sqlite]`
 * after `pnpm bench game` has built the synthetic store once. Prints one JSON line. With
 * `PROBE_PROFILE=1` and `bench/game-probe-profiler.cjs` required (see there), each replica writes a
 * CPU profile of the guesses.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BotProcess } from '../apps/bot/__tests__/support/bot-process.js';
import { ed25519Pair } from '../apps/bot/__tests__/support/http-signing.js';
import { RedisServer } from '../apps/bot/__tests__/support/redis-server.js';
import { RedisState } from '../apps/bot/src/state/redis-state.js';
import { SqliteState } from '../apps/bot/src/state/sqlite-state.js';
import { CACHE_DIR, syntheticWord } from './synthetic.js';

const GUESSES = Number(process.argv[2] ?? 400);
/** `sqlite`: the same guesses on one SQLite state file instead (no commands to count). */
const BACKEND = process.argv[3] === 'sqlite' ? 'sqlite' : 'redis';
const CHANNEL = '900000000000000778';
const STORE = `${CACHE_DIR}game-100000x50.db`;

/** User + system CPU of a process so far, in ms (/proc/<pid>/stat fields 14 and 15, in clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function main(): Promise<void> {
  if (!existsSync(STORE)) throw new Error(`${STORE} is missing: run \`pnpm bench game\` once`);
  const redis = new RedisServer('everysec');
  await redis.start();
  const keys = ed25519Pair();
  const env: Record<string, string> = {
    WORDVEC_STORE: STORE,
    ...(BACKEND === 'redis'
      ? { REDIS_URL: redis.url }
      : { WORDVEC_STATE: join(mkdtempSync(join(tmpdir(), 'wordvec-probe-')), 'bot-state.db') }),
    DISCORD_PUBLIC_KEY: keys.publicHex,
    DISCORD_API_BASE: 'http://127.0.0.1:9',
  };
  const bots = await Promise.all([
    new BotProcess(env, keys.privateKey).start(),
    new BotProcess(env, keys.privateKey).start(),
  ]);
  let monitor: ChildProcess | undefined;
  try {
    await bots[0].command('game', { difficulty: 'easy' }, '1', CHANNEL, 'start');
    const state =
      BACKEND === 'redis' ? await RedisState.connect(redis.url) : SqliteState.open(env.WORDVEC_STATE!);
    const game = (await state.currentGame(`discord:${CHANNEL}`))!;
    await state.close();
    const words: string[] = [];
    for (let i = 10; words.length < GUESSES + 20; i++)
      if (syntheticWord(i) !== game.secret) words.push(syntheticWord(i));
    // Warm both replicas (JIT, model matrix, neighbour ranks).
    for (let i = 0; i < 20; i++)
      await bots[i % 2].command('guess', { word: words[i] }, String(10 + i), CHANNEL);
    let log = '';
    monitor = spawn('redis-cli', ['-p', String(redis.port), 'MONITOR'], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    monitor.stdout!.setEncoding('utf8');
    monitor.stdout!.on('data', (c: string) => {
      log += c;
    });
    await new Promise((r) => setTimeout(r, 300));
    if (process.env.PROBE_PROFILE) for (const b of bots) b.child.kill('SIGUSR2');
    const cpu0 = bots.map((b) => cpuMs(b.child.pid!));
    const replies: number[] = [];
    for (let i = 0; i < GUESSES; i++) {
      const t = performance.now();
      const r = await bots[i % 2].command('guess', { word: words[20 + i] }, String(1000 + i), CHANNEL);
      replies.push(performance.now() - t);
      if (!/^\\?#\d+ /.test(r.title)) throw new Error(`guess ${i} not recorded: ${r.title}`);
    }
    const cpu = bots.map((b, i) => cpuMs(b.child.pid!) - cpu0[i]);
    // Each replica stops its profiler (bench/game-probe-profiler.cjs) and writes the profile.
    if (process.env.PROBE_PROFILE) {
      for (const b of bots) b.child.kill('SIGUSR2');
      await new Promise((r) => setTimeout(r, 2000));
    }
    await new Promise((r) => setTimeout(r, 300));
    const lines = log.split('\n').filter((l) => /^\d+\.\d+ \[/.test(l));
    const fromLua = lines.filter((l) => / \[\d+ lua\] /.test(l));
    const byCommand = new Map<string, number>();
    for (const l of lines.filter((x) => !/ \[\d+ lua\] /.test(x))) {
      const name = /\] "([^"]+)"/.exec(l)?.[1]?.toLowerCase() ?? '?';
      byCommand.set(name, (byCommand.get(name) ?? 0) + 1);
    }
    replies.sort((a, b) => a - b);
    console.log(
      JSON.stringify({
        guesses: GUESSES,
        roundTripsPerGuess: (lines.length - fromLua.length) / GUESSES,
        roundTrips: Object.fromEntries([...byCommand].map(([k, n]) => [k, n / GUESSES])),
        luaCommandsPerGuess: fromLua.length / GUESSES,
        botCpuMsPerGuess: (cpu[0] + cpu[1]) / GUESSES,
        sequentialReplyMs: {
          p50: replies[replies.length >> 1],
          p99: replies[Math.floor(replies.length * 0.99)],
        },
      }),
    );
  } finally {
    monitor?.kill();
    for (const b of bots) await b.kill();
    await redis.dispose();
  }
}

await main();
