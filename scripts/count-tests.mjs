// Sums the vitest JSON reports that `pnpm test` leaves in each workspace package and prints
// one line "N passed, N failed" (", N skipped" when any were skipped). Exits 1 when a test failed
// or when no report was found.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const dirs = ['packages/embeddings', 'packages/vector-store', 'apps/bot', 'apps/cli', 'test'];
let passed = 0;
let failed = 0;
let skipped = 0;
let reports = 0;
for (const d of dirs) {
  const file = join(d, '.vitest-report.json');
  if (!existsSync(file)) continue;
  const r = JSON.parse(readFileSync(file, 'utf8'));
  reports++;
  passed += r.numPassedTests ?? 0;
  failed += (r.numFailedTests ?? 0) + (r.numFailedTestSuites ?? 0);
  skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(reports === 0 || failed > 0 ? 1 : 0);
