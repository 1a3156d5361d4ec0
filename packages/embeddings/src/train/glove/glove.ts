/**
 * GloVe training (Pennington, Socher & Manning 2014), orchestrated as Stanford GloVe's tools are:
 * vocabulary → co-occurrence counts → `shuffle` → AdaGrad iterations, with the defaults of glove.c and its
 * demo (`vector_size 50`, `window 15`, `x_max 100`, `alpha 0.75`, `eta 0.05`, `iter 25`, `min-count 5`,
 * `grad_clip 100`, `model 2` = W + W̃). The inner loop is `glove-kernel.ts`; worker threads run it over
 * slices of the shuffled records, sharing weights through SharedArrayBuffer (`glove-worker.ts`).
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { countCooccurrences, countCooccurrencesToFile } from '../../cooccurrence/count.js';
import type { CooccurrenceMatrix } from '../../cooccurrence/matrix.js';
import { readCooccurrenceFile } from '../../cooccurrence/record-file.js';
import { AbortedError, InvalidArgumentError } from '../../errors.js';
import type { OnProgress } from '../../progress.js';
import { KeyedVectors } from '../../query/keyed-vectors.js';
import { createRandom, seedState } from '../../random.js';
import type { Corpus } from '../../text/corpus.js';
import { prepareCorpus } from '../../text/corpus-encoding.js';
import { describeCorpus } from '../../text/token-ids.js';
import {
  compileKernel,
  type KernelChoice,
  type WasmMemory,
  type WasmModule,
  webAssembly,
} from '../../wasm/runtime.js';
import type { CorpusDescription, TrainedModel } from '../trained-model.js';
import { workerEntry } from '../worker-entry.js';
import {
  GLOVE_RECORD_BYTES,
  type GloveParameters,
  type GloveRecords,
  gloveParameterFloats,
  initGloveParameters,
  prepareGloveRecords,
  viewGloveRecords,
} from './glove-kernel.js';
import { GLOVE_KERNEL_WAT } from './glove-kernel-wat.js';
import { checkGloveOption, type ResolvedOptions, resolveGloveOptions } from './glove-options.js';
import { shuffleGloveRecordChunks, shuffleGloveRecords } from './glove-shuffle.js';
import type { GloveEpochRequest, GloveEpochResult, GloveWorkerData } from './glove-worker.js';

/** Which vectors a GloVe model outputs (glove.c `-model`). */
export type GloveOutput = 'w+c' | 'w' | 'all';

/** Training options of {@link trainGloveOnCooccurrence} (and of `trainGlove`, which adds counting options). */
export interface GloveTrainingOptions {
  /** Vector size (glove.c `-vector-size`, default 50). */
  dim?: number;
  /** Weighting cut-off x_max (default 100). */
  xMax?: number;
  /** Weighting exponent α (default 0.75). */
  alpha?: number;
  /** AdaGrad learning rate (default 0.05). */
  eta?: number;
  /** Iterations over the records (default 25). */
  epochs?: number;
  /** Bound on each eta-scaled gradient term (default 100, as glove.c). */
  gradClip?: number;
  /** Worker threads (default: the machine's available parallelism). */
  workers?: number;
  /** Seed of initialisation and shuffle (default 1). */
  seed?: number;
  /**
   * `w+c` (default, glove.c model 2): w_i + w̃_i; `w` (model 1): word vectors only; `all` (model 0): each row is
   * `[w_i, b_i, w̃_i, b̃_i]`, of size `2 · dim + 2`.
   */
  output?: GloveOutput;
  /**
   * Bytes the records may take in memory (default 2 GiB). When the co-occurrence records do not fit, they are
   * shuffled into a temporary file in chunks of a quarter of this size and trained from disk block by block.
   */
  memoryBudget?: number;
  /**
   * Inner loop: `wasm-simd` (WebAssembly SIMD, float32, glove-kernel-wat.ts), `js` (glove-kernel.ts), or `auto`
   * (default: wasm-simd where the runtime runs it and the shared memory stays under 2 GiB, else js).
   */
  kernel?: KernelChoice;
  /** Directory for temporary record files (default: the OS temp dir). */
  tmpDir?: string;
  /** Stages `shuffle` and `training`; for training, one report per iteration with `loss` = glove.c's cost. */
  onProgress?: OnProgress;
  /** Stops training within a second; the promise then rejects with {@link AbortedError}. */
  signal?: AbortSignal;
}

/** A file of sorted `(i u32, j u32, x f64)` little-endian records, as the co-occurrence counter spills them. */
export interface CooccurrenceRecordFile {
  path: string;
  vocabSize: number;
}

/** The words to train (a `Vocabulary` fits). */
export interface GloveVocabulary {
  words: readonly string[];
  counts?: ArrayLike<number>;
}

const COOC_RECORD_BYTES = 16;
/** Records per worker block: small enough to see an abort within milliseconds, big enough to amortise the check. */
const BLOCK_RECORDS = 1 << 15;

/** Where the shuffled records are: in the shared region at `offset`, or in a temporary file. */
type ShuffledRecords = { offset: number; length: number } | { path: string; length: number };

/**
 * The shared region every worker sees: the parameters from byte 0 (weights and accumulators, rows
 * interleaved: `viewGloveParameters`), then either the records (in memory) or one
 * block buffer per worker (records read from disk). A WebAssembly memory when the SIMD kernel runs, so the
 * kernel addresses it directly; otherwise a plain SharedArrayBuffer.
 */
interface SharedRegion {
  buffer: SharedArrayBuffer;
  memory?: WasmMemory;
  /** The compiled SIMD kernel, posted to the workers with `memory`. */
  module?: WasmModule;
  params: GloveParameters;
  /** In-memory records, or the first worker's block. */
  recordsOffset: number;
}

/** Largest shared WebAssembly memory we ask for; past it the js kernel runs. */
const MAX_WASM_BYTES = 2 ** 31;

function allocateRegion(
  vocabSize: number,
  o: ResolvedOptions,
  recordBytes: number,
  random: () => number,
): SharedRegion {
  const paramBytes = gloveParameterFloats(vocabSize, o.dim) * 4;
  const total = paramBytes + recordBytes;
  const module = o.kernel === 'js' ? null : compileKernel(GLOVE_KERNEL_WAT);
  const useWasm = module !== null && (o.kernel === 'wasm-simd' || total <= MAX_WASM_BYTES);
  let memory: WasmMemory | undefined;
  let buffer: SharedArrayBuffer;
  if (useWasm && webAssembly) {
    if (total > MAX_WASM_BYTES) {
      throw new InvalidArgumentError(
        `GloVe kernel 'wasm-simd' needs ${total} bytes of shared memory, over its ${MAX_WASM_BYTES}-byte limit: use kernel 'js' or a smaller memoryBudget`,
      );
    }
    const pages = Math.max(1, Math.ceil(total / 65536));
    memory = new webAssembly.Memory({ initial: pages, maximum: pages, shared: true });
    buffer = memory.buffer as SharedArrayBuffer;
  } else {
    buffer = new SharedArrayBuffer(total);
  }
  const params = initGloveParameters(vocabSize, o.dim, random, (n) => new Float32Array(buffer, 0, n));
  return {
    buffer,
    memory,
    module: memory && module ? module : undefined,
    params,
    recordsOffset: paramBytes,
  };
}

function isRecordFile(source: CooccurrenceMatrix | CooccurrenceRecordFile): source is CooccurrenceRecordFile {
  return typeof (source as CooccurrenceRecordFile).path === 'string';
}

/** Chunks of `source`, each at most `chunk` records (views, no copies, for an in-memory matrix). */
async function* tripletChunks(
  source: CooccurrenceMatrix | CooccurrenceRecordFile,
  chunk: number,
): AsyncGenerator<CooccurrenceMatrix> {
  if (isRecordFile(source)) {
    yield* readCooccurrenceFile(source.path, source.vocabSize, { chunkRecords: chunk });
    return;
  }
  for (let at = 0; at < source.nnz; at += chunk) {
    const end = Math.min(source.nnz, at + chunk);
    yield {
      vocabSize: source.vocabSize,
      nnz: end - at,
      rows: source.rows.subarray(at, end),
      cols: source.cols.subarray(at, end),
      values: source.values.subarray(at, end),
    };
  }
}

function checkIds(t: CooccurrenceMatrix, vocabSize: number): void {
  for (let k = 0; k < t.nnz; k++) {
    if (t.rows[k] >= vocabSize || t.cols[k] >= vocabSize) {
      throw new InvalidArgumentError(
        `co-occurrence record (${t.rows[k]}, ${t.cols[k]}) is outside the vocabulary of ${vocabSize} words`,
      );
    }
  }
}

/** Number of records in `source`. */
function recordCount(source: CooccurrenceMatrix | CooccurrenceRecordFile): number {
  return isRecordFile(source) ? Math.floor(statSync(source.path).size / COOC_RECORD_BYTES) : source.nnz;
}

/**
 * Prepares (log X, f(X)) and shuffles the records: into `records` (shared memory) when given, otherwise
 * through temporary chunk files into one shuffled record file.
 */
async function shuffleRecords(
  source: CooccurrenceMatrix | CooccurrenceRecordFile,
  vocabSize: number,
  o: ResolvedOptions,
  state: Uint32Array,
  records: { view: GloveRecords; offset: number } | undefined,
  tmp: () => string,
  signal: AbortSignal | undefined,
): Promise<ShuffledRecords> {
  if (records) {
    let n = 0;
    for await (const t of tripletChunks(source, 1 << 20)) {
      if (signal?.aborted) throw new AbortedError('GloVe shuffle');
      checkIds(t, vocabSize);
      n += prepareGloveRecords(t.rows, t.cols, t.values, t.nnz, o.xMax, o.alpha, records.view, n);
    }
    shuffleGloveRecords(records.view, state, n);
    return { offset: records.offset, length: n };
  }
  const chunkRecords = Math.max(1024, Math.floor(o.memoryBudget / 4 / GLOVE_RECORD_BYTES));
  const path = join(tmp(), 'shuffled.bin');
  const chunks = tripletChunks(source, chunkRecords);
  const length = await shuffleGloveRecordChunks(
    async (buffer: GloveRecords) => {
      const next = await chunks.next();
      if (next.done) return 0;
      checkIds(next.value, vocabSize);
      return prepareGloveRecords(
        next.value.rows,
        next.value.cols,
        next.value.values,
        next.value.nnz,
        o.xMax,
        o.alpha,
        buffer,
        0,
      );
    },
    path,
    { chunkRecords, state, tmpDir: tmp(), signal },
  );
  return { path, length };
}

/** Runs `epochs` AdaGrad iterations on worker threads; resolves with the per-iteration costs. */
async function runWorkers(
  region: SharedRegion,
  records: ShuffledRecords,
  workers: number,
  o: ResolvedOptions,
  onProgress: OnProgress | undefined,
  signal: AbortSignal | undefined,
): Promise<number[]> {
  const { params } = region;
  const control = new Int32Array(new SharedArrayBuffer(4 * (1 + workers)));
  const entry = workerEntry('train/glove/glove-worker');
  const threads: Worker[] = [];
  const onAbort = () => Atomics.store(control, 0, 1);
  signal?.addEventListener('abort', onAbort, { once: true });
  const costs: number[] = [];
  try {
    for (let w = 0; w < workers; w++) {
      const data: GloveWorkerData = {
        vocabSize: params.vocabSize,
        dim: params.dim,
        buffer: region.buffer,
        memory: region.memory,
        module: region.module,
        control: control.buffer as SharedArrayBuffer,
        index: w,
        eta: o.eta,
        gradClip: o.gradClip,
        blockRecords: BLOCK_RECORDS,
        records:
          'path' in records
            ? {
                path: records.path,
                length: records.length,
                blockOffset: region.recordsOffset + w * BLOCK_RECORDS * GLOVE_RECORD_BYTES,
              }
            : records,
      };
      threads.push(new Worker(entry, { workerData: data }));
    }
    const started = performance.now();
    onProgress?.({
      stage: 'training',
      done: 0,
      total: o.epochs,
      unit: 'iterations',
      epoch: 0,
      epochs: o.epochs,
      alpha: o.eta,
    });
    for (let epoch = 1; epoch <= o.epochs; epoch++) {
      if (signal?.aborted) throw new AbortedError('GloVe training');
      // Within an iteration, report the records done every second (an iteration can take minutes).
      const ticker = onProgress
        ? setInterval(() => {
            let done = 0;
            for (let w = 0; w < workers; w++) done += Atomics.load(control, 1 + w);
            onProgress({
              stage: 'training',
              done: epoch - 1 + done / Math.max(1, records.length),
              total: o.epochs,
              unit: 'iterations',
              epoch,
              epochs: o.epochs,
              alpha: o.eta,
            });
          }, 1000)
        : undefined;
      const results = await Promise.all(
        threads.map(
          (t, w) =>
            new Promise<GloveEpochResult>((resolve, reject) => {
              const onError = (e: Error) => reject(e);
              t.once('error', onError);
              t.once('message', (m: GloveEpochResult) => {
                t.off('error', onError);
                resolve(m);
              });
              const request: GloveEpochRequest = {
                start: Math.floor((records.length * w) / workers),
                end: Math.floor((records.length * (w + 1)) / workers),
              };
              t.postMessage(request);
            }),
        ),
      ).finally(() => clearInterval(ticker));
      if (results.some((r) => r.aborted) || signal?.aborted) throw new AbortedError('GloVe training');
      let cost = 0;
      for (const r of results) cost += r.cost;
      // glove.c prints the cost divided by the number of records.
      const loss = records.length > 0 ? cost / records.length : 0;
      costs.push(loss);
      const seconds = (performance.now() - started) / 1000;
      onProgress?.({
        stage: 'training',
        done: epoch,
        total: o.epochs,
        unit: 'iterations',
        epoch,
        epochs: o.epochs,
        alpha: o.eta,
        loss,
        rate: epoch / seconds,
        etaSeconds: ((o.epochs - epoch) * seconds) / epoch,
      });
    }
    return costs;
  } finally {
    signal?.removeEventListener('abort', onAbort);
    await Promise.all(threads.map((t) => t.terminate()));
  }
}

/** Builds the output matrix of `mode` from the trained parameters (glove.c `save_params`). */
export function gloveOutputVectors(
  params: GloveParameters,
  mode: GloveOutput,
): { vectors: Float32Array; dim: number } {
  const { vocabSize: V, dim, stride, weights: W } = params;
  const ctx = V * stride;
  if (mode === 'all') {
    const outDim = 2 * (dim + 1);
    const out = new Float32Array(V * outDim);
    for (let i = 0; i < V; i++) {
      out.set(W.subarray(i * stride, i * stride + dim + 1), i * outDim);
      out.set(W.subarray(ctx + i * stride, ctx + i * stride + dim + 1), i * outDim + dim + 1);
    }
    return { vectors: out, dim: outDim };
  }
  const out = new Float32Array(V * dim);
  for (let i = 0; i < V; i++) {
    for (let b = 0; b < dim; b++) {
      out[i * dim + b] = mode === 'w' ? W[i * stride + b] : W[i * stride + b] + W[ctx + i * stride + b];
    }
  }
  return { vectors: out, dim };
}

/**
 * Trains GloVe vectors on co-occurrence counts that are already computed.
 *
 * @param source - the counts: an in-memory matrix (`countCooccurrences`' result) or a record file of sorted
 *   `(i u32, j u32, x f64)` records. Ids index `vocab.words`.
 * @param vocab - the words (row order of the output), with their counts when known.
 * @param options - see {@link GloveTrainingOptions}; `corpus` describes the text for the model record.
 * @returns the trained model; `hyperParameters` lists every setting, `costs` in the progress reports.
 * @throws {@link InvalidArgumentError} for a bad option or an id outside the vocabulary;
 *   {@link AbortedError} when `signal` fires.
 * @example
 * ```ts
 * const m = countCooccurrences(encoded.ids, vocab.size, { window: 15, symmetric: true, weighting: 'harmonic' });
 * const model = await trainGloveOnCooccurrence(m, vocab, { dim: 50, epochs: 25, seed: 1 });
 * model.vectors.mostSimilar({ positive: ['king'] });
 * ```
 */
export async function trainGloveOnCooccurrence(
  source: CooccurrenceMatrix | CooccurrenceRecordFile,
  vocab: GloveVocabulary,
  options: GloveTrainingOptions & {
    corpus?: CorpusDescription;
    extraHyperParameters?: Record<string, number | string | boolean>;
  } = {},
): Promise<TrainedModel> {
  const o = resolveGloveOptions(options);
  const { signal, onProgress } = options;
  if (signal?.aborted) throw new AbortedError('GloVe training');
  const vocabSize = vocab.words.length;
  if (source.vocabSize !== vocabSize) {
    throw new InvalidArgumentError(
      `co-occurrence matrix is over ${source.vocabSize} words but the vocabulary has ${vocabSize}`,
    );
  }
  let dir: string | undefined;
  const tmp = () => {
    dir ??= mkdtempSync(join(options.tmpDir ?? tmpdir(), 'wordvec-glove-'));
    return dir;
  };
  try {
    const nnz = recordCount(source);
    const workers = Math.max(1, Math.min(o.workers, nnz));
    const matrixBytes = gloveParameterFloats(vocabSize, o.dim) * 4;
    // Records in memory when they fit the budget, and, for the SIMD kernel, its memory limit too: past that
    // the kernel reads them from disk block by block, which is still faster than the js kernel in memory.
    const wasmWanted = o.kernel !== 'js' && compileKernel(GLOVE_KERNEL_WAT) !== null;
    const inMemory =
      nnz * GLOVE_RECORD_BYTES <= o.memoryBudget &&
      !(wasmWanted && matrixBytes + nnz * GLOVE_RECORD_BYTES > MAX_WASM_BYTES);
    const recordBytes = (inMemory ? nnz : workers * BLOCK_RECORDS) * GLOVE_RECORD_BYTES;
    // One seeded stream for the initialisation, another for the shuffle (glove.c seeds each tool once).
    const region = allocateRegion(vocabSize, o, recordBytes, createRandom(o.seed));
    const { params } = region;
    const state = seedState(o.seed ^ 0x5eed);
    const t0 = performance.now();
    onProgress?.({ stage: 'shuffle', done: 0 });
    const target = inMemory
      ? { view: viewGloveRecords(region.buffer, nnz, region.recordsOffset), offset: region.recordsOffset }
      : undefined;
    const records = await shuffleRecords(source, vocabSize, o, state, target, tmp, signal);
    onProgress?.({
      stage: 'shuffle',
      done: records.length,
      total: records.length,
      unit: 'records',
      rate: records.length / ((performance.now() - t0) / 1000),
    });
    const costs = await runWorkers(region, records, workers, o, onProgress, signal);
    const { vectors, dim } = gloveOutputVectors(params, o.output);
    return {
      vectors: new KeyedVectors({ words: vocab.words, vectors, dim, counts: vocab.counts }),
      algorithm: 'glove',
      hyperParameters: {
        dim: o.dim,
        xMax: o.xMax,
        alpha: o.alpha,
        eta: o.eta,
        epochs: o.epochs,
        gradClip: o.gradClip,
        workers: o.workers,
        seed: o.seed,
        output: o.output,
        kernel: region.memory ? 'wasm-simd' : 'js',
        records: records.length,
        ...(costs.length > 0 ? { finalCost: costs[costs.length - 1] } : {}),
        ...options.extraHyperParameters,
      },
      corpus: options.corpus ?? { name: 'co-occurrence counts', tokens: 0, checksum: '' },
    };
  } finally {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  }
}

/** Options of {@link trainGlove}: the training options plus how the corpus is counted. */
export interface GloveOptions extends GloveTrainingOptions {
  /** Context words on each side (glove.c `-window-size`, default 15), weighted by 1/distance. */
  window?: number;
  /** Count each pair both ways (glove.c `-symmetric 1`, default true). */
  symmetric?: boolean;
  /** Words seen fewer times are dropped (glove.c `-min-count`, default 5). */
  minCount?: number;
  /** Bound on distinct words held while counting the vocabulary. */
  maxVocabSize?: number;
}

/**
 * Trains GloVe vectors on a corpus: vocabulary (min-count), co-occurrence counts (symmetric window, 1/distance
 * weighting, not crossing sentence ends), shuffle, then AdaGrad on worker threads, with glove.c's defaults.
 *
 * Progress stages, in order: `vocabulary`, `encode`, `cooccurrence`, `shuffle`, `training` (one report per
 * iteration, `loss` = glove.c's cost). Counts that may outgrow `memoryBudget` are counted to a temporary
 * record file and trained from disk.
 *
 * @param corpus - the text (see `openCorpus`).
 * @param options - see {@link GloveOptions}.
 * @returns the model: vectors in vocabulary order (most frequent first) with counts, every hyper-parameter,
 *   the corpus description and the rare words.
 * @throws {@link InvalidArgumentError} for a bad option; {@link AbortedError} when `signal` fires.
 * @example
 * ```ts
 * const model = await trainGlove(openCorpus('brown'), { dim: 100, window: 10, xMax: 10, epochs: 15, workers: 2, seed: 1 });
 * model.vectors.mostSimilar({ positive: ['money'], topn: 5 });
 * ```
 */
export async function trainGlove(corpus: Corpus, options: GloveOptions = {}): Promise<TrainedModel> {
  const o = resolveGloveOptions(options);
  const window = options.window ?? 15;
  const symmetric = options.symmetric ?? true;
  const minCount = options.minCount ?? 5;
  checkGloveOption('window', window, Number.isInteger(window) && window > 0, 'a positive integer');
  checkGloveOption('minCount', minCount, Number.isInteger(minCount) && minCount > 0, 'a positive integer');
  const { onProgress, signal } = options;
  if (signal?.aborted) throw new AbortedError('GloVe training');
  const { vocab, encoded } = await prepareCorpus(corpus, {
    minCount,
    maxVocabSize: options.maxVocabSize,
    onProgress,
    signal,
  });
  const counting = {
    window,
    symmetric,
    weighting: 'harmonic' as const,
    memoryBudget: o.memoryBudget,
    tmpDir: options.tmpDir,
    onProgress,
    signal,
  };
  // The counts and the training records take 16 bytes per pair each; bound the pairs by the vocabulary
  // square and by the pairs the windows can produce, and go through a file when that may not fit.
  const maxPairs = Math.min(vocab.size * vocab.size, encoded.tokens * window * (symmetric ? 2 : 1));
  const train = {
    ...options,
    corpus: describeCorpus(encoded),
    extraHyperParameters: { window, symmetric, minCount },
  };
  let model: TrainedModel;
  if (maxPairs * 32 <= o.memoryBudget) {
    const matrix = await countCooccurrences(encoded.ids, vocab.size, counting);
    model = await trainGloveOnCooccurrence(matrix, vocab, train);
  } else {
    const dir = mkdtempSync(join(options.tmpDir ?? tmpdir(), 'wordvec-glove-counts-'));
    try {
      const file = await countCooccurrencesToFile(
        encoded.ids,
        vocab.size,
        join(dir, 'cooccurrence.bin'),
        counting,
      );
      model = await trainGloveOnCooccurrence(file, vocab, train);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return { ...model, rareWords: vocab.rareWords };
}
