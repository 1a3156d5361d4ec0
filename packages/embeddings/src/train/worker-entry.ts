import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { EmbeddingsError } from '../errors.js';

/** The package root: this module is `src/train/worker-entry.ts` or `dist/train/worker-entry.js`. */
const PACKAGE_ROOT = new URL('../../', import.meta.url);

/**
 * Resolves the JavaScript file a `worker_threads` Worker should run, from the package root, so a
 * worker module can move between folders without its callers counting `../`.
 *
 * Workers cannot run TypeScript, so the entry is always the package's built `dist/` file, also
 * when the caller runs from `src/*.ts` under vitest. Run `pnpm build` first (`pnpm test` does it
 * through turbo).
 *
 * @internal
 * @param path - the worker module's path below `src/` without extension, e.g. `train/word2vec/cbow-worker`.
 * @returns a file URL of the worker's `.js` file.
 * @throws {@link EmbeddingsError} with code `NOT_BUILT` when that file does not exist.
 * @example
 * ```ts
 * const worker = new Worker(workerEntry('train/word2vec/cbow-worker'), { workerData });
 * ```
 */
export function workerEntry(path: string): URL {
  const built = new URL(`dist/${path}.js`, PACKAGE_ROOT);
  if (!existsSync(fileURLToPath(built))) {
    throw new EmbeddingsError(
      'NOT_BUILT',
      `worker ${path} is not built: run \`pnpm build\` first (looked for ${fileURLToPath(built)})`,
    );
  }
  return built;
}
