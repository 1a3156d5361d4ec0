/**
 * worker_threads entry of the fastText trainer. Each worker takes sentence-aligned blocks of the token ids
 * from a shared counter, round after round over the corpus, and trains them on the shared input and output
 * matrices without locks (as fastText's threads do), until all workers together have read epoch × ntokens
 * tokens (fastText `FastText::keepTraining`); a streamed corpus comes instead as chunks, one job each. It
 * publishes the tokens it read through Atomics, so every worker derives the same linearly decaying learning
 * rate.
 *
 * Protocol: workerData is a {@link FastTextWorkerData}; each message is a {@link FastTextJob}; the worker
 * answers each job with a {@link FastTextWorkerResult}.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { seedState } from '../../random.js';
import { webAssembly } from '../../wasm/runtime.js';
import {
  CONTROL_ABORT,
  CONTROL_LR_BITS,
  CONTROL_NEXT_BLOCK,
  createFastTextKernel,
  type FastTextJob,
  type FastTextWorkerData,
  type FastTextWorkerResult,
  fastTextLearningRate,
  TOKENS_PER_UPDATE,
  trainSpan,
} from './fasttext-kernel.js';

interface WasmKernel {
  init(...args: number[]): void;
  train_span(
    ids: number,
    pos: number,
    end: number,
    alpha: number,
    done: number,
    invPlanned: number,
    budget: number,
  ): number;
  words_read(): number;
}

const data = workerData as FastTextWorkerData;
const { layout } = data;
const buffer = data.memory.buffer;
const control = new Int32Array(data.control);
const tokensDone = new BigInt64Array(data.tokensDone);
const lrBits = new Float32Array(1);
const lrBitsInt = new Int32Array(lrBits.buffer);
const scratch = layout.scratch + data.worker * layout.scratchBytes;

let wasm: WasmKernel | undefined;
if (data.kernel === 'wasm-simd' && data.module && webAssembly) {
  wasm = new webAssembly.Instance(data.module, { env: { memory: data.memory } })
    .exports as unknown as WasmKernel;
  wasm.init(
    data.dim,
    data.window,
    data.negative,
    data.sg ? 1 : 0,
    layout.input,
    layout.output,
    layout.subOffsets,
    layout.subRows,
    layout.alias,
    layout.words,
    layout.discard,
    layout.sigmoid,
    scratch,
    data.eos,
    data.seed >>> 0,
  );
}
const kernel = wasm
  ? undefined
  : createFastTextKernel({
      dim: data.dim,
      window: data.window,
      negative: data.negative,
      sg: data.sg,
      input: new Float32Array(buffer, layout.input, layout.inputRows * data.dim),
      output: new Float32Array(buffer, layout.output, layout.words * data.dim),
      subOffsets: new Int32Array(buffer, layout.subOffsets, layout.words + 1),
      subRows: new Int32Array(buffer, layout.subRows, layout.subRowCount),
      aliasProb: new Float32Array(buffer, layout.alias, 2 * layout.words),
      aliasIds: new Int32Array(buffer, layout.alias, 2 * layout.words),
      discard: new Float32Array(buffer, layout.discard, layout.words),
      eos: data.eos,
      rng: seedState(data.seed),
    });
const chunkAddress = layout.ids + data.worker * layout.chunkTokens * 4;

/**
 * Trains ids [pos, end) at byte address `address` (`ids` its view, for the JavaScript kernel) in spans of
 * TOKENS_PER_UPDATE tokens. Returns the tokens read, or −1 − tokens when an abort stopped it; stops early
 * once all workers together have read epoch × ntokens tokens.
 */
function trainRange(address: number, ids: Int32Array | undefined, pos: number, end: number): number {
  const { plannedTokens, alpha } = data;
  const invPlanned = 1 / plannedTokens;
  let tokens = 0;
  while (pos < end) {
    if (Atomics.load(control, CONTROL_ABORT) !== 0) return -1 - tokens;
    const done = Number(Atomics.load(tokensDone, 0));
    if (done >= plannedTokens) break;
    const budget = Math.min(TOKENS_PER_UPDATE, plannedTokens - done);
    let read: number;
    if (wasm) {
      pos = wasm.train_span(address, pos, end, alpha, done, invPlanned, budget);
      read = wasm.words_read();
    } else {
      pos = trainSpan(kernel!, ids!, pos, end, alpha, done, plannedTokens, budget);
      read = kernel!.wordsRead;
    }
    tokens += read;
    Atomics.add(tokensDone, 0, BigInt(read));
    lrBits[0] = fastTextLearningRate(alpha, done + read, plannedTokens);
    Atomics.store(control, CONTROL_LR_BITS, lrBitsInt[0]);
  }
  return tokens;
}

function run(job: FastTextJob): FastTextWorkerResult {
  if (job.chunk) {
    new Int32Array(buffer, chunkAddress, job.chunk.length).set(job.chunk);
    const ids = wasm ? undefined : new Int32Array(buffer, chunkAddress, job.chunk.length);
    const n = trainRange(chunkAddress, ids, 0, job.chunk.length);
    return n < 0 ? { tokens: -1 - n, aborted: true } : { tokens: n, aborted: false };
  }
  // Every worker takes the next block of the whole corpus, round after round, so all parts of the corpus
  // are seen at every learning rate however unevenly the threads progress.
  const { blocks } = job;
  const count = blocks.length - 1;
  const ids = wasm ? undefined : new Int32Array(buffer, layout.ids, layout.idsLength);
  let tokens = 0;
  while (Number(Atomics.load(tokensDone, 0)) < data.plannedTokens) {
    const i = Atomics.add(control, CONTROL_NEXT_BLOCK, 1) % count;
    const n = trainRange(layout.ids, ids, blocks[i], blocks[i + 1]);
    if (n < 0) return { tokens: tokens - 1 - n, aborted: true };
    tokens += n;
  }
  return { tokens, aborted: false };
}

parentPort?.on('message', (job: FastTextJob) => {
  parentPort?.postMessage(run(job) satisfies FastTextWorkerResult);
});
