/**
 * The head of a walk's step, written once for both loops: leaves by `done` at the list's end or at
 * the first row of the next block, else leaves the row's count address (in `$a`, twice on the
 * stack) and its count (in `$c`, on the stack).
 */
const entryWat = (done: string) => `
              local.get $p
              local.get $end
              i32.ge_u
              br_if ${done}
              local.get $p
              i32.load
              local.tee $r
              local.get $blockEnd
              i32.ge_u
              br_if ${done}
              local.get $shared
              local.get $r
              i32.const 1
              i32.shl
              i32.add
              local.tee $a
              local.get $a
              i32.load16_u
              local.tee $c`;

/**
 * The WAT text of the n-gram overlap count's inner loop (the {@link OverlapPool}'s walk of posting
 * lists, one block of rows at a time): `walk(cursors, from, close, to, blockEnd, shared, met, n)`.
 * For each list j in `[from, to)`, whose next and end byte positions are the i32 pair at
 * `cursors + 8j`, it reads the rows (u32) below `blockEnd`: lists before `close` add one to the
 * row's u16 count at `shared + 2·row` and append a row met for the first time (count 0 before) to
 * the u32 list at `met` (of `n` rows so far), the others add one only to a row already met. It
 * stores each list's next position back and returns the new `n`. The same counts as the
 * JavaScript walk, at a few instructions per entry and no bounds checks beyond the memory's own.
 *
 * `keep(met, n, shared, least)` keeps, in order at the front of the `n` rows met, those whose
 * count is at least `least` and zeroes the counts of the others; it returns how many it kept.
 */
export const POSTING_WALK_WAT = `
(module
  (import "env" "memory" (memory 1 65536))
  (func (export "walk")
    (param $cursors i32) (param $from i32) (param $close i32) (param $to i32) (param $blockEnd i32)
    (param $shared i32) (param $met i32) (param $n i32) (result i32)
    (local $j i32) (local $at i32) (local $p i32) (local $end i32) (local $r i32) (local $a i32) (local $c i32)
    local.get $from
    local.set $j
    block $listsDone
      loop $list
        local.get $j
        local.get $to
        i32.ge_u
        br_if $listsDone
        local.get $cursors
        local.get $j
        i32.const 3
        i32.shl
        i32.add
        local.tee $at
        i32.load
        local.set $p
        local.get $at
        i32.load offset=4
        local.set $end
        local.get $j
        local.get $close
        i32.lt_u
        if
          block $admitDone
            loop $admit
              ${entryWat('$admitDone')}
              i32.const 1
              i32.add
              i32.store16
              local.get $met
              local.get $n
              i32.const 2
              i32.shl
              i32.add
              local.get $r
              i32.store
              local.get $n
              local.get $c
              i32.eqz
              i32.add
              local.set $n
              local.get $p
              i32.const 4
              i32.add
              local.set $p
              br $admit
            end
          end
        else
          block $countDone
            loop $count
              ${entryWat('$countDone')}
              local.get $c
              i32.const 0
              i32.ne
              i32.add
              i32.store16
              local.get $p
              i32.const 4
              i32.add
              local.set $p
              br $count
            end
          end
        end
        local.get $at
        local.get $p
        i32.store
        local.get $j
        i32.const 1
        i32.add
        local.set $j
        br $list
      end
    end
    local.get $n
  )
  (func (export "keep") (param $met i32) (param $n i32) (param $shared i32) (param $least i32) (result i32)
    (local $end i32) (local $out i32) (local $r i32) (local $a i32) (local $c i32) (local $ok i32)
    local.get $met
    local.get $n
    i32.const 2
    i32.shl
    i32.add
    local.set $end
    local.get $met
    local.set $out
    block $done
      loop $row
        local.get $met
        local.get $end
        i32.ge_u
        br_if $done
        local.get $shared
        local.get $met
        i32.load
        local.tee $r
        i32.const 1
        i32.shl
        i32.add
        local.tee $a
        i32.load16_u
        local.tee $c
        local.get $least
        i32.ge_u
        local.set $ok
        local.get $out
        local.get $r
        i32.store
        local.get $out
        local.get $ok
        i32.const 2
        i32.shl
        i32.add
        local.set $out
        local.get $a
        local.get $c
        i32.const 0
        local.get $ok
        select
        i32.store16
        local.get $met
        i32.const 4
        i32.add
        local.set $met
        br $row
      end
    end
    local.get $out
    local.get $met
    local.get $n
    i32.const 2
    i32.shl
    i32.sub
    i32.sub
    i32.const 2
    i32.shr_u
  )
)
`;
