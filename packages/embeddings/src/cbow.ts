/**
 * word2vec training (CBOW, or skip-gram with `sg: true`) with negative sampling: the orchestration.
 * Owns the options, the shared memory, the learning-rate schedule, the worker threads, progress and abort;
 * the inner loops are in cbow-kernel.ts and run inside cbow-worker.ts.
 *
 * Reference semantics: Mikolov's word2vec.c (`TrainModel`, `InitNet`, `TrainModelThread`).
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import {
  type CbowJob,
  type CbowJobResult,
  type CbowWorkerData,
  CONTROL_ABORT,
  CONTROL_ALPHA_BITS,
  CONTROL_SLOTS,
  fillUnigramTable,
  keepProbabilities,
  learningRate,
} from './cbow-kernel.js';
import { AbortedError, InvalidArgumentError } from './errors.js';
import type { OnProgress } from './progress.js';
import { nextUint32, seedState } from './random.js';
import { workerEntry } from './worker-entry.js';

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

/** Unigram-table size: word2vec.c uses 1e8 slots; ~100 per word (at most 1e7) keeps even rare words drawable. */
function unigramTableSize(vocabSize: number): number {
  return Math.min(10_000_000, Math.max(100_000, vocabSize * 100));
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
  const src: TokenSource = source instanceof Int32Array ? { kind: 'memory', ids: sharedIds(source) } : source;
  const { signal, onProgress } = options;
  if (signal?.aborted) throw new AbortedError('word2vec training');
  const vocabSize = counts.length;
  if (vocabSize === 0)
    throw new InvalidArgumentError('the vocabulary is empty: no word occurs minCount times');
  let totalWords = 0;
  for (let i = 0; i < vocabSize; i++) totalWords += counts[i];
  const plannedWords = totalWords * o.epochs;

  const floatBytes = vocabSize * o.dim * 4;
  const syn0 = initialVectors(new Float32Array(new SharedArrayBuffer(floatBytes)), o.dim, o.seed);
  const syn1neg = new SharedArrayBuffer(floatBytes);
  const table = new SharedArrayBuffer(unigramTableSize(vocabSize) * 4);
  fillUnigramTable(counts, new Int32Array(table));
  const keep = new SharedArrayBuffer(vocabSize * 4);
  new Float32Array(keep).set(keepProbabilities(counts, totalWords, o.sample));
  const control = new Int32Array(new SharedArrayBuffer(CONTROL_SLOTS * 4));
  const wordsDone = new BigInt64Array(new SharedArrayBuffer(8));

  const memorySlices = src.kind === 'memory' ? sentenceSlices(src.ids, o.workers) : [];
  const workerCount = src.kind === 'memory' ? Math.max(1, memorySlices.length) : o.workers;
  const entry = workerEntry('cbow-worker', import.meta.url);
  const workers: JobWorker[] = [];
  for (let w = 0; w < workerCount; w++) {
    const data: CbowWorkerData = {
      dim: o.dim,
      window: o.window,
      negative: o.negative,
      sg: o.sg,
      cbowMean: o.cbowMean,
      syn0: syn0.buffer as SharedArrayBuffer,
      syn1neg,
      table,
      keep,
      control: control.buffer as SharedArrayBuffer,
      wordsDone: wordsDone.buffer as SharedArrayBuffer,
      seed: (o.seed + Math.imul(w + 1, 0x9e3779b9)) | 0,
      alpha: o.alpha,
      minAlpha: o.minAlpha,
      plannedWords,
    };
    workers.push(new JobWorker(new Worker(entry, { workerData: data })));
  }

  const started = performance.now();
  const report = () => {
    if (!onProgress) return;
    const done = Number(Atomics.load(wordsDone, 0));
    const seconds = (performance.now() - started) / 1000;
    const rate = seconds > 0 ? done / seconds : 0;
    const alphaNow = new Float32Array(new Int32Array([Atomics.load(control, CONTROL_ALPHA_BITS)]).buffer)[0];
    onProgress({
      stage: 'training',
      done,
      total: plannedWords,
      unit: 'words',
      epoch: Math.min(o.epochs, Math.floor(done / Math.max(1, totalWords)) + 1),
      epochs: o.epochs,
      rate,
      etaSeconds: rate > 0 ? Math.max(0, plannedWords - done) / rate : undefined,
      alpha: alphaNow || learningRate(o.alpha, o.minAlpha, done, plannedWords),
    });
  };
  const timer = onProgress ? setInterval(report, 250) : undefined;
  const onAbort = () => Atomics.store(control, CONTROL_ABORT, 1);
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const failure = Promise.race(workers.map((w) => w.failed));
    if (src.kind === 'memory') {
      await Promise.race([
        Promise.all(
          memorySlices.map(([start, end], w) =>
            workers[w].run({ ids: src.ids, start, end, epochs: o.epochs }),
          ),
        ),
        failure,
      ]);
    } else {
      for (let epoch = 0; epoch < o.epochs && control[CONTROL_ABORT] === 0; epoch++) {
        await Promise.race([streamEpoch(src.chunks(epoch), workers, control), failure]);
      }
    }
    if (signal?.aborted || control[CONTROL_ABORT] !== 0) throw new AbortedError('word2vec training');
    report();
    return new Float32Array(syn0);
  } finally {
    if (timer) clearInterval(timer);
    signal?.removeEventListener('abort', onAbort);
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

/** The ids over a SharedArrayBuffer, so every worker reads the same memory instead of its own copy. */
function sharedIds(ids: Int32Array): Int32Array {
  if (ids.buffer instanceof SharedArrayBuffer) return ids;
  const shared = new Int32Array(new SharedArrayBuffer(ids.byteLength));
  shared.set(ids);
  return shared;
}

/** Sends an epoch's chunks to whichever worker is free, as gensim's job queue does. */
async function streamEpoch(
  chunks: AsyncIterable<Int32Array>,
  workers: JobWorker[],
  control: Int32Array,
): Promise<void> {
  const busy = new Map<JobWorker, Promise<JobWorker>>();
  for await (const ids of chunks) {
    if (control[CONTROL_ABORT] !== 0) break;
    let free = workers.find((w) => !busy.has(w));
    if (!free) {
      free = await Promise.race(busy.values());
      busy.delete(free);
    }
    const worker = free;
    busy.set(
      worker,
      worker.run({ ids, start: 0, end: ids.length, epochs: 1 }).then(() => worker),
    );
  }
  await Promise.all(busy.values());
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

/** A worker that runs one {@link CbowJob} at a time. */
class JobWorker {
  readonly failed: Promise<never>;
  #pending: ((r: CbowJobResult) => void) | undefined;

  constructor(readonly worker: Worker) {
    this.failed = new Promise<never>((_, reject) => {
      worker.on('error', reject);
      worker.on('exit', (code) => {
        if (this.#pending) reject(new Error(`word2vec worker exited with code ${code} during training`));
      });
    });
    this.failed.catch(() => {});
    worker.on('message', (r: CbowJobResult) => {
      const resolve = this.#pending;
      this.#pending = undefined;
      resolve?.(r);
    });
  }

  run(job: CbowJob): Promise<CbowJobResult> {
    return new Promise((resolve) => {
      this.#pending = resolve;
      this.worker.postMessage(job);
    });
  }

  async terminate(): Promise<void> {
    this.#pending = undefined;
    await this.worker.terminate();
  }
}
