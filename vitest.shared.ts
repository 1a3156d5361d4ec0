import { fileURLToPath } from 'node:url';

/**
 * Tests import workspace packages from their TypeScript sources, so a change in one package is
 * seen by the tests of another without a rebuild. Worker-thread entry points are the exception:
 * they run the built JavaScript in `dist/` (see packages/embeddings/src/worker-entry.ts).
 */
const root = fileURLToPath(new URL('.', import.meta.url));

export const workspaceAliases: Record<string, string> = {
  // Longer names first: an alias also matches its own sub-paths.
  '@wordvec/embeddings/kernels': `${root}packages/embeddings/src/kernels.ts`,
  '@wordvec/embeddings': `${root}packages/embeddings/src/index.ts`,
  '@wordvec/vector-store': `${root}packages/vector-store/src/index.ts`,
  '@wordvec/plots': `${root}packages/plots/src/index.ts`,
  '@wordvec/bot': `${root}apps/bot/src/index.ts`,
};
