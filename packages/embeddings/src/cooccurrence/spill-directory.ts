/**
 * A temporary directory for spilled runs that is removed on success, on failure, on abort and when the
 * process is interrupted (SIGINT, SIGTERM) or exits, so an interrupted count never leaves gigabytes behind.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/**
 * Lazily created temporary directory; call {@link SpillDirectory.remove} in a `finally`.
 *
 * @example
 * ```ts
 * const dir = new SpillDirectory();
 * try { writeFileSync(dir.file('run-0.bin'), data); } finally { dir.remove(); }
 * ```
 */
export class SpillDirectory {
  readonly parent: string;
  #path: string | undefined;
  #count = 0;
  readonly #onExit = (): void => this.#removeFiles();
  readonly #onSignal = (signal: NodeJS.Signals): void => {
    this.remove();
    // Our listener replaced Node's default handler; when no one else handles the signal, die as Node would.
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  };

  constructor(parent: string = tmpdir()) {
    this.parent = parent;
  }

  /** The directory, or undefined before the first {@link SpillDirectory.file} call. */
  get path(): string | undefined {
    return this.#path;
  }

  /** A fresh file path in the directory, creating the directory on first use. */
  file(prefix = 'run'): string {
    if (this.#path === undefined) {
      this.#path = mkdtempSync(join(this.parent, 'wordvec-cooccur-'));
      process.on('exit', this.#onExit);
      for (const s of SIGNALS) process.on(s, this.#onSignal);
    }
    return join(this.#path, `${prefix}-${this.#count++}.bin`);
  }

  #removeFiles(): void {
    if (this.#path !== undefined) rmSync(this.#path, { recursive: true, force: true });
  }

  /** Deletes the directory and everything in it; safe to call more than once. */
  remove(): void {
    if (this.#path === undefined) return;
    try {
      this.#removeFiles();
    } finally {
      process.off('exit', this.#onExit);
      for (const s of SIGNALS) process.off(s, this.#onSignal);
      this.#path = undefined;
    }
  }
}
