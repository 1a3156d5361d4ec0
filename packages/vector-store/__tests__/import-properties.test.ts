import fc from 'fast-check';
import { afterAll, describe, it } from 'vitest';
import { tempDir } from './fixtures.js';
import { importProperty } from './import-properties.js';

const { dir, cleanup } = tempDir();
afterAll(cleanup);

describe('property: importing any bytes (fixed seed; pnpm fuzz runs longer)', () => {
  it('throws only FormatError/EmbeddingsError/StoreError, and a failed import leaves the store file unchanged', async () => {
    await fc.assert(importProperty(dir), { seed: 18, numRuns: 60 });
  });
});
