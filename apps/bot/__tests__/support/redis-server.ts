import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Whether Debian's `redis-server` is installed (`.ci/run` and `scripts/setup.sh` install it). */
export const hasRedisServer = spawnSync('redis-server', ['--version'], { encoding: 'utf8' }).status === 0;

/** A real redis-server on a random loopback port, its data (append-only file) in a temp dir of its own. */
export class RedisServer {
  readonly dir = mkdtempSync(join(tmpdir(), 'wordvec-redis-'));
  port = 0;
  #child: ChildProcess | undefined;

  /** `always` (tests: an acknowledged write survives a stop) or `everysec` (Redis's usual production setting). */
  constructor(readonly appendfsync: 'always' | 'everysec' = 'always') {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts the server (again, on the same port and data, after {@link RedisServer.stop}). */
  async start(): Promise<void> {
    if (this.port === 0) this.port = await freePort();
    // No config file: every setting on the command line, persistence inside the temp dir, so a
    // restart keeps what was acknowledged (appendfsync always).
    const child = spawn(
      'redis-server',
      [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--dir',
        this.dir,
        '--save',
        '',
        '--appendonly',
        'yes',
        '--appendfsync',
        this.appendfsync,
        '--protected-mode',
        'yes',
        '--daemonize',
        'no',
        '--logfile',
        '',
      ],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
    this.#child = child;
    await waitForPort(this.port, child);
  }

  /** Stops the server (SIGTERM; it writes its files and exits). */
  async stop(): Promise<void> {
    const child = this.#child;
    this.#child = undefined;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }

  /** Stops it and removes its data. */
  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function waitForPort(port: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}`);
    const up = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ host: '127.0.0.1', port }, () => {
        socket.end();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (up) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`redis-server did not listen on ${port} within 10 s`);
}
