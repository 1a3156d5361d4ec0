import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, it } from 'vitest';
import { parserProperty } from './parser-properties.js';

const dir = mkdtempSync(join(tmpdir(), 'wordvec-props-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('property: vector and corpus readers throw only their own errors (fixed seed; pnpm fuzz runs longer)', () => {
  it('for word2vec text and binary, GloVe and fastText .vec, plain and gzip, and corpora', async () => {
    await fc.assert(parserProperty(dir), { seed: 18, numRuns: 60 });
  });
});
