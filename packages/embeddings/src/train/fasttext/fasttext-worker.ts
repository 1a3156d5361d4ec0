/**
 * worker_threads entry of the fastText trainer. Each worker takes sentence-aligned blocks of the token ids
 * from a shared counter, round after round over the corpus, and trains them on the shared input and output
 * matrices without locks (as fastText's threads do), until all workers together have read epoch × ntokens
 * tokens (fastText `FastText::keepTraining`). It publishes the tokens it read through Atomics, so every
 * worker derives the same linearly decaying learning rate, and posts one {@link FastTextWorkerResult} when done.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { seedState } from '../../random.js';
import { webAssembly } from '../../wasm/runtime.js';
import {
  CONTROL_ABORT,
  CONTROL_LR_BITS,
  CONTROL_NEXT_BLOCK,
  createFastTextKernel,
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
const ids = new Int32Array(buffer, layout.ids, layout.idsLength);

function run(): FastTextWorkerResult {
  const { blocks, plannedTokens, alpha } = data;
  const count = blocks.length - 1;
  const invPlanned = 1 / plannedTokens;
  let tokens = 0;
  for (;;) {
    if (Number(Atomics.load(tokensDone, 0)) >= plannedTokens) return { tokens, aborted: false };
    const i = Atomics.add(control, CONTROL_NEXT_BLOCK, 1) % count;
    let pos = blocks[i];
    const end = blocks[i + 1];
    while (pos < end) {
      if (Atomics.load(control, CONTROL_ABORT) !== 0) return { tokens, aborted: true };
      const done = Number(Atomics.load(tokensDone, 0));
      if (done >= plannedTokens) return { tokens, aborted: false };
      const budget = Math.min(TOKENS_PER_UPDATE, plannedTokens - done);
      let read: number;
      if (wasm) {
        pos = wasm.train_span(layout.ids, pos, end, alpha, done, invPlanned, budget);
        read = wasm.words_read();
      } else {
        pos = trainSpan(kernel!, ids, pos, end, alpha, done, plannedTokens, budget);
        read = kernel!.wordsRead;
      }
      tokens += read;
      Atomics.add(tokensDone, 0, BigInt(read));
      lrBits[0] = fastTextLearningRate(alpha, done + read, plannedTokens);
      Atomics.store(control, CONTROL_LR_BITS, lrBitsInt[0]);
    }
  }
}

parentPort?.postMessage(run() satisfies FastTextWorkerResult);
