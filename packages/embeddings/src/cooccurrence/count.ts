/**
 * Co-occurrence counting from a token-id stream, within a memory budget: counts accumulate in typed arrays
 * (see cooccurrence-counter.ts); when the hash table fills, it is spilled as a sorted run to a temporary
 * directory, and the runs are k-way merged into one sorted result at the end.
 *
 * Semantics follow Stanford GloVe's `cooccur` (Pennington, Socher & Manning 2014): each token pairs with the
 * up to `window` tokens before it, weight 1/distance ("harmonic") or 1 ("uniform"); the earlier token is
 * the row, and a symmetric count adds both (i, j) and (j, i).
 */

import { AbortedError, InvalidArgumentError } from '../errors.js';
import type { OnProgress } from '../progress.js';
import { countPairs, PairCounter, planCounter, sortedRecords } from './counter.js';
import type { CooccurrenceMatrix } from './matrix.js';
import { FileSink, MatrixSink, mergeRecordFiles, type RecordSink } from './merge.js';
import { writeCooccurrenceFile } from './record-file.js';
import { SpillDirectory } from './spill-directory.js';

/**
 * Options of {@link countCooccurrences}.
 *
 * @example
 * ```ts
 * const counts = await countCooccurrences(ids, vocab.size, {
 *   window: 5,
 *   weighting: 'uniform',
 *   memoryBudget: 256 * 2 ** 20, // spill sorted runs to disk past 256 MiB
 * });
 * ```
 */
export interface CooccurrenceOptions {
  /** Context words on each side (symmetric) or before each word. Default 10. */
  window?: number;
  /** Count (i, j) and (j, i) for each pair. Default true. */
  symmetric?: boolean;
  /** Weight of a pair at distance d: 1/d (`harmonic`, GloVe's default) or 1 (`uniform`). Default `harmonic`. */
  weighting?: 'harmonic' | 'uniform';
  /** Let windows run across sentence ends (−1 in the id stream). Default false. */
  crossSentences?: boolean;
  /** Approximate bytes the counting may use before spilling to disk. Default 1 GiB. */
  memoryBudget?: number;
  /** Where spilled runs go (a fresh sub-directory, removed afterwards). Default the OS temp directory. */
  tmpDir?: string;
  onProgress?: OnProgress;
  signal?: AbortSignal;
}

/**
 * Summary of a count written to a record file by {@link countCooccurrencesToFile}.
 *
 * @example
 * ```ts
 * const { path, nnz, spills } = await countCooccurrencesToFile(ids, vocab.size, '/tmp/brown.cooc');
 * for await (const chunk of readCooccurrenceFile(path, vocab.size)) console.log(chunk.nnz);
 * ```
 */
export interface CooccurrenceFileResult {
  path: string;
  vocabSize: number;
  nnz: number;
  /** Sorted runs spilled to disk during counting (0 when everything fit in memory). */
  spills: number;
}

const DEFAULT_BUDGET = 2 ** 30;
/** Tokens counted between progress reports and abort checks. */
const SLICE = 1 << 20;
/** Largest vocabulary for which the key a·V + b stays an exact double. */
const MAX_VOCAB = 2 ** 26;

interface CountState {
  counter: PairCounter;
  runs: string[];
}

/**
 * Counts weighted co-occurrences of the ids in `ids` (−1 ends a sentence) and returns them in memory,
 * sorted by (row, col). Spills to disk when the counts outgrow `memoryBudget`; the merged result must fit in
 * memory (use {@link countCooccurrencesToFile} otherwise).
 *
 * @param ids - token ids in [0, vocabSize), −1 between sentences (see `encodeCorpus`).
 * @param vocabSize - number of distinct ids.
 * @example
 * ```ts
 * const m = await countCooccurrences(Int32Array.of(0, 1, 2, -1, 1, 2), 3, { window: 2 });
 * m.nnz; // 6: (0,1) (0,2) (1,0) (1,2) (2,0) (2,1)
 * ```
 */
export async function countCooccurrences(
  ids: Int32Array,
  vocabSize: number,
  options: CooccurrenceOptions = {},
): Promise<CooccurrenceMatrix> {
  const dir = new SpillDirectory(options.tmpDir);
  try {
    const { counter, runs } = await countWithSpills(ids, vocabSize, options, dir);
    if (runs.length === 0) return sortedRecords(counter, true);
    spill(counter, dir, runs, true);
    const sink = new MatrixSink(vocabSize);
    await merge(runs, vocabSize, sink, options);
    return sink.matrix();
  } finally {
    dir.remove();
  }
}

/**
 * Like {@link countCooccurrences}, but writes the sorted result to a record file at `path` (16-byte
 * (i u32, j u32, x f64) records; read it back with `readCooccurrenceFile`). Memory stays within the
 * budget however large the result.
 *
 * @example
 * ```ts
 * const { vocab, encoded } = await countAndEncodeCorpus(openCorpus('brown'), { minCount: 5 });
 * const file = await countCooccurrencesToFile(encoded.ids, vocab.size, '/tmp/brown.cooc', { window: 15 });
 * const model = await trainGloveOnCooccurrence(file, vocab, { dim: 50, seed: 1 });
 * ```
 */
export async function countCooccurrencesToFile(
  ids: Int32Array,
  vocabSize: number,
  path: string,
  options: CooccurrenceOptions = {},
): Promise<CooccurrenceFileResult> {
  const dir = new SpillDirectory(options.tmpDir);
  try {
    const { counter, runs } = await countWithSpills(ids, vocabSize, options, dir);
    if (runs.length === 0) {
      const m = sortedRecords(counter, true);
      writeCooccurrenceFile(path, m);
      return { path, vocabSize, nnz: m.nnz, spills: 0 };
    }
    const spills = runs.length;
    spill(counter, dir, runs, true);
    const sink = new FileSink(path);
    try {
      await merge(runs, vocabSize, sink, options);
    } finally {
      sink.close();
    }
    return { path, vocabSize, nnz: sink.nnz, spills };
  } finally {
    dir.remove();
  }
}

function validate(ids: Int32Array, vocabSize: number, o: CooccurrenceOptions): void {
  if (!(ids instanceof Int32Array)) throw new InvalidArgumentError('ids must be an Int32Array');
  if (!Number.isInteger(vocabSize) || vocabSize < 0 || vocabSize > MAX_VOCAB) {
    throw new InvalidArgumentError(`vocabSize must be an integer in [0, ${MAX_VOCAB}], got ${vocabSize}`);
  }
  const window = o.window ?? 10;
  if (!Number.isInteger(window) || window < 1)
    throw new InvalidArgumentError(`window must be a positive integer, got ${window}`);
  if (o.weighting !== undefined && o.weighting !== 'harmonic' && o.weighting !== 'uniform') {
    throw new InvalidArgumentError(
      `weighting must be 'harmonic' or 'uniform', got ${JSON.stringify(o.weighting)}`,
    );
  }
  const budget = o.memoryBudget ?? DEFAULT_BUDGET;
  if (!Number.isFinite(budget) || budget <= 0)
    throw new InvalidArgumentError(`memoryBudget must be a positive number of bytes, got ${budget}`);
  for (let p = 0; p < ids.length; p++) {
    const w = ids[p];
    if (w < -1 || w >= vocabSize) {
      throw new InvalidArgumentError(
        `ids[${p}] is ${w}, outside [0, ${vocabSize}) and not the sentence end −1`,
      );
    }
  }
}

async function countWithSpills(
  input: Int32Array,
  vocabSize: number,
  o: CooccurrenceOptions,
  dir: SpillDirectory,
): Promise<CountState> {
  validate(input, vocabSize, o);
  const window = o.window ?? 10;
  const ids = o.crossSentences ? input.filter((w) => w >= 0) : input;
  const weights = new Float64Array(window + 1);
  for (let d = 1; d <= window; d++) weights[d] = o.weighting === 'uniform' ? 1 : 1 / d;
  const counter = new PairCounter(
    vocabSize,
    o.symmetric ?? true,
    planCounter(vocabSize, o.memoryBudget ?? DEFAULT_BUDGET),
    window,
    ids.length * window,
  );
  const runs: string[] = [];
  const n = ids.length;
  const started = performance.now();
  let p = 0;
  while (p < n) {
    const end = Math.min(n, p + SLICE);
    while (p < end) {
      p = countPairs(counter, ids, p, end, sentenceStartBefore(ids, p, window), window, weights);
      if (counter.full) {
        if (counter.canGrow) counter.grow();
        else {
          spill(counter, dir, runs, false);
          counter.clearTable();
          // Let signal handlers (Ctrl-C cleanup) and aborts in between spills, not only between slices.
          await new Promise<void>((resolve) => setImmediate(resolve));
          if (o.signal?.aborted) throw new AbortedError('co-occurrence counting');
        }
      }
    }
    if (o.onProgress) {
      const seconds = (performance.now() - started) / 1000;
      const rate = seconds > 0 ? p / seconds : undefined;
      o.onProgress({
        stage: 'cooccurrence',
        done: p,
        total: n,
        unit: 'tokens',
        rate,
        etaSeconds: rate ? (n - p) / rate : undefined,
      });
    }
    if (p < n) await new Promise<void>((resolve) => setImmediate(resolve));
    if (o.signal?.aborted) throw new AbortedError('co-occurrence counting');
  }
  return { counter, runs };
}

/** Where the sentence containing position p starts, as far back as the window can reach. */
function sentenceStartBefore(ids: Int32Array, p: number, window: number): number {
  const lo = Math.max(0, p - window);
  for (let q = p - 1; q >= lo; q--) if (ids[q] < 0) return q + 1;
  return lo;
}

/** Writes the counter's table (and, for the last run, its dense block) as one more sorted run. */
function spill(counter: PairCounter, dir: SpillDirectory, runs: string[], includeDense: boolean): void {
  const path = dir.file();
  writeCooccurrenceFile(path, sortedRecords(counter, includeDense));
  runs.push(path);
}

async function merge(
  runs: string[],
  vocabSize: number,
  sink: RecordSink,
  o: CooccurrenceOptions,
): Promise<void> {
  const started = performance.now();
  await mergeRecordFiles(runs, vocabSize, sink, {
    signal: o.signal,
    onRecords: o.onProgress
      ? (done) => {
          const seconds = (performance.now() - started) / 1000;
          o.onProgress?.({
            stage: 'cooccurrence-merge',
            done,
            unit: 'records',
            rate: seconds > 0 ? done / seconds : undefined,
          });
        }
      : undefined,
  });
  if (o.signal?.aborted) throw new AbortedError('co-occurrence merge');
}
