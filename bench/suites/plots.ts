/**
 * Pictures (issue 14): a 50-word map end to end (vector look-up, projection, clustering, label placement,
 * SVG, PNG through resvg) on a synthetic 400,000 × 300 model in memory, median of 10 seeded runs after a
 * warm-up; the same with UMAP, and a neighbourhood of 49 (which adds the exact search over all 400,000
 * rows). PNG size and memory (RSS growth over the renders, and the model's own size) are reported.
 *
 * No peer draws these: gensim has no plotting (piskvorky/gensim#1419); the bar is the absolute one.
 */
import { loadavg } from 'node:os';
import { createRandom, KeyedVectors } from '@wordvec/embeddings';
import { neighbourhoodPicture, pngSize, renderPng, wordListPicture } from '@wordvec/plots';
import { syntheticMatrix, syntheticWord } from '../synthetic.js';
import { type BenchRow, median, printTable } from '../table.js';

const ROWS = 400_000;
const DIM = 300;
const RUNS = 10;

async function timed(
  draw: () => Promise<{ svg: string }>,
): Promise<{ ms: number; bytes: number; ok: boolean }> {
  await draw().then((p) => renderPng(p.svg)); // warm-up: font read, resvg and UMAP code paths compiled
  const times: number[] = [];
  let bytes = 0;
  let ok = true;
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now();
    const png = renderPng((await draw()).svg);
    times.push(performance.now() - t0);
    bytes = Math.max(bytes, png.length);
    ok &&= pngSize(png)?.width === 960;
  }
  return { ms: median(times), bytes, ok };
}

export async function run(): Promise<void> {
  const words = Array.from({ length: ROWS }, (_, i) => syntheticWord(i));
  const vectors = syntheticMatrix(ROWS, DIM, 14);
  const kv = new KeyedVectors({ words, vectors, dim: DIM });
  kv.unitVectors();
  const random = createRandom(3);
  const pick = () => words[Math.floor(random() * 20_000)];
  const rssBefore = process.memoryUsage().rss;
  const list = async (projection: 'pca' | 'umap') => {
    const fifty = Array.from({ length: 50 }, pick);
    return wordListPicture(kv, { words: fifty, projection, model: 'synthetic-400k', seed: 1 });
  };
  const pca = await timed(() => list('pca'));
  const umap = await timed(() => list('umap'));
  const hood = await timed(() => neighbourhoodPicture(kv, { word: pick(), k: 49, model: 'synthetic-400k' }));
  const rssGrowth = (process.memoryUsage().rss - rssBefore) / 2 ** 20;
  const rows: BenchRow[] = [
    {
      metric: '50-word map, PCA: look-up + projection + SVG + PNG (median)',
      ours: pca.ms,
      unit: 'ms',
      bar: '≤ 300 ms',
      pass: pca.ms <= 300,
    },
    {
      metric: '50-word map, UMAP (median)',
      ours: umap.ms,
      unit: 'ms',
      bar: '≤ 300 ms',
      pass: umap.ms <= 300,
    },
    {
      metric: 'neighbourhood of 49, PCA, with the 400k-row search (median)',
      ours: hood.ms,
      unit: 'ms',
      bar: '≤ 300 ms',
      pass: hood.ms <= 300,
    },
    {
      metric: 'largest PNG of the 50-word maps',
      ours: Math.max(pca.bytes, umap.bytes, hood.bytes) / 1024,
      unit: 'KiB',
      bar: '≤ 250 KB',
      pass: Math.max(pca.bytes, umap.bytes, hood.bytes) <= 250_000,
    },
    { metric: 'valid 960×720 PNG every run', ours: pca.ok && umap.ok && hood.ok ? 'yes' : 'no' },
    { metric: 'RSS growth over the 33 renders (model already in memory)', ours: rssGrowth, unit: 'MiB' },
    {
      metric: 'the model itself (400,000 × 300 float32, raw + unit rows)',
      ours: (2 * ROWS * DIM * 4) / 2 ** 20,
      unit: 'MiB',
    },
  ];
  printTable(
    `plots: ${ROWS.toLocaleString('en')} × ${DIM} synthetic model, ${RUNS} runs each (load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')} at the end)`,
    rows,
  );
}
