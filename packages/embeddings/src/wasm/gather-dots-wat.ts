import { SCALAR_TAIL_WAT, SIMD_DOT_WAT } from './simd-dot-wat.js';

/** Most rows one gather call scores (a graph node's neighbour list is far shorter). */
export const GATHER_MAX = 1024;

/**
 * The WAT text of an exported function `gather(q, ids, count, out, rowBytes)`: for k < count,
 * `out[k] = Σ mem[q + 4d] · mem[ids[k]·rowBytes + 4d]` over the row, the rows being those of a
 * row-major float32 matrix at byte 0 of the memory and `q` the byte offset of the query (a row of
 * the same matrix while a graph is built, the query slot while it is searched). It is
 * {@link SIMD_DOT_WAT} and {@link SCALAR_TAIL_WAT} per listed row. Place it inside a `(module …)`
 * that imports a memory, with `${GATHER_DOTS_FUNC_WAT}`.
 */
export const GATHER_DOTS_FUNC_WAT = `
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
        ${SCALAR_TAIL_WAT}
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
`;
