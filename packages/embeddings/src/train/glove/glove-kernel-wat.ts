/**
 * WebAssembly SIMD twin of `gloveAdaGradPass` (glove-kernel.ts), as WAT source assembled at run time by our
 * own assembler (cbow-wat-assembler.ts): no external toolchain. Same update as glove.c's `glove_thread`
 * (see glove-kernel.ts for the formulas), computed in float32 four coordinates at a time (f32x4): the dot
 * product with two accumulators, then the AdaGrad step t / √G and G += t² (t = eta · clamp(fdiff · other))
 * on both rows, then a
 * scalar tail for `dim mod 4` coordinates and the two biases.
 *
 * Memory: one imported (shared) memory; all pointers are byte offsets into it. The weight and accumulator
 * matrices have the same layout (rows of `strideBytes`, the bias at byte `4 · dim` of a row), so a row's
 * accumulators sit at a fixed distance `G − W` from its weights. Records are 16 bytes:
 * (i u32, j u32, log X f32, f(X) f32).
 *
 * Accumulators hold H = G − 1 and are used as √(1 + H), as in glove-kernel.ts (float32 keeps small t² that way).
 *
 * `pass(rec, count, W, G, ctxBytes, dim, strideBytes, eta, clip) → cost` runs `count` records from byte
 * `rec` and returns Σ ½ f(X) diff² in float32 (callers keep blocks small and sum blocks in float64).
 */
export const GLOVE_KERNEL_WAT = `
(module
  (import "env" "memory" (memory 1 65536 shared))
  (func (export "pass")
    (param $rec i32) (param $count i32) (param $w i32) (param $g i32) (param $ctx i32)
    (param $dim i32) (param $strideBytes i32) (param $eta f32) (param $clip f32)
    (result f32)
    (local $end i32) (local $l1 i32) (local $l2 i32) (local $b i32) (local $vecBytes i32)
    (local $dimBytes i32) (local $gd i32)
    (local $acc0 v128) (local $acc1 v128) (local $w1 v128) (local $w2 v128) (local $t1 v128)
    (local $t2 v128) (local $q1 v128) (local $q2 v128) (local $gv v128) (local $hi v128) (local $lo v128)
    (local $one v128) (local $etav v128)
    (local $diff f32) (local $fdiff f32) (local $gs f32) (local $cost f32) (local $s1 f32) (local $s2 f32)
    (local $u1 f32) (local $u2 f32) (local $x1 f32) (local $x2 f32)
    ;; end = rec + 16 · count; gd = G − W; dimBytes = 4 · dim; vecBytes = 4 · (dim − dim mod 4)
    local.get $rec local.get $count i32.const 4 i32.shl i32.add local.set $end
    local.get $g local.get $w i32.sub local.set $gd
    local.get $dim i32.const 2 i32.shl local.set $dimBytes
    local.get $dimBytes i32.const -16 i32.and local.set $vecBytes
    local.get $clip f32x4.splat local.set $hi
    local.get $clip f32.neg f32x4.splat local.set $lo
    f32.const 1 f32x4.splat local.set $one
    local.get $eta f32x4.splat local.set $etav
    f32.const 0 local.set $cost
    block $done
      loop $record
        local.get $rec local.get $end i32.ge_u br_if $done
        ;; l1 = W + i · strideBytes (word row); l2 = W + ctxBytes + j · strideBytes (context row)
        local.get $w local.get $rec i32.load local.get $strideBytes i32.mul i32.add local.set $l1
        local.get $w local.get $ctx i32.add local.get $rec i32.load offset=4 local.get $strideBytes i32.mul i32.add local.set $l2
        ;; dot product: two f32x4 accumulators over pairs of groups, then one more group if left
        f32.const 0 f32x4.splat local.tee $acc0 local.set $acc1
        i32.const 0 local.set $b
        block $dot2done
          loop $dot2
            local.get $b i32.const 16 i32.add local.get $vecBytes i32.ge_u br_if $dot2done
            local.get $acc0
            local.get $l1 local.get $b i32.add v128.load align=4
            local.get $l2 local.get $b i32.add v128.load align=4
            f32x4.mul f32x4.add local.set $acc0
            local.get $acc1
            local.get $l1 local.get $b i32.add v128.load offset=16 align=4
            local.get $l2 local.get $b i32.add v128.load offset=16 align=4
            f32x4.mul f32x4.add local.set $acc1
            local.get $b i32.const 32 i32.add local.set $b
            br $dot2
          end
        end
        local.get $b local.get $vecBytes i32.lt_u
        if
          local.get $acc0
          local.get $l1 local.get $b i32.add v128.load align=4
          local.get $l2 local.get $b i32.add v128.load align=4
          f32x4.mul f32x4.add local.set $acc0
          local.get $b i32.const 16 i32.add local.set $b
        end
        local.get $acc0 local.get $acc1 f32x4.add local.tee $acc0
        f32x4.extract_lane 0 local.get $acc0 f32x4.extract_lane 1 f32.add
        local.get $acc0 f32x4.extract_lane 2 f32.add local.get $acc0 f32x4.extract_lane 3 f32.add
        local.set $diff
        ;; scalar tail of the dot product
        block $dotTailDone
          loop $dotTail
            local.get $b local.get $dimBytes i32.ge_u br_if $dotTailDone
            local.get $diff
            local.get $l1 local.get $b i32.add f32.load
            local.get $l2 local.get $b i32.add f32.load
            f32.mul f32.add local.set $diff
            local.get $b i32.const 4 i32.add local.set $b
            br $dotTail
          end
        end
        ;; diff += b_i + b̃_j − log X; fdiff = f(X) · diff
        local.get $diff
        local.get $l1 local.get $dimBytes i32.add f32.load f32.add
        local.get $l2 local.get $dimBytes i32.add f32.load f32.add
        local.get $rec f32.load offset=8 f32.sub local.tee $diff
        local.get $rec f32.load offset=12 f32.mul local.tee $fdiff
        ;; finite check: x − x is 0 for finite x, NaN otherwise (glove.c skips such records)
        local.get $fdiff f32.sub f32.const 0 f32.eq
        if
          local.get $cost f32.const 0.5 local.get $fdiff f32.mul local.get $diff f32.mul f32.add local.set $cost
          ;; gv = fdiff (clipped per term, then scaled by eta); gs = fdiff for the biases (no eta, as glove.c)
          local.get $fdiff local.tee $gs f32x4.splat local.set $gv
          i32.const 0 local.set $b
          block $updDone
            loop $upd
              local.get $b local.get $vecBytes i32.ge_u br_if $updDone
              local.get $l1 local.get $b i32.add v128.load align=4 local.set $w1
              local.get $l2 local.get $b i32.add v128.load align=4 local.set $w2
              ;; t1 = eta · clamp(fdiff · w̃, ±clip), t2 = eta · clamp(fdiff · w, ±clip)
              local.get $gv local.get $w2 f32x4.mul local.get $hi f32x4.min local.get $lo f32x4.max
              local.get $etav f32x4.mul local.set $t1
              local.get $gv local.get $w1 f32x4.mul local.get $hi f32x4.min local.get $lo f32x4.max
              local.get $etav f32x4.mul local.set $t2
              local.get $l1 local.get $gd i32.add local.get $b i32.add v128.load align=4 local.set $q1
              local.get $l2 local.get $gd i32.add local.get $b i32.add v128.load align=4 local.set $q2
              ;; w −= t / √(1 + H), then H += t²
              local.get $l1 local.get $b i32.add
              local.get $w1 local.get $t1 local.get $one local.get $q1 f32x4.add f32x4.sqrt f32x4.div f32x4.sub
              v128.store align=4
              local.get $l2 local.get $b i32.add
              local.get $w2 local.get $t2 local.get $one local.get $q2 f32x4.add f32x4.sqrt f32x4.div f32x4.sub
              v128.store align=4
              local.get $l1 local.get $gd i32.add local.get $b i32.add
              local.get $q1 local.get $t1 local.get $t1 f32x4.mul f32x4.add
              v128.store align=4
              local.get $l2 local.get $gd i32.add local.get $b i32.add
              local.get $q2 local.get $t2 local.get $t2 f32x4.mul f32x4.add
              v128.store align=4
              local.get $b i32.const 16 i32.add local.set $b
              br $upd
            end
          end
          ;; scalar tail of the update
          block $updTailDone
            loop $updTail
              local.get $b local.get $dimBytes i32.ge_u br_if $updTailDone
              local.get $l1 local.get $b i32.add f32.load local.set $s1
              local.get $l2 local.get $b i32.add f32.load local.set $s2
              local.get $gs local.get $s2 f32.mul local.get $clip f32.min local.get $clip f32.neg f32.max
              local.get $eta f32.mul local.set $u1
              local.get $gs local.get $s1 f32.mul local.get $clip f32.min local.get $clip f32.neg f32.max
              local.get $eta f32.mul local.set $u2
              local.get $l1 local.get $gd i32.add local.get $b i32.add f32.load local.set $x1
              local.get $l2 local.get $gd i32.add local.get $b i32.add f32.load local.set $x2
              local.get $l1 local.get $b i32.add
              local.get $s1 local.get $u1 f32.const 1 local.get $x1 f32.add f32.sqrt f32.div f32.sub f32.store
              local.get $l2 local.get $b i32.add
              local.get $s2 local.get $u2 f32.const 1 local.get $x2 f32.add f32.sqrt f32.div f32.sub f32.store
              local.get $l1 local.get $gd i32.add local.get $b i32.add
              local.get $x1 local.get $u1 local.get $u1 f32.mul f32.add f32.store
              local.get $l2 local.get $gd i32.add local.get $b i32.add
              local.get $x2 local.get $u2 local.get $u2 f32.mul f32.add f32.store
              local.get $b i32.const 4 i32.add local.set $b
              br $updTail
            end
          end
          ;; biases (neither clipped nor scaled by eta, as glove.c): b −= fdiff / √(1 + H_b), H_b += fdiff²
          local.get $l1 local.get $gd i32.add local.get $dimBytes i32.add f32.load local.set $x1
          local.get $l2 local.get $gd i32.add local.get $dimBytes i32.add f32.load local.set $x2
          local.get $l1 local.get $dimBytes i32.add
          local.get $l1 local.get $dimBytes i32.add f32.load local.get $gs f32.const 1 local.get $x1 f32.add f32.sqrt f32.div f32.sub
          f32.store
          local.get $l2 local.get $dimBytes i32.add
          local.get $l2 local.get $dimBytes i32.add f32.load local.get $gs f32.const 1 local.get $x2 f32.add f32.sqrt f32.div f32.sub
          f32.store
          local.get $l1 local.get $gd i32.add local.get $dimBytes i32.add
          local.get $x1 local.get $gs local.get $gs f32.mul f32.add f32.store
          local.get $l2 local.get $gd i32.add local.get $dimBytes i32.add
          local.get $x2 local.get $gs local.get $gs f32.mul f32.add f32.store
        end
        local.get $rec i32.const 16 i32.add local.set $rec
        br $record
      end
    end
    local.get $cost)
)
`;
