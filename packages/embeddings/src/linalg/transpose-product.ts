/**
 * The transposed product Aᵀ·B of two tall row-major matrices (`rows × dim`, rows ≫ dim) as a dense
 * `dim × dim` matrix in float64: the cross-covariance SᵀT of an orthogonal Procrustes fit and the Gram matrices
 * of the SVDs. Cache-blocked: rows go through in blocks, each copied row-major into the kernel's memory, and
 * every tile of the result takes the block's outer products from registers (see transpose-product-wat.ts). The
 * WebAssembly SIMD kernels run where the engine has them; the plain JavaScript twin below does the same
 * arithmetic in the same order, so the two agree bit for bit.
 */
import { InvalidArgumentError } from '../errors.js';
import {
  checkKernelChoice,
  compileKernel,
  type KernelChoice,
  requireKernel,
  webAssembly,
} from '../wasm/runtime.js';
import { TRANSPOSE_PRODUCT_WAT } from './transpose-product-wat.js';

/** Rows per block: both blocks (rows × width values) stay in L2, and a float32 block's sums stay short. */
const BLOCK_ROWS = 128;
const WASM_PAGE = 65536;
/** Above this the kernel's memory (result and two blocks) is not asked of WebAssembly. */
const WASM_MAX_BYTES = 1 << 30;

/**
 * How {@link transposeProduct} computes: `float64` (the default) rounds nothing; `float32-blocks` rounds the
 * values to float32 and sums each block of 128 rows in float32 (four SIMD lanes, twice the speed), the blocks'
 * sums in float64: the result's relative error is then about 1e-6 instead of 1e-15, for inputs that are float32
 * already (word vectors) well under their own precision's effect on any fit.
 *
 * @example
 * ```ts
 * const precision: TransposePrecision = 'float32-blocks';
 * transposeProduct(rowsA, rowsB, rows, dim, { precision });
 * ```
 */
export type TransposePrecision = 'float64' | 'float32-blocks';

/**
 * Options of {@link transposeProduct}.
 *
 * @example
 * ```ts
 * const options: TransposeProductOptions = { kernel: 'js', precision: 'float32-blocks' };
 * ```
 */
export interface TransposeProductOptions {
  /** `auto` (WebAssembly SIMD where it runs), `wasm-simd` or `js`; default `auto`. */
  kernel?: KernelChoice;
  /** Default `float64`. */
  precision?: TransposePrecision;
}

type Accumulate = (rows: number) => void;

/**
 * `aᵀ·b` for row-major `rows × dim` matrices `a` and `b`, as a row-major `dim × dim` Float64Array (inputs of
 * either float type).
 *
 * @throws {@link InvalidArgumentError} when the arrays do not hold `rows × dim` values, an option is unknown, or
 *   `wasm-simd` was asked for where it cannot run.
 * @example
 * ```ts
 * // Two rows of two columns: [[1, 2], [3, 4]]ᵀ · [[1, 0], [0, 1]] = [[1, 3], [2, 4]].
 * transposeProduct(Float32Array.of(1, 2, 3, 4), Float32Array.of(1, 0, 0, 1), 2, 2); // [1, 3, 2, 4]
 * ```
 */
export function transposeProduct(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  rows: number,
  dim: number,
  options: TransposeProductOptions = {},
): Float64Array {
  const choice = checkKernelChoice(options.kernel);
  const precision = options.precision ?? 'float64';
  if (precision !== 'float64' && precision !== 'float32-blocks') {
    throw new InvalidArgumentError(
      `precision must be 'float64' or 'float32-blocks', got ${JSON.stringify(precision) ?? String(precision)}`,
    );
  }
  if (!Number.isInteger(dim) || dim < 1 || !Number.isInteger(rows) || rows < 0)
    throw new InvalidArgumentError(`a transposed product needs rows ≥ 0 and dim ≥ 1, got ${rows} × ${dim}`);
  if (a.length !== rows * dim || b.length !== rows * dim) {
    throw new InvalidArgumentError(
      `both matrices must hold ${rows} × ${dim} = ${rows * dim} values, got ${a.length} and ${b.length}`,
    );
  }
  const single = precision === 'float32-blocks';
  // The float32 kernel's tiles are eight columns of B wide, the float64 one's four.
  const width = Math.ceil(dim / (single ? 8 : 4)) * (single ? 8 : 4);
  const blockRows = Math.max(1, Math.min(BLOCK_ROWS, rows));
  const cValues = width * width;
  const blockValues = blockRows * width;
  const valueBytes = single ? 4 : 8;
  const totalBytes = cValues * 8 + 2 * blockValues * valueBytes;
  const module =
    choice === 'js'
      ? null
      : choice === 'wasm-simd'
        ? requireKernel('transposed product', TRANSPOSE_PRODUCT_WAT)
        : compileKernel(TRANSPOSE_PRODUCT_WAT);
  const Block = single ? Float32Array : Float64Array;
  let c: Float64Array;
  let pa: Float32Array | Float64Array;
  let pb: Float32Array | Float64Array;
  let accumulate: Accumulate;
  if (module && webAssembly && totalBytes <= WASM_MAX_BYTES) {
    const pages = Math.ceil(totalBytes / WASM_PAGE);
    const memory = new webAssembly.Memory({ initial: pages, maximum: pages, shared: false });
    const run = new webAssembly.Instance(module, { env: { memory } }).exports as TransposeExports;
    const aAt = cValues * 8;
    const bAt = aAt + blockValues * valueBytes;
    c = new Float64Array(memory.buffer, 0, cValues);
    pa = new Block(memory.buffer as ArrayBuffer, aAt, blockValues);
    pb = new Block(memory.buffer as ArrayBuffer, bAt, blockValues);
    const kernel = single ? run.accumulate32 : run.accumulate64;
    accumulate = (n) => kernel(0, aAt, bAt, n, width);
  } else {
    if (choice === 'wasm-simd')
      throw new InvalidArgumentError(`a ${dim} × ${dim} transposed product is too large for wasm memory`);
    c = new Float64Array(cValues);
    pa = new Block(blockValues);
    pb = new Block(blockValues);
    const sums = new Block(cValues);
    accumulate = (n) => accumulateJs(c, sums, pa, pb, n, width);
  }
  for (let r0 = 0; r0 < rows; r0 += blockRows) {
    const n = Math.min(blockRows, rows - r0);
    copyRows(a, r0, n, dim, width, pa);
    copyRows(b, r0, n, dim, width, pb);
    accumulate(n);
  }
  if (width === dim) return c.slice();
  const out = new Float64Array(dim * dim);
  for (let j = 0; j < dim; j++) out.set(c.subarray(j * width, j * width + dim), j * dim);
  return out;
}

type WasmAccumulate = (c: number, a: number, b: number, rows: number, width: number) => void;

interface TransposeExports {
  accumulate64: WasmAccumulate;
  accumulate32: WasmAccumulate;
}

/**
 * Rows r0…r0+n−1 of `src` (row-major, `dim` wide) into the first n rows of `out` (`width` wide; the columns
 * past `dim` are zero from the allocation and never written).
 */
function copyRows(
  src: ArrayLike<number>,
  r0: number,
  n: number,
  dim: number,
  width: number,
  out: Float32Array | Float64Array,
): void {
  if (ArrayBuffer.isView(src) && 'subarray' in src) {
    const typed = src as unknown as Float64Array;
    if (width === dim) out.set(typed.subarray(r0 * dim, (r0 + n) * dim));
    else for (let r = 0; r < n; r++) out.set(typed.subarray((r0 + r) * dim, (r0 + r + 1) * dim), r * width);
    return;
  }
  for (let r = 0; r < n; r++) {
    const from = (r0 + r) * dim;
    const to = r * width;
    for (let k = 0; k < dim; k++) out[to + k] = src[from + k];
  }
}

/**
 * The JavaScript twin of the WebAssembly kernels: c (width × width) += paᵀ·pb over n rows, each entry's block
 * sum taken row by row from zero in `sums` (float32 sums when the blocks are float32: a Float32Array store
 * rounds each product and sum as the float32 lanes do), then added into c.
 */
function accumulateJs(
  c: Float64Array,
  sums: Float32Array | Float64Array,
  pa: Float32Array | Float64Array,
  pb: Float32Array | Float64Array,
  n: number,
  width: number,
): void {
  sums.fill(0);
  const single = sums instanceof Float32Array;
  for (let r = 0; r < n; r++) {
    const row = r * width;
    for (let j = 0; j < width; j++) {
      const x = pa[row + j];
      const o = j * width;
      if (single) for (let k = 0; k < width; k++) sums[o + k] += Math.fround(x * pb[row + k]);
      else for (let k = 0; k < width; k++) sums[o + k] += x * pb[row + k];
    }
  }
  for (let i = 0; i < c.length; i++) c[i] += sums[i];
}
