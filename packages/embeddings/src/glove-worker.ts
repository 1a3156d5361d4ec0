/**
 * worker_threads entry of the GloVe trainer: runs {@link gloveAdaGradPass} over its slice of the shuffled
 * records, updating the weight and accumulator matrices that every worker shares through
 * SharedArrayBuffer, without locks (as glove.c's threads do: collisions on a row are rare and harmless
 * to SGD). Started by `glove.ts` with `workerEntry('glove-worker', import.meta.url)`.
 *
 * Protocol: the parent posts `{ start, end }` for each epoch; the worker answers `{ cost, done, aborted }`.
 * It checks the shared abort flag between blocks of records (a few milliseconds each), so an abort is
 * seen well within a second.
 */
import { closeSync, openSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import {
  allocGloveRecords,
  type GloveParameters,
  gloveAdaGradPass,
  viewGloveRecords,
} from './glove-kernel.js';
import { readGloveRecords } from './glove-shuffle.js';

/** What `glove.ts` hands each worker. */
export interface GloveWorkerData {
  vocabSize: number;
  dim: number;
  weights: SharedArrayBuffer;
  gradSq: SharedArrayBuffer;
  /** Int32 slots: [0] abort flag, [1 + w] records done in the current epoch by worker w. */
  control: SharedArrayBuffer;
  index: number;
  eta: number;
  gradClip: number;
  /** Records per block between abort checks (and per file read). */
  blockRecords: number;
  /** The records: shared memory, or a record file read block by block. */
  records: { buffer: SharedArrayBuffer; length: number } | { path: string; length: number };
}

/** An epoch's slice, posted by the parent. */
export interface GloveEpochRequest {
  start: number;
  end: number;
}

/** The worker's answer to a {@link GloveEpochRequest}. */
export interface GloveEpochResult {
  cost: number;
  done: number;
  aborted: boolean;
}

const data = workerData as GloveWorkerData;
const params: GloveParameters = {
  vocabSize: data.vocabSize,
  dim: data.dim,
  weights: new Float32Array(data.weights),
  gradSq: new Float32Array(data.gradSq),
};
const control = new Int32Array(data.control);
const slot = 1 + data.index;
const source = data.records;
const inMemory = 'buffer' in source ? viewGloveRecords(source.buffer, source.length) : undefined;
const block = inMemory ? undefined : allocGloveRecords(data.blockRecords);
const fd = 'path' in source ? openSync(source.path, 'r') : -1;

function runEpoch(start: number, end: number): GloveEpochResult {
  let cost = 0;
  let done = 0;
  Atomics.store(control, slot, 0);
  for (let from = start; from < end; from += data.blockRecords) {
    if (Atomics.load(control, 0) !== 0) return { cost, done, aborted: true };
    const to = Math.min(end, from + data.blockRecords);
    if (inMemory) {
      cost += gloveAdaGradPass(params, inMemory, from, to, data.eta, data.gradClip);
    } else if (block) {
      const n = readGloveRecords(fd, block, from, to - from);
      cost += gloveAdaGradPass(params, block, 0, n, data.eta, data.gradClip);
    }
    done += to - from;
    Atomics.store(control, slot, done);
  }
  return { cost, done, aborted: false };
}

parentPort?.on('message', (msg: GloveEpochRequest | 'close') => {
  if (msg === 'close') {
    if (fd >= 0) closeSync(fd);
    parentPort?.close();
    return;
  }
  parentPort?.postMessage(runEpoch(msg.start, msg.end));
});
