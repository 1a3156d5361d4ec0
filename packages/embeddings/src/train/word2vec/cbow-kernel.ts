/**
 * The inner loops of word2vec (CBOW and skip-gram with negative sampling) over flat typed arrays.
 *
 * Semantics follow Mikolov's word2vec.c (`TrainModelThread`, `InitUnigramTable`, the `expTable`
 * set-up in `main`): sub-sampling while a sentence is read, an effective window drawn per token,
 * negative targets drawn from the unigram^0.75 distribution (alias table), a table-driven sigmoid clipped at ±MAX_EXP.
 * Nothing here allocates per token or reads object properties inside the loops: the orchestration
 * (cbow.ts) and the worker (cbow-worker.ts) own the schedule, the shared memory and the threads.
 */

import { nextUint32 } from '../../random.js';
import type { Kernel, WasmMemory, WasmModule } from '../../wasm/runtime.js';

/** word2vec.c `MAX_EXP`: the sigmoid is tabulated on [−6, 6] and clipped outside it. */
export const MAX_EXP = 6;
/** word2vec.c `EXP_TABLE_SIZE`. */
export const EXP_TABLE_SIZE = 1000;
/** word2vec.c `MAX_SENTENCE_LENGTH`: longer sentences are cut into pieces of this many tokens. */
export const MAX_SENTENCE_LENGTH = 1000;
/**
 * Maps f ∈ [−MAX_EXP, MAX_EXP) to a sigmoid-table slot: word2vec.c's `(f + MAX_EXP) * (EXP_TABLE_SIZE / MAX_EXP / 2)`,
 * whose ratio is integer arithmetic, 83 (gensim's Cython, compiled with cdivision, the same). So slot i holds
 * σ(i·0.012 − 6) but is reached at f = i/83 − 6: both peers read σ slightly low (about −0.02 in the logit),
 * and so do we, to train the same model. The table's last slots (996..999) are never read.
 */
export const SIGMOID_SCALE = Math.trunc(EXP_TABLE_SIZE / MAX_EXP / 2);

/**
 * Tabulated logistic function σ(x) = eˣ / (eˣ + 1) at EXP_TABLE_SIZE points of [−MAX_EXP, MAX_EXP),
 * as word2vec.c's `expTable`.
 *
 * @example
 * ```ts
 * const t = buildSigmoidTable();
 * t[EXP_TABLE_SIZE / 2]; // ≈ 0.5
 * ```
 */
export function buildSigmoidTable(): Float32Array {
  const table = new Float32Array(EXP_TABLE_SIZE);
  for (let i = 0; i < EXP_TABLE_SIZE; i++) {
    const e = Math.exp(((i / EXP_TABLE_SIZE) * 2 - 1) * MAX_EXP);
    table[i] = e / (e + 1);
  }
  return table;
}

/**
 * Walker's alias table (Vose's construction) for drawing word i with probability countᵢ^power / Σ countⱼ^power,
 * the negative-sampling distribution of word2vec.c's `InitUnigramTable` (power 0.75; Mikolov et al. 2013,
 * "Distributed Representations of Words and Phrases", §2.2). A draw picks a uniform slot i and keeps i when a
 * uniform u < prob[i], else takes alias[i]: exact up to float precision, and 8 bytes per word instead of
 * word2vec.c's 1e8-slot table, so it stays in cache.
 *
 * @example
 * ```ts
 * const { prob, alias } = buildAliasTable(new Float64Array([81, 1]));
 * // slot 0 always gives 0; slot 1 gives 1 with probability prob[1] = 2/28, else alias[1] = 0
 * ```
 */
export function buildAliasTable(
  counts: ArrayLike<number>,
  power = 0.75,
): { prob: Float32Array; alias: Int32Array } {
  const v = counts.length;
  const prob = new Float32Array(v);
  const alias = new Int32Array(v);
  const scaled = new Float64Array(v);
  let total = 0;
  for (let i = 0; i < v; i++) total += counts[i] ** power;
  const small: number[] = [];
  const large: number[] = [];
  for (let i = 0; i < v; i++) {
    scaled[i] = (counts[i] ** power / total) * v;
    (scaled[i] < 1 ? small : large).push(i);
  }
  while (small.length > 0 && large.length > 0) {
    const s = small.pop()!;
    const l = large.pop()!;
    prob[s] = scaled[s];
    alias[s] = l;
    scaled[l] += scaled[s] - 1;
    (scaled[l] < 1 ? small : large).push(l);
  }
  // Left-overs are 1 up to rounding.
  for (const i of [...small, ...large]) {
    prob[i] = 1;
    alias[i] = i;
  }
  return { prob, alias };
}

/**
 * Probability of keeping each occurrence of word i when sub-sampling frequent words:
 * (√(fᵢ/(s·T)) + 1)·(s·T)/fᵢ, capped at 1 (word2vec.c `TrainModelThread`, the `ran` of the
 * sub-sampling step), with fᵢ the word's count, T the total count and s = `sample`.
 * `sample ≤ 0` keeps every word.
 *
 * @example
 * ```ts
 * keepProbabilities(new Float64Array([500, 10]), 1000, 1e-3); // [≈0.0465, 1]
 * ```
 */
export function keepProbabilities(
  counts: ArrayLike<number>,
  totalCount: number,
  sample: number,
): Float32Array {
  const keep = new Float32Array(counts.length);
  const st = sample * totalCount;
  for (let i = 0; i < counts.length; i++) {
    const f = counts[i];
    keep[i] = sample <= 0 || f <= 0 ? 1 : Math.min(1, (Math.sqrt(f / st) + 1) * (st / f));
  }
  return keep;
}

/** Everything the inner loop reads: shared matrices and tables plus this worker's scratch buffers. */
export interface CbowKernel {
  dim: number;
  window: number;
  negative: number;
  /** Skip-gram instead of CBOW. */
  sg: boolean;
  /** CBOW: average the context vectors (word2vec.c) instead of summing them. */
  cbowMean: boolean;
  /** Input vectors, `vocabSize × dim`, shared by all workers. */
  syn0: Float32Array;
  /** Output vectors for negative sampling, `vocabSize × dim`, shared by all workers. */
  syn1neg: Float32Array;
  /** Alias table of the unigram^0.75 distribution, interleaved: slot i is prob at [2i] (as float32) and alias at [2i + 1]. */
  aliasProb: Float32Array;
  /** The same memory as `aliasProb`, read as int32 for the alias ids. */
  aliasIds: Int32Array;
  /** Keep probability of each word id (see {@link keepProbabilities}). */
  keep: Float32Array;
  sigmoid: Float32Array;
  /** xoshiro128** state of this worker. */
  rng: Uint32Array;
  /** Scratch: the sub-sampled sentence, the hidden layer and its error. */
  sentence: Int32Array;
  neu1: Float32Array;
  neu1e: Float32Array;
  /** Raw tokens (before sub-sampling) read by the last {@link trainSpan} call. */
  wordsRead: number;
}

/**
 * Creates a kernel over shared matrices and tables, with this worker's own scratch buffers.
 *
 * @example
 * ```ts
 * const k = createKernel({ dim: 100, window: 5, negative: 5, sg: false, cbowMean: true, syn0, syn1neg,
 *   table, keep, rng: seedState(1) });
 * ```
 */
export function createKernel(
  init: Omit<CbowKernel, 'sentence' | 'neu1' | 'neu1e' | 'wordsRead' | 'sigmoid'>,
): CbowKernel {
  return {
    ...init,
    sigmoid: buildSigmoidTable(),
    sentence: new Int32Array(MAX_SENTENCE_LENGTH + 1),
    neu1: new Float32Array(init.dim),
    neu1e: new Float32Array(init.dim),
    wordsRead: 0,
  };
}

/**
 * Trains on whole sentences of `ids` from `pos` until at least `wordBudget` raw tokens were read or
 * `end` is reached, at learning rate `alpha`. A −1 in `ids` ends a sentence.
 *
 * @returns the position after the last sentence read; `k.wordsRead` holds the raw tokens read.
 */
export function trainSpan(
  k: CbowKernel,
  ids: Int32Array,
  pos: number,
  end: number,
  alpha: number,
  wordBudget: number,
): number {
  const keep = k.keep;
  const rng = k.rng;
  const sentence = k.sentence;
  let words = 0;
  while (pos < end && words < wordBudget) {
    // Read one sentence, sub-sampling as word2vec.c does while reading (the raw count drives the schedule).
    let length = 0;
    while (pos < end && length < MAX_SENTENCE_LENGTH) {
      const w = ids[pos++];
      if (w < 0) break;
      words++;
      if (keep[w] < 1 && keep[w] < nextUint32(rng) / 4294967296) continue;
      sentence[length++] = w;
    }
    if (length > 1) {
      if (k.sg) trainSentenceSkipGram(k, length, alpha);
      else trainSentenceCbow(k, length, alpha);
    }
  }
  k.wordsRead = words;
  return pos;
}

/** CBOW over `k.sentence[0..length)`: word2vec.c `TrainModelThread`, `if (cbow)` branch, negative sampling. */
function trainSentenceCbow(k: CbowKernel, length: number, alpha: number): void {
  const dim = k.dim;
  const window = k.window;
  const negative = k.negative;
  const cbowMean = k.cbowMean;
  const syn0 = k.syn0;
  const syn1neg = k.syn1neg;
  const aliasProb = k.aliasProb;
  const aliasIds = k.aliasIds;
  const vocabSize = aliasProb.length >> 1;
  const sigmoid = k.sigmoid;
  const rng = k.rng;
  const sen = k.sentence;
  const neu1 = k.neu1;
  const neu1e = k.neu1e;
  for (let p = 0; p < length; p++) {
    const word = sen[p];
    // Effective window window − b, uniform in 1..window (word2vec.c: b = next_random % window).
    const b = nextUint32(rng) % window;
    const lo = Math.max(0, p - window + b);
    const hi = Math.min(length - 1, p + window - b);
    for (let c = 0; c < dim; c++) {
      neu1[c] = 0;
      neu1e[c] = 0;
    }
    let cw = 0;
    for (let q = lo; q <= hi; q++) {
      if (q === p) continue;
      const off = sen[q] * dim;
      for (let c = 0; c < dim; c++) neu1[c] += syn0[off + c];
      cw++;
    }
    if (cw === 0) continue;
    if (cbowMean && cw > 1) {
      const inv = 1 / cw;
      for (let c = 0; c < dim; c++) neu1[c] *= inv;
    }
    for (let d = 0; d <= negative; d++) {
      let target = word;
      let label = 1;
      if (d > 0) {
        const slot = Math.floor((nextUint32(rng) / 4294967296) * vocabSize);
        target = nextUint32(rng) / 4294967296 < aliasProb[2 * slot] ? slot : aliasIds[2 * slot + 1];
        if (target === word) continue;
        label = 0;
      }
      const l2 = target * dim;
      let f = 0;
      for (let c = 0; c < dim; c++) f += neu1[c] * syn1neg[l2 + c];
      let g: number;
      if (f > MAX_EXP) g = (label - 1) * alpha;
      else if (f < -MAX_EXP) g = label * alpha;
      else g = (label - sigmoid[((f + MAX_EXP) * SIGMOID_SCALE) | 0]) * alpha;
      for (let c = 0; c < dim; c++) {
        neu1e[c] += g * syn1neg[l2 + c];
        syn1neg[l2 + c] += g * neu1[c];
      }
    }
    // The error goes back unscaled to every context word (word2vec.c "hidden -> in").
    for (let q = lo; q <= hi; q++) {
      if (q === p) continue;
      const off = sen[q] * dim;
      for (let c = 0; c < dim; c++) syn0[off + c] += neu1e[c];
    }
  }
}

/** Skip-gram over `k.sentence[0..length)`: word2vec.c `TrainModelThread`, skip-gram branch, negative sampling. */
function trainSentenceSkipGram(k: CbowKernel, length: number, alpha: number): void {
  const dim = k.dim;
  const window = k.window;
  const negative = k.negative;
  const syn0 = k.syn0;
  const syn1neg = k.syn1neg;
  const aliasProb = k.aliasProb;
  const aliasIds = k.aliasIds;
  const vocabSize = aliasProb.length >> 1;
  const sigmoid = k.sigmoid;
  const rng = k.rng;
  const sen = k.sentence;
  const neu1e = k.neu1e;
  for (let p = 0; p < length; p++) {
    const word = sen[p];
    const b = nextUint32(rng) % window;
    const lo = Math.max(0, p - window + b);
    const hi = Math.min(length - 1, p + window - b);
    for (let q = lo; q <= hi; q++) {
      if (q === p) continue;
      // word2vec.c predicts the centre word from each context word's input vector.
      const l1 = sen[q] * dim;
      for (let c = 0; c < dim; c++) neu1e[c] = 0;
      for (let d = 0; d <= negative; d++) {
        let target = word;
        let label = 1;
        if (d > 0) {
          const slot = Math.floor((nextUint32(rng) / 4294967296) * vocabSize);
          target = nextUint32(rng) / 4294967296 < aliasProb[2 * slot] ? slot : aliasIds[2 * slot + 1];
          if (target === word) continue;
          label = 0;
        }
        const l2 = target * dim;
        let f = 0;
        for (let c = 0; c < dim; c++) f += syn0[l1 + c] * syn1neg[l2 + c];
        let g: number;
        if (f > MAX_EXP) g = (label - 1) * alpha;
        else if (f < -MAX_EXP) g = label * alpha;
        else g = (label - sigmoid[((f + MAX_EXP) * SIGMOID_SCALE) | 0]) * alpha;
        for (let c = 0; c < dim; c++) {
          neu1e[c] += g * syn1neg[l2 + c];
          syn1neg[l2 + c] += g * syn0[l1 + c];
        }
      }
      for (let c = 0; c < dim; c++) syn0[l1 + c] += neu1e[c];
    }
  }
}

/**
 * Learning rate after `done` of `planned` raw words (all workers, all epochs): linear decay from `alpha`
 * to `minAlpha`, word2vec.c's alpha = starting_alpha · (1 − word_count_actual / (iter · train_words + 1))
 * floored at `minAlpha` (word2vec.c: starting_alpha × 1e-4).
 *
 * @example
 * ```ts
 * learningRate(0.05, 5e-6, 0, 1000); // 0.05
 * learningRate(0.05, 5e-6, 500, 1000); // ≈ 0.025
 * ```
 */
export function learningRate(alpha: number, minAlpha: number, done: number, planned: number): number {
  const a = alpha * (1 - done / (planned + 1));
  return Math.max(a, minAlpha);
}

// ---- Worker protocol (cbow.ts ↔ cbow-worker.ts); here so the orchestration need not load the worker module.

/** Slots of the shared Int32Array `control`. */
export const CONTROL_ABORT = 0;
/** Float32 bits of the learning rate last used, for progress reports. */
export const CONTROL_ALPHA_BITS = 1;
/** Next block (over all epochs) a worker takes in block mode; see {@link CbowJob}. */
export const CONTROL_NEXT_BLOCK = 2;
export const CONTROL_SLOTS = 3;
/** Raw words between two updates of the shared counter and the learning rate (word2vec.c: 10000). */
export const WORDS_PER_UPDATE = 10_000;

/** Byte offsets of the regions of the one shared memory that all workers train in (see `layoutMemory` in cbow.ts). */
export interface CbowLayout {
  sigmoid: number;
  keep: number;
  /** Alias table, 8 bytes per word: float32 prob, int32 alias. */
  alias: number;
  syn0: number;
  syn1neg: number;
  /** Scratch of worker w at `scratch + w · scratchBytes`: sentence (4016 bytes), neu1, neu1e, negative draws. */
  scratch: number;
  scratchBytes: number;
  /** The token ids (memory mode), or worker w's chunk buffer at `ids + w · chunkTokens · 4` (stream mode). */
  ids: number;
  idsLength: number;
  chunkTokens: number;
  vocabSize: number;
}

/** Bytes of the sentence buffer at the start of a worker's scratch (1001 i32, padded to 16 bytes). */
export const SENTENCE_BYTES = 4016;

export interface CbowWorkerData {
  dim: number;
  window: number;
  negative: number;
  sg: boolean;
  cbowMean: boolean;
  /** `wasm-simd`: the SIMD kernel of cbow-kernel-wat.ts; `js`: {@link trainSpan}. */
  kernel: Kernel;
  /** The compiled SIMD kernel (compiled once by the trainer), when `kernel` is `wasm-simd`. */
  module?: WasmModule;
  /** Shared WebAssembly memory holding tables, matrices, scratch and ids at the offsets of `layout`. */
  memory: WasmMemory;
  layout: CbowLayout;
  worker: number;
  /** Int32Array: abort flag and current learning rate ({@link CONTROL_ABORT}, {@link CONTROL_ALPHA_BITS}). */
  control: SharedArrayBuffer;
  /** BigInt64Array[1]: raw words read by all workers together. */
  wordsDone: SharedArrayBuffer;
  /** Seed of this worker's random stream. */
  seed: number;
  alpha: number;
  minAlpha: number;
  /** Raw words of the whole run (epochs × corpus tokens): the learning rate reaches minAlpha there. */
  plannedWords: number;
}

/**
 * Train ids [start, end) of the shared ids region for `epochs` passes; or, when `chunk` is given, that chunk
 * once; or, when `blocks` is given, take blocks from the shared counter ({@link CONTROL_NEXT_BLOCK}) until
 * `epochs` passes over all of them are done.
 */
export interface CbowJob {
  start: number;
  end: number;
  epochs: number;
  chunk?: Int32Array;
  /** Sentence-aligned block boundaries of the shared ids: block i is [blocks[i], blocks[i + 1]). */
  blocks?: Int32Array;
}

export interface CbowJobResult {
  words: number;
  aborted: boolean;
}
