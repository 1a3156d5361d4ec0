/**
 * The WAT text of a SIMD float32 dot product, shared by the kernels that score rows against a query
 * (`row-scores-wat.ts` here, the HNSW gather kernel in @wordvec/vector-store). Inline it in a function
 * body with `${SIMD_DOT_WAT}`.
 *
 * Contract: `$p` points at the row and `$qp` at the query (both 16-byte aligned); `$a0`…`$a3` (v128)
 * are zero; `$j` (i32) is 0; `$bytes16` / `$bytes4` are the row length in bytes rounded down to 64 and
 * to 16. Four accumulators over 64-byte steps, then 16-byte steps, then the horizontal sum lands in
 * `$s` (f32); `$j`, `$p` and `$qp` are left after the last whole 16-byte step, so {@link SCALAR_TAIL_WAT} can follow.
 */
export const SIMD_DOT_WAT = `
block $end16
  loop $step16
    local.get $j
    local.get $bytes16
    i32.ge_u
    br_if $end16
    local.get $a0
    local.get $p
    v128.load
    local.get $qp
    v128.load
    f32x4.mul
    f32x4.add
    local.set $a0
    local.get $a1
    local.get $p
    v128.load offset=16
    local.get $qp
    v128.load offset=16
    f32x4.mul
    f32x4.add
    local.set $a1
    local.get $a2
    local.get $p
    v128.load offset=32
    local.get $qp
    v128.load offset=32
    f32x4.mul
    f32x4.add
    local.set $a2
    local.get $a3
    local.get $p
    v128.load offset=48
    local.get $qp
    v128.load offset=48
    f32x4.mul
    f32x4.add
    local.set $a3
    local.get $j
    i32.const 64
    i32.add
    local.set $j
    local.get $p
    i32.const 64
    i32.add
    local.set $p
    local.get $qp
    i32.const 64
    i32.add
    local.set $qp
    br $step16
  end
end
block $end4
  loop $step4
    local.get $j
    local.get $bytes4
    i32.ge_u
    br_if $end4
    local.get $a0
    local.get $p
    v128.load
    local.get $qp
    v128.load
    f32x4.mul
    f32x4.add
    local.set $a0
    local.get $j
    i32.const 16
    i32.add
    local.set $j
    local.get $p
    i32.const 16
    i32.add
    local.set $p
    local.get $qp
    i32.const 16
    i32.add
    local.set $qp
    br $step4
  end
end
;; s = horizontal sum of (a0 + a1) + (a2 + a3)
local.get $a0
local.get $a1
f32x4.add
local.get $a2
local.get $a3
f32x4.add
f32x4.add
local.tee $a0
f32x4.extract_lane 0
local.get $a0
f32x4.extract_lane 1
f32.add
local.get $a0
f32x4.extract_lane 2
local.get $a0
f32x4.extract_lane 3
f32.add
f32.add
local.set $s
`;

/**
 * The WAT text of the scalar tail that follows {@link SIMD_DOT_WAT}: adds `p[k] · qp[k]` one float at a
 * time to `$s` until `$j` reaches `$rowBytes` (i32, the row length in bytes), covering the last `dim mod 4`
 * values. Inline it right after `${SIMD_DOT_WAT}` with `${SCALAR_TAIL_WAT}`; `$s` then holds the dot product.
 */
export const SCALAR_TAIL_WAT = `
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
`;
