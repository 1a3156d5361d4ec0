/**
 * The WAT text of the row-vector helpers the training kernels share (word2vec's cbow-kernel-wat.ts,
 * fastText's fasttext-kernel-wat.ts): `$zero`, `$addTo`, `$scale`, `$dot` and `$update` over rows of
 * `dim` float32 values, four at a time (f32x4), and `$touchRow`. Splice it into a module with `${SIMD_ROW_WAT}`.
 *
 * Contract: the module defines the global `$rowBytes` (i32, dim × 4, dim a multiple of 4) and every
 * address is 16-byte aligned.
 */
export const SIMD_ROW_WAT = `
  (func $zero (param $dst i32) (local $end i32) (local $z v128)
    local.get $dst global.get $rowBytes i32.add local.set $end
    f32.const 0 f32x4.splat local.set $z
    loop $next
      local.get $dst local.get $z v128.store
      local.get $dst i32.const 16 i32.add local.tee $dst
      local.get $end i32.lt_u br_if $next
    end)

  ;; dst += src, two vectors per iteration, then the odd one
  (func $addTo (param $dst i32) (param $src i32) (local $end i32) (local $last i32)
    local.get $dst global.get $rowBytes i32.add local.tee $end
    i32.const 16 i32.sub local.set $last
    block $tail
      loop $pair
        local.get $dst local.get $last i32.ge_u br_if $tail
        local.get $dst
        local.get $dst v128.load local.get $src v128.load f32x4.add
        v128.store
        local.get $dst
        local.get $dst v128.load offset=16 local.get $src v128.load offset=16 f32x4.add
        v128.store offset=16
        local.get $src i32.const 32 i32.add local.set $src
        local.get $dst i32.const 32 i32.add local.set $dst
        br $pair
      end
    end
    local.get $dst local.get $end i32.lt_u
    if
      local.get $dst
      local.get $dst v128.load local.get $src v128.load f32x4.add
      v128.store
    end)

  ;; xor of one i32 from each 64-byte line of the row at a, its last word included. Reading the rows an
  ;; example will use this way, before using them, starts all their cache misses together instead of one
  ;; row at a time behind the arithmetic (callers keep the result, so the reads are not dead code).
  (func $touchRow (param $a i32) (result i32) (local $last i32) (local $x i32)
    local.get $a global.get $rowBytes i32.add i32.const 4 i32.sub local.tee $last
    i32.load local.set $x
    loop $line
      local.get $x local.get $a i32.load i32.xor local.set $x
      local.get $a i32.const 64 i32.add local.tee $a
      local.get $last i32.lt_u br_if $line
    end
    local.get $x)

  ;; dst *= s
  (func $scale (param $dst i32) (param $s f32) (local $end i32) (local $v v128)
    local.get $s f32x4.splat local.set $v
    local.get $dst global.get $rowBytes i32.add local.set $end
    loop $next
      local.get $dst
      local.get $dst v128.load local.get $v f32x4.mul
      v128.store
      local.get $dst i32.const 16 i32.add local.tee $dst
      local.get $end i32.lt_u br_if $next
    end)

  ;; Σ a[c]·b[c]; two accumulators halve the add-latency chain
  (func $dot (param $a i32) (param $b i32) (result f32) (local $end i32) (local $s0 v128) (local $s1 v128)
    local.get $a global.get $rowBytes i32.add local.set $end
    f32.const 0 f32x4.splat local.tee $s0 local.set $s1
    block $done
      loop $pair
        local.get $a i32.const 16 i32.add local.get $end i32.ge_u br_if $done
        local.get $s0 local.get $a v128.load local.get $b v128.load f32x4.mul f32x4.add local.set $s0
        local.get $s1 local.get $a v128.load offset=16 local.get $b v128.load offset=16 f32x4.mul f32x4.add local.set $s1
        local.get $b i32.const 32 i32.add local.set $b
        local.get $a i32.const 32 i32.add local.tee $a
        local.get $end i32.lt_u br_if $pair
      end
    end
    local.get $a local.get $end i32.lt_u
    if
      local.get $s0 local.get $a v128.load local.get $b v128.load f32x4.mul f32x4.add local.set $s0
    end
    local.get $s0 local.get $s1 f32x4.add local.tee $s0
    f32x4.extract_lane 0
    local.get $s0 f32x4.extract_lane 1 f32.add
    local.get $s0 f32x4.extract_lane 2 f32.add
    local.get $s0 f32x4.extract_lane 3 f32.add)

  ;; err += g·out; out += g·hid (word2vec.c's two loops, fused: err reads out before it changes),
  ;; two vectors per iteration, then the odd one
  (func $update (param $err i32) (param $out i32) (param $hid i32) (param $g f32)
    (local $end i32) (local $last i32) (local $gv v128) (local $o v128) (local $o2 v128)
    local.get $g f32x4.splat local.set $gv
    local.get $err global.get $rowBytes i32.add local.tee $end
    i32.const 16 i32.sub local.set $last
    block $tail
      loop $pair
        local.get $err local.get $last i32.ge_u br_if $tail
        local.get $out v128.load local.set $o
        local.get $out v128.load offset=16 local.set $o2
        local.get $err
        local.get $err v128.load local.get $o local.get $gv f32x4.mul f32x4.add
        v128.store
        local.get $err
        local.get $err v128.load offset=16 local.get $o2 local.get $gv f32x4.mul f32x4.add
        v128.store offset=16
        local.get $out
        local.get $o local.get $hid v128.load local.get $gv f32x4.mul f32x4.add
        v128.store
        local.get $out
        local.get $o2 local.get $hid v128.load offset=16 local.get $gv f32x4.mul f32x4.add
        v128.store offset=16
        local.get $out i32.const 32 i32.add local.set $out
        local.get $hid i32.const 32 i32.add local.set $hid
        local.get $err i32.const 32 i32.add local.set $err
        br $pair
      end
    end
    local.get $err local.get $end i32.lt_u
    if
      local.get $out v128.load local.set $o
      local.get $err
      local.get $err v128.load local.get $o local.get $gv f32x4.mul f32x4.add
      v128.store
      local.get $out
      local.get $o local.get $hid v128.load local.get $gv f32x4.mul f32x4.add
      v128.store
    end)

`;

/**
 * The WAT text of word2vec.c's random stream and the negative draw the training kernels share: `$next`
 * (next_random = next_random · 25214903917 + 11, 64-bit), `$below` (uniform integer in [0, n)) and
 * `$drawNegative` (a word from an alias table). Splice it into a module with `${LCG_SAMPLING_WAT}`.
 *
 * Contract: the module defines the globals `$rng` (i64), `$alias` (i32: byte address of the interleaved
 * alias table, float32 prob then int32 alias per word) and `$vocab` (i32: its words).
 */
export const LCG_SAMPLING_WAT = `
  ;; word2vec.c: next_random = next_random * 25214903917 + 11
  (func $next (result i64)
    global.get $rng i64.const 25214903917 i64.mul i64.const 11 i64.add global.set $rng
    global.get $rng)

  ;; uniform integer in [0, n) from the high 32 bits of next_random, by multiply-shift (Lemire, "Fast
  ;; random integer generation in an interval", 2019) instead of word2vec.c's 64-bit modulo: same
  ;; distribution up to 2^-32, no division, and the LCG's high bits are its best ones.
  (func $below (param $n i32) (result i32)
    call $next i64.const 32 i64.shr_u local.get $n i64.extend_i32_u i64.mul i64.const 32 i64.shr_u i32.wrap_i64)

  ;; a negative target from the unigram^0.75 distribution (word2vec.c's table[] draw), by the alias table:
  ;; slot i from the high bits of one next_random, kept when u < prob[i] with u from its bits 16..31,
  ;; else alias[i]
  (func $drawNegative (result i32) (local $r i64) (local $i i32) (local $slot i32)
    call $next local.tee $r
    i64.const 32 i64.shr_u global.get $vocab i64.extend_i32_u i64.mul i64.const 32 i64.shr_u i32.wrap_i64
    local.tee $i
    i32.const 3 i32.shl global.get $alias i32.add local.set $slot
    local.get $i
    local.get $slot i32.load offset=4
    local.get $r i64.const 16 i64.shr_u i64.const 65535 i64.and f32.convert_i64_u f32.const 0.0000152587890625 f32.mul
    local.get $slot f32.load
    f32.lt
    select)

`;
