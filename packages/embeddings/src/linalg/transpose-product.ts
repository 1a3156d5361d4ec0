/**
 * The transposed product Aᵀ·B of two tall row-major matrices (`rows × dim`, rows ≫ dim) as a dense
 * `dim × dim` matrix, accumulated in float64: the cross-covariance SᵀT of an orthogonal Procrustes fit and the
 * Gram matrices of the SVDs. Cache-blocked: rows go through in blocks, each block packed into panels of four
 * columns, and every 4 × 4 tile of the result takes the block's outer products from registers (see
 * transpose-product-wat.ts). The WebAssembly SIMD kernel runs where the engine has it; the plain JavaScript
 * twin below does the same arithmetic in the same order of blocks.
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

/** Rows per block: A's panel (rows × 32 bytes) stays in L1, B's packed block (rows × dim × 8 bytes) in L2. */
const BLOCK_ROWS = 128;
const WASM_PAGE = 65536;
/** Above this the kernel's memory (result and two packed blocks) is not asked of WebAssembly. */
const WASM_MAX_BYTES = 1 << 30;

type Accumulate = (rows: number) => void;

/**
 * `aᵀ·b` for row-major `rows × dim` matrices `a` and `b`, as a row-major `dim × dim` Float64Array, summed in
 * float64 (inputs of either float type).
 *
 * @param kernel - `auto` (WebAssembly SIMD where it runs), `wasm-simd` or `js`; default `auto`
 * @throws {@link InvalidArgumentError} when the arrays do not hold `rows × dim` values, or `wasm-simd` was asked
 *   for where it cannot run.
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
  kernel: KernelChoice = 'auto',
): Float64Array {
  const choice = checkKernelChoice(kernel);
  if (!Number.isInteger(dim) || dim < 1 || !Number.isInteger(rows) || rows < 0)
    throw new InvalidArgumentError(`a transposed product needs rows ≥ 0 and dim ≥ 1, got ${rows} × ${dim}`);
  if (a.length !== rows * dim || b.length !== rows * dim) {
    throw new InvalidArgumentError(
      `both matrices must hold ${rows} × ${dim} = ${rows * dim} values, got ${a.length} and ${b.length}`,
    );
  }
  const panels = Math.ceil(dim / 4);
  const width = panels * 4;
  const blockRows = Math.max(1, Math.min(BLOCK_ROWS, rows));
  const cValues = width * width;
  const blockValues = blockRows * width;
  const totalBytes = (cValues + 2 * blockValues) * 8;
  const module =
    choice === 'js'
      ? null
      : choice === 'wasm-simd'
        ? requireKernel('transposed product', TRANSPOSE_PRODUCT_WAT)
        : compileKernel(TRANSPOSE_PRODUCT_WAT);
  let c: Float64Array;
  let pa: Float64Array;
  let pb: Float64Array;
  let accumulate: Accumulate;
  if (module && webAssembly && totalBytes <= WASM_MAX_BYTES) {
    const pages = Math.ceil(totalBytes / WASM_PAGE);
    const memory = new webAssembly.Memory({ initial: pages, maximum: pages, shared: false });
    const run = (
      new webAssembly.Instance(module, { env: { memory } }).exports as { accumulate: WasmAccumulate }
    ).accumulate;
    c = new Float64Array(memory.buffer, 0, cValues);
    pa = new Float64Array(memory.buffer, cValues * 8, blockValues);
    pb = new Float64Array(memory.buffer, (cValues + blockValues) * 8, blockValues);
    const aAt = cValues * 8;
    const bAt = (cValues + blockValues) * 8;
    accumulate = (n) => run(0, aAt, bAt, n, panels);
  } else {
    if (choice === 'wasm-simd')
      throw new InvalidArgumentError(`a ${dim} × ${dim} transposed product is too large for wasm memory`);
    c = new Float64Array(cValues);
    pa = new Float64Array(blockValues);
    pb = new Float64Array(blockValues);
    accumulate = (n) => accumulateJs(c, pa, pb, n, panels);
  }
  for (let r0 = 0; r0 < rows; r0 += blockRows) {
    const n = Math.min(blockRows, rows - r0);
    pack(a, r0, n, dim, width, pa);
    pack(b, r0, n, dim, width, pb);
    accumulate(n);
  }
  if (width === dim) return c.slice();
  const out = new Float64Array(dim * dim);
  for (let j = 0; j < dim; j++) out.set(c.subarray(j * width, j * width + dim), j * dim);
  return out;
}

type WasmAccumulate = (c: number, a: number, b: number, rows: number, panels: number) => void;

/** Rows r0…r0+n−1 of `src` into panels of four columns (panel p: n rows × 4 values), zero past `dim`. */
function pack(
  src: ArrayLike<number>,
  r0: number,
  n: number,
  dim: number,
  width: number,
  out: Float64Array,
): void {
  const panelValues = n * 4;
  for (let r = 0; r < n; r++) {
    const from = (r0 + r) * dim;
    const to = r * 4;
    for (let k = 0; k < dim; k++) out[(k >> 2) * panelValues + to + (k & 3)] = src[from + k];
    for (let k = dim; k < width; k++) out[(k >> 2) * panelValues + to + (k & 3)] = 0;
  }
}

/** The JavaScript twin of the WebAssembly `accumulate`: c (width × width) += paᵀ·pb over n packed rows. */
function accumulateJs(c: Float64Array, pa: Float64Array, pb: Float64Array, n: number, panels: number): void {
  const width = panels * 4;
  const panelValues = n * 4;
  for (let jp = 0; jp < panels; jp++) {
    const ao = jp * panelValues;
    for (let kp = 0; kp < panels; kp++) {
      const bo = kp * panelValues;
      let c00 = 0,
        c01 = 0,
        c02 = 0,
        c03 = 0,
        c10 = 0,
        c11 = 0,
        c12 = 0,
        c13 = 0;
      let c20 = 0,
        c21 = 0,
        c22 = 0,
        c23 = 0,
        c30 = 0,
        c31 = 0,
        c32 = 0,
        c33 = 0;
      for (let r = 0; r < panelValues; r += 4) {
        const a0 = pa[ao + r];
        const a1 = pa[ao + r + 1];
        const a2 = pa[ao + r + 2];
        const a3 = pa[ao + r + 3];
        const b0 = pb[bo + r];
        const b1 = pb[bo + r + 1];
        const b2 = pb[bo + r + 2];
        const b3 = pb[bo + r + 3];
        c00 += a0 * b0;
        c01 += a0 * b1;
        c02 += a0 * b2;
        c03 += a0 * b3;
        c10 += a1 * b0;
        c11 += a1 * b1;
        c12 += a1 * b2;
        c13 += a1 * b3;
        c20 += a2 * b0;
        c21 += a2 * b1;
        c22 += a2 * b2;
        c23 += a2 * b3;
        c30 += a3 * b0;
        c31 += a3 * b1;
        c32 += a3 * b2;
        c33 += a3 * b3;
      }
      let o = jp * 4 * width + kp * 4;
      c[o] += c00;
      c[o + 1] += c01;
      c[o + 2] += c02;
      c[o + 3] += c03;
      o += width;
      c[o] += c10;
      c[o + 1] += c11;
      c[o + 2] += c12;
      c[o + 3] += c13;
      o += width;
      c[o] += c20;
      c[o + 1] += c21;
      c[o + 2] += c22;
      c[o + 3] += c23;
      o += width;
      c[o] += c30;
      c[o + 1] += c31;
      c[o + 2] += c32;
      c[o + 3] += c33;
    }
  }
}
