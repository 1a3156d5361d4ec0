/**
 * `wordvec download` against `wordvec import` of the same file, and the Procrustes alignment of
 * `/compare` (issue 19).
 *
 * Download: a GloVe-like gzip fixture (the synthetic 100,000 × 50 text file, gzipped: what
 * glove-wiki-gigaword-50 is, at a quarter of its rows) served by a node:http server on 127.0.0.1;
 * `wordvec download NAME --from URL --md5 …` (streamed through gunzip and the reader into the store,
 * md5 checked before the model is visible, the default resume copy kept) against `wordvec import
 * FILE.gz`, each the built CLI in its own process (start-up included in both), 7 pairs run back to back
 * in alternating order (import first, then download first, …) so both see the same load; the ratio is the
 * median of the 7 pairs' ratios, in wall seconds and in CPU seconds of the CLI process (read by a preload
 * hook as it exits: steadier on a loaded machine; the loopback server's share, which a real download
 * spends on the server's machine, is printed beside), the MB/s the medians of each. MB/s are of the gzip
 * bytes. Bar: the download path costs ≤ 10 % more time. Peer in
 * the same run: what gensim's `api.load` does (urllib to a file, then `load_word2vec_format`) against
 * gensim loading the file already on disk, timed inside Python (imports excluded).
 *
 * Alignment: two 100,000-word models (B = A rotated, plus noise), `alignOnto` with the default
 * 10,000 shared words and with all 100,000, in memory and from a store; peer numpy's SVD Procrustes
 * (Hamilton et al.'s code: `u, _, v = svd(B.T @ A); W = u @ v`) on the same rows. Timed in CPU seconds of
 * this process (numpy's in its process's), as the machine is shared; wall seconds are printed beside.
 * Bar: ≤ 5 s.
 *
 * The machine is shared: these figures are noisy (several processes compete for 2 cores).
 * `WORDVEC_BENCH_QUICK=1`: one run each, 50 dimensions only.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  createReadStream,
  createWriteStream,
  existsSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createGzip } from 'node:zlib';
import { createRandom, KeyedVectors, type ModelAlignment } from '@wordvec/embeddings';
import { VectorStore } from '@wordvec/vector-store';
import { runGensim } from '../peers.js';
import { syntheticGloveFile, syntheticMatrix, syntheticWord } from '../synthetic.js';
import { type BenchRow, median, printTable } from '../table.js';

const QUICK = process.env.WORDVEC_BENCH_QUICK === '1';
const RUNS = QUICK ? 1 : 3;
/** Import/download pairs whose ratios give the median ratio (odd, so the median is one pair's). */
const PAIRS = QUICK ? 1 : 7;
const CLI = fileURLToPath(new URL('../../apps/cli/dist/main.js', import.meta.url));
const ROWS = 100_000;

async function gzFixture(): Promise<{ path: string; md5: string; bytes: number }> {
  const text = await syntheticGloveFile(ROWS, 50);
  const path = `${text}.gz`;
  if (!existsSync(path)) {
    await pipeline(createReadStream(text), createGzip(), createWriteStream(`${path}.tmp`));
    renameSync(`${path}.tmp`, path);
  }
  const md5 = createHash('md5');
  await pipeline(createReadStream(path), md5);
  return { path, md5: md5.digest('hex'), bytes: statSync(path).size };
}

/** Loaded before the CLI: writes the process's CPU seconds (all its threads) to a file as it exits. */
const CPU_PRELOAD = `import { writeFileSync } from 'node:fs';
process.on('exit', () => {
  const c = process.cpuUsage();
  writeFileSync(process.env.WORDVEC_BENCH_CPU_FILE, String((c.user + c.system) / 1e6));
});
`;

/**
 * Runs the built CLI in its own process (async: the loopback server lives in this one) and times it:
 * wall seconds, CPU seconds of the CLI process (all its threads), and this process's CPU seconds
 * meanwhile (the loopback server's share, which a real download spends on someone else's machine).
 */
async function cli(args: string[], cwd: string): Promise<{ wall: number; cpu: number; server: number }> {
  const preload = join(cwd, 'cpu-preload.mjs');
  const cpuFile = join(cwd, 'cpu.txt');
  if (!existsSync(preload)) writeFileSync(preload, CPU_PRELOAD);
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const child = spawn(process.execPath, ['--import', pathToFileURL(preload).href, CLI, ...args, '--quiet'], {
    cwd,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, WORDVEC_BENCH_CPU_FILE: cpuFile },
  });
  let stderr = '';
  child.stderr.on('data', (b: Buffer) => {
    stderr += b;
  });
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new Error(`wordvec ${args[0]} failed: ${stderr}`);
  const wall = (performance.now() - t0) / 1000;
  const here = process.cpuUsage(c0);
  return { wall, cpu: Number(readFileSync(cpuFile, 'utf8')), server: (here.user + here.system) / 1e6 };
}

const GENSIM_DOWNLOAD = `
import json, sys, time, urllib.request, tempfile, os
from gensim.models import KeyedVectors
url, path = sys.argv[1], sys.argv[2]
t0 = time.perf_counter()
KeyedVectors.load_word2vec_format(path, binary=False, no_header=True)
t1 = time.perf_counter()
fd, tmp = tempfile.mkstemp(suffix='.gz'); os.close(fd)
urllib.request.urlretrieve(url, tmp)
KeyedVectors.load_word2vec_format(tmp, binary=False, no_header=True)
t2 = time.perf_counter()
os.remove(tmp)
print(json.dumps({'load': t1 - t0, 'download': t2 - t1}))
`;

async function downloadRows(): Promise<BenchRow[]> {
  if (!existsSync(CLI)) throw new Error(`build the CLI first (pnpm build): ${CLI} is missing`);
  const fixture = await gzFixture();
  const server = createServer((req, res) => {
    if (req.url !== '/model.txt.gz') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-length': fixture.bytes, 'content-type': 'application/gzip' });
    createReadStream(fixture.path).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/model.txt.gz`;
  const dir = mkdtempSync(join(tmpdir(), 'wordvec-bench-download-'));
  const imports: { wall: number; cpu: number; server: number }[] = [];
  const downloads: { wall: number; cpu: number; server: number }[] = [];
  let peer: { load: number; download: number } | undefined;
  try {
    for (let i = 0; i < PAIRS; i++) {
      const plain = () =>
        cli(
          [
            'import',
            fixture.path,
            '--name',
            `plain${i}`,
            '--format',
            'glove',
            '--store',
            join(dir, `i${i}.db`),
          ],
          dir,
        );
      const fetched = () =>
        cli(
          ['download', `fetched${i}`, '--from', url, '--md5', fixture.md5, '--store', join(dir, `d${i}.db`)],
          dir,
        );
      // Alternate which goes first, so a load that rises or falls across a pair favours neither.
      if (i % 2 === 0) {
        imports.push(await plain());
        downloads.push(await fetched());
      } else {
        downloads.push(await fetched());
        imports.push(await plain());
      }
    }
    // The same file served again, for gensim (its server runs in this process, so run it async).
    peer = await new Promise((resolve, reject) => {
      const child = spawn('/usr/bin/python3', ['-c', GENSIM_DOWNLOAD, url, fixture.path], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout.on('data', (b: Buffer) => {
        out += b;
      });
      child.on('error', () => resolve(undefined));
      child.on('exit', (code: number) => {
        if (code !== 0) return resolve(undefined);
        try {
          resolve(JSON.parse(out.trim().split('\n').at(-1) as string));
        } catch (error) {
          reject(error);
        }
      });
    });
  } finally {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const mb = fixture.bytes / 1e6;
  const imp = median(imports.map((x) => x.wall));
  const dl = median(downloads.map((x) => x.wall));
  const pairRatios = downloads.map((d, i) => d.wall / imports[i].wall);
  const ratio = median(pairRatios);
  const cpuRatios = downloads.map((d, i) => d.cpu / imports[i].cpu);
  const cpuRatio = median(cpuRatios);
  const peerRatio = peer ? peer.download / peer.load : undefined;
  console.log(
    `fixture: ${ROWS.toLocaleString('en-US')} × 50 GloVe text, ${mb.toFixed(1)} MB gzip; ${PAIRS} pairs, ratio the median of the pairs' ratios, wall ${pairRatios.map((x) => x.toFixed(2)).join(' ')}, CPU ${cpuRatios.map((x) => x.toFixed(2)).join(' ')}; runs (wall s / CPU s) import ${imports.map((x) => `${x.wall.toFixed(2)}/${x.cpu.toFixed(2)}`).join(' ')}, download ${downloads.map((x) => `${x.wall.toFixed(2)}/${x.cpu.toFixed(2)}`).join(' ')}; the loopback server's CPU s per download ${downloads.map((x) => x.server.toFixed(2)).join(' ')}`,
  );
  return [
    {
      metric: 'import FILE.gz (gzip MB/s)',
      ours: mb / imp,
      peer: peer ? mb / peer.load : undefined,
      peerName: 'gensim load_word2vec_format',
      unit: 'MB/s',
    },
    {
      metric: 'download from 127.0.0.1 + import (gzip MB/s)',
      ours: mb / dl,
      peer: peer ? mb / peer.download : undefined,
      peerName: 'gensim: urlretrieve + load',
      unit: 'MB/s',
    },
    {
      metric: `download time / import time (median of ${PAIRS} pairs)`,
      ours: ratio,
      peer: peerRatio,
      peerName: 'gensim, same ratio',
      bar: '≤ 1.10',
      pass: ratio <= 1.1,
    },
    {
      // The same pairs in CPU seconds of the CLI process (the server's share is printed above): what the
      // machine's load moves less than wall time.
      metric: `download CPU time / import CPU time, the CLI process (median of ${PAIRS} pairs)`,
      ours: cpuRatio,
      bar: '≤ 1.10',
      pass: cpuRatio <= 1.1,
    },
  ];
}

/** A random orthogonal dim × dim matrix (Gram–Schmidt on a Gaussian one). */
function randomRotation(dim: number, seed: number): Float64Array {
  const rand = createRandom(seed);
  const q = Float64Array.from(
    { length: dim * dim },
    () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand()),
  );
  for (let j = 0; j < dim; j++) {
    for (let i = 0; i < j; i++) {
      let d = 0;
      for (let r = 0; r < dim; r++) d += q[r * dim + i] * q[r * dim + j];
      for (let r = 0; r < dim; r++) q[r * dim + j] -= d * q[r * dim + i];
    }
    let n = 0;
    for (let r = 0; r < dim; r++) n += q[r * dim + j] ** 2;
    for (let r = 0; r < dim; r++) q[r * dim + j] /= Math.sqrt(n);
  }
  return q;
}

const NUMPY_PROCRUSTES = `
import json, sys, time, numpy as np
a = np.fromfile(sys.argv[1], dtype=np.float32).reshape(-1, int(sys.argv[3]))
b = np.fromfile(sys.argv[2], dtype=np.float32).reshape(-1, int(sys.argv[3]))
out = {}
for n in (10000, a.shape[0]):
    t0 = time.process_time()
    am = a[:n] / np.linalg.norm(a[:n], axis=1, keepdims=True)
    bm = b[:n] / np.linalg.norm(b[:n], axis=1, keepdims=True)
    u, _, v = np.linalg.svd(bm.T.astype(np.float64) @ am.astype(np.float64))
    w = u @ v
    out[str(n)] = time.process_time() - t0
print(json.dumps(out))
`;

async function alignmentRows(dim: number, runs: number): Promise<BenchRow[]> {
  const words = Array.from({ length: ROWS }, (_, i) => syntheticWord(i));
  const a = syntheticMatrix(ROWS, dim, 1);
  const w = randomRotation(dim, 2);
  const noise = syntheticMatrix(ROWS, dim, 3);
  const b = new Float32Array(ROWS * dim);
  for (let r = 0; r < ROWS; r++) {
    for (let j = 0; j < dim; j++) {
      let x = 0;
      for (let k = 0; k < dim; k++) x += a[r * dim + k] * w[k * dim + j];
      b[r * dim + j] = x + 0.05 * noise[r * dim + j];
    }
  }
  const ka = new KeyedVectors({ words, vectors: a, dim });
  const kb = new KeyedVectors({ words, vectors: b, dim });
  const dir = mkdtempSync(join(tmpdir(), 'wordvec-bench-align-'));
  const rows: BenchRow[] = [];
  try {
    const store = VectorStore.open(join(dir, 's.db'));
    store.putModel('a', ka);
    store.putModel('b', kb);
    const sa = store.model('a');
    const sb = store.model('b');
    await sa.load();
    await sb.load();
    writeFileSync(join(dir, 'a.f32'), Buffer.from(a.buffer));
    writeFileSync(join(dir, 'b.f32'), Buffer.from(b.buffer));
    const peer = runGensim<Record<string, number>>(NUMPY_PROCRUSTES, [
      join(dir, 'a.f32'),
      join(dir, 'b.f32'),
      String(dim),
    ]);
    for (const maxWords of [10_000, ROWS]) {
      // Median CPU and wall seconds of `runs` fits, and the last fit.
      const time = async (run: () => Promise<ModelAlignment>) => {
        const cpu: number[] = [];
        const wall: number[] = [];
        let fit: ModelAlignment | undefined;
        for (let i = 0; i < runs; i++) {
          const c0 = process.cpuUsage();
          const t0 = performance.now();
          fit = await run();
          const c = process.cpuUsage(c0);
          wall.push((performance.now() - t0) / 1000);
          cpu.push((c.user + c.system) / 1e6);
        }
        return { cpu: median(cpu), wall: median(wall), fit: fit as ModelAlignment };
      };
      const inMemory = await time(() => kb.alignOnto(ka, { maxWords }));
      const fromStore = await time(() => sb.alignOnto(sa, { maxWords }));
      const memory = inMemory.cpu;
      const stored = fromStore.cpu;
      const fit = fromStore.fit;
      const label = `${ROWS / 1000}k × ${dim}, fit on ${maxWords.toLocaleString('en-US')} shared words`;
      console.log(
        `${label}: mean cosine after alignment ${fit.meanCosineAfter.toFixed(4)} (before ${fit.meanCosineBefore.toFixed(4)}); wall s in memory ${inMemory.wall.toFixed(2)}, stored ${fromStore.wall.toFixed(2)}`,
      );
      const p = peer?.[String(maxWords)];
      rows.push(
        {
          metric: `alignOnto, in memory, ${label} (CPU s)`,
          ours: memory,
          peer: p,
          peerName: 'numpy svd Procrustes (CPU s)',
          unit: 's',
          bar: '≤ 5 s',
          pass: memory <= 5,
        },
        {
          metric: `alignOnto, stored models, ${label} (CPU s)`,
          ours: stored,
          peer: p,
          peerName: 'numpy svd Procrustes (CPU s)',
          unit: 's',
          bar: '≤ 5 s',
          pass: stored <= 5,
        },
      );
    }
    store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

export async function run(): Promise<void> {
  console.log('(figures are noisy: the machine is shared with other work)');
  printTable('wordvec download vs import of the same gzip file (loopback server)', await downloadRows());
  const rows = await alignmentRows(50, RUNS);
  if (!QUICK) rows.push(...(await alignmentRows(300, RUNS)));
  printTable('Procrustes alignment of two 100k-word models (/compare, wordvec compare)', rows);
}
