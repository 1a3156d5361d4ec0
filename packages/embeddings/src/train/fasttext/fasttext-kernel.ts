/**
 * The inner loops of fastText's unsupervised training (CBOW and skip-gram with negative sampling over
 * words and their character n-grams), over flat typed arrays, and the tables they read.
 *
 * Semantics follow fastText 0.9.2 (facebookresearch/fastText, tag v0.9.2):
 * - a line is read as `Dictionary::getLine` reads it: every token counts towards the schedule, a token is
 *   discarded when a uniform draw exceeds `pdiscard` (`Dictionary::discard`), the line ends at `</s>` or
 *   after MAX_LINE_SIZE + 1 tokens;
 * - `FastText::cbow`: for each position a window drawn uniformly from 1..ws; the input is the list of the
 *   subwords (own row + n-gram rows) of every context word, `Model::computeHidden` averages ALL those rows
 *   (a long context word weighs more), and `Model::update` adds the same gradient to every one of them;
 * - `FastText::skipgram`: the input is the centre word's subwords, one update per context word;
 * - `NegativeSamplingLoss::forward`: the positive target, then `neg` negatives drawn again while they equal
 *   the target; `BinaryLogisticLoss::binaryLogistic`: grad += α·out, out += α·hidden with
 *   α = lr·(label − σ(hidden·out)), σ from fastText's 512-slot table on [−8, 8].
 * Nothing here allocates per token: the orchestration (fasttext.ts) and the worker (fasttext-worker.ts)
 * own the schedule, the shared memory and the threads.
 */
import { nextUint32 } from '../../random.js';
import type { Kernel, WasmMemory, WasmModule } from '../../wasm/runtime.js';

/** fastText `MAX_SIGMOID` (loss.cc): σ is tabulated on [−8, 8], 0 or 1 outside. */
export const MAX_SIGMOID = 8;
/** fastText `SIGMOID_TABLE_SIZE` (loss.cc); the table has one more slot, for x = 8. */
export const SIGMOID_TABLE_SIZE = 512;
/** fastText `Dictionary::MAX_LINE_SIZE`: a line is cut after this many tokens plus one. */
export const MAX_LINE_SIZE = 1024;
/** fastText `NegativeSamplingLoss::NEGATIVE_TABLE_SIZE`: slots of its negative table. */
export const NEGATIVE_TABLE_SIZE = 10_000_000;

/**
 * fastText's sigmoid table: slot i holds 1 / (1 + e^−x) at x = i·16/512 − 8, i = 0..512 (`Loss::Loss`).
 *
 * @example
 * ```ts
 * fastTextSigmoidTable()[256]; // 0.5
 * ```
 */
export function fastTextSigmoidTable(): Float32Array {
  const table = new Float32Array(SIGMOID_TABLE_SIZE + 1);
  for (let i = 0; i <= SIGMOID_TABLE_SIZE; i++) {
    const x = (i * 2 * MAX_SIGMOID) / SIGMOID_TABLE_SIZE - MAX_SIGMOID;
    table[i] = 1 / (1 + Math.exp(-x));
  }
  return table;
}

/**
 * How many slots word i gets in fastText's negative table (`NegativeSamplingLoss` constructor): the loop
 * `for (j = 0; j < c · N / z; j++)` with c = √countᵢ, z = Σ √countⱼ, N = 10⁷, so ⌈c·N/z⌉ slots. A negative is
 * a uniform slot of that table; drawing word i with probability slotsᵢ / Σ slots from an alias table is the
 * same distribution in 8 bytes per word instead of fastText's 40 MB table.
 *
 * @example
 * ```ts
 * negativeTableSlots(new Float64Array([100, 1])); // Float64Array [9090910, 909091]
 * ```
 */
export function negativeTableSlots(counts: ArrayLike<number>): Float64Array {
  let z = 0;
  for (let i = 0; i < counts.length; i++) z += Math.fround(Math.sqrt(counts[i]));
  z = Math.fround(z);
  const slots = new Float64Array(counts.length);
  for (let i = 0; i < counts.length; i++) {
    const c = Math.fround(Math.sqrt(counts[i]));
    slots[i] = Math.ceil((c * NEGATIVE_TABLE_SIZE) / z);
  }
  return slots;
}

/**
 * fastText's `pdiscard` of each word (`Dictionary::initTableDiscard`): √(t/f) + t/f with f = countᵢ / ntokens,
 * ntokens being every token read (rare words and `</s>` included). A token is discarded when a uniform draw
 * in [0, 1) exceeds it. `t = 0` keeps every token here (fastText would discard nearly all of them).
 *
 * @example
 * ```ts
 * discardThresholds(new Float64Array([5000, 10]), 10_000, 1e-4); // [≈0.0143, 1.1]
 * ```
 */
export function discardThresholds(counts: ArrayLike<number>, ntokens: number, t: number): Float32Array {
  const p = new Float32Array(counts.length);
  for (let i = 0; i < counts.length; i++) {
    const f = counts[i] / ntokens;
    p[i] = t <= 0 || f <= 0 ? 1 : Math.sqrt(t / f) + t / f;
  }
  return p;
}

/**
 * fastText's learning rate at `done` of `planned` tokens: lr · (1 − progress), progress = tokenCount_ /
 * (epoch · ntokens) (`FastText::trainThread`), never below 0.
 *
 * @example
 * ```ts
 * fastTextLearningRate(0.05, 250, 1000); // 0.0375
 * ```
 */
export function fastTextLearningRate(alpha: number, done: number, planned: number): number {
  return Math.max(0, alpha * (1 - done / planned));
}

/** What the JavaScript inner loop reads: shared matrices and tables plus this worker's scratch. */
export interface FastTextKernel {
  dim: number;
  window: number;
  negative: number;
  sg: boolean;
  /** Input rows, `(words + bucket) × dim`: the words' own rows, then the n-gram buckets. */
  input: Float32Array;
  /** Output rows of negative sampling, `words × dim`. */
  output: Float32Array;
  /** Subwords of word w (input rows, own row first): `subRows[subOffsets[w] .. subOffsets[w + 1])`. */
  subOffsets: Int32Array;
  subRows: Int32Array;
  /** Alias table of the negative distribution, interleaved: prob (float32) at [2i], alias (int32) at [2i + 1]. */
  aliasProb: Float32Array;
  aliasIds: Int32Array;
  /** `pdiscard` of each word ({@link discardThresholds}). */
  discard: Float32Array;
  sigmoid: Float32Array;
  /** Word id of `</s>`, which ends each sentence, or −1 when it is not in the vocabulary. */
  eos: number;
  /** xoshiro128** state of this worker. */
  rng: Uint32Array;
  line: Int32Array;
  hidden: Float32Array;
  grad: Float32Array;
  /** Tokens read by the last {@link trainSpan} call. */
  wordsRead: number;
}

/**
 * A kernel over shared matrices and tables, with this worker's own scratch.
 *
 * @example
 * ```ts
 * const k = createFastTextKernel({ dim, window, negative, sg, input, output, subOffsets, subRows,
 *   aliasProb, aliasIds, discard, eos, rng: seedState(1) });
 * ```
 */
export function createFastTextKernel(
  init: Omit<FastTextKernel, 'line' | 'hidden' | 'grad' | 'wordsRead' | 'sigmoid'>,
): FastTextKernel {
  return {
    ...init,
    sigmoid: fastTextSigmoidTable(),
    line: new Int32Array(MAX_LINE_SIZE + 2),
    hidden: new Float32Array(init.dim),
    grad: new Float32Array(init.dim),
    wordsRead: 0,
  };
}

/**
 * Trains on lines of `ids[pos..end)` (−1 ends a sentence and stands for `</s>`) until `budget` tokens were
 * read or `end` is reached. Each line's learning rate is {@link fastTextLearningRate} at `doneBefore` plus the
 * tokens read so far in this span.
 *
 * @returns the position after the last line read; `k.wordsRead` holds the tokens read.
 */
export function trainSpan(
  k: FastTextKernel,
  ids: Int32Array,
  pos: number,
  end: number,
  alpha: number,
  doneBefore: number,
  planned: number,
  budget: number,
): number {
  const discard = k.discard;
  const rng = k.rng;
  const line = k.line;
  const eos = k.eos;
  let words = 0;
  while (pos < end && words < budget) {
    const lr = fastTextLearningRate(alpha, doneBefore + words, planned);
    let length = 0;
    let n = 0;
    while (pos < end) {
      let w = ids[pos++];
      const last = w < 0;
      if (last) {
        if (eos < 0) break;
        w = eos;
      }
      n++;
      if (!(nextUint32(rng) / 4294967296 > discard[w])) line[length++] = w;
      if (last || n > MAX_LINE_SIZE) break;
    }
    words += n;
    if (length > 1) {
      if (k.sg) skipGramLine(k, length, lr);
      else cbowLine(k, length, lr);
    }
  }
  k.wordsRead = words;
  return pos;
}

/** fastText `FastText::cbow` over `k.line[0..length)`. */
function cbowLine(k: FastTextKernel, length: number, lr: number): void {
  const { dim, window, input, subOffsets, subRows, hidden, grad, rng, line } = k;
  for (let p = 0; p < length; p++) {
    const b = 1 + (nextUint32(rng) % window);
    const lo = Math.max(0, p - b);
    const hi = Math.min(length - 1, p + b);
    hidden.fill(0);
    let rows = 0;
    for (let q = lo; q <= hi; q++) {
      if (q === p) continue;
      const w = line[q];
      for (let s = subOffsets[w]; s < subOffsets[w + 1]; s++) {
        const off = subRows[s] * dim;
        for (let c = 0; c < dim; c++) hidden[c] += input[off + c];
        rows++;
      }
    }
    if (rows === 0) continue;
    const inv = Math.fround(1 / rows);
    for (let c = 0; c < dim; c++) hidden[c] *= inv;
    grad.fill(0);
    negativeSampling(k, line[p], lr);
    for (let q = lo; q <= hi; q++) {
      if (q === p) continue;
      const w = line[q];
      for (let s = subOffsets[w]; s < subOffsets[w + 1]; s++) {
        const off = subRows[s] * dim;
        for (let c = 0; c < dim; c++) input[off + c] += grad[c];
      }
    }
  }
}

/** fastText `FastText::skipgram` over `k.line[0..length)`. */
function skipGramLine(k: FastTextKernel, length: number, lr: number): void {
  const { dim, window, input, subOffsets, subRows, hidden, grad, rng, line } = k;
  for (let p = 0; p < length; p++) {
    const b = 1 + (nextUint32(rng) % window);
    const lo = Math.max(0, p - b);
    const hi = Math.min(length - 1, p + b);
    const w = line[p];
    const first = subOffsets[w];
    const stop = subOffsets[w + 1];
    const inv = Math.fround(1 / (stop - first));
    for (let q = lo; q <= hi; q++) {
      if (q === p) continue;
      hidden.fill(0);
      for (let s = first; s < stop; s++) {
        const off = subRows[s] * dim;
        for (let c = 0; c < dim; c++) hidden[c] += input[off + c];
      }
      for (let c = 0; c < dim; c++) hidden[c] *= inv;
      grad.fill(0);
      negativeSampling(k, line[q], lr);
      for (let s = first; s < stop; s++) {
        const off = subRows[s] * dim;
        for (let c = 0; c < dim; c++) input[off + c] += grad[c];
      }
    }
  }
}

/** fastText `NegativeSamplingLoss::forward` with backprop, accumulating the input gradient in `k.grad`. */
function negativeSampling(k: FastTextKernel, target: number, lr: number): void {
  const { aliasProb, aliasIds, rng } = k;
  const vocab = aliasProb.length >> 1;
  binaryLogistic(k, target, 1, lr);
  for (let n = 0; n < k.negative; n++) {
    let neg: number;
    do {
      const slot = Math.floor((nextUint32(rng) / 4294967296) * vocab);
      neg = nextUint32(rng) / 4294967296 < aliasProb[2 * slot] ? slot : aliasIds[2 * slot + 1];
    } while (neg === target);
    binaryLogistic(k, neg, 0, lr);
  }
}

/** fastText `BinaryLogisticLoss::binaryLogistic` with backprop. */
function binaryLogistic(k: FastTextKernel, target: number, label: number, lr: number): void {
  const { dim, output, hidden, grad } = k;
  const off = target * dim;
  let f = 0;
  for (let c = 0; c < dim; c++) f += hidden[c] * output[off + c];
  let score: number;
  if (f < -MAX_SIGMOID) score = 0;
  else if (f > MAX_SIGMOID) score = 1;
  else score = k.sigmoid[Math.trunc(((f + MAX_SIGMOID) * SIGMOID_TABLE_SIZE) / MAX_SIGMOID / 2)];
  const g = Math.fround(lr * (label - score));
  for (let c = 0; c < dim; c++) {
    grad[c] += g * output[off + c];
    output[off + c] += g * hidden[c];
  }
}

// ---- Worker protocol (fasttext.ts ↔ fasttext-worker.ts).

/** Slots of the shared Int32Array `control`: abort flag, next block to take, float32 bits of the last lr. */
export const CONTROL_ABORT = 0;
export const CONTROL_NEXT_BLOCK = 1;
export const CONTROL_LR_BITS = 2;
export const CONTROL_SLOTS = 3;
/** Tokens between two updates of the shared token counter (fastText updates it every `lrUpdateRate` = 100). */
export const TOKENS_PER_UPDATE = 10_000;
/** Bytes of a worker's line buffer (MAX_LINE_SIZE + 2 int32, padded to 16). */
export const LINE_BYTES = Math.ceil(((MAX_LINE_SIZE + 2) * 4) / 16) * 16;

/** Byte offsets of the regions of the one shared memory (see `layoutFastTextMemory` in fasttext.ts). */
export interface FastTextLayout {
  sigmoid: number;
  discard: number;
  alias: number;
  subOffsets: number;
  subRows: number;
  subRowCount: number;
  input: number;
  output: number;
  /** Scratch of worker w at `scratch + w · scratchBytes`: line, hidden, grad. */
  scratch: number;
  scratchBytes: number;
  /** The token ids (`idsLength` of them), or when streaming one chunk buffer of `chunkTokens` per worker. */
  ids: number;
  idsLength: number;
  /** Ids per worker chunk buffer when streaming, else 0. */
  chunkTokens: number;
  /** Words trained (the vocabulary and `</s>`). */
  words: number;
  /** Input rows: words + bucket. */
  inputRows: number;
}

export interface FastTextWorkerData {
  dim: number;
  window: number;
  negative: number;
  sg: boolean;
  eos: number;
  kernel: Kernel;
  module?: WasmModule;
  memory: WasmMemory;
  layout: FastTextLayout;
  worker: number;
  /** Int32Array of {@link CONTROL_SLOTS}. */
  control: SharedArrayBuffer;
  /** BigInt64Array[1]: tokens read by all workers together. */
  tokensDone: SharedArrayBuffer;
  seed: number;
  alpha: number;
  /** epoch × ntokens: training stops, and the learning rate reaches 0, there. */
  plannedTokens: number;
}

/**
 * One job of a worker: `blocks`, sentence-aligned block boundaries of the ids in the shared memory (block i
 * is [blocks[i], blocks[i + 1])), taken in turn from the shared counter round after round until epoch ×
 * ntokens tokens are read; or `chunk`, ids of a streamed corpus, copied to the worker's chunk buffer and
 * trained once (or until epoch × ntokens tokens are read).
 */
export type FastTextJob =
  | { blocks: Int32Array; chunk?: undefined }
  | { chunk: Int32Array; blocks?: undefined };

/** What a worker answers to each {@link FastTextJob}. */
export interface FastTextWorkerResult {
  tokens: number;
  aborted: boolean;
}
