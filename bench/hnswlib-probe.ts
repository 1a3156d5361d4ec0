/**
 * The HNSW peer of the store benchmark: hnswlib-node (npm, compiled from source on install) over
 * the same seeded unit rows as our store, in its own process.
 * Usage: hnswlib-probe.ts <clustered|uniform> <rows> <dim> <index file> <queries.json> <exact.json> [ef warm-up.json]
 *
 * Builds the index with hnswlib's defaults (M 16, efConstruction 200, inner-product space) unless
 * `<index file>` exists (then it is read back and the build time comes from its `.json` sidecar),
 * then raises `ef` step by step until recall@10 against the exact answers reaches 0.99 and reports
 * the median query time there: the peer at the cheapest setting that meets the recall bar.
 * Query vectors are converted to the plain arrays hnswlib-node takes before the clock starts.
 * With `[ef warm-up.json]`, only the first pass over the queries at that width is timed, after
 * searches for the other words of `warm-up.json` and one warm-up query, as our first `mostSimilar`
 * pass: a process that has served other queries meets these.
 * Prints one JSON line.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { ANN_WIDTHS } from './ann-widths.js';
import { normaliseRows, syntheticMatrix, syntheticUniformMatrix, syntheticWord } from './synthetic.js';

interface HnswlibIndex {
  initIndex(maxElements: number, m?: number, efConstruction?: number, randomSeed?: number): void;
  readIndexSync(path: string): void;
  writeIndexSync(path: string): void;
  addPoint(point: number[], label: number): void;
  setEf(ef: number): void;
  searchKnn(query: number[], k: number): { neighbors: number[]; distances: number[] };
}
const { HierarchicalNSW } = createRequire(import.meta.url)('hnswlib-node') as {
  HierarchicalNSW: new (space: string, dim: number) => HnswlibIndex;
};

export const HNSWLIB_M = 16;
export const HNSWLIB_EF_CONSTRUCTION = 200;

const [kind, rowsArg, dimArg, indexPath, queriesFile, exactFile, firstPassEf, warmUpFile] =
  process.argv.slice(2);
const rows = Number(rowsArg);
const dim = Number(dimArg);
const m = normaliseRows(
  kind === 'uniform' ? syntheticUniformMatrix(rows, dim) : syntheticMatrix(rows, dim),
  dim,
);
const row = (r: number) => Array.from(m.subarray(r * dim, (r + 1) * dim));

const index = new HierarchicalNSW('ip', dim);
const out: Record<string, number> = {};
if (existsSync(indexPath)) {
  index.readIndexSync(indexPath);
  out.buildS = JSON.parse(readFileSync(`${indexPath}.json`, 'utf8')).buildS;
  out.cached = 1;
} else {
  const t = performance.now();
  index.initIndex(rows, HNSWLIB_M, HNSWLIB_EF_CONSTRUCTION, 100);
  for (let r = 0; r < rows; r++) index.addPoint(row(r), r);
  out.buildS = (performance.now() - t) / 1000;
  index.writeIndexSync(`${indexPath}.tmp`);
  renameSync(`${indexPath}.tmp`, indexPath);
  writeFileSync(`${indexPath}.json`, JSON.stringify({ buildS: out.buildS }));
}

const words = JSON.parse(readFileSync(queriesFile, 'utf8')) as string[];
const exact = JSON.parse(readFileSync(exactFile, 'utf8')) as string[][];
const rowOf = new Map<string, number>();
for (let r = 0; r < rows; r++) rowOf.set(syntheticWord(r), r);
const queries = words.map((w) => row(rowOf.get(w) as number));

if (firstPassEf !== undefined && warmUpFile !== undefined) {
  index.setEf(Number(firstPassEf));
  for (const w of JSON.parse(readFileSync(warmUpFile, 'utf8')) as string[])
    index.searchKnn(row(rowOf.get(w) as number), 11);
}
for (const ef of firstPassEf === undefined ? ANN_WIDTHS : [Number(firstPassEf)]) {
  index.setEf(ef);
  index.searchKnn(queries[0], 11);
  const times: number[] = [];
  let hit = 0;
  let total = 0;
  for (let i = 1; i < queries.length; i++) {
    const self = rowOf.get(words[i]);
    const t = performance.now();
    const { neighbors } = index.searchKnn(queries[i], 11);
    times.push(performance.now() - t);
    // Our mostSimilar leaves the query word out; so does this count.
    const found = neighbors.filter((n) => n !== self).slice(0, 10);
    const want = new Set(exact[i]);
    hit += found.filter((n) => want.has(syntheticWord(n))).length;
    total += exact[i].length;
  }
  times.sort((a, b) => a - b);
  out.ef = ef;
  out.recall = hit / total;
  out.medianMs = times[times.length >> 1];
  if (out.recall >= 0.99) break;
}
console.log(JSON.stringify(out));
