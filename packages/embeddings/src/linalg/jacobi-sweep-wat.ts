/**
 * WebAssembly text source of the SIMD sweep of {@link jacobiSvd} (jacobi-svd.ts), assembled at run time by our
 * own assembler: one cyclic sweep of one-sided Jacobi over every column pair (p, q), p < q, in the same order
 * and with the same tests and rotation formulas as the JavaScript sweep, only the inner products and the
 * plane rotations run two float64 lanes at a time (the inner products with two vector accumulators, so their
 * sums are in another order than the JavaScript ones: the two sweeps agree to rounding, not bit for bit).
 *
 * Layout: the columns of M are the rows of `a`, and the rows of Vᵀ those of `vt`, both `n` rows of `stride`
 * float64 (stride a multiple of 4, zero past n); `norms` holds the columns' squared norms, kept up to date
 * through the rotations as in the JavaScript sweep.
 *
 * `norms(a, norms, n, stride)` fills the squared norms; `sweep(a, vt, norms, n, stride, tolerance)` runs one
 * sweep and returns how many pairs it rotated.
 */
export const JACOBI_SWEEP_WAT = `
(module
  (import "env" "memory" (memory 1 65536))
  ;; Σ x[i]·y[i] over bytes/8 values (bytes a multiple of 32), two f64x2 accumulators.
  (func $dot (param $x i32) (param $y i32) (param $bytes i32) (result f64)
    (local $end i32) (local $s0 v128) (local $s1 v128)
    local.get $x local.get $bytes i32.add local.set $end
    f32.const 0 f32x4.splat local.tee $s0 local.set $s1
    loop $l
      local.get $s0 local.get $x v128.load local.get $y v128.load f64x2.mul f64x2.add local.set $s0
      local.get $s1 local.get $x v128.load offset=16 local.get $y v128.load offset=16 f64x2.mul f64x2.add local.set $s1
      local.get $y i32.const 32 i32.add local.set $y
      local.get $x i32.const 32 i32.add local.tee $x
      local.get $end i32.lt_u br_if $l
    end
    local.get $s0 local.get $s1 f64x2.add local.tee $s0 f64x2.extract_lane 0
    local.get $s0 f64x2.extract_lane 1 f64.add)
  ;; (x, y) ← (c·x − s·y, s·x + c·y) over bytes/8 values (bytes a multiple of 16).
  (func $rotate (param $x i32) (param $y i32) (param $bytes i32) (param $c v128) (param $s v128)
    (local $end i32) (local $vx v128) (local $vy v128)
    local.get $x local.get $bytes i32.add local.set $end
    loop $l
      local.get $x v128.load local.set $vx
      local.get $y v128.load local.set $vy
      local.get $x
      local.get $c local.get $vx f64x2.mul local.get $s local.get $vy f64x2.mul f64x2.sub
      v128.store
      local.get $y
      local.get $s local.get $vx f64x2.mul local.get $c local.get $vy f64x2.mul f64x2.add
      v128.store
      local.get $y i32.const 16 i32.add local.set $y
      local.get $x i32.const 16 i32.add local.tee $x
      local.get $end i32.lt_u br_if $l
    end)
  (func (export "norms") (param $a i32) (param $norms i32) (param $n i32) (param $stride i32)
    (local $rowBytes i32) (local $end i32)
    local.get $stride i32.const 3 i32.shl local.set $rowBytes
    local.get $norms local.get $n i32.const 3 i32.shl i32.add local.set $end
    loop $l
      local.get $norms
      local.get $a local.get $a local.get $rowBytes call $dot
      f64.store
      local.get $a local.get $rowBytes i32.add local.set $a
      local.get $norms i32.const 8 i32.add local.tee $norms
      local.get $end i32.lt_u br_if $l
    end)
  (func (export "sweep")
    (param $a i32) (param $vt i32) (param $norms i32) (param $n i32) (param $stride i32) (param $tol f64)
    (result i32)
    (local $rowBytes i32) (local $p i32) (local $q i32) (local $rotations i32)
    (local $np i32) (local $nq i32) (local $ap i32) (local $aq i32)
    (local $alpha f64) (local $beta f64) (local $gamma f64) (local $zeta f64) (local $t f64) (local $c f64)
    local.get $stride i32.const 3 i32.shl local.set $rowBytes
    block $done
      loop $lp
        local.get $p i32.const 1 i32.add local.get $n i32.ge_u br_if $done
        local.get $p i32.const 1 i32.add local.set $q
        local.get $norms local.get $p i32.const 3 i32.shl i32.add local.set $np
        local.get $a local.get $p local.get $rowBytes i32.mul i32.add local.set $ap
        loop $lq
          local.get $norms local.get $q i32.const 3 i32.shl i32.add local.set $nq
          block $skip
            local.get $np f64.load local.tee $alpha f64.const 0 f64.eq br_if $skip
            local.get $nq f64.load local.tee $beta f64.const 0 f64.eq br_if $skip
            local.get $a local.get $q local.get $rowBytes i32.mul i32.add local.set $aq
            local.get $ap local.get $aq local.get $rowBytes call $dot local.tee $gamma
            f64.abs
            local.get $tol local.get $alpha local.get $beta f64.mul f64.sqrt f64.mul
            f64.le br_if $skip
            local.get $rotations i32.const 1 i32.add local.set $rotations
            ;; zeta = (β − α) / 2γ; t = sign(zeta) / (|zeta| + √(1 + zeta²)) with sign(0) = 1
            local.get $beta local.get $alpha f64.sub
            f64.const 2 local.get $gamma f64.mul f64.div local.set $zeta
            f64.const 1 f64.const -1 local.get $zeta f64.const 0 f64.ge select
            local.get $zeta f64.abs
            f64.const 1 local.get $zeta local.get $zeta f64.mul f64.add f64.sqrt
            f64.add f64.div local.set $t
            f64.const 1 f64.const 1 local.get $t local.get $t f64.mul f64.add f64.sqrt f64.div local.set $c
            local.get $ap local.get $aq local.get $rowBytes
            local.get $c f64x2.splat local.get $c local.get $t f64.mul f64x2.splat call $rotate
            local.get $vt local.get $p local.get $rowBytes i32.mul i32.add
            local.get $vt local.get $q local.get $rowBytes i32.mul i32.add local.get $rowBytes
            local.get $c f64x2.splat local.get $c local.get $t f64.mul f64x2.splat call $rotate
            local.get $np local.get $alpha local.get $t local.get $gamma f64.mul f64.sub f64.store
            local.get $nq local.get $beta local.get $t local.get $gamma f64.mul f64.add f64.store
          end
          local.get $q i32.const 1 i32.add local.tee $q
          local.get $n i32.lt_u br_if $lq
        end
        local.get $p i32.const 1 i32.add local.set $p
        br $lp
      end
    end
    local.get $rotations)
)
`;
