/**
 * worker_threads entry of the GloVe trainer: runs the SIMD kernel (glove-kernel-wat.ts) or
 * {@link gloveAdaGradPass} over its slice of the shuffled records, updating the weight and accumulator matrices that every worker shares through
 * SharedArrayBuffer, without locks (as glove.c's threads do: collisions on a row are rare and harmless
 * to SGD). Started by `glove.ts` with `workerEntry('train/glove/glove-worker')`.
 *
 * Protocol: the parent posts `{ start, end }` for each epoch; the worker answers `{ cost, done, aborted }`.
 * It checks the shared abort flag between blocks of records (a few milliseconds each), so an abort is
 * seen well within a second.
 */
import { closeSync, openSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { type WasmMemory, type WasmModule, webAssembly } from '../../wasm/runtime.js';
import {
  GLOVE_RECORD_BYTES,
  gloveAdaGradPass,
  gloveParameterFloats,
  viewGloveParameters,
  viewGloveRecords,
} from './glove-kernel.js';
import { readGloveRecords } from './glove-shuffle.js';

/** What `glove.ts` hands each worker. */
export interface GloveWorkerData {
  vocabSize: number;
  dim: number;
  /** The shared region: the parameters from byte 0 (`viewGloveParameters`), then records or per-worker blocks. */
  buffer: SharedArrayBuffer;
  /** The same region as a WebAssembly memory, when the SIMD kernel is to run. */
  memory?: WasmMemory;
  /** The compiled SIMD kernel (glove-kernel-wat.ts, compiled once by the trainer), with `memory`. */
  module?: WasmModule;
  /** Int32 slots: [0] abort flag, [1 + w] records done in the current epoch by worker w. */
  control: SharedArrayBuffer;
  index: number;
  eta: number;
  gradClip: number;
  /** Records per block between abort checks (and per file read). */
  blockRecords: number;
  /** The records: in the region at byte `offset`, or a record file read into this worker's block. */
  records: { offset: number; length: number } | { path: string; length: number; blockOffset: number };
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
const params = viewGloveParameters(
  new Float32Array(data.buffer, 0, gloveParameterFloats(data.vocabSize, data.dim)),
  data.vocabSize,
  data.dim,
);
const control = new Int32Array(data.control);
const slot = 1 + data.index;
const source = data.records;
const fromFile = 'path' in source;
/** Byte offset of the records the kernel reads: all of them, or this worker's block. */
const base = fromFile ? source.blockOffset : source.offset;
const records = viewGloveRecords(data.buffer, fromFile ? data.blockRecords : source.length, base);
const fd = fromFile ? openSync(source.path, 'r') : -1;

type WasmPass = (
  rec: number,
  count: number,
  w: number,
  g: number,
  ctxBytes: number,
  dim: number,
  strideBytes: number,
  eta: number,
  clip: number,
) => number;

function instantiateKernel(module: WasmModule, memory: WasmMemory): WasmPass | undefined {
  if (!webAssembly) return undefined;
  const instance = new webAssembly.Instance(module, { env: { memory } });
  return (instance.exports as { pass: WasmPass }).pass;
}

const wasmPass = data.memory && data.module ? instantiateKernel(data.module, data.memory) : undefined;
const strideBytes = params.stride * 4;
const ctxBytes = data.vocabSize * strideBytes;

/** Runs records [from, to) of the block or region starting at record `first`. */
function pass(first: number, from: number, to: number): number {
  if (wasmPass) {
    return wasmPass(
      base + first * GLOVE_RECORD_BYTES,
      to - from,
      params.weights.byteOffset,
      params.gradSq.byteOffset,
      ctxBytes,
      data.dim,
      strideBytes,
      data.eta,
      data.gradClip,
    );
  }
  return gloveAdaGradPass(params, records, first, first + (to - from), data.eta, data.gradClip);
}

function runEpoch(start: number, end: number): GloveEpochResult {
  let cost = 0;
  let done = 0;
  Atomics.store(control, slot, 0);
  for (let from = start; from < end; from += data.blockRecords) {
    if (Atomics.load(control, 0) !== 0) return { cost, done, aborted: true };
    const to = Math.min(end, from + data.blockRecords);
    if (fromFile) {
      const n = readGloveRecords(fd, records, from, to - from);
      cost += pass(0, from, from + n);
    } else {
      cost += pass(from, from, to);
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
