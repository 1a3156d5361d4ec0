/**
 * Int8 quantisation of a unit-row matrix with one scale per row (symmetric, absmax / 127), which
 * keeps 1 byte per component instead of 4. The query is quantised the same way when it arrives,
 * so a score is an exact integer dot product of two code vectors times the two scales: that runs on
 * the embeddings package's WebAssembly SIMD int8 kernel (i8 → i16 widening, i16 pair products summed
 * into i32 lanes), or in plain JavaScript with the same integer sums. Both sides carry quantisation
 * error, so the best candidates are then re-ranked on exact float32 rows.
 *
 * Rows are padded with zero codes to a multiple of 8 bytes (one SIMD step: eight codes widened to
 * i16), so the kernel has no scalar tail; at 50 dimensions a row is 56 bytes, not 64. The codes,
 * scales, query and score buffers live in one shared WebAssembly memory sized once, and large
 * matrices are scanned on two threads (the embeddings package's split scan): integer sums do not
 * depend on which thread or which chunk scored a row, so the scores are those of one thread.
 *
 * Quantising keeps each row's residual norm (‖v − s·codes‖) and the largest row norm, so
 * {@link Int8Matrix.rowSlack} can bound, for certain, how far a row's int8 score lies from its
 * float32 score: the exact search's int8 pre-filter (query/prefiltered-nearest.ts) stands on that.
 */
import { InvalidArgumentError } from '../errors.js';
import { GATHER_MAX } from '../wasm/gather-dots-wat.js';
import { INT8_KERNEL_WAT } from '../wasm/int8-dot-wat.js';
import {
  checkKernelChoice,
  compileKernel,
  type Kernel,
  type KernelChoice,
  requireKernel,
  webAssembly,
} from '../wasm/runtime.js';
import { checkThreads, createSplitScan, type ScanKernel, type SplitScan } from '../wasm/split-scan.js';
import type { RowGather } from './row-scorer.js';

type QuantizeExport = (
  src: number,
  codes: number,
  scales: number,
  stats: number,
  rows: number,
  dim: number,
  stride: number,
) => void;

type GatherExport = (
  codes: number,
  scales: number,
  q: number,
  ids: number,
  count: number,
  out: number,
  stride: number,
  qScale: number,
) => void;

/**
 * How many standard deviations of the quantisation error {@link Int8Matrix.scoreErrorBound} allows:
 * the error is a sum of `dim` small independent terms, about normal with lighter tails, so it
 * exceeds 5 σ about once in 3 million rows.
 */
const ERROR_SIGMAS = 5;

const WASM_PAGE = 65536;
/** memory32 addresses 4 GiB at most; larger matrices take the JavaScript kernel. */
const WASM_MAX_BYTES = 4 * 1024 ** 3 - 16 * WASM_PAGE;
const align16 = (bytes: number) => Math.ceil(bytes / 16) * 16;
const align8 = (bytes: number) => Math.ceil(bytes / 8) * 8;

/** Options of {@link createInt8Matrix}. */
export interface Int8MatrixOptions {
  /** `auto` (default: WebAssembly SIMD where it runs), `wasm-simd` or `js`. */
  kernel?: KernelChoice;
  /** 1 or 2 threads per scan (WebAssembly only). Default: 2 on two cores for a matrix of 16 MiB or more. */
  threads?: number;
  /** How long a scan waits for the helper thread before it scans alone. Default 30 s. */
  helperTimeoutMs?: number;
}

/**
 * A quantised `rows × dim` matrix: row r is approximately `scales[r] · codes[r·stride … r·stride+dim)`.
 * Fill it block by block with {@link quantizeRows}; score with {@link int8ScoreRows} and {@link int8Scorer}.
 */
export class Int8Matrix {
  readonly rows: number;
  readonly dim: number;
  /** Bytes per row: `dim` rounded up to 8, the padding zero. */
  readonly stride: number;
  readonly codes: Int8Array;
  readonly scales: Float32Array;
  /**
   * Each row's quantisation residual norm ‖v − scale · codes‖ as computed (float32 sums on the
   * WebAssembly kernel): {@link Int8Matrix.rowSlack} allows for its rounding.
   */
  readonly residuals: Float32Array;
  /** Which kernel scores the rows. */
  readonly kernel: Kernel;
  /** The quantised query of the current search (`stride` codes, widened to i16) and its scale. */
  readonly #query: Int16Array;
  #queryScale = 0;
  /** The squared norm of the query set last. */
  #queryNorm2 = 0;
  /** The norm of the query's quantisation residual (query − scale · codes), in float64. */
  #queryResidual = 0;
  /** The largest squared row norm (a float32 sum) and stored residual norm of the rows quantised so far. */
  #maxNorm2 = 0;
  #maxResidual = 0;
  /** {@link Int8Matrix.rowSlack} of the query set last is `#slackBase + #slackPerResidual · residuals[r]`. */
  #slackBase = Number.NaN;
  #slackPerResidual = Number.NaN;
  /** Quantises `count` rows of `src` into rows `first…`; records their norms. */
  readonly #fill: (src: Float32Array, first: number, count: number) => void;
  /** One score per row, written by a scan. */
  readonly #scores: Float32Array;
  readonly #batch: RowGather;
  readonly #scan: (start: number, end: number) => void;
  /**
   * The first row in `[from, end)` whose score of the last scan is greater than `threshold`, or
   * `end`, on the WebAssembly kernel (`selectTopK`'s `firstAbove`); undefined for the JavaScript one.
   */
  readonly firstAbove: ((from: number, end: number, threshold: number) => number) | undefined;
  /** The WebAssembly scan, on one or two threads; undefined for the JavaScript kernel. */
  readonly #split: SplitScan | undefined;

  constructor(rows: number, dim: number, options: Int8MatrixOptions = {}) {
    const wanted = checkKernelChoice(options.kernel, 'int8 kernel');
    checkThreads(options.threads);
    this.rows = rows;
    this.dim = dim;
    const stride = align8(dim);
    this.stride = stride;
    // codes | scales | query | scores | gather ids | gather scores | quantiser rows | their stats
    const scalesAt = align16(rows * stride);
    const queryAt = align16(scalesAt + rows * 4);
    const scoresAt = queryAt + 2 * stride;
    const idsAt = align16(scoresAt + rows * 4);
    const outAt = idsAt + GATHER_MAX * 4;
    // the quantiser's float32 rows in, two float32 stats per row out: 1 MiB of rows at a time
    const chunkRows = Math.max(1, Math.floor(2 ** 20 / (dim * 4)));
    const srcAt = outAt + GATHER_MAX * 4;
    const statsAt = srcAt + align16(chunkRows * dim * 4);
    const total = statsAt + chunkRows * 8;
    const module =
      wanted === 'js' || (wanted === 'auto' && total > WASM_MAX_BYTES)
        ? null
        : wanted === 'wasm-simd'
          ? requireKernel('int8', INT8_KERNEL_WAT)
          : compileKernel(INT8_KERNEL_WAT);
    if (module && webAssembly && total <= WASM_MAX_BYTES) {
      const pages = Math.max(1, Math.ceil(total / WASM_PAGE));
      const memory = new webAssembly.Memory({ initial: pages, maximum: pages, shared: true });
      const buffer = memory.buffer;
      const ex = new webAssembly.Instance(module, { env: { memory } }).exports as {
        rows: ScanKernel;
        gather: GatherExport;
        quantize: QuantizeExport;
        firstAbove: (scores: number, from: number, end: number, threshold: number) => number;
      };
      this.firstAbove = (from, end, threshold) => ex.firstAbove(scoresAt, from, end, threshold);
      this.kernel = 'wasm-simd';
      this.codes = new Int8Array(buffer, 0, rows * stride);
      this.scales = new Float32Array(buffer, scalesAt, rows);
      this.residuals = new Float32Array(rows);
      this.#query = new Int16Array(buffer, queryAt, stride);
      this.#scores = new Float32Array(buffer, scoresAt, rows);
      const ids = new Uint32Array(buffer, idsAt, GATHER_MAX);
      const out = new Float32Array(buffer, outAt, GATHER_MAX);
      this.#batch = {
        ids,
        out,
        score: (count) => ex.gather(0, scalesAt, queryAt, idsAt, count, outAt, stride, this.#queryScale),
      };
      // rows(codes, scales, q, out, rows, stride, qScale): codes, scales and scores move on with the first row.
      const split = createSplitScan(this, {
        module,
        memory,
        exportName: 'rows',
        kernel: ex.rows,
        perRow: [stride, 4, 0, 4, 0, 0, 0],
        countArg: 4,
        bytesPerRow: stride + 4,
        rows,
        threads: options.threads,
        helperTimeoutMs: options.helperTimeoutMs,
      });
      split.args.set([0, scalesAt, queryAt, scoresAt, 0, stride, 0]);
      this.#split = split;
      this.#scan = (start, end) => {
        split.args[6] = this.#queryScale;
        split.scan(start, end);
      };
      const src = new Float32Array(buffer, srcAt, chunkRows * dim);
      const stats = new Float32Array(buffer, statsAt, chunkRows * 2);
      this.#fill = (rowsIn, first, count) => {
        for (let done = 0; done < count; done += chunkRows) {
          const n = Math.min(chunkRows, count - done);
          src.set(rowsIn.subarray(done * dim, (done + n) * dim));
          const row = first + done;
          ex.quantize(srcAt, row * stride, scalesAt + row * 4, statsAt, n, dim, stride);
          for (let k = 0; k < n; k++) this.#noteRow(row + k, stats[2 * k], stats[2 * k + 1]);
        }
      };
      return;
    }
    if (wanted === 'wasm-simd') {
      throw new InvalidArgumentError(`int8 kernel 'wasm-simd' cannot hold ${total} bytes (4 GiB at most)`);
    }
    this.kernel = 'js';
    this.#split = undefined;
    this.firstAbove = undefined;
    this.codes = new Int8Array(rows * stride);
    this.scales = new Float32Array(rows);
    this.residuals = new Float32Array(rows);
    this.#query = new Int16Array(stride);
    this.#scores = new Float32Array(rows);
    const ids = new Uint32Array(GATHER_MAX);
    const out = new Float32Array(GATHER_MAX);
    this.#batch = {
      ids,
      out,
      score: (count) => {
        for (let k = 0; k < count; k++) out[k] = this.#rowScore(ids[k]);
      },
    };
    this.#scan = (start, end) => {
      for (let r = start; r < end; r++) this.#scores[r] = this.#rowScore(r);
    };
    this.#fill = (rowsIn, first, count) => {
      for (let r = 0; r < count; r++) {
        const o = r * dim;
        const t = (first + r) * stride;
        const scale = quantize(rowsIn, o, dim, this.codes, t);
        this.scales[first + r] = scale;
        let n2 = 0;
        let e2 = 0;
        for (let d = 0; d < dim; d++) {
          const v = rowsIn[o + d];
          const e = v - scale * this.codes[t + d];
          n2 += v * v;
          e2 += e * e;
        }
        this.#noteRow(first + r, n2, e2);
      }
    };
  }

  #noteRow(row: number, norm2: number, residual2: number): void {
    // A row with a NaN leaves no bound at all (the slack is then NaN, and a pre-filter steps aside).
    if (Number.isNaN(norm2) || Number.isNaN(residual2)) this.#maxNorm2 = Number.NaN;
    if (norm2 > this.#maxNorm2) this.#maxNorm2 = norm2;
    this.residuals[row] = Math.sqrt(residual2);
    // the largest residual as stored (rounded to float32), so that no row's own slack exceeds exactSlack
    if (this.residuals[row] > this.#maxResidual) this.#maxResidual = this.residuals[row];
  }

  /** The JavaScript kernel: the integer dot product of row `r` with the query, scaled. */
  #rowScore(r: number): number {
    const { codes, dim } = this;
    const q = this.#query;
    const o = r * this.stride;
    let s = 0;
    for (let d = 0; d < dim; d++) s += codes[o + d] * q[d];
    return s * this.scales[r] * this.#queryScale;
  }

  /**
   * Quantises `count` float32 rows of `src` (`count × dim` values) into rows `first…first+count`,
   * on the WebAssembly kernel when the matrix has it.
   */
  quantizeRows(src: Float32Array, first: number, count: number): void {
    const { dim } = this;
    if (
      !(
        Number.isInteger(first) &&
        Number.isInteger(count) &&
        first >= 0 &&
        count >= 0 &&
        first + count <= this.rows
      )
    ) {
      throw new InvalidArgumentError(`rows [${first}, ${first + count}) are not inside [0, ${this.rows})`);
    }
    if (src.length < count * dim) {
      throw new InvalidArgumentError(`${count} rows need ${count * dim} values, got ${src.length}`);
    }
    this.#fill(src, first, count);
  }

  /** Quantises `query` (absmax / 127, as the rows) into the query slot. */
  setQuery(query: Float32Array): void {
    if (query.length !== this.dim) {
      throw new InvalidArgumentError(`query has ${query.length} values, expected ${this.dim}`);
    }
    const scale = quantize(query, 0, this.dim, this.#query, 0);
    this.#queryScale = scale;
    let n2 = 0;
    let e2 = 0;
    for (let d = 0; d < this.dim; d++) {
      n2 += query[d] * query[d];
      const e = query[d] - scale * this.#query[d];
      e2 += e * e;
    }
    this.#queryNorm2 = n2;
    this.#queryResidual = Math.sqrt(e2);
    this.#setSlack();
  }

  /**
   * How far row `r`'s int8 score against the query set last may lie from the exact dot product of
   * the float32 unit row with the query, bar odds of a few in a million. Each code is off by its
   * rounding error, within half a step (`scales[r]` for the row, the query's scale for the query)
   * and spread about evenly over it, so the error of the score has a standard deviation of about
   * √((s_r² ‖q‖² + s_q² ‖r‖²) / 12), with ‖r‖ = 1; this returns {@link ERROR_SIGMAS} of those.
   * A re-rank can stop once no candidate left could, by this bound, beat the answers it holds.
   *
   * @example
   * ```ts
   * m.setQuery(unitQuery);
   * m.scoreErrorBound(12); // ≈ 0.005 at 50 dimensions
   * ```
   */
  scoreErrorBound(r: number): number {
    const s = this.scales[r];
    const q = this.#queryScale;
    return ERROR_SIGMAS * Math.sqrt((s * s * this.#queryNorm2 + q * q) / 12);
  }

  /**
   * A number that row `r`'s int8 score against the query set last cannot differ by from the score
   * of the same row on the float32 kernels (the row scorer's scan and gather): a certain bound, not
   * a likely one. For row u = s·c + e and query x = t·p + f (scales, codes, residuals),
   * u·x = s·t·(c·p) + s·(c·f) + e·x, and Cauchy–Schwarz bounds the last two terms by
   * (‖u‖ + ‖e‖)·‖f‖ + ‖e‖·‖x‖, with ‖u‖ the largest row norm. Added to that: the rounding of a
   * float32 dot product of `dim` terms in any order (γ = dim·2⁻²⁴ times ‖u‖·‖x‖), of the two float32
   * scalings of the integer sum, and of the float32 sums the norms were taken with.
   *
   * @example
   * ```ts
   * m.setQuery(unitQuery);
   * const scores = m.scan(0, m.rows);
   * // row r's float32 score lies in scores[r] ± m.rowSlack(r)
   * ```
   */
  rowSlack(r: number): number {
    return this.#slackBase + this.#slackPerResidual * this.residuals[r];
  }

  /**
   * {@link Int8Matrix.rowSlack} of the row with the largest residual: a bound for every row at once.
   * Rows are those quantised so far; quantise them all before a pre-filter relies on this.
   *
   * @example
   * ```ts
   * m.setQuery(unitQuery);
   * m.exactSlack(); // ≈ 0.013 for unit rows at 300 dimensions
   * ```
   */
  exactSlack(): number {
    return this.#slackBase + this.#slackPerResidual * this.#maxResidual;
  }

  /** The two coefficients of {@link Int8Matrix.rowSlack} for the query set last. */
  #setSlack(): void {
    const { dim } = this;
    const u = 2 ** -24;
    // The stats are float32 sums of `dim` rounded squares: the true sum is at most this much larger.
    const sumGrowth = Math.sqrt(1 / (1 - (dim + 8) * u));
    const rowNorm = Math.sqrt(this.#maxNorm2) * sumGrowth * (1 + u);
    const queryNorm = Math.sqrt(this.#queryNorm2) * (1 + 4 * u);
    const queryResidual = this.#queryResidual * (1 + 4 * u) + 2 * u * queryNorm;
    // A residual as stored, ε, bounds the true one by ε·g + 2u·‖u‖: the float32 products code·s and
    // differences behind it are off by at most 2u·|v_d| + u·|e_d| per component.
    const g = sumGrowth * (1 + 4 * u);
    const maxResidual = this.#maxResidual * g + 2 * u * rowNorm;
    // float32 dot of dim products summed in any order: |fl − exact| ≤ γ_dim · ‖u‖ · ‖x‖.
    const floatDot = ((dim + 2) * u * rowNorm * queryNorm) / (1 - (dim + 2) * u);
    // The int8 score: an i32 sum converted to float32 and scaled twice, |score| ≤ ‖s·c‖·‖t·p‖.
    const int8Scaling = 4 * u * (rowNorm + maxResidual) * (queryNorm + queryResidual);
    // (‖u‖ + e)·‖f‖ + e·‖x‖ with e = ε·g + 2u·‖u‖, written as base + perResidual · ε.
    const e0 = 2 * u * rowNorm;
    const grow = 1 + 16 * u;
    this.#slackBase = ((rowNorm + e0) * queryResidual + e0 * queryNorm + floatDot + int8Scaling) * grow;
    this.#slackPerResidual = g * (queryResidual + queryNorm) * grow;
  }

  /** Scores rows `[start, end)` against the query set last; returns the score buffer (one per row). */
  scan(start: number, end: number): Float32Array {
    this.#scan(start, end);
    return this.#scores;
  }

  /** Threads a full scan runs on: 2 with the helper thread, 1 without (or once it was given up or stopped). */
  get threads(): number {
    return this.#split?.threads ?? 1;
  }

  /** Stops the scan's helper thread now rather than when the matrix is garbage; later scans run on one thread. */
  stopHelper(): void {
    this.#split?.stopHelper();
  }

  /** The batch scorer of the query set last, for a graph walk. */
  get batch(): RowGather {
    return this.#batch;
  }
}

/**
 * Writes the codes of `src[o … o+dim)` at `codes[t…]` and returns the scale (0 for a zero row), in
 * float32 arithmetic with halves rounded to even: the same codes and scale as the WebAssembly
 * `quantize` (wasm/int8-dot-wat.ts), so both kernels hold the same matrix.
 */
function quantize(
  src: Float32Array,
  o: number,
  dim: number,
  codes: Int8Array | Int16Array,
  t: number,
): number {
  let max = 0;
  for (let d = 0; d < dim; d++) {
    const a = Math.abs(src[o + d]);
    if (a > max) max = a;
  }
  // A float32 quotient or product computed in float64 and rounded once to float32 is the
  // correctly rounded float32 result, as f32.div and f32.mul give it.
  const scale = Math.fround(max / 127);
  const inv = scale > 0 ? Math.fround(1 / scale) : 0;
  for (let d = 0; d < dim; d++) codes[t + d] = roundHalfEven(Math.fround(src[o + d] * inv));
  return scale;
}

/** `x` rounded to the nearest integer, halves to the even one (`f32.nearest`). */
function roundHalfEven(x: number): number {
  const r = Math.round(x); // halves go up
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * Allocates an empty quantised matrix to be filled block by block with {@link quantizeRows}.
 *
 * @example
 * ```ts
 * const q = createInt8Matrix(400_000, 50, { kernel: 'wasm-simd' }); // scans on two threads on two cores
 * ```
 */
export function createInt8Matrix(rows: number, dim: number, options: Int8MatrixOptions = {}): Int8Matrix {
  return new Int8Matrix(rows, dim, options);
}

/**
 * Quantises `count` float32 rows of `src` into rows `first…first+count` of `target`.
 *
 * @example
 * ```ts
 * const q = createInt8Matrix(2, 2);
 * quantizeRows(new Float32Array([0.6, 0.8, 1, 0]), 0, 2, q);
 * // row 0: codes [95, 127] (then zero padding to q.stride = 8), scale 0.8 / 127
 * ```
 */
export function quantizeRows(src: Float32Array, first: number, count: number, target: Int8Matrix): void {
  target.quantizeRows(src, first, count);
}

/**
 * A {@link RowGather} of `query` (quantised here) against the quantised rows; the matrix has one,
 * so the previous scorer of the same matrix stops being valid.
 */
export function int8Scorer(m: Int8Matrix, query: Float32Array): RowGather {
  m.setQuery(query);
  return m.batch;
}

/**
 * Scores every row r in `[start, end)` of the quantised matrix against `query` (quantised here):
 * the scan of int8 search. Returns the matrix's score buffer, valid in `[start, end)`.
 *
 * @example
 * ```ts
 * const scores = int8ScoreRows(q, unitQuery, 0, q.rows); // then selectTopK(scores, pool) and re-rank exactly
 * ```
 */
export function int8ScoreRows(m: Int8Matrix, query: Float32Array, start: number, end: number): Float32Array {
  m.setQuery(query);
  return m.scan(start, end);
}
