import { dimGuardWat, LCG_SAMPLING_WAT, simdRowWat } from '../../wasm/simd-row-wat.js';

/**
 * WebAssembly SIMD version of the word2vec inner loop (cbow-kernel.ts has the JavaScript one), as WAT
 * source assembled by our own cbow-wat-assembler.ts when a worker starts: no external toolchain.
 *
 * Same semantics as word2vec.c's `TrainModelThread` with negative sampling, including its random stream:
 * the 64-bit linear congruential generator next_random = next_random · 25214903917 + 11 (wasm has i64),
 * sub-sampling against (next_random & 0xFFFF) / 65536, window shrink b uniform in [0, window) and negative
 * targets from an alias table of the unigram^0.75 distribution instead of word2vec.c's 1e8-slot table
 * (same distribution, fits in cache). Rows are processed four floats at a time (f32x4), so
 * `dim` must be a multiple of 4.
 *
 * Memory: one shared memory imported as env.memory; every address below is a byte offset into it, set once
 * by `init`. The scratch area of a worker holds the sentence (1001 i32, padded to 4016 bytes), then neu1 and
 * neu1e (dim f32 each), then the example's negative draws (`negative` + 1 i32).
 *
 * The negatives of one example are all drawn before the first is scored, and one word on each 64-byte line
 * of their output rows is read then. Their cache misses (rows of words spread over the whole vocabulary)
 * overlap instead of each waiting behind the previous target's dot product and update, which fill the
 * processor's reorder window. The draws and their order are the same as drawing each one in turn, so the
 * vectors are bit-identical. One thread, starter × 5 (112,929 words, dim 100), in-process A/B on the same
 * memory: 0.91–1.04 M against 0.50–0.69 M words/s.
 *
 * The source is generated for one `dim` (the row helpers of {@link simdRowWat} are straight-line code for
 * it), compiled once per dim by wasm/runtime.ts; `init` traps when given another dim.
 *
 * @example
 * ```ts
 * const module = requireKernel('word2vec', cbowKernelWat(100));
 * ```
 */
export function cbowKernelWat(dim: number): string {
  return `
(module
  (import "env" "memory" (memory 1 65536 shared))
  (global $dim (mut i32) (i32.const 0))
  (global $rowBytes (mut i32) (i32.const 0))
  (global $window (mut i32) (i32.const 0))
  (global $negative (mut i32) (i32.const 0))
  (global $sg (mut i32) (i32.const 0))
  (global $mean (mut i32) (i32.const 0))
  (global $syn0 (mut i32) (i32.const 0))
  (global $syn1 (mut i32) (i32.const 0))
  (global $alias (mut i32) (i32.const 0))
  (global $vocab (mut i32) (i32.const 0))
  (global $keep (mut i32) (i32.const 0))
  (global $sigmoid (mut i32) (i32.const 0))
  (global $sen (mut i32) (i32.const 0))
  (global $neu1 (mut i32) (i32.const 0))
  (global $neu1e (mut i32) (i32.const 0))
  (global $draws (mut i32) (i32.const 0))
  (global $rng (mut i64) (i64.const 0))
  (global $wordsRead (mut i32) (i32.const 0))

  (func $init (export "init")
    (param $dim i32) (param $window i32) (param $negative i32) (param $sg i32) (param $mean i32)
    (param $syn0 i32) (param $syn1 i32) (param $alias i32) (param $vocab i32) (param $keep i32)
    (param $sigmoid i32) (param $scratch i32) (param $seed i32)
    ${dimGuardWat(dim)}
    local.get $dim global.set $dim
    local.get $dim i32.const 2 i32.shl global.set $rowBytes
    local.get $window global.set $window
    local.get $negative global.set $negative
    local.get $sg global.set $sg
    local.get $mean global.set $mean
    local.get $syn0 global.set $syn0
    local.get $syn1 global.set $syn1
    local.get $alias global.set $alias
    local.get $vocab global.set $vocab
    local.get $keep global.set $keep
    local.get $sigmoid global.set $sigmoid
    local.get $scratch global.set $sen
    local.get $scratch i32.const 4016 i32.add global.set $neu1
    global.get $neu1 global.get $rowBytes i32.add global.set $neu1e
    global.get $neu1e global.get $rowBytes i32.add global.set $draws
    local.get $seed i64.extend_i32_u global.set $rng)

  (func $words_read (export "words_read") (result i32)
    global.get $wordsRead)

  ;; address of row w of the matrix at base
  (func $row (param $base i32) (param $w i32) (result i32)
    local.get $base local.get $w global.get $rowBytes i32.mul i32.add)

  ;; sentence[i]
  (func $senAt (param $i i32) (result i32)
    global.get $sen local.get $i i32.const 2 i32.shl i32.add i32.load)

${simdRowWat(dim)}
  ;; word2vec.c: g = (label - σ(f)) · alpha, σ from the table at slot (f + 6) · 83 (word2vec.c's integer
  ;; ratio EXP_TABLE_SIZE / MAX_EXP / 2, SIGMOID_SCALE in cbow-kernel.ts), clipped outside ±MAX_EXP (6)
  (func $gradient (param $f f32) (param $label f32) (param $alpha f32) (result f32)
    local.get $f f32.const 6 f32.ge
    if
      local.get $label f32.const 1 f32.sub local.get $alpha f32.mul return
    end
    local.get $f f32.const -6 f32.le
    if
      local.get $label local.get $alpha f32.mul return
    end
    local.get $label
    global.get $sigmoid
    local.get $f f32.const 6 f32.add f32.const 83 f32.mul i32.trunc_sat_f32_s
    i32.const 2 i32.shl i32.add f32.load
    f32.sub local.get $alpha f32.mul)

${LCG_SAMPLING_WAT}
  ;; draws[1..negative] = the example's negatives, in the order word2vec.c draws them, each output row
  ;; touched ($touchRow) so that their misses overlap (see the module comment). The xor of the
  ;; words read goes to draws[0], which the positive example does not use, so the reads are not dead code.
  (func $drawNegatives (local $d i32) (local $t i32) (local $sink i32)
    i32.const 1 local.set $d
    block $drawn
      loop $draw
        local.get $d global.get $negative i32.gt_s br_if $drawn
        global.get $draws local.get $d i32.const 2 i32.shl i32.add
        call $drawNegative local.tee $t i32.store
        local.get $sink global.get $syn1 local.get $t call $row call $touchRow i32.xor local.set $sink
        local.get $d i32.const 1 i32.add local.set $d
        br $draw
      end
    end
    global.get $draws local.get $sink i32.store)

  ;; positive example then the negatives, against hidden layer hid, accumulating the error in neu1e
  (func $negativeSampling (param $word i32) (param $hid i32) (param $alpha f32)
    (local $d i32) (local $target i32) (local $label f32) (local $l2 i32)
    call $drawNegatives
    block $done
      loop $next
        block $skip
          local.get $d i32.eqz
          if
            local.get $word local.set $target
            f32.const 1 local.set $label
          else
            global.get $draws local.get $d i32.const 2 i32.shl i32.add i32.load local.tee $target
            local.get $word i32.eq br_if $skip
            f32.const 0 local.set $label
          end
          global.get $syn1 local.get $target call $row local.set $l2
          global.get $neu1e local.get $l2 local.get $hid
          local.get $hid local.get $l2 call $dot local.get $label local.get $alpha call $gradient
          call $update
        end
        local.get $d i32.const 1 i32.add local.tee $d
        global.get $negative i32.gt_s br_if $done
        br $next
      end
    end)

  ;; CBOW over sentence[0..len): word2vec.c TrainModelThread, "if (cbow)" branch
  (func $trainCbow (param $len i32) (param $alpha f32)
    (local $p i32) (local $word i32) (local $b i32) (local $lo i32) (local $hi i32) (local $q i32) (local $cw i32)
    loop $tokens
      local.get $p call $senAt local.set $word
      global.get $window call $below local.set $b
      local.get $p global.get $window i32.sub local.get $b i32.add local.tee $lo
      i32.const 0 local.get $lo i32.const 0 i32.gt_s select local.set $lo
      local.get $p global.get $window i32.add local.get $b i32.sub local.tee $hi
      local.get $len i32.const 1 i32.sub
      local.get $hi local.get $len i32.const 1 i32.sub i32.lt_s select local.set $hi
      global.get $neu1 call $zero
      global.get $neu1e call $zero
      i32.const 0 local.set $cw
      local.get $lo local.set $q
      loop $ctx
        local.get $q local.get $p i32.ne
        if
          global.get $neu1 global.get $syn0 global.get $sen local.get $q i32.const 2 i32.shl i32.add i32.load global.get $rowBytes i32.mul i32.add call $addTo
          local.get $cw i32.const 1 i32.add local.set $cw
        end
        local.get $q i32.const 1 i32.add local.tee $q
        local.get $hi i32.le_s br_if $ctx
      end
      local.get $cw
      if
        global.get $mean local.get $cw i32.const 1 i32.gt_s i32.and
        if
          global.get $neu1 f32.const 1 local.get $cw f32.convert_i32_s f32.div call $scale
        end
        local.get $word global.get $neu1 local.get $alpha call $negativeSampling
        ;; hidden -> in: the error goes back unscaled to every context word
        local.get $lo local.set $q
        loop $back
          local.get $q local.get $p i32.ne
          if
            global.get $syn0 global.get $sen local.get $q i32.const 2 i32.shl i32.add i32.load global.get $rowBytes i32.mul i32.add global.get $neu1e call $addTo
          end
          local.get $q i32.const 1 i32.add local.tee $q
          local.get $hi i32.le_s br_if $back
        end
      end
      local.get $p i32.const 1 i32.add local.tee $p
      local.get $len i32.lt_s br_if $tokens
    end)

  ;; skip-gram over sentence[0..len): word2vec.c TrainModelThread, skip-gram branch
  (func $trainSkipGram (param $len i32) (param $alpha f32)
    (local $p i32) (local $word i32) (local $b i32) (local $lo i32) (local $hi i32) (local $q i32) (local $l1 i32)
    loop $tokens
      local.get $p call $senAt local.set $word
      global.get $window call $below local.set $b
      local.get $p global.get $window i32.sub local.get $b i32.add local.tee $lo
      i32.const 0 local.get $lo i32.const 0 i32.gt_s select local.set $lo
      local.get $p global.get $window i32.add local.get $b i32.sub local.tee $hi
      local.get $len i32.const 1 i32.sub
      local.get $hi local.get $len i32.const 1 i32.sub i32.lt_s select local.set $hi
      local.get $lo local.set $q
      loop $ctx
        local.get $q local.get $p i32.ne
        if
          global.get $syn0 global.get $sen local.get $q i32.const 2 i32.shl i32.add i32.load global.get $rowBytes i32.mul i32.add local.set $l1
          global.get $neu1e call $zero
          local.get $word local.get $l1 local.get $alpha call $negativeSampling
          local.get $l1 global.get $neu1e call $addTo
        end
        local.get $q i32.const 1 i32.add local.tee $q
        local.get $hi i32.le_s br_if $ctx
      end
      local.get $p i32.const 1 i32.add local.tee $p
      local.get $len i32.lt_s br_if $tokens
    end)

  ;; Whole sentences of ids[pos..end) (byte address ids; -1 ends a sentence) until budget raw tokens are read.
  ;; Returns the new pos; words_read() gives the raw tokens read.
  (func $train_span (export "train_span")
    (param $ids i32) (param $pos i32) (param $end i32) (param $alpha f32) (param $budget i32) (result i32)
    (local $words i32) (local $len i32) (local $w i32) (local $k f32)
    block $out
      loop $sentences
        local.get $pos local.get $end i32.ge_u br_if $out
        local.get $words local.get $budget i32.ge_u br_if $out
        i32.const 0 local.set $len
        block $read
          loop $token
            local.get $pos local.get $end i32.ge_u br_if $read
            local.get $len i32.const 1000 i32.ge_u br_if $read
            local.get $ids local.get $pos i32.const 2 i32.shl i32.add i32.load local.set $w
            local.get $pos i32.const 1 i32.add local.set $pos
            local.get $w i32.const 0 i32.lt_s br_if $read
            local.get $words i32.const 1 i32.add local.set $words
            ;; word2vec.c sub-sampling: discard when keep < (next_random & 0xFFFF) / 65536
            global.get $keep local.get $w i32.const 2 i32.shl i32.add f32.load local.tee $k
            f32.const 1 f32.lt
            if
              local.get $k
              call $next i64.const 65535 i64.and f32.convert_i64_u f32.const 0.0000152587890625 f32.mul
              f32.lt br_if $token
            end
            global.get $sen local.get $len i32.const 2 i32.shl i32.add local.get $w i32.store
            local.get $len i32.const 1 i32.add local.set $len
            br $token
          end
        end
        local.get $len i32.const 1 i32.gt_s
        if
          global.get $sg
          if
            local.get $len local.get $alpha call $trainSkipGram
          else
            local.get $len local.get $alpha call $trainCbow
          end
        end
        br $sentences
      end
    end
    local.get $words global.set $wordsRead
    local.get $pos)
)
`;
}
