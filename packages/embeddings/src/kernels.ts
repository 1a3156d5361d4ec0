/**
 * `@wordvec/embeddings/kernels`: the numeric machinery that sibling packages (the vector store)
 * build on: row scoring, int8 rows, top-k, the dot product and the WebAssembly runtime. Not needed to train,
 * load or query vectors; the main entry point `@wordvec/embeddings` has all of that.
 */
export { dot } from './linalg/dot.js';
export { meanRow } from './linalg/mean-row.js';
export { type SelectTopKOptions, selectTopK, type TopK } from './linalg/top-k.js';
export {
  createInt8Matrix,
  Int8Matrix,
  type Int8MatrixOptions,
  int8ScoreRows,
  int8Scorer,
  quantizeRows,
} from './query/int8-matrix.js';
export {
  createPrefilter,
  PREFILTER_MIN_BYTES,
  prefilteredNearest,
} from './query/prefiltered-nearest.js';
export {
  createRowScorer,
  hasWasmRowScorer,
  type RowGather,
  type RowScorer,
  type RowScorerOptions,
} from './query/row-scorer.js';
export { scoreRows } from './query/row-scores.js';
export { fastTextHash } from './subword/char-ngrams.js';
export { meanOfNgramRows } from './subword/subword-table.js';
export { assembleWat } from './wasm/assembler.js';
export { GATHER_DOTS_FUNC_WAT, GATHER_MAX } from './wasm/gather-dots-wat.js';
export { INT8_KERNEL_WAT } from './wasm/int8-dot-wat.js';
export {
  checkKernelChoice,
  compileKernel,
  isKernelChoice,
  KERNEL_CHOICES,
  type Kernel,
  type KernelChoice,
  requireKernel,
  type WasmMemory,
  type WasmModule,
  type WebAssemblyApi,
  webAssembly,
} from './wasm/runtime.js';
export { SCALAR_TAIL_WAT, SIMD_DOT_WAT } from './wasm/simd-dot-wat.js';
export {
  checkThreads,
  createSplitScan,
  PARALLEL_MIN_BYTES,
  type ScanKernel,
  type SplitScan,
  type SplitScanOptions,
} from './wasm/split-scan.js';
