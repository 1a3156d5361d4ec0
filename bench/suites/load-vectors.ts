/**
 * Loading vector files: `loadVectors` on the synthetic 400,000 × 50 and 400,000 × 300 GloVe text files
 * (and the 50d matrix as word2vec binary), beside gensim 4's `KeyedVectors.load_word2vec_format` on the
 * same file in the same run, each timed around the load call only (process start and imports excluded).
 * Ours is the median of 3 loads for 50d, one load for 300d; gensim loads once (about 13.5 s and 75 s).
 * CPU seconds of each process are printed too: on a busy machine they say more than wall time.
 * Bars: the 50d text load ≥ 5× faster than gensim's (issue 2); the 50d text load ≤ 0.8 s (≥ 200 MB/s)
 * and the 50d word2vec binary load ≤ 0.4 s (issue 17). Both keep the first of a duplicate word, so both
 * hold the same words.
 *
 * `WORDVEC_BENCH_QUICK=1` skips the 300d file (about 1.2 GB, and gensim needs over a minute on it).
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { loadVectors, saveVectors } from '@wordvec/embeddings';
import { runGensim } from '../peers.js';
import { CACHE_DIR, syntheticGloveFile } from '../synthetic.js';
import { type BenchRow, median, printTable } from '../table.js';

const ROWS = 400_000;

const GENSIM_LOAD = `
import json, sys, time
from gensim.models import KeyedVectors
path, binary, no_header = sys.argv[1], sys.argv[2] == '1', sys.argv[3] == '1'
t0, c0 = time.perf_counter(), time.process_time()
kv = KeyedVectors.load_word2vec_format(path, binary=binary, no_header=no_header)
t1, c1 = time.perf_counter(), time.process_time()
# key_to_index, not index_to_key: gensim 4.2 leaves a None slot in index_to_key for each duplicate word
print(json.dumps({'seconds': t1 - t0, 'cpu': c1 - c0, 'size': len(kv.key_to_index)}))
`;

/** Wall-clock and CPU seconds (all threads of the process, GC included) of one load, and the words loaded. */
interface LoadTime {
  seconds: number;
  cpu: number;
  size: number;
}

async function timeLoad(path: string, runs: number): Promise<LoadTime & { bytes: number }> {
  const times: number[] = [];
  const cpus: number[] = [];
  let size = 0;
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const kv = await loadVectors(path);
    times.push((performance.now() - t0) / 1000);
    const c = process.cpuUsage(c0);
    cpus.push((c.user + c.system) / 1e6);
    size = kv.size;
  }
  return { seconds: median(times), cpu: median(cpus), size, bytes: statSync(path).size };
}

function gensimLoad(path: string, binary: boolean): LoadTime | undefined {
  return runGensim<LoadTime>(GENSIM_LOAD, [path, binary ? '1' : '0', binary ? '0' : '1']);
}

/** The 50d synthetic matrix as word2vec binary, written once with our writer. */
async function binaryFile(textPath: string): Promise<string> {
  const path = join(CACHE_DIR, `synthetic-${ROWS}x50-s1.w2v.bin`);
  if (!existsSync(path)) await saveVectors(await loadVectors(textPath), path, { format: 'word2vec-binary' });
  return path;
}

export async function run(): Promise<void> {
  const quick = process.env.WORDVEC_BENCH_QUICK === '1';
  const rows: BenchRow[] = [];
  const add = (
    metric: string,
    ours: LoadTime & { bytes: number },
    peer: LoadTime | undefined,
    bar?: number,
    most?: number,
  ) => {
    if (peer && peer.size !== ours.size)
      throw new Error(`${metric}: gensim loaded ${peer.size} words, we loaded ${ours.size}`);
    rows.push({
      metric,
      ours: ours.seconds,
      peer: peer?.seconds,
      peerName: 'gensim 4 load_word2vec_format',
      unit: 's',
      bar: bar ? `≥ ${bar}× faster` : undefined,
      pass: bar && peer ? peer.seconds / ours.seconds >= bar : undefined,
    });
    if (peer)
      rows.push({ metric: '  speed-up (wall)', ours: `${(peer.seconds / ours.seconds).toFixed(1)}×` });
    rows.push({
      metric: '  file bytes read per second (wall)',
      ours: `${(ours.bytes / 1e6 / ours.seconds).toFixed(0)} MB/s`,
      peer: peer ? `${(ours.bytes / 1e6 / peer.seconds).toFixed(0)} MB/s` : undefined,
      peerName: 'gensim',
    });
    if (most !== undefined)
      rows.push({
        metric: '  load time (wall), issue 17',
        ours: ours.seconds,
        unit: 's',
        bar: `≤ ${most} s`,
        pass: ours.seconds <= most,
      });
    rows.push({
      metric: '  CPU time of the load',
      ours: ours.cpu,
      peer: peer?.cpu,
      peerName: 'gensim',
      unit: 's',
    });
    if (peer) rows.push({ metric: '  speed-up (CPU)', ours: `${(peer.cpu / ours.cpu).toFixed(1)}×` });
  };

  const text50 = await syntheticGloveFile(ROWS, 50);
  add(`GloVe text ${ROWS} × 50 (median of 3)`, await timeLoad(text50, 3), gensimLoad(text50, false), 5, 0.8);

  const bin50 = await binaryFile(text50);
  add(
    `word2vec binary ${ROWS} × 50 (median of 3)`,
    await timeLoad(bin50, 3),
    gensimLoad(bin50, true),
    undefined,
    0.4,
  );

  if (quick) {
    rows.push({ metric: `GloVe text ${ROWS} × 300`, ours: 'skipped (WORDVEC_BENCH_QUICK=1)' });
  } else {
    const text300 = await syntheticGloveFile(ROWS, 300);
    add(`GloVe text ${ROWS} × 300 (1 load)`, await timeLoad(text300, 1), gensimLoad(text300, false));
  }
  printTable('loadVectors vs gensim load_word2vec_format (same files, same run)', rows);
}
