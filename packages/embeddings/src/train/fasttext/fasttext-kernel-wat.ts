import { dimGuardWat, LCG_SAMPLING_WAT, simdRowWat } from '../../wasm/simd-row-wat.js';

/**
 * WebAssembly SIMD version of fastText's unsupervised inner loop (fasttext-kernel.ts has the JavaScript
 * one and the fastText 0.9.2 functions each part follows), as WAT assembled by our own assembler
 * (wasm/assembler.ts) and compiled once by wasm/runtime.ts.
 *
 * Random stream: word2vec.c's 64-bit LCG (shared with the word2vec kernel) where fastText uses
 * std::minstd_rand: the window from its high bits (1..ws), the discard draw from its top 24 bits
 * (fastText's uniform_real_distribution(0, 1)), negatives from an alias table of fastText's negative table.
 * Rows are processed four floats at a time (f32x4), so `dim` must be a multiple of 4.
 *
 * Memory: one shared memory imported as env.memory; every address is a byte offset set once by `init`.
 * A worker's scratch holds the line (MAX_LINE_SIZE + 2 i32, padded to LINE_BYTES = 4112), then hidden
 * and grad (dim f32 each), then an example's negatives (`negative` + 1 i32).
 *
 * The source is generated for one `dim` (the row helpers of {@link simdRowWat} are straight-line code for
 * it), compiled once per dim by wasm/runtime.ts; `init` traps when given another dim.
 *
 * @example
 * ```ts
 * const module = requireKernel('fastText', fasttextKernelWat(100));
 * ```
 */
export function fasttextKernelWat(dim: number): string {
  return `
(module
  (import "env" "memory" (memory 1 65536 shared))
  (global $dim (mut i32) (i32.const 0))
  (global $rowBytes (mut i32) (i32.const 0))
  (global $window (mut i32) (i32.const 0))
  (global $negative (mut i32) (i32.const 0))
  (global $sg (mut i32) (i32.const 0))
  (global $input (mut i32) (i32.const 0))
  (global $output (mut i32) (i32.const 0))
  (global $subOffsets (mut i32) (i32.const 0))
  (global $subRows (mut i32) (i32.const 0))
  (global $alias (mut i32) (i32.const 0))
  (global $vocab (mut i32) (i32.const 0))
  (global $discard (mut i32) (i32.const 0))
  (global $sigmoid (mut i32) (i32.const 0))
  (global $eos (mut i32) (i32.const 0))
  (global $line (mut i32) (i32.const 0))
  (global $hidden (mut i32) (i32.const 0))
  (global $grad (mut i32) (i32.const 0))
  (global $draws (mut i32) (i32.const 0))
  (global $rng (mut i64) (i64.const 0))
  (global $wordsRead (mut i32) (i32.const 0))

  (func $init (export "init")
    (param $dim i32) (param $window i32) (param $negative i32) (param $sg i32)
    (param $input i32) (param $output i32) (param $subOffsets i32) (param $subRows i32)
    (param $alias i32) (param $vocab i32) (param $discard i32) (param $sigmoid i32)
    (param $scratch i32) (param $eos i32) (param $seed i32)
    ${dimGuardWat(dim)}
    local.get $dim global.set $dim
    local.get $dim i32.const 2 i32.shl global.set $rowBytes
    local.get $window global.set $window
    local.get $negative global.set $negative
    local.get $sg global.set $sg
    local.get $input global.set $input
    local.get $output global.set $output
    local.get $subOffsets global.set $subOffsets
    local.get $subRows global.set $subRows
    local.get $alias global.set $alias
    local.get $vocab global.set $vocab
    local.get $discard global.set $discard
    local.get $sigmoid global.set $sigmoid
    local.get $eos global.set $eos
    local.get $scratch global.set $line
    local.get $scratch i32.const 4112 i32.add global.set $hidden
    global.get $hidden global.get $rowBytes i32.add global.set $grad
    global.get $grad global.get $rowBytes i32.add global.set $draws
    local.get $seed i64.extend_i32_u global.set $rng)

  (func $words_read (export "words_read") (result i32)
    global.get $wordsRead)

${simdRowWat(dim)}
${LCG_SAMPLING_WAT}

  ;; uniform in [0, 1) from the top 24 bits of next_random (fastText: uniform_real_distribution(0, 1))
  (func $uniform (result f32)
    call $next i64.const 40 i64.shr_u f32.convert_i64_u f32.const 0.000000059604644775390625 f32.mul)

  ;; line[i]
  (func $lineAt (param $i i32) (result i32)
    global.get $line local.get $i i32.const 2 i32.shl i32.add i32.load)

  ;; fastText Loss::sigmoid: 0 below -8, 1 above 8, else t_sigmoid_[int((x + 8) · 512 / 8 / 2)]
  (func $sigmoidOf (param $f f32) (result f32)
    local.get $f f32.const -8 f32.lt
    if
      f32.const 0 return
    end
    local.get $f f32.const 8 f32.gt
    if
      f32.const 1 return
    end
    global.get $sigmoid
    local.get $f f32.const 8 f32.add f32.const 32 f32.mul i32.trunc_sat_f32_s
    i32.const 2 i32.shl i32.add f32.load)

  ;; fastText BinaryLogisticLoss::binaryLogistic with backprop:
  ;; alpha = lr · (label − σ(hidden · out)); grad += alpha · out; out += alpha · hidden
  (func $binaryLogistic (param $target i32) (param $label f32) (param $lr f32) (local $l2 i32)
    global.get $output local.get $target global.get $rowBytes i32.mul i32.add local.set $l2
    global.get $grad local.get $l2 global.get $hidden
    local.get $lr
    local.get $label global.get $hidden local.get $l2 call $dot call $sigmoidOf f32.sub
    f32.mul
    call $update)

  ;; fastText NegativeSamplingLoss::forward: the target, then neg negatives drawn again while equal to it.
  ;; All negatives are drawn (in the same order) and their output rows touched ($touchRow) before the first
  ;; example is scored, so that their cache misses overlap; the xor of the words read goes to draws[neg].
  (func $negativeSampling (param $target i32) (param $lr f32) (local $n i32) (local $neg i32) (local $sink i32)
    block $drawn
      loop $next
        local.get $n global.get $negative i32.ge_s br_if $drawn
        loop $draw
          call $drawNegative local.tee $neg
          local.get $target i32.eq br_if $draw
        end
        global.get $draws local.get $n i32.const 2 i32.shl i32.add local.get $neg i32.store
        local.get $sink
        global.get $output local.get $neg global.get $rowBytes i32.mul i32.add call $touchRow
        i32.xor local.set $sink
        local.get $n i32.const 1 i32.add local.set $n
        br $next
      end
    end
    global.get $draws local.get $n i32.const 2 i32.shl i32.add local.get $sink i32.store
    local.get $target f32.const 1 local.get $lr call $binaryLogistic
    i32.const 0 local.set $n
    block $done
      loop $score
        local.get $n global.get $negative i32.ge_s br_if $done
        global.get $draws local.get $n i32.const 2 i32.shl i32.add i32.load
        f32.const 0 local.get $lr call $binaryLogistic
        local.get $n i32.const 1 i32.add local.set $n
        br $score
      end
    end)

  ;; hidden += every subword row of word w (its own row, then its n-gram rows); returns how many
  (func $sumSubwords (param $w i32) (result i32) (local $s i32) (local $e i32)
    global.get $subOffsets local.get $w i32.const 2 i32.shl i32.add local.tee $s
    i32.load offset=4 i32.const 2 i32.shl global.get $subRows i32.add local.set $e
    local.get $s i32.load i32.const 2 i32.shl global.get $subRows i32.add local.set $s
    block $done
      loop $rows
        local.get $s local.get $e i32.ge_u br_if $done
        global.get $hidden
        global.get $input local.get $s i32.load global.get $rowBytes i32.mul i32.add
        call $addTo
        local.get $s i32.const 4 i32.add local.set $s
        br $rows
      end
    end
    global.get $subOffsets local.get $w i32.const 2 i32.shl i32.add local.tee $s
    i32.load offset=4 local.get $s i32.load i32.sub)

  ;; every subword row of word w += grad (fastText Model::update, unscaled: normalizeGradient is false)
  (func $addGradient (param $w i32) (local $s i32) (local $e i32)
    global.get $subOffsets local.get $w i32.const 2 i32.shl i32.add local.tee $s
    i32.load offset=4 i32.const 2 i32.shl global.get $subRows i32.add local.set $e
    local.get $s i32.load i32.const 2 i32.shl global.get $subRows i32.add local.set $s
    block $done
      loop $rows
        local.get $s local.get $e i32.ge_u br_if $done
        global.get $input local.get $s i32.load global.get $rowBytes i32.mul i32.add
        global.get $grad
        call $addTo
        local.get $s i32.const 4 i32.add local.set $s
        br $rows
      end
    end)

  ;; fastText FastText::cbow over line[0..len)
  (func $cbowLine (param $len i32) (param $lr f32)
    (local $p i32) (local $b i32) (local $lo i32) (local $hi i32) (local $q i32) (local $rows i32)
    loop $tokens
      global.get $window call $below i32.const 1 i32.add local.set $b
      local.get $p local.get $b i32.sub local.tee $lo
      i32.const 0 local.get $lo i32.const 0 i32.gt_s select local.set $lo
      local.get $p local.get $b i32.add local.tee $hi
      local.get $len i32.const 1 i32.sub
      local.get $hi local.get $len i32.const 1 i32.sub i32.lt_s select local.set $hi
      global.get $hidden call $zero
      i32.const 0 local.set $rows
      local.get $lo local.set $q
      loop $ctx
        local.get $q local.get $p i32.ne
        if
          local.get $q call $lineAt call $sumSubwords local.get $rows i32.add local.set $rows
        end
        local.get $q i32.const 1 i32.add local.tee $q
        local.get $hi i32.le_s br_if $ctx
      end
      local.get $rows
      if
        ;; Model::computeHidden: the mean of every row of the bag
        global.get $hidden f32.const 1 local.get $rows f32.convert_i32_s f32.div call $scale
        global.get $grad call $zero
        local.get $p call $lineAt local.get $lr call $negativeSampling
        local.get $lo local.set $q
        loop $back
          local.get $q local.get $p i32.ne
          if
            local.get $q call $lineAt call $addGradient
          end
          local.get $q i32.const 1 i32.add local.tee $q
          local.get $hi i32.le_s br_if $back
        end
      end
      local.get $p i32.const 1 i32.add local.tee $p
      local.get $len i32.lt_s br_if $tokens
    end)

  ;; fastText FastText::skipgram over line[0..len): the centre word's subwords predict each context word
  (func $skipGramLine (param $len i32) (param $lr f32)
    (local $p i32) (local $b i32) (local $lo i32) (local $hi i32) (local $q i32) (local $w i32) (local $inv f32)
    loop $tokens
      global.get $window call $below i32.const 1 i32.add local.set $b
      local.get $p local.get $b i32.sub local.tee $lo
      i32.const 0 local.get $lo i32.const 0 i32.gt_s select local.set $lo
      local.get $p local.get $b i32.add local.tee $hi
      local.get $len i32.const 1 i32.sub
      local.get $hi local.get $len i32.const 1 i32.sub i32.lt_s select local.set $hi
      local.get $p call $lineAt local.set $w
      local.get $lo local.set $q
      loop $ctx
        local.get $q local.get $p i32.ne
        if
          global.get $hidden call $zero
          f32.const 1 local.get $w call $sumSubwords f32.convert_i32_s f32.div local.set $inv
          global.get $hidden local.get $inv call $scale
          global.get $grad call $zero
          local.get $q call $lineAt local.get $lr call $negativeSampling
          local.get $w call $addGradient
        end
        local.get $q i32.const 1 i32.add local.tee $q
        local.get $hi i32.le_s br_if $ctx
      end
      local.get $p i32.const 1 i32.add local.tee $p
      local.get $len i32.lt_s br_if $tokens
    end)

  ;; Lines of ids[pos..end) (byte address ids; -1 ends a sentence and is read as </s>) until budget tokens
  ;; are read (fastText Dictionary::getLine). Each line's lr = alpha · (1 − (done + words) · invPlanned),
  ;; at least 0. Returns the new pos; words_read() gives the tokens read.
  (func $train_span (export "train_span")
    (param $ids i32) (param $pos i32) (param $end i32) (param $alpha f32) (param $done f32)
    (param $invPlanned f32) (param $budget i32) (result i32)
    (local $words i32) (local $len i32) (local $n i32) (local $w i32) (local $last i32) (local $lr f32)
    block $out
      loop $lines
        local.get $pos local.get $end i32.ge_u br_if $out
        local.get $words local.get $budget i32.ge_u br_if $out
        local.get $alpha
        f32.const 1
        local.get $done local.get $words f32.convert_i32_u f32.add local.get $invPlanned f32.mul
        f32.sub f32.mul
        f32.const 0 f32.max local.set $lr
        i32.const 0 local.set $len
        i32.const 0 local.set $n
        block $read
          loop $token
            local.get $pos local.get $end i32.ge_u br_if $read
            local.get $ids local.get $pos i32.const 2 i32.shl i32.add i32.load local.set $w
            local.get $pos i32.const 1 i32.add local.set $pos
            local.get $w i32.const 0 i32.lt_s local.set $last
            local.get $last
            if
              global.get $eos i32.const 0 i32.lt_s br_if $read
              global.get $eos local.set $w
            end
            local.get $n i32.const 1 i32.add local.set $n
            ;; Dictionary::discard: dropped when the uniform draw exceeds pdiscard
            call $uniform
            global.get $discard local.get $w i32.const 2 i32.shl i32.add f32.load
            f32.le
            if
              global.get $line local.get $len i32.const 2 i32.shl i32.add local.get $w i32.store
              local.get $len i32.const 1 i32.add local.set $len
            end
            local.get $last br_if $read
            local.get $n i32.const 1024 i32.gt_s br_if $read
            br $token
          end
        end
        local.get $words local.get $n i32.add local.set $words
        local.get $len i32.const 1 i32.gt_s
        if
          global.get $sg
          if
            local.get $len local.get $lr call $skipGramLine
          else
            local.get $len local.get $lr call $cbowLine
          end
        end
        br $lines
      end
    end
    local.get $words global.set $wordsRead
    local.get $pos)
)
`;
}
