/**
 * The one WebAssembly loader: the typing of the WebAssembly JS API, the kernel vocabulary every
 * trainer and scorer shares, and the compile-once-and-detect step. hnswlib picks its SIMD space once,
 * in one place; so do we: a kernel's WAT is assembled and compiled on first use, and the module (or
 * null, when this engine cannot run it) is kept for every later caller.
 */
import { InvalidArgumentError } from '../errors.js';
import { assembleWat } from './assembler.js';

/** The part of the WebAssembly JS API we use (the tsconfig's lib has no DOM/WebAssembly types). */
export interface WebAssemblyApi {
  Memory: new (descriptor: { initial: number; maximum: number; shared: boolean }) => WasmMemory;
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (
    module: WasmModule,
    imports: Record<string, Record<string, unknown>>,
  ) => { exports: unknown };
  validate(bytes: Uint8Array): boolean;
}

/** A WebAssembly.Memory; shared, so its buffer is a SharedArrayBuffer. */
export interface WasmMemory {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
  /** Adds `delta` pages of 64 KiB (detaching the old buffer of a non-shared memory); returns the old size in pages. */
  grow(delta: number): number;
}

/** A compiled WebAssembly.Module: instantiate it with `webAssembly.Instance`, or post it to a worker. */
export type WasmModule = object;

/** The runtime's WebAssembly object, or undefined where there is none. */
export const webAssembly: WebAssemblyApi | undefined = (
  globalThis as unknown as { WebAssembly?: WebAssemblyApi }
).WebAssembly;

/** Which inner loop runs: our WebAssembly SIMD kernel, or the plain JavaScript one. */
export type Kernel = 'wasm-simd' | 'js';

/** What a caller asks for: a {@link Kernel}, or `auto` (WebAssembly SIMD where it runs, else JavaScript). */
export type KernelChoice = 'auto' | Kernel;

/** Every valid {@link KernelChoice}, in the order messages name them. */
export const KERNEL_CHOICES: readonly KernelChoice[] = ['auto', 'wasm-simd', 'js'];

/**
 * Whether `value` is a {@link KernelChoice}.
 *
 * @example
 * ```ts
 * isKernelChoice('wasm-simd'); // true
 * isKernelChoice('wasm'); // false
 * ```
 */
export function isKernelChoice(value: unknown): value is KernelChoice {
  return KERNEL_CHOICES.includes(value as KernelChoice);
}

/**
 * Returns `value` as a {@link KernelChoice}, `auto` when undefined.
 *
 * @param value - the option as the caller gave it
 * @param what - how messages name the option (default `kernel`)
 * @throws {@link InvalidArgumentError} naming the valid values, for anything else.
 * @example
 * ```ts
 * checkKernelChoice(undefined); // 'auto'
 * checkKernelChoice('wasm', 'GloVe option kernel');
 * // InvalidArgumentError: GloVe option kernel must be 'auto', 'wasm-simd' or 'js', got "wasm"
 * ```
 */
export function checkKernelChoice(value: unknown, what = 'kernel'): KernelChoice {
  if (value === undefined) return 'auto';
  if (isKernelChoice(value)) return value;
  throw new InvalidArgumentError(
    `${what} must be 'auto', 'wasm-simd' or 'js', got ${JSON.stringify(value) ?? String(value)}`,
  );
}

/** Compiled kernels by WAT source: the module, or null where it cannot run. */
const compiled = new Map<string, WasmModule | null>();
let sharedMemory: boolean | undefined;

/** Whether this engine gives WebAssembly memories backed by a SharedArrayBuffer (needed by threaded kernels). */
function hasSharedMemory(): boolean {
  if (sharedMemory === undefined) {
    try {
      sharedMemory =
        webAssembly !== undefined &&
        typeof SharedArrayBuffer === 'function' &&
        new webAssembly.Memory({ initial: 1, maximum: 1, shared: true }).buffer instanceof SharedArrayBuffer;
    } catch {
      sharedMemory = false;
    }
  }
  return sharedMemory;
}

/** A module whose imported memory is declared `shared` needs shared memory at run time. */
const IMPORTS_SHARED_MEMORY = /\(\s*memory\b[^()]*\bshared\s*\)/;

/**
 * Assembles and compiles a kernel's WAT once; later calls with the same source return the same module.
 * Null, never a throw, when the engine lacks WebAssembly, SIMD or (for a kernel importing a shared memory)
 * shared memory, or when the source does not assemble or validate.
 *
 * @param watSource - the kernel's WebAssembly text
 * @returns the compiled module, or null where the kernel cannot run
 * @example
 * ```ts
 * const module = compileKernel(ROW_SCORES_WAT);
 * if (module && webAssembly) new webAssembly.Instance(module, { env: { memory } });
 * ```
 */
export function compileKernel(watSource: string): WasmModule | null {
  let module = compiled.get(watSource);
  if (module !== undefined) return module;
  module = null;
  if (webAssembly && (!IMPORTS_SHARED_MEMORY.test(watSource) || hasSharedMemory())) {
    try {
      const bytes = assembleWat(watSource);
      if (webAssembly.validate(bytes)) module = new webAssembly.Module(bytes);
    } catch {
      // An engine without SIMD rejects the module; an assembler error means the same for the caller.
      module = null;
    }
  }
  compiled.set(watSource, module);
  return module;
}

/**
 * {@link compileKernel}, for a caller that asked for `wasm-simd` explicitly: the module, or an error.
 *
 * @param name - the kernel, as the message names it (e.g. `GloVe`)
 * @param watSource - the kernel's WebAssembly text
 * @throws {@link InvalidArgumentError} naming the kernel when it cannot run here.
 * @example
 * ```ts
 * const module = requireKernel('GloVe', GLOVE_KERNEL_WAT); // throws where WebAssembly SIMD is missing
 * ```
 */
export function requireKernel(name: string, watSource: string): WasmModule {
  const module = compileKernel(watSource);
  if (module === null) {
    throw new InvalidArgumentError(
      `${name}: kernel 'wasm-simd' is not supported by this runtime (WebAssembly SIMD is needed)`,
    );
  }
  return module;
}

/**
 * The kernel a trainer over rows of `dim` floats runs for `choice`: `js` as asked; `wasm-simd` compiled,
 * or an error naming the kernel when this runtime lacks SIMD or `dim` is not a multiple of 4 (the
 * kernels step four floats at a time); `auto` the SIMD kernel when both hold, else `js`. `source` gives
 * the kernel's WAT for a dim (its row loops are generated for one dim) and is called only for a dim the
 * SIMD kernel can take. The module is compiled once per process and dim, and posted to the workers.
 *
 * @example
 * ```ts
 * const { kernel, module } = pickKernel('auto', 100, 'word2vec', cbowKernelWat); // 'wasm-simd' here
 * ```
 */
export function pickKernel(
  choice: KernelChoice,
  dim: number,
  name: string,
  source: (dim: number) => string,
): { kernel: Kernel; module?: WasmModule } {
  if (choice === 'js') return { kernel: 'js' };
  if (choice === 'wasm-simd') {
    if (dim % 4 !== 0)
      throw new InvalidArgumentError(`kernel 'wasm-simd' needs dim to be a multiple of 4, got ${dim}`);
    return { kernel: 'wasm-simd', module: requireKernel(name, source(dim)) };
  }
  const module = dim % 4 === 0 ? compileKernel(source(dim)) : null;
  return module ? { kernel: 'wasm-simd', module } : { kernel: 'js' };
}
