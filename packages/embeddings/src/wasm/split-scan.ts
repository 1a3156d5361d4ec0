/**
 * A row scan split between the calling thread and one helper thread, the way gensim's dot product
 * runs on two BLAS threads. A scan is memory-bound (every query streams the whole matrix), so large
 * matrices gain from a second thread reading the same shared WebAssembly.Memory alongside the caller.
 * Both the float32 row scorer (query/row-scorer.ts) and the int8 rows of the vector store run their
 * scans through this one module.
 *
 * Rows go out in chunks from an atomic counter, so when the OS does not schedule the helper the
 * caller simply takes every chunk itself. The hand-off is a few Int32 slots and the kernel's
 * arguments in a SharedArrayBuffer with Atomics.wait/notify: no message, no copy, no allocation per
 * query. The helper starts on first use, is given up (and the scan redone on the caller) when it does
 * not finish a chunk it claimed in time, and is stopped once its owner is garbage.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { InvalidArgumentError } from '../errors.js';
import type { WasmMemory, WasmModule } from './runtime.js';

/** Scans of fewer bytes than this are run on one thread by default (below it, waking a thread costs more than it saves). */
export const PARALLEL_MIN_BYTES = 1 << 24;

/** A kernel export: numbers in, nothing out (it writes its results into the memory). */
export type ScanKernel = (...args: number[]) => void;

/** The most arguments a scan kernel takes. */
const SCAN_MAX_ARGS = 8;

/** Options of {@link createSplitScan}. */
export interface SplitScanOptions {
  /** The compiled kernel module; the helper instantiates it on `memory` as `{ env: { memory } }`. */
  module: WasmModule;
  /** The memory the kernel works in; must be shared. */
  memory: WasmMemory;
  /** The name of the kernel's export that scans consecutive rows. */
  exportName: string;
  /** The same export, instantiated by the caller on `memory`: the calling thread's share runs on it. */
  kernel: ScanKernel;
  /**
   * For each kernel argument, how much it moves per row (a byte stride for a pointer, 0 for a
   * constant); the arguments of rows `[from, to)` are `args[i] + perRow[i] · from`.
   */
  perRow: readonly number[];
  /** Which argument gets the chunk's row count (`to − from`). */
  countArg: number;
  /** Bytes of the matrix per row (what a scan streams): sets the chunk size and the default thread count. */
  bytesPerRow: number;
  /** Rows of the matrix, for the default thread count. */
  rows: number;
  /** 1 or 2. Default: 2 when the machine has two cores and a full scan covers {@link PARALLEL_MIN_BYTES}. */
  threads?: number;
  /** How long the caller waits for a chunk the helper claimed before it gives the helper up and scans alone. Default 30 s. */
  helperTimeoutMs?: number;
}

/** A row scan over a kernel, on the caller and (for large ranges) a helper thread. */
export interface SplitScan {
  /** Threads a full scan runs on: 2 with the helper thread, 1 without (or once the helper was given up or stopped). */
  readonly threads: number;
  /**
   * The kernel's arguments for row 0 (the count slot is ignored): set once, or before each scan
   * for an argument that changes per query (a query scale). Kept as float64 so an f32 argument
   * reaches the kernel rounded exactly as in a direct call.
   */
  readonly args: Float64Array;
  /** Runs the kernel over rows `[start, end)`, on both threads when the range is more than one chunk. */
  scan(start: number, end: number): void;
  /** Stops the helper thread now rather than when the owner is garbage; later scans run on the caller alone. */
  stopHelper(): void;
}

/**
 * Returns a `threads` option unchanged when it is undefined, 1 or 2.
 *
 * @throws {@link InvalidArgumentError} naming the value, for anything else.
 * @example
 * ```ts
 * checkThreads(2); // 2
 * checkThreads(4); // InvalidArgumentError: threads must be 1 or 2, got 4
 * ```
 */
export function checkThreads(value: number | undefined): 1 | 2 | undefined {
  if (value === undefined || value === 1 || value === 2) return value;
  throw new InvalidArgumentError(`threads must be 1 or 2, got ${value}`);
}

/** A helper that has not finished its chunk in this long is considered gone; the caller redoes the scan. */
const HELPER_TIMEOUT_MS = 30_000;
/** Rows are handed out in chunks of about this many bytes: small enough that the caller never waits
 * long for a helper the OS has descheduled, large enough that hand-out costs nothing. */
const CHUNK_BYTES = 1 << 20;

// Control block shared with the helper: one BigInt64 ticket counter, Int32 slots, then float64 arguments.
const JOB = 2; // number of the last job posted; −1 asks the helper to exit
const FINISHED = 3; // chunks of the current job finished
const BOUNDS = 4; // start row, end row, rows per chunk, index of the count argument
const ARGS_AT = 32; // byte offset of args[SCAN_MAX_ARGS], then perRow[SCAN_MAX_ARGS]
const CONTROL_BYTES = ARGS_AT + 2 * SCAN_MAX_ARGS * 8;

/**
 * Runs `run` over rows `[from, to)` with the arguments `args[i] + args[MAX + i] · from` (the count
 * argument set to `to − from`), written into `slots` first. Shipped to the helper as source.
 */
function runRows(
  run: ScanKernel,
  args: Float64Array,
  slots: Float64Array,
  countArg: number,
  from: number,
  to: number,
): void {
  const max = slots.length;
  for (let i = 0; i < max; i++) slots[i] = args[i] + args[max + i] * from;
  slots[countArg] = to - from;
  // Wasm ignores arguments past its parameters, so one call shape serves every kernel.
  run(slots[0], slots[1], slots[2], slots[3], slots[4], slots[5], slots[6], slots[7]);
}

/**
 * Takes chunks of the current job until none is left; run by the caller and by the helper alike
 * (the helper gets this function's source). A ticket packs chunks (20 bits) | next chunk (24 bits),
 * and one atomic add claims a chunk. A claim below the count is always a chunk of the job being
 * run: the caller posts the next job (new bounds and arguments, then a new ticket) only after every
 * chunk of this one is finished, and this claimed chunk is not. A claim at or past the count claims
 * nothing, so no chunk is ever lost or run twice, however late the helper wakes.
 */
function drainChunks(
  ctl: Int32Array,
  tickets: BigInt64Array,
  args: Float64Array,
  slots: Float64Array,
  run: ScanKernel,
): void {
  for (;;) {
    const t = Atomics.add(tickets, 0, 1n);
    const n = Number(t >> 24n);
    const c = Number(t & 0xffffffn);
    if (c >= n) return;
    const from = ctl[4] + c * ctl[6];
    runRows(run, args, slots, ctl[7], from, Math.min(ctl[5], from + ctl[6]));
    if (Atomics.add(ctl, 3, 1) + 1 === n) Atomics.notify(ctl, 3);
  }
}

/**
 * The helper thread: instantiates the kernel on the shared memory and takes chunks of each posted job.
 * Plain JavaScript evaluated by the Worker (no file to resolve, so it works from src/ and dist/ alike).
 */
const HELPER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { module, memory, control, exportName } = workerData;
const run = new WebAssembly.Instance(module, { env: { memory } }).exports[exportName];
const ctl = new Int32Array(control);
const tickets = new BigInt64Array(control, 0, 1);
const args = new Float64Array(control, ${ARGS_AT}, ${2 * SCAN_MAX_ARGS});
const slots = new Float64Array(${SCAN_MAX_ARGS});
const runRows = ${runRows.toString()};
const drainChunks = ${drainChunks.toString()};
let seen = 0;
for (;;) {
  Atomics.wait(ctl, ${JOB}, seen);
  seen = Atomics.load(ctl, ${JOB});
  if (seen < 0) break;
  drainChunks(ctl, tickets, args, slots, run);
}
`;

interface Helper {
  control: Int32Array;
  worker: Worker;
}

function stop({ control, worker }: Helper): void {
  Atomics.store(control, JOB, -1);
  Atomics.notify(control, JOB);
  void worker.terminate();
}

/** Stops a helper thread once its owner is garbage: it would pin the memory otherwise. */
const helpers = new FinalizationRegistry<Helper>(stop);

/**
 * Prepares a split scan of a kernel over `rows` rows. `owner` is the object whose lifetime the
 * helper thread follows (a scorer, a matrix); the helper itself starts on the first scan that
 * needs it.
 *
 * @throws {@link InvalidArgumentError} for a thread count other than 1 or 2, or bad argument layout.
 * @example
 * ```ts
 * // kernel(m, q, out, rows, dim): out[r] = row r · q
 * const split = createSplitScan(scorer, {
 *   module, memory, exportName: 'scoreRows', kernel: exports.scoreRows,
 *   perRow: [dim * 4, 0, 4, 0, 0], countArg: 3, bytesPerRow: dim * 4, rows,
 * });
 * split.args.set([0, queryAt, scoresAt, 0, dim]);
 * split.scan(0, rows);
 * ```
 */
export function createSplitScan(owner: object, options: SplitScanOptions): SplitScan {
  const { module, memory, exportName, kernel, perRow, countArg, bytesPerRow, rows } = options;
  if (perRow.length > SCAN_MAX_ARGS || !(countArg >= 0 && countArg < perRow.length)) {
    throw new InvalidArgumentError(
      `a scan kernel takes at most ${SCAN_MAX_ARGS} arguments with the count among them, got ${perRow.length} (count at ${countArg})`,
    );
  }
  const threads =
    checkThreads(options.threads) ??
    (rows * bytesPerRow >= PARALLEL_MIN_BYTES && availableParallelism() >= 2 ? 2 : 1);
  const helperTimeoutMs = options.helperTimeoutMs ?? HELPER_TIMEOUT_MS;
  const rowsPerChunk = Math.max(64, Math.ceil(CHUNK_BYTES / bytesPerRow));
  const controlBuffer = new SharedArrayBuffer(CONTROL_BYTES);
  const control = new Int32Array(controlBuffer, 0, ARGS_AT / 4);
  const tickets = new BigInt64Array(controlBuffer, 0, 1);
  const shared = new Float64Array(controlBuffer, ARGS_AT, 2 * SCAN_MAX_ARGS);
  shared.set(perRow, SCAN_MAX_ARGS);
  control[BOUNDS + 3] = countArg;
  const slots = new Float64Array(SCAN_MAX_ARGS);
  let helper: Helper | undefined;
  let helperLost = false;
  let sequence = 0;
  const alone = (start: number, end: number) => runRows(kernel, shared, slots, countArg, start, end);

  const split: SplitScan = {
    get threads() {
      return helperLost ? 1 : threads;
    },
    args: shared.subarray(0, perRow.length),
    stopHelper() {
      helperLost = true;
      if (helper) {
        helpers.unregister(owner);
        stop(helper);
        helper = undefined;
      }
    },
    scan(start, end) {
      if (threads === 1 || helperLost || end - start <= rowsPerChunk) {
        alone(start, end);
        return;
      }
      if (!helper) {
        // Started on first use, not at allocation: many matrices are never scanned.
        const worker = new Worker(HELPER_SOURCE, {
          eval: true,
          workerData: { module, memory, control: controlBuffer, exportName },
        });
        worker.unref();
        helper = { control, worker };
        helpers.register(owner, helper, owner);
      }
      const job = (sequence = (sequence + 1) & 0x3fffffff);
      const chunks = Math.ceil((end - start) / rowsPerChunk);
      control[BOUNDS] = start;
      control[BOUNDS + 1] = end;
      control[BOUNDS + 2] = rowsPerChunk;
      Atomics.store(control, FINISHED, 0);
      Atomics.store(tickets, 0, BigInt(chunks) << 24n);
      Atomics.store(control, JOB, job);
      Atomics.notify(control, JOB);
      drainChunks(control, tickets, shared, slots, kernel);
      // Only chunks the helper has already claimed remain: wait for them.
      const deadline = Date.now() + helperTimeoutMs;
      for (
        let done = Atomics.load(control, FINISHED);
        done !== chunks;
        done = Atomics.load(control, FINISHED)
      ) {
        if (Date.now() > deadline) {
          // The helper is gone (killed, out of memory): redo the scan here rather than hang.
          split.stopHelper();
          alone(start, end);
          return;
        }
        Atomics.wait(control, FINISHED, done, 1000);
      }
    },
  };
  return split;
}
