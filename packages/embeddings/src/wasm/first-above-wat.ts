/**
 * The WAT text of an exported function `firstAbove(scores, from, end, threshold) → row`: the first
 * row r in `[from, end)` whose float32 score `mem[scores + 4r]` is greater than `threshold`, or
 * `end` when none is. Once a top-k's heap is full almost no row beats its worst entry, so the
 * selection (linalg/top-k.ts) hands the scan between the rare rows that do to this kernel: 16
 * scores a step, compared four at a time (`f32x4.gt`, NaN never greater) and tested together with
 * one `v128.any_true`; the step that holds a hit, and the last `count mod 16` rows, are walked one
 * score at a time. Place it inside a `(module …)` that imports a memory, with `${FIRST_ABOVE_FUNC_WAT}`.
 */

/** Inline WAT: `mem[$p + offset] > $ts` as an f32x4 mask on the stack. */
const gtAt = (offset: number) => `
      local.get $p
      v128.load offset=${offset} align=4
      local.get $ts
      f32x4.gt`;

export const FIRST_ABOVE_FUNC_WAT = `
  (func (export "firstAbove")
    (param $scores i32) (param $from i32) (param $end i32) (param $t f32) (result i32)
    (local $p i32) (local $stop i32) (local $ts v128)
    local.get $t
    f32x4.splat
    local.set $ts
    block $steps
      loop $step
        local.get $end
        local.get $from
        i32.sub
        i32.const 16
        i32.lt_u
        br_if $steps
        local.get $scores
        local.get $from
        i32.const 2
        i32.shl
        i32.add
        local.set $p
        ${gtAt(0)}
        ${gtAt(16)}
        v128.or
        ${gtAt(32)}
        v128.or
        ${gtAt(48)}
        v128.or
        v128.any_true
        br_if $steps
        local.get $from
        i32.const 16
        i32.add
        local.set $from
        br $step
      end
    end
    ;; one score at a time: through the step that holds a hit, or the last rows
    local.get $from
    i32.const 16
    i32.add
    local.tee $stop
    local.get $end
    i32.gt_u
    if
      local.get $end
      local.set $stop
    end
    block $found
      loop $row
        local.get $from
        local.get $stop
        i32.ge_u
        br_if $found
        local.get $scores
        local.get $from
        i32.const 2
        i32.shl
        i32.add
        f32.load
        local.get $t
        f32.gt
        br_if $found
        local.get $from
        i32.const 1
        i32.add
        local.set $from
        br $row
      end
    end
    ;; from < stop: a hit; from = stop = end: none (a step with no hit is never walked)
    local.get $from
  )
`;
