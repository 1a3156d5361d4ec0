/**
 * worker_threads entry of the word2vec trainer. Each worker trains the ranges of token ids it is sent,
 * updating the shared syn0/syn1neg without locks (as word2vec.c's threads do), and publishes the raw
 * words it read through Atomics so every worker derives the same linearly decaying learning rate.
 *
 * Protocol: workerData is a {@link CbowWorkerData}; each message is a {@link CbowJob}; the worker answers
 * each job with a {@link CbowJobResult}.
 */
import { parentPort, workerData } from 'node:worker_threads';
import {
  type CbowJob,
  type CbowJobResult,
  type CbowWorkerData,
  CONTROL_ABORT,
  CONTROL_ALPHA_BITS,
  createKernel,
  learningRate,
  trainSpan,
  WORDS_PER_UPDATE,
} from './cbow-kernel.js';
import { seedState } from './random.js';

const data = workerData as CbowWorkerData;
const control = new Int32Array(data.control);
const wordsDone = new BigInt64Array(data.wordsDone);
const alphaBits = new Float32Array(1);
const alphaBitsInt = new Int32Array(alphaBits.buffer);
const kernel = createKernel({
  dim: data.dim,
  window: data.window,
  negative: data.negative,
  sg: data.sg,
  cbowMean: data.cbowMean,
  syn0: new Float32Array(data.syn0),
  syn1neg: new Float32Array(data.syn1neg),
  table: new Int32Array(data.table),
  keep: new Float32Array(data.keep),
  rng: seedState(data.seed),
});

function run(job: CbowJob): CbowJobResult {
  let words = 0;
  for (let epoch = 0; epoch < job.epochs; epoch++) {
    let pos = job.start;
    while (pos < job.end) {
      if (Atomics.load(control, CONTROL_ABORT) !== 0) return { words, aborted: true };
      const alpha = learningRate(
        data.alpha,
        data.minAlpha,
        Number(Atomics.load(wordsDone, 0)),
        data.plannedWords,
      );
      alphaBits[0] = alpha;
      Atomics.store(control, CONTROL_ALPHA_BITS, alphaBitsInt[0]);
      pos = trainSpan(kernel, job.ids, pos, job.end, alpha, WORDS_PER_UPDATE);
      words += kernel.wordsRead;
      Atomics.add(wordsDone, 0, BigInt(kernel.wordsRead));
    }
  }
  return { words, aborted: false };
}

parentPort?.on('message', (job: CbowJob) => {
  parentPort?.postMessage(run(job) satisfies CbowJobResult);
});
