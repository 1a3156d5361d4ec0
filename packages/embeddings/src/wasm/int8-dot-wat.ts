/**
 * The int8 dot product in WebAssembly SIMD, and the module of the two kernels built on it.
 *
 * Rows and the query are int8 codes in [−127, 127], each row padded with zeros to `stride` bytes
 * (a multiple of 16); the query is stored already widened to i16 (`2 · stride` bytes), since it is
 * read once per row. Sixteen codes a step: the row's codes widen i8 → i16 (low and high halves), and
 * `i32x4.dot_i16x8_s` multiplies the i16 lanes and adds neighbouring products into i32 lanes, on two
 * accumulators (low halves, high halves) that do not wait on each other. Integer arithmetic is
 * exact, so this kernel and the JavaScript one (ann/int8-matrix.ts in @wordvec/vector-store) give the
 * same sums bit for bit; the sum is scaled to a float only at the end (row scale × query scale).
 */

/**
 * Inline WAT: the i32 dot product of the int8 row at `$p` with the i16 query at `$qp` over `$stride`
 * codes, left as an f32 in `$s`. Needs the locals `$j`, `$qj` (i32), `$lo`, `$hi`, `$a` (v128), `$s`
 * (f32), and the params `$p`, `$qp`, `$stride`; leaves `$p` and `$qp` unchanged.
 */
export const INT8_DOT_WAT = `
i32.const 0
i32x4.splat
local.tee $lo
local.set $hi
i32.const 0
local.set $j
local.get $qp
local.set $qj
loop $step
  local.get $p
  local.get $j
  i32.add
  v128.load
  local.set $a
  local.get $lo
  local.get $a
  i16x8.extend_low_i8x16_s
  local.get $qj
  v128.load
  i32x4.dot_i16x8_s
  i32x4.add
  local.set $lo
  local.get $hi
  local.get $a
  i16x8.extend_high_i8x16_s
  local.get $qj
  v128.load offset=16
  i32x4.dot_i16x8_s
  i32x4.add
  local.set $hi
  local.get $qj
  i32.const 32
  i32.add
  local.set $qj
  local.get $j
  i32.const 16
  i32.add
  local.tee $j
  local.get $stride
  i32.lt_u
  br_if $step
end
local.get $lo
local.get $hi
i32x4.add
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

/**
 * The int8 kernels' module (byte offsets into the imported memory throughout):
 * - `rows(codes, scales, q, out, rows, stride, qScale)`: `out[r] = (row r · query) · scales[r] · qScale`
 *   for `rows` consecutive rows starting at `codes` (the scan);
 * - `gather(codes, scales, q, ids, count, out, stride, qScale)`: the same for the rows `ids[0…count)`
 *   (the graph walk).
 */
export const INT8_KERNEL_WAT = `
(module
  (import "env" "memory" (memory 1 65536))
  (func (export "rows")
    (param $codes i32) (param $scales i32) (param $qp i32) (param $out i32) (param $rows i32)
    (param $stride i32) (param $qScale f32)
    (local $outEnd i32) (local $p i32) (local $j i32) (local $lo v128) (local $hi v128) (local $a v128)
    (local $qj i32) (local $s f32)
    local.get $codes
    local.set $p
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
    (local $idsEnd i32) (local $id i32) (local $p i32) (local $j i32) (local $lo v128) (local $hi v128)
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
)
`;
