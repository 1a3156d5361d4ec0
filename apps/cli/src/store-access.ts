import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { VectorStore } from '@wordvec/vector-store';
import { CliError } from './cli-error.js';
import { type CommandContext, type GlobalOptions, resolveStorePath } from './context.js';

/**
 * Opens the store named by `--store` / `WORDVEC_STORE` / the default, runs `fn`, and closes it.
 * A read-only open of a missing file is a user error, not a new empty store.
 */
export async function withStore<T>(
  options: GlobalOptions,
  ctx: CommandContext,
  mode: { readonly: boolean },
  fn: (store: VectorStore) => Promise<T> | T,
): Promise<T> {
  const path = resolveStorePath(options, ctx);
  if (mode.readonly && !existsSync(path)) {
    throw new CliError(
      `no store at ${path}: create one with \`wordvec train\` or \`wordvec import\`, or pass --store`,
    );
  }
  if (!mode.readonly) mkdirSync(dirname(path), { recursive: true });
  const store = VectorStore.open(path, { readonly: mode.readonly });
  try {
    return await fn(store);
  } finally {
    store.close();
  }
}
