/**
 * worker_threads entry of the word2vec trainer. Each worker trains the ranges of token ids it is sent,
 * updating the shared syn0/syn1neg without locks (as word2vec.c's threads do), and publishes the raw
 * words it read through Atomics so every worker derives the same linearly decaying learning rate.
 *
 * Protocol: workerData is a {@link CbowWorkerData}; each message is a {@link CbowJob}; the worker answers
 * each job with a {@link CbowJobResult}.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { seedState } from '../../random.js';
import { webAssembly } from '../../wasm/runtime.js';
import {
  type CbowJob,
  type CbowJobResult,
  type CbowWorkerData,
  CONTROL_ABORT,
  CONTROL_ALPHA_BITS,
  CONTROL_NEXT_BLOCK,
  createKernel,
  learningRate,
  trainSpan,
  WORDS_PER_UPDATE,
} from './cbow-kernel.js';

interface WasmKernel {
  init(...args: number[]): void;
  train_span(ids: number, pos: number, end: number, alpha: number, budget: number): number;
  words_read(): number;
}

const data = workerData as CbowWorkerData;
const { layout } = data;
const buffer = data.memory.buffer;
const control = new Int32Array(data.control);
const wordsDone = new BigInt64Array(data.wordsDone);
const alphaBits = new Float32Array(1);
const alphaBitsInt = new Int32Array(alphaBits.buffer);
const scratch = layout.scratch + data.worker * layout.scratchBytes;
const chunkAddress = layout.ids + data.worker * layout.chunkTokens * 4;
const rows = layout.vocabSize * data.dim;

let wasm: WasmKernel | undefined;
if (data.kernel === 'wasm-simd' && data.module && webAssembly) {
  wasm = new webAssembly.Instance(data.module, { env: { memory: data.memory } })
    .exports as unknown as WasmKernel;
  wasm.init(
    data.dim,
    data.window,
    data.negative,
    data.sg ? 1 : 0,
    data.cbowMean ? 1 : 0,
    layout.syn0,
    layout.syn1neg,
    layout.alias,
    layout.vocabSize,
    layout.keep,
    layout.sigmoid,
    scratch,
    data.seed >>> 0,
  );
}
const kernel = createKernel({
  dim: data.dim,
  window: data.window,
  negative: data.negative,
  sg: data.sg,
  cbowMean: data.cbowMean,
  syn0: new Float32Array(buffer, layout.syn0, rows),
  syn1neg: new Float32Array(buffer, layout.syn1neg, rows),
  aliasProb: new Float32Array(buffer, layout.alias, 2 * layout.vocabSize),
  aliasIds: new Int32Array(buffer, layout.alias, 2 * layout.vocabSize),
  keep: new Float32Array(buffer, layout.keep, layout.vocabSize),
  rng: seedState(data.seed),
});

/**
 * Trains ids [pos, end) at `address` in spans of WORDS_PER_UPDATE raw words, each at the current learning rate.
 * Returns the raw words read, or −1 − words when an abort stopped it.
 */
function trainRange(address: number, ids: Int32Array | undefined, pos: number, end: number): number {
  let words = 0;
  while (pos < end) {
    if (Atomics.load(control, CONTROL_ABORT) !== 0) return -1 - words;
    const alpha = learningRate(
      data.alpha,
      data.minAlpha,
      Number(Atomics.load(wordsDone, 0)),
      data.plannedWords,
    );
    alphaBits[0] = alpha;
    Atomics.store(control, CONTROL_ALPHA_BITS, alphaBitsInt[0]);
    let read: number;
    if (wasm) {
      pos = wasm.train_span(address, pos, end, alpha, WORDS_PER_UPDATE);
      read = wasm.words_read();
    } else {
      pos = trainSpan(kernel, ids!, pos, end, alpha, WORDS_PER_UPDATE);
      read = kernel.wordsRead;
    }
    words += read;
    Atomics.add(wordsDone, 0, BigInt(read));
  }
  return words;
}

function run(job: CbowJob): CbowJobResult {
  let address = layout.ids;
  let { start, end } = job;
  if (job.chunk) {
    new Int32Array(buffer, chunkAddress, job.chunk.length).set(job.chunk);
    address = chunkAddress;
    start = 0;
    end = job.chunk.length;
  }
  const { blocks } = job;
  const idsEnd = blocks ? blocks[blocks.length - 1] : end;
  const ids = wasm ? undefined : new Int32Array(buffer, address, idsEnd);
  let words = 0;
  const add = (n: number) => {
    if (n < 0) {
      words += -1 - n;
      return false;
    }
    words += n;
    return true;
  };
  if (blocks) {
    // Every worker takes the next block of the whole corpus, epoch after epoch (as gensim's job queue), so
    // all parts of the corpus are seen at every learning rate however unevenly the threads progress.
    const count = blocks.length - 1;
    for (;;) {
      const b = Atomics.add(control, CONTROL_NEXT_BLOCK, 1);
      if (b >= count * job.epochs) break;
      const i = b % count;
      if (!add(trainRange(address, ids, blocks[i], blocks[i + 1]))) return { words, aborted: true };
    }
    return { words, aborted: false };
  }
  for (let epoch = 0; epoch < job.epochs; epoch++) {
    if (!add(trainRange(address, ids, start, end))) return { words, aborted: true };
  }
  return { words, aborted: false };
}

parentPort?.on('message', (job: CbowJob) => {
  parentPort?.postMessage(run(job) satisfies CbowJobResult);
});
