/**
 * The WebAssembly text of the text-row fast path: the common rows of word2vec text, GloVe and fastText
 * `.vec` files (`word v1 … vD\n`, plain decimals of at most 15 digits) parsed from bytes without bounds
 * checks, in 64-bit integer arithmetic. It reads the same numbers the same way as the JavaScript parser in
 * text-rows.ts (Clinger's exact path: the digits as an integer m < 2^53, one IEEE division by an exact
 * 10^k, then the rounding to float32 of `f32.demote_f64`, which is `Math.fround`'s), and stops at the
 * first row it does not take whole: anything else (exponents, long mantissas, `nan`, a wrong column
 * count, a blank line, an unfinished last line) is left to the JavaScript parser, which reads it and
 * reports errors exactly as before.
 *
 * Memory layout (the caller's): bytes [0, 4) receive the offset where parsing stopped; [8, 192) hold
 * 10^k as doubles for k = 0…22; [256, …) receive 16 bytes per parsed row (word start, word end, FNV-1a
 * hash of the word and its printable-ASCII flag, as `RowBatch.acceptWord` takes them); the values go
 * row-major to `out`; the input ends with a `\n` sentinel at `end`.
 *
 * `binaryRows(p, end, dim, maxRows, out)` does the same for word2vec binary records (`word`, a space,
 * `dim` little-endian float32, newlines before the next word skipped, as word2vec-binary.ts reads them):
 * the same 16-byte word records, the float32 bits copied as they are (NaN payloads too), and it stops at
 * the first record not whole in `[p, end)`, which the JavaScript parser then reads (or reports).
 */

/** Byte offset of the 10^k table. */
export const TEXT_POW10_AT = 8;

/** Byte offset of the per-row word records (16 bytes each). */
export const TEXT_ROWS_AT = 256;

/**
 * One byte `$c` of a word into its printable-ASCII `$flag` (`(c + 1) | ((c − 33) >>> 24)`, OR-ed) and its
 * FNV-1a `$hash`, as `RowBatch.acceptWord` takes them: the word loops of both exports.
 */
const WORD_BYTE_WAT = `local.get $flag
            local.get $c
            i32.const 1
            i32.add
            i32.or
            local.get $c
            i32.const 33
            i32.sub
            i32.const 24
            i32.shr_u
            i32.or
            local.set $flag
            local.get $hash
            local.get $c
            i32.xor
            i32.const 0x01000193
            i32.mul
            local.set $hash`;

/** The row's 16-byte word record at `$info`: word start `$ws`, end `$p`, `$hash`, `$flag`. */
const WORD_RECORD_WAT = `local.get $info
        local.get $ws
        i32.store
        local.get $info
        local.get $p
        i32.store offset=4
        local.get $info
        local.get $hash
        i32.store offset=8
        local.get $info
        local.get $flag
        i32.store offset=12`;

/** One more row taken: its count, and the next word record's place. */
const NEXT_RECORD_WAT = `local.get $row
        i32.const 1
        i32.add
        local.set $row
        local.get $info
        i32.const 16
        i32.add
        local.set $info`;

/** The end of both exports: where the first row not taken starts (byte 0), and the rows taken. */
const STOPPED_WAT = `i32.const 0
    local.get $ws
    i32.store
    local.get $row)`;

/** The binary copy's two pointers (`$from`, `$to`) moved on by `bytes`. */
const advanceCopy = (bytes: number) => `local.get $to
            i32.const ${bytes}
            i32.add
            local.set $to
            local.get $from
            i32.const ${bytes}
            i32.add
            local.set $from`;

/**
 * `rows(p, end, dim, maxRows, out)`: parses up to `maxRows` whole rows from `[p, end)` and returns how
 * many; stores at byte 0 where the next row starts.
 */
export const TEXT_ROWS_WAT = `
(module
  (import "env" "memory" (memory 1))
  (func (export "rows")
    (param $p i32) (param $end i32) (param $dim i32) (param $maxRows i32) (param $out i32) (result i32)
    (local $row i32) (local $c i32) (local $d i32) (local $ws i32) (local $flag i32) (local $hash i32)
    (local $n i32) (local $neg i32) (local $m i64) (local $digits i32) (local $frac i32) (local $info i32)
    (local $v f32)
    i32.const ${TEXT_ROWS_AT}
    local.set $info
    block $done
      loop $nextRow
        local.get $p
        local.set $ws
        local.get $row
        local.get $maxRows
        i32.ge_u
        br_if $done
        local.get $p
        local.get $end
        i32.ge_u
        br_if $done
        ;; the word: up to the first space, its FNV-1a hash and flag as the JavaScript scan computes them
        i32.const 0
        local.set $flag
        i32.const 0x811c9dc5
        local.set $hash
        local.get $p
        i32.load8_u
        local.set $c
        block $wordEnd
          loop $wordByte
            local.get $c
            i32.const 32
            i32.eq
            br_if $wordEnd
            local.get $c
            i32.const 10
            i32.eq
            br_if $wordEnd
            local.get $c
            i32.const 13
            i32.eq
            br_if $wordEnd
            ${WORD_BYTE_WAT}
            local.get $p
            i32.const 1
            i32.add
            local.tee $p
            i32.load8_u
            local.set $c
            br $wordByte
          end
        end
        ;; a word alone on its line, a blank line or a CR inside the word: the JavaScript parser's
        local.get $c
        i32.const 32
        i32.ne
        br_if $done
        ${WORD_RECORD_WAT}
        i32.const 0
        local.set $n
        block $rowEnd
          loop $nextValue
            block $spaced
              loop $space
                local.get $c
                i32.const 32
                i32.ne
                br_if $spaced
                local.get $p
                i32.const 1
                i32.add
                local.tee $p
                i32.load8_u
                local.set $c
                br $space
              end
            end
            local.get $c
            i32.const 10
            i32.eq
            br_if $rowEnd
            local.get $c
            i32.const 13
            i32.eq
            br_if $rowEnd
            ;; one value: [-] digits [. digits]
            local.get $c
            i32.const 45
            i32.eq
            local.tee $neg
            local.get $p
            i32.add
            local.tee $p
            i32.load8_u
            local.set $c
            i64.const 0
            local.set $m
            i32.const 0
            local.set $digits
            block $intEnd
              loop $int
                local.get $c
                i32.const 48
                i32.sub
                local.tee $d
                i32.const 9
                i32.gt_u
                br_if $intEnd
                local.get $m
                i64.const 10
                i64.mul
                local.get $d
                i64.extend_i32_u
                i64.add
                local.set $m
                local.get $digits
                i32.const 1
                i32.add
                local.set $digits
                local.get $p
                i32.const 1
                i32.add
                local.tee $p
                i32.load8_u
                local.set $c
                br $int
              end
            end
            i32.const 0
            local.set $frac
            local.get $c
            i32.const 46
            i32.eq
            if
              local.get $p
              i32.const 1
              i32.add
              local.tee $p
              i32.load8_u
              local.set $c
              block $fracEnd
                loop $fracDigit
                  local.get $c
                  i32.const 48
                  i32.sub
                  local.tee $d
                  i32.const 9
                  i32.gt_u
                  br_if $fracEnd
                  local.get $m
                  i64.const 10
                  i64.mul
                  local.get $d
                  i64.extend_i32_u
                  i64.add
                  local.set $m
                  local.get $frac
                  i32.const 1
                  i32.add
                  local.set $frac
                  local.get $p
                  i32.const 1
                  i32.add
                  local.tee $p
                  i32.load8_u
                  local.set $c
                  br $fracDigit
                end
              end
            end
            ;; the exact path needs 1 to 15 digits and the token to end at a space or the line's end
            local.get $digits
            local.get $frac
            i32.add
            i32.const 1
            i32.sub
            i32.const 14
            i32.gt_u
            br_if $done
            local.get $c
            i32.const 32
            i32.ne
            local.get $c
            i32.const 10
            i32.ne
            i32.and
            local.get $c
            i32.const 13
            i32.ne
            i32.and
            br_if $done
            local.get $n
            local.get $dim
            i32.ge_u
            br_if $done
            local.get $m
            f64.convert_i64_u
            local.get $frac
            i32.const 3
            i32.shl
            f64.load offset=${TEXT_POW10_AT}
            f64.div
            f32.demote_f64
            local.tee $v
            f32.neg
            local.get $v
            local.get $neg
            select
            local.set $v
            local.get $out
            local.get $n
            i32.const 2
            i32.shl
            i32.add
            local.get $v
            f32.store
            local.get $n
            i32.const 1
            i32.add
            local.set $n
            br $nextValue
          end
        end
        ;; CR must be the one before LF; the newline must be a real one, not the sentinel at end
        local.get $c
        i32.const 13
        i32.eq
        if
          local.get $p
          i32.const 1
          i32.add
          local.tee $p
          i32.load8_u
          i32.const 10
          i32.ne
          br_if $done
        end
        local.get $p
        local.get $end
        i32.ge_u
        br_if $done
        local.get $n
        local.get $dim
        i32.ne
        br_if $done
        local.get $p
        i32.const 1
        i32.add
        local.set $p
        ${NEXT_RECORD_WAT}
        local.get $out
        local.get $dim
        i32.const 2
        i32.shl
        i32.add
        local.set $out
        br $nextRow
      end
    end
    ${STOPPED_WAT}
  (func (export "binaryRows")
    (param $p i32) (param $end i32) (param $dim i32) (param $maxRows i32) (param $out i32) (result i32)
    (local $row i32) (local $c i32) (local $ws i32) (local $flag i32) (local $hash i32) (local $info i32)
    (local $bytes i32) (local $from i32) (local $to i32) (local $stop i32)
    i32.const ${TEXT_ROWS_AT}
    local.set $info
    local.get $dim
    i32.const 2
    i32.shl
    local.set $bytes
    block $done
      loop $nextRow
        ;; newlines before a word are skipped (word2vec.c writes one after each vector, gensim none)
        block $skipped
          loop $skip
            local.get $p
            local.get $end
            i32.ge_u
            br_if $skipped
            local.get $p
            i32.load8_u
            i32.const 10
            i32.ne
            br_if $skipped
            local.get $p
            i32.const 1
            i32.add
            local.set $p
            br $skip
          end
        end
        local.get $p
        local.set $ws
        local.get $row
        local.get $maxRows
        i32.ge_u
        br_if $done
        local.get $p
        local.get $end
        i32.ge_u
        br_if $done
        ;; the word: up to the first space, its FNV-1a hash and flag as parseBinaryRows computes them
        i32.const 0
        local.set $flag
        i32.const 0x811c9dc5
        local.set $hash
        block $wordEnd
          loop $wordByte
            ;; no space before the end of the window: the record is the JavaScript parser's
            local.get $p
            local.get $end
            i32.ge_u
            br_if $done
            local.get $p
            i32.load8_u
            local.tee $c
            i32.const 32
            i32.eq
            br_if $wordEnd
            ${WORD_BYTE_WAT}
            local.get $p
            i32.const 1
            i32.add
            local.set $p
            br $wordByte
          end
        end
        ;; the vector must be whole in the window
        local.get $p
        i32.const 1
        i32.add
        local.tee $from
        local.get $bytes
        i32.add
        local.tee $stop
        local.get $end
        i32.gt_u
        br_if $done
        ${WORD_RECORD_WAT}
        ;; the float32 bits, copied as bytes: 16 at a time, then 4 at a time (dim·4 is a multiple of 4)
        local.get $out
        local.set $to
        block $wide
          loop $copy16
            local.get $from
            i32.const 16
            i32.add
            local.get $stop
            i32.gt_u
            br_if $wide
            local.get $to
            local.get $from
            v128.load align=1
            v128.store align=1
            ${advanceCopy(16)}
            br $copy16
          end
        end
        block $narrow
          loop $copy4
            local.get $from
            local.get $stop
            i32.ge_u
            br_if $narrow
            local.get $to
            local.get $from
            i32.load align=1
            i32.store align=1
            ${advanceCopy(4)}
            br $copy4
          end
        end
        local.get $stop
        local.set $p
        ${NEXT_RECORD_WAT}
        local.get $out
        local.get $bytes
        i32.add
        local.set $out
        br $nextRow
      end
    end
    ${STOPPED_WAT}
)
`;
