/**
 * WAL checkpoints of the SQLite state file on a worker thread. A checkpoint copies the pages the
 * write-ahead log gathered back into the database file and fsyncs both; left to SQLite's
 * auto-checkpoint, the connection whose commit fills the log does it inside that commit, so the
 * process's event loop (and every request queued behind it) waits for two fsyncs, a few ms on an
 * idle disk and far more on a busy one. A PASSIVE checkpoint takes no write lock: writers in every
 * process go on while the worker copies and syncs.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * How often the worker looks for commits to checkpoint. Not more often: after a round that copied
 * the whole log the next commit starts the log afresh and fsyncs its header (synchronous=NORMAL),
 * on the writer's thread; at 200 guesses/s a second's log is about 2,000 pages, well below the back-stop.
 */
export const CHECKPOINT_INTERVAL_MS = 1000;

/**
 * The log length (pages) at which a committing connection still checkpoints by itself (SQLite's
 * auto-checkpoint, default 1,000): only reached when the worker is gone or cannot keep up (a
 * reader holding an old snapshot), so the log never grows without bound.
 */
export const INLINE_CHECKPOINT_PAGES = 10_000;

// CommonJS, run with `eval`: no file of its own to resolve, from `dist` or from the TypeScript sources.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const commits = new Int32Array(workerData.commits);
const db = new Database(workerData.path, { timeout: 0 });
db.pragma('wal_autocheckpoint = 0');
let seen = 0;
const timer = setInterval(() => {
  const now = Atomics.load(commits, 0);
  if (now === seen) return;
  try {
    // PASSIVE: copies what no reader still needs; never waits, never blocks a writer.
    db.pragma('wal_checkpoint(PASSIVE)');
    seen = now;
  } catch {
    // Busy (another process is checkpointing this file): the next round does it.
  }
}, workerData.intervalMs);
parentPort.once('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

/**
 * The checkpoints of one state file's WAL, on a worker thread of this process. The connection that
 * writes counts its commits ({@link BackgroundCheckpointer.committed}); the worker checkpoints when
 * there were some since its last round.
 *
 * @example
 * ```ts
 * const checkpointer = BackgroundCheckpointer.start('data/bot-state.db');
 * db.pragma(`wal_autocheckpoint = ${INLINE_CHECKPOINT_PAGES}`);
 * // … after each commit:
 * checkpointer.committed();
 * await checkpointer.stop();
 * ```
 */
export class BackgroundCheckpointer {
  readonly #worker: Worker;
  readonly #commits: Int32Array;
  readonly #exited: Promise<void>;

  private constructor(worker: Worker, commits: Int32Array) {
    this.#worker = worker;
    this.#commits = commits;
    this.#exited = new Promise((resolve) => worker.once('exit', () => resolve()));
  }

  /** Starts the worker on the WAL-mode database at `path` (it opens a connection of its own). */
  static start(path: string, intervalMs = CHECKPOINT_INTERVAL_MS): BackgroundCheckpointer {
    const commits = new SharedArrayBuffer(4);
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        path,
        intervalMs,
        commits,
        driver: createRequire(import.meta.url).resolve('better-sqlite3'),
      },
    });
    // A checkpoint that fails only leaves the log longer (the inline back-stop still bounds it).
    worker.on('error', () => {});
    worker.unref();
    return new BackgroundCheckpointer(worker, new Int32Array(commits));
  }

  /** A transaction was committed: there is something to checkpoint. */
  committed(): void {
    Atomics.add(this.#commits, 0, 1);
  }

  /** Stops the worker after its connection is closed (before the writer's own, which may then delete the log). */
  async stop(): Promise<void> {
    this.#worker.postMessage('stop');
    const timer = setTimeout(() => void this.#worker.terminate(), 2000);
    await this.#exited;
    clearTimeout(timer);
  }
}
