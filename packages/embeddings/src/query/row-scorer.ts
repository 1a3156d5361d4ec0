/**
 * Owner of the unit matrix and the per-row score buffer of a {@link KeyedVectors}, and of the
 * kernel that fills the buffer: WebAssembly SIMD when the engine has it, plain JavaScript
 * (row-scores.ts) otherwise.
 *
 * For the wasm kernel the matrix, the query and the scores live in one shared WebAssembly.Memory
 * sized once for them and never grown, so the `Float32Array` views handed out stay valid for good.
 * A scan is memory-bound (every query streams the whole matrix), so large matrices get one helper
 * thread that scores rows in the same memory alongside the caller, the way gensim's dot product
 * runs on two BLAS threads. Rows go out in chunks from an atomic
 * counter, so when the OS does not schedule the helper the caller simply takes every chunk itself.
 * The hand-off is a few Int32 slots in a SharedArrayBuffer with Atomics.wait/notify: no message,
 * no copy, no allocation per query.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { InvalidArgumentError } from '../errors.js';
import { dot } from '../linalg/dot.js';
import { GATHER_MAX } from '../wasm/gather-dots-wat.js';
import {
  checkKernelChoice,
  compileKernel,
  type Kernel,
  type KernelChoice,
  requireKernel,
  webAssembly,
} from '../wasm/runtime.js';
import { scoreRows } from './row-scores.js';
import { ROW_SCORES_WAT } from './row-scores-wat.js';

/** A matrix plus the kernel that scores all its rows against a query. */
export interface RowScorer {
  readonly kernel: Kernel;
  /** Threads a full scan runs on: 2 with the helper thread, 1 without (or once the helper was given up). */
  readonly threads: number;
  /** `rows × dim` values, row-major; the caller fills it (e.g. with unit vectors). */
  readonly matrix: Float32Array;
  /** One score per row, written by {@link RowScorer.score}. */
  readonly scores: Float32Array;
  /** Writes `scores[r] = matrix[r] · query` for r in `[start, end)`. */
  score(query: Float32Array, start: number, end: number): void;
  /**
   * Sets `query` as the query of the scorer's {@link RowGather} and returns it (the same object
   * every call): scores of listed rows, for a graph walk over this matrix. A later
   * {@link RowScorer.score} or `gather` replaces the query.
   */
  gather(query: Float32Array): RowGather;
}

/**
 * Scores the query given to {@link RowScorer.gather} against listed rows of the matrix:
 * fill `ids[0…count)` (count ≤ {@link GATHER_MAX}), call `score(count)`, read `out[0…count)`.
 */
export interface RowGather {
  readonly ids: Uint32Array;
  readonly out: Float32Array;
  score(count: number): void;
}

/** Options of {@link createRowScorer}. */
export interface RowScorerOptions {
  /** `auto` (default) takes WebAssembly SIMD when available; `wasm-simd` insists on it; `js` never uses it. */
  kernel?: KernelChoice;
  /**
   * 1 or 2. Default: 2 when the machine has two cores and the matrix holds at least
   * {@link PARALLEL_MIN_VALUES} values (below that, waking a thread costs more than it saves).
   */
  threads?: number;
  /** How long the caller waits for a chunk the helper claimed before it gives the helper up and scans alone. Default 30 s. */
  helperTimeoutMs?: number;
}

/** Matrices smaller than this (in float32 values) are scanned on one thread by default. */
export const PARALLEL_MIN_VALUES = 1 << 22;

type ScoreRowsExport = (m: number, q: number, out: number, rows: number, dim: number) => void;
type GatherExport = (q: number, ids: number, count: number, out: number, rowBytes: number) => void;

const WASM_PAGE = 65536;
/** memory32 tops out at 65,536 pages (4 GiB); keep clear of the edge. */
const WASM_MAX_BYTES = 4 * 1024 ** 3 - WASM_PAGE;
/** A helper that has not finished its chunk in this long is considered gone; the caller redoes the scan. */
const HELPER_TIMEOUT_MS = 30_000;
/** Rows are handed out in chunks of about this many float32 values (1 MiB): small enough that the
 * caller never waits long for a helper the OS has descheduled, large enough that hand-out costs nothing. */
const CHUNK_VALUES = 1 << 18;

// Control block shared with the helper: one BigInt64 ticket counter, then Int32 slots.
const JOB = 2; // number of the last job posted; −1 asks the helper to exit
const FINISHED = 3; // chunks of the current job finished
const ARGS = 4; // start row, end row, dim, query byte offset, scores byte offset, rows per chunk

/**
 * Takes chunks of the current job until none is left; run by the caller and by the helper alike
 * (the helper gets this function's source). A ticket packs chunks (20 bits) | next chunk (24 bits),
 * and one atomic add claims a chunk. A claim below the count is always a chunk of the job being
 * run: the caller posts the next job (new bounds, then a new ticket) only after every chunk of
 * this one is finished, and this claimed chunk is not. A claim at or past the count claims nothing,
 * so no chunk is ever lost or run twice, however late the helper wakes.
 */
function drainChunks(
  ctl: Int32Array,
  tickets: BigInt64Array,
  run: (m: number, q: number, out: number, rows: number, dim: number) => void,
): void {
  for (;;) {
    const t = Atomics.add(tickets, 0, 1n);
    const n = Number(t >> 24n);
    const c = Number(t & 0xffffffn);
    if (c >= n) return;
    const dim = ctl[6];
    const from = ctl[4] + c * ctl[9];
    const to = Math.min(ctl[5], from + ctl[9]);
    run(from * dim * 4, ctl[7], ctl[8] + from * 4, to - from, dim);
    if (Atomics.add(ctl, 3, 1) + 1 === n) Atomics.notify(ctl, 3);
  }
}

/**
 * The helper thread: instantiates the kernel on the shared memory and takes chunks of each posted job.
 * Plain JavaScript evaluated by the Worker (no file to resolve, so it works from src/ and dist/ alike).
 */
const HELPER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { module, memory, control } = workerData;
const run = new WebAssembly.Instance(module, { env: { memory } }).exports.scoreRows;
const ctl = new Int32Array(control);
const tickets = new BigInt64Array(control, 0, 1);
const drainChunks = ${drainChunks.toString()};
let seen = 0;
for (;;) {
  Atomics.wait(ctl, ${JOB}, seen);
  seen = Atomics.load(ctl, ${JOB});
  if (seen < 0) break;
  drainChunks(ctl, tickets, run);
}
`;

/**
 * Whether the WebAssembly SIMD kernel can run here.
 *
 * @example
 * ```ts
 * if (!hasWasmRowScorer()) console.warn('similarity scans fall back to plain JavaScript');
 * ```
 */
export function hasWasmRowScorer(): boolean {
  return compileKernel(ROW_SCORES_WAT) !== null;
}

/** Stops a scorer's helper thread once the scorer itself is garbage: it would pin the memory otherwise. */
const helpers = new FinalizationRegistry<{ control: Int32Array; worker: Worker }>(({ control, worker }) => {
  Atomics.store(control, JOB, -1);
  Atomics.notify(control, JOB);
  void worker.terminate();
});

/**
 * Allocates a scorer for a `rows × dim` matrix.
 *
 * @example
 * ```ts
 * const s = createRowScorer(2, 2);
 * s.matrix.set([1, 0, 0, 1]);
 * s.score(new Float32Array([0.5, 2]), 0, 2); // s.scores = [0.5, 2]
 * ```
 */
export function createRowScorer(rows: number, dim: number, options: RowScorerOptions = {}): RowScorer {
  if (!Number.isInteger(rows) || rows < 0 || !Number.isInteger(dim) || dim <= 0) {
    throw new InvalidArgumentError(`a row scorer needs rows ≥ 0 and dim > 0, got ${rows} × ${dim}`);
  }
  const wanted = checkKernelChoice(options.kernel);
  const threads =
    options.threads ?? (rows * dim >= PARALLEL_MIN_VALUES && availableParallelism() >= 2 ? 2 : 1);
  if (threads !== 1 && threads !== 2)
    throw new InvalidArgumentError(`threads must be 1 or 2, got ${threads}`);
  const helperTimeoutMs = options.helperTimeoutMs ?? HELPER_TIMEOUT_MS;
  const matrixBytes = rows * dim * 4;
  // matrix | query (padded to 16 bytes) | scores | gather ids | gather scores
  const queryAt = matrixBytes;
  const scoresAt = queryAt + Math.ceil((dim * 4) / 16) * 16;
  const idsAt = scoresAt + rows * 4;
  const outAt = idsAt + GATHER_MAX * 4;
  const totalBytes = outAt + GATHER_MAX * 4;
  const module =
    wanted === 'js'
      ? null
      : wanted === 'wasm-simd'
        ? requireKernel('row scorer', ROW_SCORES_WAT)
        : compileKernel(ROW_SCORES_WAT);
  if (!module || !webAssembly || totalBytes > WASM_MAX_BYTES) {
    if (wanted === 'wasm-simd') {
      throw new InvalidArgumentError(`a matrix of ${totalBytes} bytes is too large for wasm memory`);
    }
    return jsScorer(rows, dim);
  }
  const pages = Math.max(1, Math.ceil(totalBytes / WASM_PAGE));
  const memory = new webAssembly.Memory({ initial: pages, maximum: pages, shared: true });
  const exports = new webAssembly.Instance(module, { env: { memory } }).exports as {
    scoreRows: ScoreRowsExport;
    gather: GatherExport;
  };
  const run = exports.scoreRows;
  const gatherRows = exports.gather;
  const rowBytes = dim * 4;
  const gather: RowGather = {
    ids: new Uint32Array(memory.buffer, idsAt, GATHER_MAX),
    out: new Float32Array(memory.buffer, outAt, GATHER_MAX),
    score(count) {
      gatherRows(queryAt, idsAt, count, outAt, rowBytes);
    },
  };
  const matrix = new Float32Array(memory.buffer, 0, rows * dim);
  const query = new Float32Array(memory.buffer, queryAt, dim);
  const scores = new Float32Array(memory.buffer, scoresAt, rows);
  const controlBuffer = new SharedArrayBuffer(16 * 4);
  const control = new Int32Array(controlBuffer);
  const tickets = new BigInt64Array(controlBuffer, 0, 1);
  let helper: Worker | undefined;
  let sequence = 0;
  let helperLost = false;

  const scorer: RowScorer = {
    kernel: 'wasm-simd',
    get threads() {
      return helperLost ? 1 : threads;
    },
    matrix,
    scores,
    gather(q) {
      checkQuery(q, dim);
      query.set(q);
      return gather;
    },
    score(q, start, end) {
      checkRange(q, dim, start, end, rows);
      query.set(q);
      if (threads === 1 || helperLost || end - start < 2) {
        run(start * dim * 4, queryAt, scoresAt + start * 4, end - start, dim);
        return;
      }
      if (!helper) {
        // Started on first use, not at allocation: many matrices are never scanned.
        helper = new Worker(HELPER_SOURCE, {
          eval: true,
          workerData: { module, memory, control: control.buffer },
        });
        helper.unref();
        helpers.register(scorer, { control, worker: helper });
      }
      const job = (sequence = (sequence + 1) & 0x3fffffff);
      const rowsPerChunk = Math.max(64, Math.ceil(CHUNK_VALUES / dim));
      const chunks = Math.ceil((end - start) / rowsPerChunk);
      control.set([start, end, dim, queryAt, scoresAt, rowsPerChunk], ARGS);
      Atomics.store(control, FINISHED, 0);
      Atomics.store(tickets, 0, BigInt(chunks) << 24n);
      Atomics.store(control, JOB, job);
      Atomics.notify(control, JOB);
      drainChunks(control, tickets, run);
      // Only chunks the helper has already claimed remain: wait for them.
      const deadline = Date.now() + helperTimeoutMs;
      for (
        let done = Atomics.load(control, FINISHED);
        done !== chunks;
        done = Atomics.load(control, FINISHED)
      ) {
        if (Date.now() > deadline) {
          // The helper is gone (killed, out of memory): redo the scan here rather than hang.
          helperLost = true;
          run(start * dim * 4, queryAt, scoresAt + start * 4, end - start, dim);
          return;
        }
        Atomics.wait(control, FINISHED, done, 1000);
      }
    },
  };
  return scorer;
}

function jsScorer(rows: number, dim: number): RowScorer {
  const matrix = new Float32Array(rows * dim);
  const scores = new Float32Array(rows);
  const query = new Float32Array(dim);
  const gather: RowGather = {
    ids: new Uint32Array(GATHER_MAX),
    out: new Float32Array(GATHER_MAX),
    score(count) {
      const { ids, out } = gather;
      for (let k = 0; k < count; k++) out[k] = dot(matrix, query, dim, ids[k] * dim);
    },
  };
  return {
    kernel: 'js',
    threads: 1,
    matrix,
    scores,
    gather(q) {
      checkQuery(q, dim);
      query.set(q);
      return gather;
    },
    score(q, start, end) {
      checkRange(q, dim, start, end, rows);
      scoreRows(matrix, dim, q, start, end, scores);
    },
  };
}

function checkQuery(q: Float32Array, dim: number): void {
  if (q.length !== dim) throw new InvalidArgumentError(`query has ${q.length} values, expected ${dim}`);
}

function checkRange(q: Float32Array, dim: number, start: number, end: number, rows: number): void {
  checkQuery(q, dim);
  if (!(start >= 0 && start <= end && end <= rows)) {
    throw new InvalidArgumentError(`row range [${start}, ${end}) is not inside [0, ${rows})`);
  }
}
