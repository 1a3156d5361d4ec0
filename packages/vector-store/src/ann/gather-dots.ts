/**
 * Inner products of one row with a list of other rows of the same unit matrix ("gathered" rows):
 * the distance kernel of the HNSW build, where nearly all the time goes into scoring the
 * unvisited neighbours of a candidate against the row being inserted.
 *
 * WebAssembly SIMD where the engine has it (assembled at run time by the embeddings package's WAT
 * assembler, as its row-scoring kernel is), with the matrix copied once into the module's memory;
 * plain JavaScript (the embeddings package's `dot`) otherwise. Both write into preallocated typed arrays, so
 * scoring allocates nothing. Accumulation is float32 in the wasm kernel and float64 in JavaScript,
 * so the two may order near-ties differently; each is deterministic on its own.
 */
import {
  checkKernelChoice,
  compileKernel,
  dot,
  GATHER_DOTS_FUNC_WAT,
  GATHER_MAX,
  type Kernel,
  type KernelChoice,
  type WasmModule,
  webAssembly,
} from '@wordvec/embeddings/kernels';
import { StoreError } from '../errors.js';

/** Scores row `q` against rows `ids[0…count)`, writing `out[k] = row(q) · row(ids[k])`. */
export interface GatherDots {
  readonly kernel: Kernel;
  /** Row ids to score; fill the first `count` entries before calling {@link GatherDots.score}. */
  readonly ids: Uint32Array;
  /** Scores written by {@link GatherDots.score}. */
  readonly out: Float32Array;
  score(q: number, count: number): void;
}

/** The kernel's module: the embeddings package's gather function over an imported (unshared) memory. */
const GATHER_WAT = `
(module
  (import "env" "memory" (memory 1 65536))
  ${GATHER_DOTS_FUNC_WAT}
)
`;

type GatherExport = (q: number, ids: number, count: number, out: number, rowBytes: number) => void;

/**
 * The HNSW `kernel` option checked: `auto` when undefined.
 *
 * @throws {@link StoreError} `INVALID_ARGUMENT` naming the valid values, for anything else.
 * @example
 * ```ts
 * checkGatherKernel('js'); // 'js'
 * checkGatherKernel('wasm'); // StoreError: HNSW kernel must be 'auto', 'wasm-simd' or 'js', got "wasm"
 * ```
 */
export function checkGatherKernel(kernel: unknown): KernelChoice {
  try {
    return checkKernelChoice(kernel, 'HNSW kernel');
  } catch (err) {
    // The embeddings layer's message, as the store's one error type.
    throw new StoreError('INVALID_ARGUMENT', (err as Error).message, { cause: err });
  }
}

const WASM_PAGE = 65536;
/** memory32 addresses 4 GiB at most; larger matrices take the JavaScript kernel. */
const WASM_MAX_BYTES = 4 * 1024 ** 3 - 16 * WASM_PAGE;

/**
 * A {@link GatherDots} over the `n × dim` row-major matrix `m` (copied once into wasm memory when
 * the SIMD kernel is used).
 *
 * @example
 * ```ts
 * const g = createGatherDots(new Float32Array([1, 0, 0.6, 0.8]), 2);
 * g.ids[0] = 1;
 * g.score(0, 1); // g.out[0] ≈ 0.6
 * ```
 */
export function createGatherDots(m: Float32Array, dim: number, kernel: KernelChoice = 'auto'): GatherDots {
  const wanted = checkGatherKernel(kernel);
  const matrixBytes = m.length * 4;
  const total = matrixBytes + GATHER_MAX * 8;
  let mod: WasmModule | null = null;
  if (wanted === 'auto' && total <= WASM_MAX_BYTES) mod = compileKernel(GATHER_WAT);
  else if (wanted === 'wasm-simd') {
    if (total > WASM_MAX_BYTES) {
      throw new StoreError(
        'NOT_SUPPORTED',
        `HNSW kernel 'wasm-simd' cannot hold a matrix of ${matrixBytes} bytes (4 GiB at most): use kernel 'auto' or 'js'`,
      );
    }
    if (!(mod = compileKernel(GATHER_WAT))) {
      throw new StoreError(
        'NOT_SUPPORTED',
        "HNSW kernel 'wasm-simd' is not supported by this runtime (WebAssembly SIMD is needed)",
      );
    }
  }
  if (mod && webAssembly) {
    const pages = Math.ceil(total / WASM_PAGE);
    const memory = new webAssembly.Memory({ initial: pages, maximum: pages, shared: false });
    const instance = new webAssembly.Instance(mod, { env: { memory } });
    const gather = (instance.exports as { gather: GatherExport }).gather;
    const buffer = memory.buffer as ArrayBuffer;
    new Float32Array(buffer, 0, m.length).set(m);
    const idsAt = matrixBytes;
    const outAt = matrixBytes + GATHER_MAX * 4;
    const rowBytes = dim * 4;
    return {
      kernel: 'wasm-simd',
      ids: new Uint32Array(buffer, idsAt, GATHER_MAX),
      out: new Float32Array(buffer, outAt, GATHER_MAX),
      score(q: number, count: number): void {
        gather(q * rowBytes, idsAt, count, outAt, rowBytes);
      },
    };
  }
  const ids = new Uint32Array(GATHER_MAX);
  const out = new Float32Array(GATHER_MAX);
  return {
    kernel: 'js',
    ids,
    out,
    score(q: number, count: number): void {
      const oq = q * dim;
      for (let k = 0; k < count; k++) out[k] = dot(m, m, dim, oq, ids[k] * dim);
    },
  };
}
