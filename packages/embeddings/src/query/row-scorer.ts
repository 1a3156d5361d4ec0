/**
 * Owner of the unit matrix and the per-row score buffer of a {@link KeyedVectors}, and of the
 * kernel that fills the buffer: WebAssembly SIMD when the engine has it, plain JavaScript
 * (row-scores.ts) otherwise.
 *
 * For the wasm kernel the matrix, the query and the scores live in one shared WebAssembly.Memory
 * sized once for them and never grown, so the `Float32Array` views handed out stay valid for good.
 * Large matrices are scanned on two threads (wasm/split-scan.ts): the caller and a helper thread
 * scoring rows of the same memory.
 */
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
import { checkThreads, createSplitScan, type ScanKernel } from '../wasm/split-scan.js';
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
   * Fills the matrix with `vectors` (`rows × dim`) divided row by row by `norms`: the unit rows,
   * each value rounded once to float32 as `vectors[j] / norm` is; rows whose norm is not above 0
   * (zero, NaN) become zeros. Overwrites {@link RowScorer.scores}.
   */
  setUnitRows(vectors: Float32Array, norms: Float32Array): void;
  /**
   * Sets `query` as the query of the scorer's {@link RowGather} and returns it (the same object
   * every call): scores of listed rows, for a graph walk over this matrix. A later
   * {@link RowScorer.score} or `gather` replaces the query.
   */
  gather(query: Float32Array): RowGather;
  /** Stops the helper thread now rather than when the scorer is garbage; later scans run on the caller alone. */
  stopHelper(): void;
  /**
   * The first row in `[from, end)` whose score in {@link RowScorer.scores} is greater than
   * `threshold`, or `end`, on the wasm kernel: `selectTopK`'s `firstAbove`. Absent for the JS kernel.
   */
  readonly firstAbove?: (from: number, end: number, threshold: number) => number;
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
   * `PARALLEL_MIN_BYTES` (wasm/split-scan.ts) bytes (below that, waking a thread costs more than it saves).
   */
  threads?: number;
  /** How long the caller waits for a chunk the helper claimed before it gives the helper up and scans alone. Default 30 s. */
  helperTimeoutMs?: number;
}

type GatherExport = (q: number, ids: number, count: number, out: number, rowBytes: number) => void;
type FirstAboveExport = (scores: number, from: number, end: number, threshold: number) => number;
type UnitRowsExport = (m: number, norms: number, rows: number, dim: number) => void;

const WASM_PAGE = 65536;
/** memory32 tops out at 65,536 pages (4 GiB); keep clear of the edge. */
const WASM_MAX_BYTES = 4 * 1024 ** 3 - WASM_PAGE;

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
  checkThreads(options.threads);
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
    scoreRows: ScanKernel;
    gather: GatherExport;
    firstAbove: FirstAboveExport;
    unitRows: UnitRowsExport;
  };
  const firstAboveIn = exports.firstAbove;
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
  const scorer: RowScorer = {
    kernel: 'wasm-simd',
    get threads() {
      return split.threads;
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
      split.scan(start, end);
    },
    stopHelper() {
      split.stopHelper();
    },
    setUnitRows(vectors, norms) {
      checkUnitInputs(vectors, norms, rows, dim);
      matrix.set(vectors);
      // The norms go through the score buffer (one float per row, free until the next query).
      scores.set(norms);
      exports.unitRows(0, scoresAt, rows, dim);
    },
    firstAbove: (from, end, threshold) => firstAboveIn(scoresAt, from, end, threshold),
  };
  // scoreRows(m, q, out, rows, dim): the chunk's rows and scores move on with its first row.
  const split = createSplitScan(scorer, {
    module,
    memory,
    exportName: 'scoreRows',
    kernel: exports.scoreRows,
    perRow: [rowBytes, 0, 4, 0, 0],
    countArg: 3,
    bytesPerRow: rowBytes,
    rows,
    threads: options.threads,
    helperTimeoutMs: options.helperTimeoutMs,
  });
  split.args.set([0, queryAt, scoresAt, 0, dim]);
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
    stopHelper() {},
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
    setUnitRows(vectors, norms) {
      checkUnitInputs(vectors, norms, rows, dim);
      for (let r = 0, base = 0; r < rows; r++, base += dim) {
        const n = norms[r];
        if (n > 0) for (let j = 0; j < dim; j++) matrix[base + j] = vectors[base + j] / n;
        else matrix.fill(0, base, base + dim);
      }
    },
  };
}

function checkUnitInputs(vectors: Float32Array, norms: Float32Array, rows: number, dim: number): void {
  if (vectors.length !== rows * dim || norms.length !== rows) {
    throw new InvalidArgumentError(
      `unit rows need ${rows} × ${dim} values and ${rows} norms, got ${vectors.length} and ${norms.length}`,
    );
  }
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
