/**
 * `pnpm bench bot`: how fast the bot's command core (apps/bot, built `dist/`) answers from a store:
 * autocomplete for 1–3 letter prefixes (Discord drops answers after 3 s; we want them "well within"),
 * the empty-prefix autocomplete Discord sends when an option gets focus, `/oov` for an unknown word
 * (spelling suggestions scan the vocabulary), and `/similar` once the matrix is loaded. The store is a
 * seeded synthetic 100,000 × 50 model (bench/synthetic.ts) imported once into bench/.cache.
 * There is no peer figure: gensim has no autocomplete or spelling suggestions.
 */
import { existsSync, renameSync, rmSync } from 'node:fs';
import { createRandom } from '@wordvec/embeddings';
import { VectorStore } from '@wordvec/vector-store';
import { CommandRunner, openStoreCatalog } from '../../apps/bot/dist/index.js';
import { CACHE_DIR, syntheticGloveFile, syntheticWord } from '../synthetic.js';
import { type BenchRow, median, printTable } from '../table.js';

const ROWS = 100_000;
const DIM = 50;

async function prepareStore(): Promise<string> {
  const path = `${CACHE_DIR}bot-${ROWS}x${DIM}.db`;
  if (existsSync(path)) return path;
  const glove = await syntheticGloveFile(ROWS, DIM);
  const tmp = `${path}.tmp`;
  rmSync(tmp, { force: true });
  const store = VectorStore.open(tmp);
  await store.importFile(glove, { name: 'synthetic' });
  store.close();
  renameSync(tmp, path);
  return path;
}

function p99(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * 0.99))];
}

async function timeEach(n: number, fn: (i: number) => unknown): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn(i);
    out.push(performance.now() - t);
  }
  return out;
}

export async function run(): Promise<void> {
  const catalog = await openStoreCatalog(await prepareStore());
  const runner = new CommandRunner({ catalog });
  const rand = createRandom(7);
  const pick = () => syntheticWord(Math.floor(rand() * ROWS));

  const prefixes = await timeEach(500, () => {
    const w = pick();
    return runner.autocomplete(
      'similar',
      { name: 'word', value: w.slice(0, 1 + Math.floor(rand() * 3)) },
      {},
    );
  });
  const firstEmpty = await timeEach(1, () => runner.autocomplete('similar', { name: 'word', value: '' }, {}));
  const emptyCached = await timeEach(200, () =>
    runner.autocomplete('similar', { name: 'word', value: '' }, {}),
  );
  const oov = await timeEach(50, () =>
    runner.run({ command: 'oov', options: { word: `${pick()}qz` }, user: 'b' }),
  );
  const load = await timeEach(1, () => catalog.model().load());
  const similar = await timeEach(100, () =>
    runner.run({ command: 'similar', options: { word: pick() }, user: 'b' }),
  );
  catalog.close();

  const ms = 'ms';
  const rows: BenchRow[] = [
    { metric: 'autocomplete, 1–3 letter prefix, p50', ours: median(prefixes), unit: ms },
    {
      metric: 'autocomplete, 1–3 letter prefix, p99',
      ours: p99(prefixes),
      unit: ms,
      bar: '≤ 100 ms',
      pass: p99(prefixes) <= 100,
    },
    {
      metric: 'autocomplete, empty prefix, first',
      ours: firstEmpty[0],
      unit: ms,
      bar: '≤ 3000 ms',
      pass: firstEmpty[0] <= 3000,
    },
    { metric: 'autocomplete, empty prefix, cached p50', ours: median(emptyCached), unit: ms },
    { metric: '/oov unknown word (suggestions), p50', ours: median(oov), unit: ms },
    {
      metric: '/oov unknown word (suggestions), p99',
      ours: p99(oov),
      unit: ms,
      bar: '≤ 3000 ms',
      pass: p99(oov) <= 3000,
    },
    { metric: 'matrix load (100k × 50)', ours: load[0], unit: ms },
    { metric: '/similar after load (exact), p50', ours: median(similar), unit: ms },
    {
      metric: '/similar after load (exact), p99',
      ours: p99(similar),
      unit: ms,
      bar: '≤ 3000 ms',
      pass: p99(similar) <= 3000,
    },
  ];
  printTable(`bot command core on a ${ROWS.toLocaleString('en-US')} × ${DIM} store (no peer)`, rows);
}
