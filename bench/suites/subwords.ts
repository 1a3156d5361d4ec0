/**
 * `pnpm bench subwords`: subword tables in the store.
 *
 * 1. A real 2,000,000-bucket × 100 fastText model (Facebook's fastText 0.9.2 `cbow`, 2 threads, its
 *    defaults but `-epoch 1`, on a seeded synthetic corpus of 5,000 words): the file, `wordvec import`
 *    into a store (time, size on disk), and one out-of-vocabulary word answered from the store in a
 *    fresh process (time, bytes of table read, resident memory) beside `fasttext print-word-vectors`
 *    answering the same word (time, resident memory: it loads the whole model). Also: how many buckets
 *    some vocabulary n-gram reaches, and what zeroing the others would change for OOV words (we keep
 *    all of them, so our OOV vectors are fastText's).
 * 2. Building a learned table for a word-only model of 400,000 words (issue 13's bar: ≤ 60 s on 2
 *    cores): `fitSubwordTable` as `wordvec oov-index` runs it, on synthetic unit rows
 *    (`WORDVEC_BENCH_SUBWORD_DIM`, default 300), and its size on disk and in memory.
 * The machine is shared: figures are noisy.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  charNgrams,
  createRandom,
  DEFAULT_SUBWORD_SPEC,
  fitSubwordTable,
  loadFastTextBin,
} from '@wordvec/embeddings';
import { VectorStore } from '@wordvec/vector-store';
import { normaliseRows, syntheticMatrix, syntheticWord } from '../synthetic.js';
import { type BenchRow, printTable } from '../table.js';

const benchDir = fileURLToPath(new URL('../', import.meta.url));
const MB = 1e6;

function hasFastText(): boolean {
  return spawnSync('fasttext', [], { stdio: 'ignore' }).error === undefined;
}

/** Runs a command under /usr/bin/time: wall seconds and max resident set size in MB. */
function timed(
  cmd: string,
  args: string[],
  input?: string,
  cwd?: string,
): { seconds: number; rssMb: number; stdout: string } {
  const started = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', cmd, ...args], {
    input,
    encoding: 'utf8',
    cwd,
    maxBuffer: 1 << 26,
  });
  const seconds = (performance.now() - started) / 1000;
  if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr}`);
  const kb = Number(r.stderr.trim().split('\n').pop());
  return { seconds, rssMb: (kb * 1024) / MB, stdout: r.stdout };
}

const cosine = (a: Float32Array, b: Float32Array) => {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += a[i] * b[i];
    aa += a[i] * a[i];
    bb += b[i] * b[i];
  }
  return ab / Math.sqrt(aa * bb);
};

async function fastTextPart(rows: BenchRow[], dir: string): Promise<void> {
  const rand = createRandom(20);
  const vocab = Array.from({ length: 5000 }, (_, i) => syntheticWord(i));
  const lines = Array.from({ length: 20_000 }, () =>
    Array.from({ length: 20 }, () => vocab[Math.floor(rand() ** 2 * vocab.length)]).join(' '),
  );
  writeFileSync(join(dir, 'corpus.txt'), `${lines.join('\n')}\n`);
  const train = timed('fasttext', [
    'cbow',
    ...[
      '-input',
      join(dir, 'corpus.txt'),
      '-output',
      join(dir, 'ft'),
      '-epoch',
      '1',
      '-thread',
      '2',
      '-verbose',
      '0',
    ],
  ]);
  const bin = join(dir, 'ft.bin');
  rows.push({
    metric: 'fastText model: 2M buckets × 100, file size',
    ours: statSync(bin).size / MB,
    unit: 'MB',
  });
  rows.push({
    metric: '(fastText cbow training of it, 400k tokens)',
    ours: '—',
    peerName: 'fastText',
    peer: train.seconds,
    unit: 's',
  });

  const storePath = join(dir, 'store.db');
  const importStarted = performance.now();
  const store = VectorStore.open(storePath);
  const info = await store.importFile(bin, { name: 'ft' });
  store.close();
  const importS = (performance.now() - importStarted) / 1000;
  rows.push({
    metric: 'wordvec import x.bin (vectors + 2M buckets + word rows + output)',
    ours: importS,
    unit: 's',
  });
  rows.push({ metric: 'store size on disk (whole model)', ours: statSync(storePath).size / MB, unit: 'MB' });
  rows.push({
    metric: 'subword table on disk (rows + per-row checksums)',
    ours: (info.subword?.bytes ?? 0) / MB,
    unit: 'MB',
  });

  // One OOV word, fresh processes, interleaved: ours (open store, resolve) and fastText's tool.
  const word = 'unseenwordzq';
  const script = `
import { VectorStore } from '@wordvec/vector-store';
const t = performance.now();
const s = VectorStore.open(${JSON.stringify(storePath)}, { readonly: true });
const m = s.model('ft');
const r = m.resolve(${JSON.stringify(word)}, { subword: true });
const ms = performance.now() - t;
const t2 = performance.now();
m.resolve('anotherunseenwordx', { subword: true });
console.log(JSON.stringify({ ms, second: performance.now() - t2, bytes: m.subwords().bytesRead, how: r.resolution.how }));
`;
  const ours: { seconds: number; rssMb: number; ms: number; second: number; bytes: number }[] = [];
  const theirs: { seconds: number; rssMb: number }[] = [];
  for (let round = 0; round < 3; round++) {
    const o = timed(process.execPath, ['--input-type=module', '-e', script], undefined, benchDir);
    ours.push({ ...o, ...JSON.parse(o.stdout) });
    theirs.push(timed('fasttext', ['print-word-vectors', bin], `${word}\n`));
  }
  const med = <T>(xs: T[], f: (x: T) => number) => xs.map(f).sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  rows.push({
    metric: 'one OOV word from a cold process: wall time',
    ours: med(ours, (x) => x.seconds),
    peerName: 'fastText print-word-vectors',
    peer: med(theirs, (x) => x.seconds),
    unit: 's',
  });
  rows.push({
    metric: 'one OOV word: max resident memory of the process',
    ours: med(ours, (x) => x.rssMb),
    peerName: 'fastText print-word-vectors',
    peer: med(theirs, (x) => x.rssMb),
    unit: 'MB',
  });
  rows.push({
    metric: 'one OOV word: open + resolve inside the process',
    ours: med(ours, (x) => x.ms),
    unit: 'ms',
  });
  rows.push({ metric: 'next OOV word, same process', ours: med(ours, (x) => x.second), unit: 'ms' });
  rows.push({
    metric: 'table bytes read for the two words',
    ours: med(ours, (x) => x.bytes) / 1e3,
    unit: 'KB',
  });

  // Buckets reached by some vocabulary n-gram, and what zeroing the rest would change.
  const ft = loadFastTextBin(bin);
  const spec = ft.subwords.spec;
  const reached = new Uint8Array(spec.bucket);
  for (const w of ft.vectors.words) for (const g of charNgrams(w, spec)) reached[g.row] = 1;
  const kept = reached.reduce((s, v) => s + v, 0);
  rows.push({
    metric: 'buckets some vocabulary n-gram reaches',
    ours: `${kept} of ${spec.bucket} (${((100 * kept) / spec.bucket).toFixed(1)} %)`,
  });
  const { dim } = ft.subwords;
  const pruned = ft.subwords.rows.slice();
  for (let r = 0; r < spec.bucket; r++) if (!reached[r]) pruned.fill(0, r * dim, (r + 1) * dim);
  const oov = Array.from(
    { length: 500 },
    (_, i) => `${syntheticWord(i * 7)}${'xqz'[i % 3]}${syntheticWord(i + 11).slice(0, 3)}`,
  );
  let sum = 0;
  let n = 0;
  for (const w of oov) {
    const rowsOf = ft.subwords.rowsOf(w);
    if (rowsOf.length === 0) continue;
    const exact = ft.subwords.estimate(w) as Float32Array;
    const cut = new Float32Array(dim);
    for (const r of rowsOf) for (let d = 0; d < dim; d++) cut[d] += pruned[r * dim + d];
    sum += cosine(exact, cut);
    n++;
  }
  rows.push({
    metric: 'OOV words (500): mean cosine, unreached buckets zeroed vs kept',
    ours: (sum / n).toFixed(5),
    bar: 'we keep all: 1 (fastText exactly)',
  });
}

function learnedPart(rows: BenchRow[], dir: string): void {
  const dim = Number(process.env.WORDVEC_BENCH_SUBWORD_DIM ?? 300);
  const n = 400_000;
  const words = Array.from({ length: n }, (_, i) => syntheticWord(i));
  const unit = normaliseRows(syntheticMatrix(n, dim, 3), dim);
  const started = performance.now();
  const table = fitSubwordTable({ words, dim, unit }, { ...DEFAULT_SUBWORD_SPEC, epochs: 10 });
  const fitS = (performance.now() - started) / 1000;
  rows.push({
    metric: `learned table for 400k × ${dim} (fitSubwordTable, ${DEFAULT_SUBWORD_SPEC.bucket} buckets, 10 epochs)`,
    ours: fitS,
    unit: 's',
    bar: '≤ 60 s on 2 cores',
    pass: fitS <= 60,
  });
  rows.push({ metric: 'its size in memory while built', ours: table.rows.byteLength / MB, unit: 'MB' });
  const store = VectorStore.open(join(dir, 'learned.db'));
  store.putModel('w', { words, vectors: unit, dim });
  const t = performance.now();
  const info = store.putSubwords('w', { table, source: 'learned' });
  rows.push({ metric: 'storing it (putSubwords)', ours: (performance.now() - t) / 1000, unit: 's' });
  rows.push({ metric: 'its size on disk', ours: (info?.bytes ?? 0) / MB, unit: 'MB' });
  store.close();
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'wordvec-bench-subwords-'));
  try {
    const rows: BenchRow[] = [];
    if (hasFastText()) await fastTextPart(rows, dir);
    else rows.push({ metric: 'fastText part', ours: 'skipped: apt-get install -y fasttext' });
    if (process.env.WORDVEC_BENCH_QUICK !== '1') learnedPart(rows, dir);
    printTable('subword tables in the store (machine shared with other engineers: noisy)', rows);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
