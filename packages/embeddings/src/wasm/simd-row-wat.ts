/** f32x4 vectors a row helper handles per loop step: rows up to this long are straight-line code. */
export const ROW_STEP_VECTORS = 32;

/**
 * The WAT text of the row-vector helpers the training kernels share (word2vec's cbow-kernel-wat.ts,
 * fastText's fasttext-kernel-wat.ts), generated for rows of `dim` float32 values: `$zero`, `$addTo`,
 * `$scale`, `$dot` and `$update`, four floats at a time (f32x4), and `$touchRow`. Splice it into a
 * module with `${simdRowWat(dim)}`; the module's `init` must refuse any other dim ({@link dimGuardWat}).
 *
 * A row of up to {@link ROW_STEP_VECTORS} vectors (dim 128) is straight-line code with constant offsets;
 * a longer one is a loop over steps of that many, then the rest straight. The arithmetic and its order
 * are the same as a loop over one vector at a time (`$dot` sums even vectors into one accumulator and odd
 * ones into another, then adds the two and their lanes in order), so vectors are bit for bit those of the
 * looped helpers this replaced; what goes is the loop's counter, compare, branch and pointer increments,
 * so more of an example's cache misses fit in the processor's window. Two workers, starter corpus, dim 100,
 * in-process A/B of the word2vec kernel: 1.22 × the looped helpers' words/s (median of ten paired rounds).
 *
 * Contract: `dim` is a positive multiple of 4 and every address is 16-byte aligned.
 *
 * @example
 * ```ts
 * const wat = `(module (memory 1) ${simdRowWat(100)})`; // $dot, $update, … for rows of 100 floats
 * ```
 */
export function simdRowWat(dim: number): string {
  if (!Number.isInteger(dim) || dim < 4 || dim % 4 !== 0)
    throw new RangeError(`simdRowWat: dim must be a positive multiple of 4, got ${dim}`);
  const vectors = dim / 4;
  const steps = Math.floor(vectors / ROW_STEP_VECTORS);
  const rest = vectors - steps * ROW_STEP_VECTORS;
  const stepBytes = ROW_STEP_VECTORS * 16;
  const at = (k: number) => (k === 0 ? '' : ` offset=${16 * k}`);
  /** `body(k)` for k in [0, count), straight; a body may be empty for some k. */
  const straight = (count: number, body: (k: number) => string) =>
    Array.from({ length: count }, (_, k) => body(k))
      .filter((line) => line !== '')
      .join('\n');
  /**
   * `body(k)` for every vector of the row: `steps` loop iterations of ROW_STEP_VECTORS, each advancing
   * the pointer params by the step's bytes, then `rest` straight. `pointers` are the function's pointer
   * params; the first one bounds the loop.
   */
  const row = (pointers: string[], body: (k: number) => string) => {
    const parts: string[] = [];
    if (steps > 0) {
      parts.push(
        `    local.get ${pointers[0]} i32.const ${steps * stepBytes} i32.add local.set $stepEnd`,
        '    loop $step',
        straight(ROW_STEP_VECTORS, body),
        ...pointers.map((p) => `    local.get ${p} i32.const ${stepBytes} i32.add local.set ${p}`),
        `    local.get ${pointers[0]} local.get $stepEnd i32.lt_u br_if $step`,
        '    end',
      );
    }
    if (rest > 0) parts.push(straight(rest, body));
    return parts.join('\n');
  };
  const stepLocal = steps > 0 ? ' (local $stepEnd i32)' : '';
  // $dot: vector k of the whole row goes to $s0 when k is even; ROW_STEP_VECTORS is even, so the parity of
  // k within a step or within the rest is its parity in the row.
  const acc = (k: number) => (k % 2 === 0 ? '$s0' : '$s1');
  return `
  (func $zero (param $dst i32) (local $z v128)${stepLocal}
    f32.const 0 f32x4.splat local.set $z
${row(['$dst'], (k) => `    local.get $dst local.get $z v128.store${at(k)}`)})

  ;; dst += src
  (func $addTo (param $dst i32) (param $src i32)${stepLocal}
${row(['$dst', '$src'], (k) => `    local.get $dst local.get $dst v128.load${at(k)} local.get $src v128.load${at(k)} f32x4.add v128.store${at(k)}`)})

  ;; xor of one i32 from each 64-byte line of the row at a, its last word included. Reading the rows an
  ;; example will use this way, before using them, starts all their cache misses together instead of one
  ;; row at a time behind the arithmetic (callers keep the result, so the reads are not dead code).
  (func $touchRow (param $a i32) (result i32) (local $x i32)${stepLocal}
    local.get $a i32.load offset=${dim * 4 - 4} local.set $x
${row(['$a'], (k) => (k % 4 === 0 ? `    local.get $x local.get $a i32.load${at(k)} i32.xor local.set $x` : ''))}
    local.get $x)

  ;; dst *= s
  (func $scale (param $dst i32) (param $s f32) (local $v v128)${stepLocal}
    local.get $s f32x4.splat local.set $v
${row(['$dst'], (k) => `    local.get $dst local.get $dst v128.load${at(k)} local.get $v f32x4.mul v128.store${at(k)}`)})

  ;; Σ a[c]·b[c]; two accumulators (even and odd vectors) halve the add-latency chain
  (func $dot (param $a i32) (param $b i32) (result f32) (local $s0 v128) (local $s1 v128)${stepLocal}
    f32.const 0 f32x4.splat local.tee $s0 local.set $s1
${row(['$a', '$b'], (k) => `    local.get ${acc(k)} local.get $a v128.load${at(k)} local.get $b v128.load${at(k)} f32x4.mul f32x4.add local.set ${acc(k)}`)}
    local.get $s0 local.get $s1 f32x4.add local.tee $s0
    f32x4.extract_lane 0
    local.get $s0 f32x4.extract_lane 1 f32.add
    local.get $s0 f32x4.extract_lane 2 f32.add
    local.get $s0 f32x4.extract_lane 3 f32.add)

  ;; err += g·out; out += g·hid (word2vec.c's two loops, fused: err reads out before it changes)
  (func $update (param $err i32) (param $out i32) (param $hid i32) (param $g f32) (local $gv v128) (local $o v128)${stepLocal}
    local.get $g f32x4.splat local.set $gv
${row(['$err', '$out', '$hid'], (k) =>
  [
    `    local.get $out v128.load${at(k)} local.set $o`,
    `    local.get $err local.get $err v128.load${at(k)} local.get $o local.get $gv f32x4.mul f32x4.add v128.store${at(k)}`,
    `    local.get $out local.get $o local.get $hid v128.load${at(k)} local.get $gv f32x4.mul f32x4.add v128.store${at(k)}`,
  ].join('\n'),
)})
`;
}

/**
 * WAT for the start of a kernel's `init` whose row helpers were generated for `dim` ({@link simdRowWat}):
 * it traps when `init` is given another dim, instead of training on rows of the wrong length.
 *
 * @example
 * ```ts
 * `(func $init (param $dim i32) ${dimGuardWat(100)} ...)`;
 * ```
 */
export function dimGuardWat(dim: number): string {
  return `local.get $dim i32.const ${dim} i32.ne
    if
      unreachable
    end`;
}

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
