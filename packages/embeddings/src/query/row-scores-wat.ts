import { FIRST_ABOVE_FUNC_WAT } from '../wasm/first-above-wat.js';
import { GATHER_DOTS_FUNC_WAT } from '../wasm/gather-dots-wat.js';
import { SCALAR_TAIL_WAT, SIMD_DOT_WAT } from '../wasm/simd-dot-wat.js';

/**
 * WAT of `unitRows(m, norms, rows, dim)`: each of `rows` rows of the float32 matrix at `m` divided
 * in place by its norm at `norms` (one float32 per row), four values a step and a scalar tail, or
 * set to zeros when the norm is not above 0 (zero, NaN). `f32x4.div` and `f32.div` round once, so
 * the values are those of JavaScript's `vectors[j] / norm` stored to a Float32Array.
 */
const UNIT_ROWS_FUNC_WAT = `
  (func (export "unitRows")
    (param $m i32) (param $norms i32) (param $rows i32) (param $dim i32)
    (local $end i32) (local $rowEnd i32) (local $end4 i32) (local $n f32) (local $nv v128)
    local.get $norms
    local.get $rows
    i32.const 2
    i32.shl
    i32.add
    local.set $end
    block $done
      loop $row
        local.get $norms
        local.get $end
        i32.ge_u
        br_if $done
        local.get $m
        local.get $dim
        i32.const 2
        i32.shl
        i32.add
        local.set $rowEnd
        local.get $m
        local.get $dim
        i32.const -4
        i32.and
        i32.const 2
        i32.shl
        i32.add
        local.set $end4
        local.get $norms
        f32.load
        local.tee $n
        f32x4.splat
        local.set $nv
        local.get $n
        f32.const 0
        f32.gt
        i32.eqz
        if
          ;; a zero (or NaN) norm: the unit row is zeros
          f32.const 0
          f32x4.splat
          local.set $nv
          block $zeroDone
            loop $zero
              local.get $m
              local.get $rowEnd
              i32.ge_u
              br_if $zeroDone
              local.get $m
              f32.const 0
              f32.store
              local.get $m
              i32.const 4
              i32.add
              local.set $m
              br $zero
            end
          end
        else
          block $div4Done
            loop $div4
              local.get $m
              local.get $end4
              i32.ge_u
              br_if $div4Done
              local.get $m
              local.get $m
              v128.load align=4
              local.get $nv
              f32x4.div
              v128.store align=4
              local.get $m
              i32.const 16
              i32.add
              local.set $m
              br $div4
            end
          end
          block $tailDone
            loop $tail
              local.get $m
              local.get $rowEnd
              i32.ge_u
              br_if $tailDone
              local.get $m
              local.get $m
              f32.load
              local.get $n
              f32.div
              f32.store
              local.get $m
              i32.const 4
              i32.add
              local.set $m
              br $tail
            end
          end
        end
        local.get $norms
        i32.const 4
        i32.add
        local.set $norms
        br $row
      end
    end
  )
`;

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
 * (wasm/first-above-wat.ts), the top-k's skip over the scores, and `unitRows`, which scales rows
 * to unit length in place.
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
  ${UNIT_ROWS_FUNC_WAT}
)
`;
