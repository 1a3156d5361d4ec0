/**
 * `pnpm bench [suite…]`: runs benchmark suites from bench/suites/ and prints one table per suite,
 * with the peer's figure (gensim, word2vec.c) beside ours, measured in the same run.
 * Without arguments every suite runs; `pnpm bench cbow` runs only bench/suites/cbow.ts.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('./suites/', import.meta.url));
const available = readdirSync(dir)
  .filter((f) => f.endsWith('.ts'))
  .map((f) => f.slice(0, -3))
  .sort();
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const unknown = wanted.filter((w) => !available.includes(w));
if (unknown.length > 0) {
  console.error(`unknown bench suite ${unknown.join(', ')}; available: ${available.join(', ')}`);
  process.exit(2);
}
for (const name of wanted.length > 0 ? wanted : available) {
  const suite = (await import(`./suites/${name}.ts`)) as { run: () => Promise<void> };
  console.log(`\n# bench: ${name}`);
  await suite.run();
}
