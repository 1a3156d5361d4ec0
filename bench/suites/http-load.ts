/**
 * `pnpm bench http-load`: a bounded load test of the Discord HTTP interactions endpoint
 * (apps/bot `dist/http-main.js`, started as its own process on 127.0.0.1) answering `/similar` from a
 * seeded synthetic 400,000 × 50 model with an HNSW index (bench/synthetic.ts). An open-loop
 * generator sends 200 Ed25519-signed interactions per second for 30 s (a new user each, so the rate
 * limiter allows them all) and reports p50/p99 latency and errors. The bar (issue 9): no errors,
 * p99 ≤ 50 ms. There is no peer figure: no other program answers these requests.
 * `WORDVEC_BENCH_QUICK=1` runs 5 s instead of 30 s.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { generateKeyPairSync, sign } from 'node:crypto';
import { existsSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { createServer } from 'node:net';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRandom } from '@wordvec/embeddings';
import { VectorStore } from '@wordvec/vector-store';
import { CACHE_DIR, syntheticGloveFile, syntheticWord } from '../synthetic.js';
import { type BenchRow, percentile, printTable } from '../table.js';

const ROWS = 400_000;
const DIM = 50;
const RATE = 200;
const SECONDS = process.env.WORDVEC_BENCH_QUICK ? 5 : 30;
const TIMEOUT_MS = 5000;
const APP_ID = '123456789012345678';
const main = fileURLToPath(new URL('../../apps/bot/dist/http-main.js', import.meta.url));

/**
 * The store file: the store suite's cached 400k × 50 + HNSW file when it exists (same synthetic
 * file, same index parameters), else our own, built once.
 */
export async function prepareStore(): Promise<string> {
  // The store suite names its cached stores after the synthetic file they came from.
  const glove = await syntheticGloveFile(ROWS, DIM);
  const source = basename(glove).replace(/\.glove\.txt$/, '');
  const shared = `${CACHE_DIR}store-${source}-ann.db`;
  if (existsSync(shared)) return shared;
  const own = `${CACHE_DIR}http-load-${source}-ann.db`;
  if (existsSync(own)) return own;
  const tmp = `${own}.tmp`;
  rmSync(tmp, { force: true });
  const store = VectorStore.open(tmp);
  await store.importFile(glove, { name: 'synthetic', ann: { M: 16, efConstruction: 64, seed: 1 } });
  store.close();
  renameSync(tmp, own);
  return own;
}

/** A TCP port free on 127.0.0.1 at the moment of asking. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

interface Result {
  status: number;
  body: string;
  ms: number;
}

function post(
  agent: Agent,
  port: number,
  path: string,
  body: string,
  headers: Record<string, string>,
): Promise<Result> {
  const started = performance.now();
  return new Promise((resolve) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        agent,
        timeout: TIMEOUT_MS,
        headers: {
          ...headers,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          text += c;
        });
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: text, ms: performance.now() - started }),
        );
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (e) => resolve({ status: 0, body: e.message, ms: performance.now() - started }));
    req.end(body);
  });
}

async function healthy(port: number, deadlineMs: number): Promise<Record<string, unknown>> {
  while (performance.now() < deadlineMs) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      const body = (await res.json()) as Record<string, unknown>;
      if (body.modelLoaded === true) return body;
    } catch {}
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('the HTTP server did not load its model in time');
}

/** CPU time (user + system) a process has used, in ms, from /proc (Linux; clock ticks of 10 ms). */
function cpuMs(pid: number | undefined): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 14 and 15 of proc(5) (utime, stime), counted after the command name.
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

export async function run(): Promise<void> {
  const db = await prepareStore();
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const publicHex = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url').toString('hex');
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    WORDVEC_STORE: db,
    DISCORD_PUBLIC_KEY: publicHex,
    DISCORD_APP_ID: APP_ID,
    // Deferred edits (none expected once the model is in memory) go nowhere reachable.
    DISCORD_API_BASE: 'http://127.0.0.1:9/api',
    PORT: String(port),
    WORDVEC_RATE_LIMIT: '10000',
  };
  const server: ChildProcess = spawn(process.execPath, [main], {
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
  const rows: BenchRow[] = [];
  try {
    const t0 = performance.now();
    await healthy(port, t0 + 300_000);
    rows.push({ metric: 'server start + model load', ours: (performance.now() - t0) / 1000, unit: 's' });

    const agent = new Agent({ keepAlive: true, maxSockets: 256 });
    const rand = createRandom(9);
    let id = 0;
    const send = () => {
      id++;
      const word = syntheticWord(Math.floor(rand() * ROWS));
      const body = JSON.stringify({
        id: String(900000000000000000n + BigInt(id)),
        application_id: APP_ID,
        type: 2,
        token: `bench-token-${id}`,
        data: { name: 'similar', type: 1, options: [{ name: 'word', type: 3, value: word }] },
        member: { user: { id: String(100000000000000000n + BigInt(id)) } },
      });
      const timestamp = String(Math.floor(Date.now() / 1000));
      const signature = sign(null, Buffer.from(timestamp + body), privateKey).toString('hex');
      return post(agent, port, '/discord/interactions', body, {
        'x-signature-ed25519': signature,
        'x-signature-timestamp': timestamp,
      });
    };

    // Warm-up (not measured): JIT, sockets, the first graph walks.
    await Promise.all(Array.from({ length: 200 }, send));

    // One at a time first: the latency of a request that never waits behind another.
    const single: number[] = [];
    for (let i = 0; i < 300; i++) single.push((await send()).ms);
    single.sort((a, b) => a - b);
    rows.push(
      { metric: 'one at a time (300): latency p50', ours: percentile(single, 50), unit: 'ms' },
      { metric: 'one at a time (300): latency p99', ours: percentile(single, 99), unit: 'ms' },
    );

    // Open loop: requests leave on schedule whether or not earlier ones were answered.
    const pending: Promise<Result>[] = [];
    const total = RATE * SECONDS;
    const cpuBefore = cpuMs(server.pid);
    const start = performance.now();
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * RATE));
        while (pending.length < due) pending.push(send());
        if (pending.length >= total) {
          clearInterval(timer);
          resolve();
        }
      }, 2);
    });
    const sendSeconds = (performance.now() - start) / 1000;
    const results = await Promise.all(pending);
    const cpuAfter = cpuMs(server.pid);
    agent.destroy();

    let errors = 0;
    let deferred = 0;
    const kinds = new Map<string, number>();
    const latencies: number[] = [];
    for (const r of results) {
      latencies.push(r.ms);
      let type: number | undefined;
      try {
        type = (JSON.parse(r.body) as { type?: number }).type;
      } catch {}
      if (r.status !== 200 || (type !== 4 && type !== 5)) {
        errors++;
        const kind = r.status === 0 ? r.body : `HTTP ${r.status}`;
        kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
      } else if (type === 5) deferred++;
    }
    latencies.sort((a, b) => a - b);
    const p50 = percentile(latencies, 50);
    const p99 = percentile(latencies, 99);
    rows.push(
      {
        metric: `open loop: signed /similar interactions sent (${RATE}/s × ${SECONDS} s)`,
        ours: results.length,
      },
      { metric: 'achieved send rate', ours: results.length / sendSeconds, unit: '/s' },
      { metric: 'errors (non-200, bad body, timeout)', ours: errors, bar: '0', pass: errors === 0 },
      ...(errors > 0
        ? [{ metric: 'errors by kind', ours: [...kinds].map(([k, n]) => `${k}: ${n}`).join(', ') }]
        : []),
      { metric: 'deferred (type 5)', ours: deferred },
      { metric: 'latency p50', ours: p50, unit: 'ms' },
      { metric: 'latency p99', ours: p99, unit: 'ms', bar: '≤ 50 ms', pass: p99 <= 50 },
      { metric: 'latency max', ours: latencies[latencies.length - 1], unit: 'ms' },
    );
    if (cpuBefore !== undefined && cpuAfter !== undefined) {
      // Less sensitive to other load on the machine than latency: the work the server did per request.
      rows.push({
        metric: 'server CPU time per request',
        ours: (cpuAfter - cpuBefore) / results.length,
        unit: 'ms',
      });
    }
    const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
    rows.push({ metric: 'machine load average (1, 5, 15 min) at the end', ours: load });
  } finally {
    server.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    if (server.exitCode === null) server.kill('SIGKILL');
  }
  printTable(`Discord HTTP interactions under load: ${ROWS} × ${DIM} model with HNSW, loopback`, rows);
}
