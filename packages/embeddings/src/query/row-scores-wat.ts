import { FIRST_ABOVE_FUNC_WAT } from '../wasm/first-above-wat.js';
import { GATHER_DOTS_FUNC_WAT } from '../wasm/gather-dots-wat.js';
import { SCALAR_TAIL_WAT, SIMD_DOT_WAT } from '../wasm/simd-dot-wat.js';

/**
 * WebAssembly text source of the SIMD row-scoring kernel (assembled at run time by our own
 * assembler; see row-scorer.ts). It is the wasm twin of `scoreRows` in row-scores.ts:
 * `out[r] = matrix[r] · query` for `rows` consecutive rows.
 *
 * Four f32x4 accumulators take 16 floats per step (so consecutive multiply-adds don't wait on
 * each other), then one accumulator takes the remaining groups of 4, then a scalar tail takes
 * the last `dim mod 4` values. Accumulation is float32, as in BLAS `sgemv` (gensim's dot).
 * All pointers are byte offsets into the imported memory, which is shared so that a helper thread
 * can score the other half of the rows in place. The module also exports `gather`
 * (wasm/gather-dots-wat.ts), which scores the query slot against listed rows: the distance kernel
 * of a graph walk over the same matrix, with no second copy of it, and `firstAbove`
 * (wasm/first-above-wat.ts), the top-k's skip over the scores.
 */
export const ROW_SCORES_WAT = `
(module
  (import "env" "memory" (memory 1 65536 shared))
  (func (export "scoreRows")
    (param $m i32) (param $q i32) (param $out i32) (param $rows i32) (param $dim i32)
    (local $outEnd i32) (local $rowBytes i32) (local $bytes16 i32) (local $bytes4 i32)
    (local $j i32) (local $p i32) (local $qp i32)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128) (local $s f32)
    ;; rowBytes = dim × 4; bytes16 / bytes4 = the part of a row covered by 16- and 4-float steps
    local.get $dim
    i32.const 2
    i32.shl
    local.set $rowBytes
    local.get $dim
    i32.const -16
    i32.and
    i32.const 2
    i32.shl
    local.set $bytes16
    local.get $dim
    i32.const -4
    i32.and
    i32.const 2
    i32.shl
    local.set $bytes4
    local.get $out
    local.get $rows
    i32.const 2
    i32.shl
    i32.add
    local.set $outEnd
    block $done
      loop $row
        local.get $out
        local.get $outEnd
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
        local.get $m
        local.set $p
        local.get $q
        local.set $qp
        ${SIMD_DOT_WAT}
        ${SCALAR_TAIL_WAT}
        local.get $out
        local.get $s
        f32.store
        local.get $out
        i32.const 4
        i32.add
        local.set $out
        local.get $m
        local.get $rowBytes
        i32.add
        local.set $m
        br $row
      end
    end
  )
  ${GATHER_DOTS_FUNC_WAT}
  ${FIRST_ABOVE_FUNC_WAT}
)
`;
