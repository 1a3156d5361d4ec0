/**
 * Inner products of one row with a list of other rows of the same unit matrix ("gathered" rows):
 * the distance kernel of the HNSW build, where nearly all the time goes into scoring the
 * unvisited neighbours of a candidate against the row being inserted.
 *
 * WebAssembly SIMD where the engine has it (assembled at run time by the embeddings package's WAT
 * assembler, as its row-scoring kernel is), with the matrix copied once into the module's memory;
 * plain JavaScript with four accumulators otherwise. Both write into preallocated typed arrays, so
 * scoring allocates nothing. Accumulation is float32 in the wasm kernel and float64 in JavaScript,
 * so the two may order near-ties differently; each is deterministic on its own.
 */
import { assembleWat, SIMD_DOT_WAT, webAssembly } from '@wordvec/embeddings/kernels';

/** Most rows scored in one call (a layer-0 neighbour list, or the neighbours kept so far). */
export const GATHER_MAX = 1024;

/** Scores row `q` against rows `ids[0…count)`, writing `out[k] = row(q) · row(ids[k])`. */
export interface GatherDots {
  readonly kernel: 'wasm-simd' | 'js';
  /** Row ids to score; fill the first `count` entries before calling {@link GatherDots.score}. */
  readonly ids: Uint32Array;
  /** Scores written by {@link GatherDots.score}. */
  readonly out: Float32Array;
  score(q: number, count: number): void;
}

/**
 * The kernel's text: for k < count, out[k] = Σ m[q·dim + d] · m[ids[k]·dim + d], 16 floats a step on
 * four f32x4 accumulators, then 4 a step, then a scalar tail for `dim mod 4`. Byte offsets throughout.
 */
const GATHER_WAT = `
(module
  (import "env" "memory" (memory 1 65536))
  (func (export "gather")
    (param $q i32) (param $ids i32) (param $count i32) (param $out i32) (param $rowBytes i32)
    (local $idsEnd i32) (local $bytes16 i32) (local $bytes4 i32) (local $j i32) (local $p i32) (local $qp i32)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128) (local $s f32)
    local.get $rowBytes
    i32.const -64
    i32.and
    local.set $bytes16
    local.get $rowBytes
    i32.const -16
    i32.and
    local.set $bytes4
    local.get $ids
    local.get $count
    i32.const 2
    i32.shl
    i32.add
    local.set $idsEnd
    block $done
      loop $row
        local.get $ids
        local.get $idsEnd
        i32.ge_u
        br_if $done
        f32.const 0
        f32x4.splat
        local.tee $a0
        local.tee $a1
        local.tee $a2
        local.set $a3
        i32.const 0
        local.set $j
        local.get $ids
        i32.load
        local.get $rowBytes
        i32.mul
        local.set $p
        local.get $q
        local.set $qp
        ${SIMD_DOT_WAT}
        block $end1
          loop $step1
            local.get $j
            local.get $rowBytes
            i32.ge_u
            br_if $end1
            local.get $s
            local.get $p
            f32.load
            local.get $qp
            f32.load
            f32.mul
            f32.add
            local.set $s
            local.get $j
            i32.const 4
            i32.add
            local.set $j
            local.get $p
            i32.const 4
            i32.add
            local.set $p
            local.get $qp
            i32.const 4
            i32.add
            local.set $qp
            br $step1
          end
        end
        local.get $out
        local.get $s
        f32.store
        local.get $out
        i32.const 4
        i32.add
        local.set $out
        local.get $ids
        i32.const 4
        i32.add
        local.set $ids
        br $row
      end
    end
  )
)
`;

type GatherExport = (q: number, ids: number, count: number, out: number, rowBytes: number) => void;

let moduleCache: object | null | undefined;

/** The compiled kernel, or null where WebAssembly SIMD is unavailable. */
function gatherModule(): object | null {
  if (moduleCache !== undefined) return moduleCache;
  moduleCache = null;
  if (webAssembly) {
    try {
      const bytes = assembleWat(GATHER_WAT);
      if (webAssembly.validate(bytes)) moduleCache = new webAssembly.Module(bytes);
    } catch {
      moduleCache = null;
    }
  }
  return moduleCache;
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
export function createGatherDots(m: Float32Array, dim: number, kernel: 'auto' | 'js' = 'auto'): GatherDots {
  const matrixBytes = m.length * 4;
  const total = matrixBytes + GATHER_MAX * 8;
  const mod = kernel === 'auto' && total <= WASM_MAX_BYTES ? gatherModule() : null;
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
  const tail = dim - (dim % 4);
  return {
    kernel: 'js',
    ids,
    out,
    score(q: number, count: number): void {
      const oq = q * dim;
      for (let k = 0; k < count; k++) {
        const ob = ids[k] * dim;
        let s0 = 0;
        let s1 = 0;
        let s2 = 0;
        let s3 = 0;
        let d = 0;
        for (; d < tail; d += 4) {
          s0 += m[oq + d] * m[ob + d];
          s1 += m[oq + d + 1] * m[ob + d + 1];
          s2 += m[oq + d + 2] * m[ob + d + 2];
          s3 += m[oq + d + 3] * m[ob + d + 3];
        }
        for (; d < dim; d++) s0 += m[oq + d] * m[ob + d];
        out[k] = s0 + s1 + s2 + s3;
      }
    },
  };
}
