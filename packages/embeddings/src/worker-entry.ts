import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Resolves the JavaScript file a `worker_threads` Worker should run.
 *
 * Workers cannot run TypeScript, so when the caller itself runs from `src/*.ts` (under vitest),
 * the entry is taken from the package's built `dist/` instead. Run `pnpm build` first
 * (`pnpm test` does it through turbo).
 *
 * @param name - file name of the worker module without extension, e.g. `cbow-worker`.
 * @param base - `import.meta.url` of the calling module, which sits beside the worker module.
 * @returns a file URL of the worker's `.js` file.
 * @example
 * ```ts
 * const worker = new Worker(workerEntry('cbow-worker', import.meta.url), { workerData });
 * ```
 */
export function workerEntry(name: string, base: string): URL {
  if (base.endsWith('.ts')) {
    const built = new URL(`../dist/${name}.js`, base);
    if (!existsSync(fileURLToPath(built))) {
      throw new Error(
        `worker ${name} is not built: run \`pnpm build\` first (looked for ${fileURLToPath(built)})`,
      );
    }
    return built;
  }
  return new URL(`./${name}.js`, base);
}
