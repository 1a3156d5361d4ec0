import { spawnSync } from 'node:child_process';

/** Debian's python3 (where `python3-gensim` installs); not a pyenv shim. */
export const SYSTEM_PYTHON = '/usr/bin/python3';

let gensimChecked: boolean | undefined;

/** Whether gensim can be imported by {@link SYSTEM_PYTHON}. */
export function hasGensim(): boolean {
  if (gensimChecked === undefined) {
    const r = spawnSync(SYSTEM_PYTHON, ['-c', 'import gensim'], { stdio: 'ignore' });
    gensimChecked = r.status === 0;
  }
  return gensimChecked;
}

/**
 * Runs a Python script with gensim and parses the last line of its stdout as JSON.
 * Returns undefined when gensim is not installed.
 */
export function runGensim<T>(
  script: string,
  args: string[] = [],
  env: Record<string, string> = {},
): T | undefined {
  if (!hasGensim()) return undefined;
  const r = spawnSync(SYSTEM_PYTHON, ['-c', script, ...args], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, ...env },
  });
  if (r.status !== 0) throw new Error(`gensim peer failed: ${r.stderr}`);
  const lines = r.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]) as T;
}
