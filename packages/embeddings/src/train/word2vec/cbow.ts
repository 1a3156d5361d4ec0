/**
 * word2vec training (CBOW, or skip-gram with `sg: true`) with negative sampling: the orchestration.
 * Owns the options, the shared memory, the learning-rate schedule, the worker threads, progress and abort;
 * the inner loops are in cbow-kernel.ts and run inside cbow-worker.ts.
 *
 * Reference semantics: Mikolov's word2vec.c (`TrainModel`, `InitNet`, `TrainModelThread`).
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { AbortedError, InvalidArgumentError } from '../../errors.js';
import type { OnProgress } from '../../progress.js';
import { KeyedVectors } from '../../query/keyed-vectors.js';
import { nextUint32, seedState } from '../../random.js';
import type { Corpus } from '../../text/corpus.js';
import { readCorpusIds } from '../../text/corpus-ids.js';
import { describeCorpus } from '../../text/token-ids.js';
import { checkKernelChoice, type KernelChoice, pickKernel, webAssembly } from '../../wasm/runtime.js';
import { JobWorker, streamChunks } from '../job-worker.js';
import type { CorpusDescription, TrainedModel } from '../trained-model.js';
import { trainingProgress } from '../training-progress.js';
import { workerEntry } from '../worker-entry.js';
import {
  buildAliasTable,
  buildSigmoidTable,
  type CbowJob,
  type CbowJobResult,
  type CbowLayout,
  type CbowWorkerData,
  CONTROL_ABORT,
  CONTROL_ALPHA_BITS,
  CONTROL_SLOTS,
  EXP_TABLE_SIZE,
  keepProbabilities,
  learningRate,
  SENTENCE_BYTES,
  WORDS_PER_UPDATE,
} from './cbow-kernel.js';
import { cbowKernelWat } from './cbow-kernel-wat.js';

/** Options of {@link trainCbow} and {@link trainCbowIds}. Defaults are word2vec.c's. */
export interface CbowOptions {
  /** Vector dimension (default 100). */
  dim?: number;
  /** Maximum distance between the centre word and a context word (default 5); the effective window is drawn per token from 1..window. */
  window?: number;
  /** Negative samples per positive example (default 5). */
  negative?: number;
  /** Sub-sampling threshold s (default 1e-3; 0 disables it). */
  sample?: number;
  /** Initial learning rate (default 0.05 for CBOW, 0.025 for skip-gram, as word2vec.c). */
  alpha?: number;
  /** Final learning rate (default alpha × 1e-4). */
  minAlpha?: number;
  /** Passes over the corpus (default 5). */
  epochs?: number;
  /** Words seen fewer times are dropped (default 5). */
  minCount?: number;
  /** Keep at most this many most frequent words. */
  maxVocabSize?: number;
  /** Train skip-gram instead of CBOW (default false). */
  sg?: boolean;
  /** CBOW: average the context vectors (default true, word2vec.c) or sum them (false). */
  cbowMean?: boolean;
  /** Worker threads (default `os.availableParallelism()`). */
  workers?: number;
  /** Seed of every random choice (default 1, as word2vec.c's fixed seed). */
  seed?: number;
  /** Bytes the token-id corpus may take in memory; a larger corpus is read again for each epoch (default 1 GiB). */
  memoryBudget?: number;
  /** Inner loop: `wasm-simd` (needs dim % 4 = 0), `js`, or `auto` (default: wasm-simd when usable). */
  kernel?: KernelChoice;
  onProgress?: OnProgress;
  signal?: AbortSignal;
}

/** {@link CbowOptions} with every default filled in. */
export interface ResolvedCbowOptions {
  dim: number;
  window: number;
  negative: number;
  sample: number;
  alpha: number;
  minAlpha: number;
  epochs: number;
  minCount: number;
  maxVocabSize: number | undefined;
  sg: boolean;
  cbowMean: boolean;
  workers: number;
  seed: number;
  memoryBudget: number;
  kernel: KernelChoice;
}

/**
 * Fills in defaults and checks every option, naming the bad value.
 *
 * @throws {@link InvalidArgumentError} for an option out of range.
 * @example
 * ```ts
 * resolveCbowOptions({ sg: true }).alpha; // 0.025
 * ```
 */
export function resolveCbowOptions(options: CbowOptions = {}): ResolvedCbowOptions {
  const sg = options.sg ?? false;
  const alpha = options.alpha ?? (sg ? 0.025 : 0.05);
  const o: ResolvedCbowOptions = {
    dim: options.dim ?? 100,
    window: options.window ?? 5,
    negative: options.negative ?? 5,
    sample: options.sample ?? 1e-3,
    alpha,
    minAlpha: options.minAlpha ?? alpha * 1e-4,
    epochs: options.epochs ?? 5,
    minCount: options.minCount ?? 5,
    maxVocabSize: options.maxVocabSize,
    sg,
    cbowMean: options.cbowMean ?? true,
    workers: options.workers ?? availableParallelism(),
    seed: options.seed ?? 1,
    memoryBudget: options.memoryBudget ?? 2 ** 30,
    kernel: checkKernelChoice(options.kernel),
  };
  const positiveInt = (name: keyof ResolvedCbowOptions, max = Number.MAX_SAFE_INTEGER) => {
    const v = o[name] as number;
    if (!Number.isInteger(v) || v < 1 || v > max) {
      throw new InvalidArgumentError(`${name} must be an integer from 1 to ${max}, got ${v}`);
    }
  };
  positiveInt('dim', 10_000);
  positiveInt('window', 1_000);
  positiveInt('epochs', 100_000);
  positiveInt('minCount');
  positiveInt('workers', 1_024);
  if (o.maxVocabSize !== undefined) positiveInt('maxVocabSize');
  if (!Number.isInteger(o.negative) || o.negative < 1 || o.negative > 1_000) {
    throw new InvalidArgumentError(`negative must be an integer from 1 to 1000, got ${o.negative}`);
  }
  if (!(o.sample >= 0 && o.sample < 1))
    throw new InvalidArgumentError(`sample must be in [0, 1), got ${o.sample}`);
  if (!(o.alpha > 0 && o.alpha <= 10))
    throw new InvalidArgumentError(`alpha must be in (0, 10], got ${o.alpha}`);
  if (!(o.minAlpha > 0 && o.minAlpha <= o.alpha)) {
    throw new InvalidArgumentError(`minAlpha must be in (0, alpha = ${o.alpha}], got ${o.minAlpha}`);
  }
  if (!Number.isInteger(o.seed)) throw new InvalidArgumentError(`seed must be an integer, got ${o.seed}`);
  if (!(o.memoryBudget > 0))
    throw new InvalidArgumentError(`memoryBudget must be a positive number of bytes, got ${o.memoryBudget}`);
  return o;
}

/**
 * Input vectors as word2vec.c's `InitNet`: uniform in [−0.5, 0.5) / dim, from a seeded stream
 * (word2vec.c seeds its own LCG with 1). The output vectors (syn1neg) start at zero.
 *
 * @example
 * ```ts
 * const syn0 = initialVectors(new Float32Array(10 * 100), 100, 1);
 * ```
 */
export function initialVectors(syn0: Float32Array, dim: number, seed: number): Float32Array {
  const rng = seedState(seed);
  for (let i = 0; i < syn0.length; i++) syn0[i] = (nextUint32(rng) / 4294967296 - 0.5) / dim;
  return syn0;
}

/** Where training reads its token ids from: one array held in memory, or chunks read again for each epoch. */
export type TokenSource =
  | { kind: 'memory'; ids: Int32Array }
  | { kind: 'stream'; chunks: (epoch: number) => AsyncIterable<Int32Array> };

/**
 * Trains word2vec on token ids (−1 ends a sentence) whose word i occurs `counts[i]` times. The core of
 * {@link trainCbow}, usable on any id stream.
 *
 * @param source - the ids in memory (`Int32Array`, ideally over a SharedArrayBuffer so workers share it
 *   without a copy) or a function giving an epoch's chunks.
 * @param counts - corpus count of each word id; their sum is the token total that drives sub-sampling and the schedule.
 * @returns the input vectors, `counts.length × dim`.
 * @example
 * ```ts
 * const ids = new Int32Array([0, 1, 2, -1, 2, 1, 0, -1]);
 * const vectors = await trainCbowIds(ids, new Float64Array([2, 2, 2]), { dim: 8, minCount: 1, workers: 1 });
 * ```
 */
export async function trainCbowIds(
  source: Int32Array | TokenSource,
  counts: ArrayLike<number>,
  options: CbowOptions = {},
): Promise<Float32Array> {
  const o = resolveCbowOptions(options);
  const { signal, onProgress } = options;
  if (signal?.aborted) throw new AbortedError('word2vec training');
  const vocabSize = counts.length;
  if (vocabSize === 0)
    throw new InvalidArgumentError('the vocabulary is empty: no word occurs minCount times');
  let totalWords = 0;
  for (let i = 0; i < vocabSize; i++) totalWords += counts[i];
  const plannedWords = totalWords * o.epochs;
  if (!webAssembly)
    throw new InvalidArgumentError(
      'word2vec training needs WebAssembly shared memory, missing in this runtime',
    );

  const memoryIds = source instanceof Int32Array ? source : source.kind === 'memory' ? source.ids : undefined;
  // Blocks of word2vec.c's 10000-word update interval, smaller on a small corpus so every worker gets some.
  const blockTokens = memoryIds
    ? Math.max(1, Math.min(WORDS_PER_UPDATE, Math.ceil(memoryIds.length / (4 * o.workers))))
    : 0;
  const blocks = memoryIds ? sentenceBlocks(memoryIds, blockTokens) : undefined;
  const workerCount = blocks ? Math.max(1, Math.min(o.workers, blocks.length - 1)) : o.workers;
  const layout = layoutMemory(
    vocabSize,
    o.dim,
    o.negative,
    workerCount,
    memoryIds ? memoryIds.length : undefined,
  );
  const memory = new webAssembly.Memory({ initial: layout.pages, maximum: layout.pages, shared: true });
  const buffer = memory.buffer;
  const rows = vocabSize * o.dim;
  const syn0 = initialVectors(new Float32Array(buffer, layout.syn0, rows), o.dim, o.seed);
  new Float32Array(buffer, layout.sigmoid, EXP_TABLE_SIZE).set(buildSigmoidTable());
  const { prob, alias } = buildAliasTable(counts);
  const aliasProb = new Float32Array(buffer, layout.alias, 2 * vocabSize);
  const aliasIds = new Int32Array(buffer, layout.alias, 2 * vocabSize);
  for (let i = 0; i < vocabSize; i++) {
    aliasProb[2 * i] = prob[i];
    aliasIds[2 * i + 1] = alias[i];
  }
  new Float32Array(buffer, layout.keep, vocabSize).set(keepProbabilities(counts, totalWords, o.sample));
  if (memoryIds) new Int32Array(buffer, layout.ids, memoryIds.length).set(memoryIds);
  const control = new Int32Array(new SharedArrayBuffer(CONTROL_SLOTS * 4));
  const wordsDone = new BigInt64Array(new SharedArrayBuffer(8));
  const { kernel, module } = pickKernel(o.kernel, o.dim, 'word2vec', cbowKernelWat);

  const entry = workerEntry('train/word2vec/cbow-worker');
  const workers: JobWorker<CbowJob, CbowJobResult>[] = [];
  for (let w = 0; w < workerCount; w++) {
    const data: CbowWorkerData = {
      dim: o.dim,
      window: o.window,
      negative: o.negative,
      sg: o.sg,
      cbowMean: o.cbowMean,
      kernel,
      module,
      memory,
      layout,
      worker: w,
      control: control.buffer as SharedArrayBuffer,
      wordsDone: wordsDone.buffer as SharedArrayBuffer,
      seed: (o.seed + Math.imul(w + 1, 0x9e3779b9)) | 0,
      alpha: o.alpha,
      minAlpha: o.minAlpha,
      plannedWords,
    };
    workers.push(new JobWorker(new Worker(entry, { workerData: data }), 'word2vec'));
  }

  const progress = trainingProgress({
    onProgress,
    done: wordsDone,
    control,
    rateSlot: CONTROL_ALPHA_BITS,
    planned: plannedWords,
    perEpoch: totalWords,
    epochs: o.epochs,
    scheduledRate: (done) => learningRate(o.alpha, o.minAlpha, done, plannedWords),
  });
  const onAbort = () => Atomics.store(control, CONTROL_ABORT, 1);
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const failure = Promise.race(workers.map((w) => w.failed));
    if (memoryIds && blocks) {
      const jobs = workers.map((w) => w.run({ start: 0, end: memoryIds.length, epochs: o.epochs, blocks }));
      await Promise.race([Promise.all(jobs), failure]);
    } else if (!(source instanceof Int32Array) && source.kind === 'stream') {
      for (let epoch = 0; epoch < o.epochs && control[CONTROL_ABORT] === 0; epoch++) {
        await Promise.race([
          streamChunks(
            source.chunks(epoch),
            workers,
            layout.chunkTokens,
            () => control[CONTROL_ABORT] !== 0,
            (chunk) => ({ start: 0, end: chunk.length, epochs: 1, chunk }),
          ),
          failure,
        ]);
      }
    }
    if (signal?.aborted || control[CONTROL_ABORT] !== 0) throw new AbortedError('word2vec training');
    progress.report();
    return new Float32Array(syn0);
  } finally {
    progress.stop();
    signal?.removeEventListener('abort', onAbort);
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

/** Tokens in one streamed chunk (4 MiB of ids per worker). */
export const STREAM_CHUNK_TOKENS = 1 << 20;

/**
 * Places the training data in one shared memory, every region 16-byte aligned for the SIMD kernel:
 * sigmoid table, keep probabilities, alias table, syn0, syn1neg, per-worker scratch (sentence, neu1, neu1e,
 * the `negative` draws of one example), then the ids
 * (`idsLength` tokens) or, when streaming, one chunk buffer per worker.
 *
 * @throws {@link InvalidArgumentError} when it all needs more than the 4 GiB of one WebAssembly memory.
 */
export function layoutMemory(
  vocabSize: number,
  dim: number,
  negative: number,
  workers: number,
  idsLength?: number,
): CbowLayout & { pages: number } {
  const align = (n: number) => Math.ceil(n / 16) * 16;
  const chunkTokens = idsLength === undefined ? STREAM_CHUNK_TOKENS : 0;
  let at = 0;
  const take = (bytes: number) => {
    const start = at;
    at = align(at + bytes);
    return start;
  };
  const sigmoid = take(EXP_TABLE_SIZE * 4);
  const keep = take(vocabSize * 4);
  const alias = take(vocabSize * 8);
  const syn0 = take(vocabSize * dim * 4);
  const syn1neg = take(vocabSize * dim * 4);
  // Each worker's scratch is written at every token: keep it on cache lines of its own (no false sharing).
  const scratchBytes = Math.ceil((SENTENCE_BYTES + 2 * dim * 4 + 4 * (negative + 1)) / 128) * 128 + 128;
  const scratch = take(workers * scratchBytes);
  const ids = take(idsLength === undefined ? workers * chunkTokens * 4 : idsLength * 4);
  const pages = Math.max(1, Math.ceil(at / 65536));
  if (pages > 65536) {
    throw new InvalidArgumentError(
      `training needs ${(at / 2 ** 30).toFixed(1)} GiB, more than the 4 GiB of one WebAssembly memory: lower dim (${dim}), maxVocabSize (${vocabSize} words) or memoryBudget`,
    );
  }
  return {
    sigmoid,
    keep,
    alias,
    syn0,
    syn1neg,
    scratch,
    scratchBytes,
    ids,
    idsLength: idsLength ?? 0,
    chunkTokens,
    vocabSize,
    pages,
  };
}

/**
 * Cuts `ids` into up to `parts` contiguous ranges of about equal length, each starting at a sentence start
 * (word2vec.c gives each thread a `file_size / num_threads` slice of the file).
 */
export function sentenceSlices(ids: Int32Array, parts: number): Array<[number, number]> {
  const n = ids.length;
  const cuts = [0];
  for (let p = 1; p < parts; p++) {
    let at = Math.max(cuts[cuts.length - 1], Math.floor((n * p) / parts));
    while (at < n && at > 0 && ids[at - 1] !== -1) at++;
    if (at > cuts[cuts.length - 1] && at < n) cuts.push(at);
  }
  cuts.push(n);
  const slices: Array<[number, number]> = [];
  for (let i = 0; i + 1 < cuts.length; i++) if (cuts[i + 1] > cuts[i]) slices.push([cuts[i], cuts[i + 1]]);
  return slices;
}

/**
 * Boundaries of sentence-aligned blocks of about `tokens` ids each: block i is [b[i], b[i + 1]). Workers take
 * the blocks in turn from a shared counter, every epoch over the whole corpus in order (gensim's job queue of
 * `batch_words` = 10000), rather than each owning one slice for all epochs (word2vec.c): with owned slices a
 * thread that runs ahead trains its slice at higher learning rates and leaves the other slice's last epochs
 * to a near-zero rate.
 *
 * @example
 * ```ts
 * sentenceBlocks(new Int32Array([0, 1, -1, 2, -1, 3, 4, -1]), 3); // Int32Array [0, 3, 5, 8]
 * ```
 */
export function sentenceBlocks(ids: Int32Array, tokens: number): Int32Array {
  const slices = sentenceSlices(ids, Math.max(1, Math.ceil(ids.length / tokens)));
  const blocks = new Int32Array(slices.length + 1);
  slices.forEach(([start], i) => {
    blocks[i] = start;
  });
  blocks[slices.length] = slices.length > 0 ? slices[slices.length - 1][1] : 0;
  return blocks;
}

/**
 * Trains word2vec vectors on a corpus: CBOW with negative sampling (word2vec.c's default), or skip-gram
 * with `sg: true`. Reads the text once: counts the vocabulary (minCount, maxVocabSize pruning) and writes
 * token ids in the same pass, then trains in `workers` threads over shared weights; when the ids would
 * exceed `memoryBudget` they are spilled to a temporary file during that read, and each epoch streams
 * them from the file to the workers in chunks (the text is not read again).
 *
 * Progress stages, in order: `vocabulary`, `encode` (the id rewrite), `training`.
 *
 * @param corpus - the text (see `openCorpus`).
 * @param options - see {@link CbowOptions}; defaults are word2vec.c's.
 * @returns the vectors (counts from the vocabulary), the settings used, the corpus description and the rare words.
 * @throws {@link InvalidArgumentError} for a bad option or a corpus with no word seen `minCount` times;
 *   {@link AbortedError} when `signal` aborts.
 * @example
 * ```ts
 * const model = await trainCbow(openCorpus('brown'), { epochs: 5, seed: 1 });
 * model.vectors.mostSimilar({ positive: ['king'] });
 * ```
 */
export async function trainCbow(corpus: Corpus, options: CbowOptions = {}): Promise<TrainedModel> {
  const o = resolveCbowOptions(options);
  const { onProgress, signal } = options;
  if (signal?.aborted) throw new AbortedError('word2vec training');
  // One read of the text (tokens on bytes for file corpora), pruning and spilling included (corpus-ids.ts).
  const read = await readCorpusIds(corpus, {
    minCount: o.minCount,
    maxVocabSize: o.maxVocabSize,
    memoryBudget: o.memoryBudget,
    shared: true,
    chunkTokens: STREAM_CHUNK_TOKENS,
    onProgress,
    signal,
  });
  const { vocab } = read;
  let vectors: Float32Array;
  let description: CorpusDescription;
  try {
    if (vocab.size === 0) {
      throw new InvalidArgumentError(
        `corpus ${JSON.stringify(corpus.name)} has no word seen at least minCount = ${o.minCount} times`,
      );
    }
    if (read.kind === 'memory') {
      vectors = await trainCbowIds(read.encoded.ids, vocab.counts, options);
      description = describeCorpus(read.encoded);
    } else {
      vectors = await trainCbowIds({ kind: 'stream', chunks: () => read.chunks() }, vocab.counts, options);
      description = read.description;
    }
  } finally {
    read.close();
  }
  const hyperParameters: Record<string, number | string | boolean> = {
    dim: o.dim,
    window: o.window,
    negative: o.negative,
    sample: o.sample,
    alpha: o.alpha,
    minAlpha: o.minAlpha,
    epochs: o.epochs,
    minCount: o.minCount,
    sg: o.sg,
    cbowMean: o.cbowMean,
    seed: o.seed,
    workers: o.workers,
  };
  if (o.maxVocabSize !== undefined) hyperParameters.maxVocabSize = o.maxVocabSize;
  return {
    vectors: new KeyedVectors({ words: vocab.words, vectors, dim: o.dim, counts: vocab.counts }),
    algorithm: o.sg ? 'skipgram' : 'cbow',
    hyperParameters,
    corpus: description,
    rareWords: vocab.rareWords,
  };
}
