/**
 * Owner of the unit matrix and the per-row score buffer of a {@link KeyedVectors}, and of the
 * kernel that fills the buffer: WebAssembly SIMD when the engine has it, plain JavaScript
 * (row-scores.ts) otherwise.
 *
 * For the wasm kernel the matrix, the query and the scores live in one WebAssembly.Memory sized
 * once for them and never grown, so the `Float32Array` views handed out stay valid for good.
 */
import { assembleWat } from './cbow-wat-assembler.js';
import { InvalidArgumentError } from './errors.js';
import { scoreRows } from './row-scores.js';
import { ROW_SCORES_WAT } from './row-scores-wat.js';

/** Which kernel fills the scores. */
export type RowScoreKernel = 'wasm-simd' | 'js';

/** A matrix plus the kernel that scores all its rows against a query. */
export interface RowScorer {
  readonly kernel: RowScoreKernel;
  /** `rows × dim` values, row-major; the caller fills it (e.g. with unit vectors). */
  readonly matrix: Float32Array;
  /** One score per row, written by {@link RowScorer.score}. */
  readonly scores: Float32Array;
  /** Writes `scores[r] = matrix[r] · query` for r in `[start, end)`. */
  score(query: Float32Array, start: number, end: number): void;
}

/** Options of {@link createRowScorer}. */
export interface RowScorerOptions {
  /** `auto` (default) takes wasm SIMD when available. */
  kernel?: RowScoreKernel | 'auto';
}

type ScoreRowsExport = (m: number, q: number, out: number, rows: number, dim: number) => void;

/** The slice of the WebAssembly JS API used here (the TS lib of this repo has no DOM/wasm types). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (
    module: object,
    imports: Record<string, Record<string, unknown>>,
  ) => { exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number; maximum?: number }) => { buffer: ArrayBuffer };
}
const wasm = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

const WASM_PAGE = 65536;
/** memory32 tops out at 65,536 pages (4 GiB); keep clear of the edge. */
const WASM_MAX_BYTES = 4 * 1024 ** 3 - WASM_PAGE;

let compiled: object | null | undefined;

/** The compiled kernel, or null when this engine lacks WebAssembly SIMD. */
function kernelModule(): object | null {
  if (compiled === undefined) {
    try {
      compiled = wasm ? new wasm.Module(assembleWat(ROW_SCORES_WAT)) : null;
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

/** Whether the WebAssembly SIMD kernel can run here. */
export function hasWasmRowScorer(): boolean {
  return kernelModule() !== null;
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
  const wanted = options.kernel ?? 'auto';
  const matrixBytes = rows * dim * 4;
  // matrix | query (padded to 16 bytes) | scores
  const queryAt = matrixBytes;
  const scoresAt = queryAt + Math.ceil((dim * 4) / 16) * 16;
  const totalBytes = scoresAt + rows * 4;
  const module = wanted === 'js' ? null : kernelModule();
  if (wanted === 'wasm-simd' && !module)
    throw new InvalidArgumentError('WebAssembly SIMD is not available here');
  if (!module || !wasm || totalBytes > WASM_MAX_BYTES) {
    if (wanted === 'wasm-simd')
      throw new InvalidArgumentError(`matrix of ${totalBytes} bytes is too large for wasm memory`);
    return jsScorer(rows, dim);
  }
  const memory = new wasm.Memory({ initial: Math.max(1, Math.ceil(totalBytes / WASM_PAGE)) });
  const instance = new wasm.Instance(module, { env: { memory } });
  const run = instance.exports.scoreRows as ScoreRowsExport;
  const matrix = new Float32Array(memory.buffer, 0, rows * dim);
  const query = new Float32Array(memory.buffer, queryAt, dim);
  const scores = new Float32Array(memory.buffer, scoresAt, rows);
  return {
    kernel: 'wasm-simd',
    matrix,
    scores,
    score(q, start, end) {
      checkRange(q, dim, start, end, rows);
      query.set(q);
      run(start * dim * 4, queryAt, scoresAt + start * 4, end - start, dim);
    },
  };
}

function jsScorer(rows: number, dim: number): RowScorer {
  const matrix = new Float32Array(rows * dim);
  const scores = new Float32Array(rows);
  return {
    kernel: 'js',
    matrix,
    scores,
    score(q, start, end) {
      checkRange(q, dim, start, end, rows);
      scoreRows(matrix, dim, q, start, end, scores);
    },
  };
}

function checkRange(q: Float32Array, dim: number, start: number, end: number, rows: number): void {
  if (q.length !== dim) throw new InvalidArgumentError(`query has ${q.length} values, expected ${dim}`);
  if (!(start >= 0 && start <= end && end <= rows)) {
    throw new InvalidArgumentError(`row range [${start}, ${end}) is not inside [0, ${rows})`);
  }
}
