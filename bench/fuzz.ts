/**
 * `pnpm fuzz [seconds]`: the parser properties of the CI tests (packages/embeddings/__tests__/parser-properties.ts,
 * packages/vector-store/__tests__/import-properties.ts) with a random seed and many runs, for minutes, not
 * in CI. Runs on the built packages (`pnpm build` first). A failure prints the seed and the shrunk
 * counterexample: replay with `pnpm fuzz --seed N`, then make it a regression test.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { parserProperty } from '../packages/embeddings/__tests__/parser-properties.js';
import { importProperty } from '../packages/vector-store/__tests__/import-properties.js';

const args = process.argv.slice(2);
const seedAt = args.indexOf('--seed');
const seed = seedAt >= 0 ? Number(args[seedAt + 1]) : Math.floor(Math.random() * 2 ** 31);
const seconds = Number(args.find((a, i) => /^\d+$/.test(a) && args[i - 1] !== '--seed') ?? 300);
const dir = mkdtempSync(join(tmpdir(), 'wordvec-fuzz-'));
console.log(`fuzz: seed ${seed}, about ${seconds} s (replay: pnpm fuzz --seed ${seed})`);
let failed = false;
try {
  for (const [name, property] of [
    ['vector and corpus readers', parserProperty(dir)],
    ['store import', importProperty(dir)],
  ] as const) {
    const started = Date.now();
    const result = await fc.check(property, {
      seed,
      numRuns: Number.MAX_SAFE_INTEGER,
      interruptAfterTimeLimit: (seconds * 1000) / 2,
    });
    const took = ((Date.now() - started) / 1000).toFixed(0);
    if (result.failed) {
      failed = true;
      console.error(`${name}: FAILED after ${result.numRuns} runs (${took} s), seed ${seed}`);
      console.error(fc.defaultReportMessage(result));
    } else console.log(`${name}: ${result.numRuns} runs in ${took} s, no failure`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.exitCode = failed ? 1 : 0;
