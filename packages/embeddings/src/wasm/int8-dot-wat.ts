/**
 * The int8 dot product in WebAssembly SIMD, and the module of the two kernels built on it.
 *
 * Rows and the query are int8 codes in [−127, 127], each row padded with zeros to `stride` bytes
 * (a multiple of 8); the query is stored already widened to i16 (`2 · stride` bytes), since it is
 * read once per row. Eight codes a step: `i16x8.load8x8_s` loads eight of a row's codes already
 * widened i8 → i16 (one instruction), and `i32x4.dot_i16x8_s` multiplies them with eight query lanes
 * and adds neighbouring products into i32 lanes. The scan takes rows four at a time: each query step
 * is loaded once for the four, the four rows' accumulators do not wait on each other, and their lanes
 * are summed together by two rounds of shuffles (no per-row lane extraction), so four scores are
 * converted, scaled and stored in one f32x4. Integer arithmetic is exact, so this kernel and the
 * JavaScript one (ann/int8-matrix.ts in @wordvec/vector-store) give the same sums bit for bit; the
 * sum is scaled to a float only at the end (row scale × query scale).
 */
import { FIRST_ABOVE_FUNC_WAT } from './first-above-wat.js';

/** Inline WAT: the step loops' tail: the query 16 bytes on, the row 8 codes on, again while inside the row. */
const NEXT_STEP_WAT = `
  local.get $qj
  i32.const 16
  i32.add
  local.set $qj
  local.get $j
  i32.const 8
  i32.add
  local.tee $j
  local.get $stride
  i32.lt_u
  br_if $step`;

/**
 * Inline WAT: the i32 dot product of the int8 row at `$p` with the i16 query at `$qp` over `$stride`
 * codes, left as an f32 in `$s`. Needs the locals `$j`, `$qj` (i32), `$lo`, `$a` (v128), `$s` (f32),
 * and the params `$p`, `$qp`, `$stride`; leaves `$p` and `$qp` unchanged.
 */
export const INT8_DOT_WAT = `
i32.const 0
i32x4.splat
local.set $lo
i32.const 0
local.set $j
local.get $qp
local.set $qj
loop $step
  local.get $lo
  local.get $p
  local.get $j
  i32.add
  i16x8.load8x8_s
  local.get $qj
  v128.load
  i32x4.dot_i16x8_s
  i32x4.add
  local.set $lo
  ${NEXT_STEP_WAT}
end
local.get $lo
local.tee $a
i32x4.extract_lane 0
local.get $a
i32x4.extract_lane 1
i32.add
local.get $a
i32x4.extract_lane 2
local.get $a
i32x4.extract_lane 3
i32.add
i32.add
f32.convert_i32_s
local.set $s
`;

/** Inline WAT: `$acc += row(at $p + $j, 8 codes) · $q`, one step of the four-row scan. */
const quadStep = (p: string, acc: string) => `
  local.get ${acc}
  local.get ${p}
  local.get $j
  i32.add
  i16x8.load8x8_s
  local.get $q
  i32x4.dot_i16x8_s
  i32x4.add
  local.set ${acc}`;

/**
 * Inline WAT: from the accumulators `$a0…$a3` (four i32 lanes each, one row each), the i32x4 of the
 * four rows' sums on the stack. Round one adds lane pairs of two rows at a time
 * (`[a0₀+a0₁, a1₀+a1₁, a0₂+a0₃, a1₂+a1₃]`), round two the halves of those.
 */
/** Inline WAT: `shuffle(x, y, lo) + shuffle(x, y, hi)` as i32x4 on the stack. */
const shuffleAdd = (x: string, y: string, lo: string, hi: string) => `
  local.get ${x}
  local.get ${y}
  i8x16.shuffle ${lo}
  local.get ${x}
  local.get ${y}
  i8x16.shuffle ${hi}
  i32x4.add`;
/** Lanes 0 and 2 of two vectors interleaved, then lanes 1 and 3. */
const EVEN_LANES = '0 1 2 3 16 17 18 19 8 9 10 11 24 25 26 27';
const ODD_LANES = '4 5 6 7 20 21 22 23 12 13 14 15 28 29 30 31';
const QUAD_SUMS_WAT = `${shuffleAdd('$a0', '$a1', EVEN_LANES, ODD_LANES)}
  local.set $a0${shuffleAdd('$a2', '$a3', EVEN_LANES, ODD_LANES)}
  local.set $a2${shuffleAdd('$a0', '$a2', '0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23', '8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31')}`;

/** Inline WAT: the sum of the four f32 lanes of the v128 local `v`, on the stack. */
const laneSum = (v: string) => `
  local.get ${v}
  f32x4.extract_lane 0
  local.get ${v}
  f32x4.extract_lane 1
  f32.add
  local.get ${v}
  f32x4.extract_lane 2
  local.get ${v}
  f32x4.extract_lane 3
  f32.add
  f32.add`;

/**
 * Inline WAT: four values of the row at `$src + $j + offset` quantised: their codes stored at
 * `$codes + ($j + offset) / 4`, their squares added to `norm`, their squared residuals to `resid`.
 * Rounding adds 1.5 · 2²³ (`$magic`): |v · inv| ≤ 127.5, so the float32 sum lands where its unit is 1
 * and the addition rounds to the nearest integer, halves to even, as `f32.nearest` does; the
 * integer is then the sum's bit pattern less the constant's, and the rounded value as a float is the
 * sum less the constant (both exact). Two or three instructions instead of `f32x4.nearest`,
 * `i32x4.trunc_sat_f32x4_s` and `f32x4.convert_i32x4_s`.
 */
const codeStep = (offset: string, norm: string, resid: string) => `
  local.get $src
  local.get $j
  i32.add
  v128.load offset=${offset} align=4
  local.tee $v
  local.get $v
  f32x4.mul
  local.get ${norm}
  f32x4.add
  local.set ${norm}
  local.get $v
  local.get $iv
  f32x4.mul
  local.get $magic
  f32x4.add
  local.tee $t
  local.get $magic
  i32x4.sub
  local.set $ci
  ;; the residual v − code · s
  local.get $v
  local.get $t
  local.get $magic
  f32x4.sub
  local.get $sv
  f32x4.mul
  f32x4.sub
  local.tee $e
  local.get $e
  f32x4.mul
  local.get ${resid}
  f32x4.add
  local.set ${resid}
  ;; four codes, narrowed i32 → i16 → i8, stored as one i32 at codes + (j + offset) / 4
  local.get $codes
  local.get $j
  i32.const 2
  i32.shr_u
  i32.add
  local.get $ci
  local.get $ci
  i16x8.narrow_i32x4_s
  local.tee $h
  local.get $h
  i8x16.narrow_i16x8_s
  i32x4.extract_lane 0
  i32.store offset=${Number(offset) / 4} align=1`;

/**
 * WAT of `quantize(src, codes, scales, stats, rows, dim, stride)`: for `rows` consecutive float32 rows
 * of `dim` values at `src`, the scale `s = fl(max |v| / 127)` at `scales`, the codes
 * `trunc(nearest(fl(v · fl(1 / s))))` at `codes` (`stride` bytes a row; the padding is not written)
 * and, at `stats`, two float32 per row: the squared norm of the row and the squared norm of its
 * quantisation residual `v − code · s`, both summed in float32 (an error bound allows for that).
 * Eight values a step on two pairs of accumulators, then four, then a scalar tail of `dim mod 4`
 * (`f32.nearest`: halves to even, as the steps round).
 * `Int8Matrix` (query/int8-matrix.ts) computes the same codes and scales in JavaScript.
 */
const QUANTIZE_FUNC_WAT = `
  (func (export "quantize")
    (param $src i32) (param $codes i32) (param $scales i32) (param $stats i32) (param $rows i32)
    (param $dim i32) (param $stride i32)
    (local $end i32) (local $rowBytes i32) (local $bytes4 i32) (local $j i32) (local $c i32)
    (local $mx v128) (local $v v128) (local $sv v128) (local $iv v128) (local $ci v128)
    (local $e v128) (local $e2 v128) (local $n2 v128) (local $e2b v128) (local $n2b v128) (local $h v128)
    (local $t v128) (local $magic v128) (local $bytes8 i32)
    (local $m f32) (local $s f32) (local $inv f32) (local $x f32) (local $d f32)
    (local $e2s f32) (local $n2s f32)
    local.get $dim
    i32.const 2
    i32.shl
    local.set $rowBytes
    local.get $dim
    i32.const -4
    i32.and
    i32.const 2
    i32.shl
    local.set $bytes4
    local.get $dim
    i32.const -8
    i32.and
    i32.const 2
    i32.shl
    local.set $bytes8
    f32.const 12582912
    f32x4.splat
    local.set $magic
    local.get $scales
    local.get $rows
    i32.const 2
    i32.shl
    i32.add
    local.set $end
    block $done
      loop $row
        local.get $scales
        local.get $end
        i32.ge_u
        br_if $done
        ;; the largest |v| of the row: four lanes, then the tail. Non-negative floats order as their bit
        ;; patterns do, so the lanes take i32x4.max_s (one instruction; f32x4.max is several, for NaN
        ;; and signed zeros). A NaN has the largest pattern: its row gets a NaN scale.
        f32.const 0
        f32x4.splat
        local.set $mx
        i32.const 0
        local.set $j
        block $maxDone
          loop $max4
            local.get $j
            local.get $bytes4
            i32.ge_u
            br_if $maxDone
            local.get $mx
            local.get $src
            local.get $j
            i32.add
            v128.load align=4
            f32x4.abs
            i32x4.max_s
            local.set $mx
            local.get $j
            i32.const 16
            i32.add
            local.set $j
            br $max4
          end
        end
        local.get $mx
        f32x4.extract_lane 0
        local.get $mx
        f32x4.extract_lane 1
        f32.max
        local.get $mx
        f32x4.extract_lane 2
        local.get $mx
        f32x4.extract_lane 3
        f32.max
        f32.max
        local.set $m
        block $maxTailDone
          loop $maxTail
            local.get $j
            local.get $rowBytes
            i32.ge_u
            br_if $maxTailDone
            local.get $m
            local.get $src
            local.get $j
            i32.add
            f32.load
            f32.abs
            f32.max
            local.set $m
            local.get $j
            i32.const 4
            i32.add
            local.set $j
            br $maxTail
          end
        end
        ;; s = max / 127; inv = 1 / s, or 0 for a zero row
        local.get $m
        f32.const 127
        f32.div
        local.tee $s
        f32x4.splat
        local.set $sv
        f32.const 1
        local.get $s
        f32.div
        f32.const 0
        local.get $s
        f32.const 0
        f32.gt
        select
        local.tee $inv
        f32x4.splat
        local.set $iv
        f32.const 0
        f32x4.splat
        local.tee $e2
        local.tee $n2
        local.tee $e2b
        local.set $n2b
        f32.const 0
        local.tee $e2s
        local.set $n2s
        i32.const 0
        local.set $j
        block $codeDone
          loop $code8
            local.get $j
            local.get $bytes8
            i32.ge_u
            br_if $codeDone
            ${codeStep('0', '$n2', '$e2')}
            ${codeStep('16', '$n2b', '$e2b')}
            local.get $j
            i32.const 32
            i32.add
            local.set $j
            br $code8
          end
        end
        block $code4Done
          local.get $j
          local.get $bytes4
          i32.ge_u
          br_if $code4Done
          ${codeStep('0', '$n2', '$e2')}
          local.get $j
          i32.const 16
          i32.add
          local.set $j
        end
        block $codeTailDone
          loop $codeTail
            local.get $j
            local.get $rowBytes
            i32.ge_u
            br_if $codeTailDone
            local.get $src
            local.get $j
            i32.add
            f32.load
            local.tee $x
            local.get $x
            f32.mul
            local.get $n2s
            f32.add
            local.set $n2s
            local.get $x
            local.get $inv
            f32.mul
            f32.nearest
            i32.trunc_sat_f32_s
            local.set $c
            local.get $codes
            local.get $j
            i32.const 2
            i32.shr_u
            i32.add
            local.get $c
            i32.store8
            local.get $x
            local.get $c
            f32.convert_i32_s
            local.get $s
            f32.mul
            f32.sub
            local.tee $d
            local.get $d
            f32.mul
            local.get $e2s
            f32.add
            local.set $e2s
            local.get $j
            i32.const 4
            i32.add
            local.set $j
            br $codeTail
          end
        end
        local.get $scales
        local.get $s
        f32.store
        local.get $n2
        local.get $n2b
        f32x4.add
        local.set $n2
        local.get $e2
        local.get $e2b
        f32x4.add
        local.set $e2
        local.get $stats
        ${laneSum('$n2')}
        local.get $n2s
        f32.add
        f32.store
        local.get $stats
        ${laneSum('$e2')}
        local.get $e2s
        f32.add
        f32.store offset=4
        local.get $src
        local.get $rowBytes
        i32.add
        local.set $src
        local.get $codes
        local.get $stride
        i32.add
        local.set $codes
        local.get $scales
        i32.const 4
        i32.add
        local.set $scales
        local.get $stats
        i32.const 8
        i32.add
        local.set $stats
        br $row
      end
    end
  )
`;

/**
 * The int8 kernels' module (byte offsets into the imported memory throughout, which is shared so
 * that a helper thread can scan part of the rows, wasm/split-scan.ts):
 * - `rows(codes, scales, q, out, rows, stride, qScale)`: `out[r] = (row r · query) · scales[r] · qScale`
 *   for `rows` consecutive rows starting at `codes` (the scan; four rows a step, then the rest);
 * - `gather(codes, scales, q, ids, count, out, stride, qScale)`: the same for the rows `ids[0…count)`
 *   (the graph walk);
 * - `quantize(src, codes, scales, stats, rows, dim, stride)`: float32 rows to codes and scales, with
 *   each row's squared norm and squared residual (see the function's own note);
 * - `firstAbove(scores, from, end, threshold)`: the top-k's skip over the scores (wasm/first-above-wat.ts).
 */
export const INT8_KERNEL_WAT = `
(module
  (import "env" "memory" (memory 1 65536 shared))
  (func (export "rows")
    (param $codes i32) (param $scales i32) (param $qp i32) (param $out i32) (param $rows i32)
    (param $stride i32) (param $qScale f32)
    (local $outEnd i32) (local $quadEnd i32) (local $p i32) (local $p1 i32) (local $p2 i32) (local $p3 i32)
    (local $j i32) (local $qj i32)
    (local $lo v128) (local $a v128) (local $q v128) (local $qs v128)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local $s f32)
    local.get $codes
    local.set $p
    local.get $out
    local.get $rows
    i32.const 2
    i32.shl
    i32.add
    local.set $outEnd
    local.get $out
    local.get $rows
    i32.const -4
    i32.and
    i32.const 2
    i32.shl
    i32.add
    local.set $quadEnd
    local.get $qScale
    f32x4.splat
    local.set $qs
    ;; four rows at a time: one query load per step for the four, four scores in one store
    block $quadsDone
      loop $quad
        local.get $out
        local.get $quadEnd
        i32.ge_u
        br_if $quadsDone
        local.get $p
        local.get $stride
        i32.add
        local.tee $p1
        local.get $stride
        i32.add
        local.tee $p2
        local.get $stride
        i32.add
        local.set $p3
        i32.const 0
        i32x4.splat
        local.tee $a0
        local.tee $a1
        local.tee $a2
        local.set $a3
        i32.const 0
        local.set $j
        local.get $qp
        local.set $qj
        loop $step
          local.get $qj
          v128.load
          local.set $q
          ${quadStep('$p', '$a0')}
          ${quadStep('$p1', '$a1')}
          ${quadStep('$p2', '$a2')}
          ${quadStep('$p3', '$a3')}
          ${NEXT_STEP_WAT}
        end
        local.get $out
        ${QUAD_SUMS_WAT}
        f32x4.convert_i32x4_s
        local.get $scales
        v128.load align=4
        f32x4.mul
        local.get $qs
        f32x4.mul
        v128.store align=4
        local.get $out
        i32.const 16
        i32.add
        local.set $out
        local.get $scales
        i32.const 16
        i32.add
        local.set $scales
        local.get $p3
        local.get $stride
        i32.add
        local.set $p
        br $quad
      end
    end
    ;; the last rows % 4, one at a time
    block $done
      loop $row
        local.get $out
        local.get $outEnd
        i32.ge_u
        br_if $done
        ${INT8_DOT_WAT}
        local.get $out
        local.get $s
        local.get $scales
        f32.load
        f32.mul
        local.get $qScale
        f32.mul
        f32.store
        local.get $out
        i32.const 4
        i32.add
        local.set $out
        local.get $scales
        i32.const 4
        i32.add
        local.set $scales
        local.get $p
        local.get $stride
        i32.add
        local.set $p
        br $row
      end
    end
  )
  (func (export "gather")
    (param $codes i32) (param $scales i32) (param $qp i32) (param $ids i32) (param $count i32)
    (param $out i32) (param $stride i32) (param $qScale f32)
    (local $idsEnd i32) (local $id i32) (local $p i32) (local $j i32) (local $lo v128)
    (local $a v128) (local $qj i32) (local $s f32)
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
        local.get $ids
        i32.load
        local.tee $id
        local.get $stride
        i32.mul
        local.get $codes
        i32.add
        local.set $p
        ${INT8_DOT_WAT}
        local.get $out
        local.get $s
        local.get $scales
        local.get $id
        i32.const 2
        i32.shl
        i32.add
        f32.load
        f32.mul
        local.get $qScale
        f32.mul
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
  ${QUANTIZE_FUNC_WAT}
  ${FIRST_ABOVE_FUNC_WAT}
)
`;
