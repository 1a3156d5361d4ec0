/**
 * WebAssembly text source of the SIMD kernels of {@link transposeProduct} (transpose-product.ts), assembled at
 * run time by our own assembler: `C += Aᵀ·B` for one block of rows, C in float64.
 *
 * Both blocks arrive as row-major copies with `width` columns (zero past the matrices' own), so a row of A or B
 * is contiguous and the kernels step from one row to the next by the row's bytes. For each tile of C (four
 * columns of A against four or eight of B) the accumulators take, row by row, the outer product of the row's
 * four A values (each splat from one load) with its B values: the multiply-adds run from registers, and the
 * tile goes to memory once per block (GEMM's register blocking: Goto & van de Geijn 2008, "Anatomy of
 * high-performance matrix multiplication"). A block of a hundred-odd rows keeps both copies in L2.
 *
 * - `accumulate64(c, a, b, rows, width)`: float64 blocks (`width` a multiple of 4), products and sums in
 *   float64; 4 × 4 tiles in eight f64x2 accumulators.
 * - `accumulate32(c, a, b, rows, width)`: float32 blocks (`width` a multiple of 8), products and the block's
 *   sums in float32, four lanes at a time (twice the multiply-adds per instruction); 4 × 8 tiles in eight
 *   f32x4 accumulators, each widened to float64 as it is added into C.
 *
 * Byte offsets of C (row-major `width × width` float64) and of the blocks, all 16-byte aligned; `rows ≥ 1`.
 */

/** C's tile row `i` (at `$ct + i·cRowBytes`) += the f64x2 accumulators of an `accumulate64` tile. */
function addTile64(i: number): string {
  const at = i === 0 ? 'local.get $ct' : `local.get $ct local.get $cRowBytes i32.const ${i} i32.mul i32.add`;
  return `${at} local.tee $p
        local.get $p v128.load local.get $c${i}0 f64x2.add v128.store
        local.get $p local.get $p v128.load offset=16 local.get $c${i}1 f64x2.add v128.store offset=16`;
}

/** The upper two float32 lanes moved to the lower two, for `f64x2.promote_low_f32x4`. */
const HIGH_LANES = 'i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15';

/** C's tile row `i` += the f32x4 accumulators of an `accumulate32` tile (eight columns), widened. */
function addTile32(i: number): string {
  const at = i === 0 ? 'local.get $ct' : `local.get $ct local.get $cRowBytes i32.const ${i} i32.mul i32.add`;
  const lanes = (acc: string, offset: number, high: boolean) =>
    `local.get $p local.get $p v128.load offset=${offset}
        local.get ${acc}${high ? ` local.get ${acc} ${HIGH_LANES}` : ''} f64x2.promote_low_f32x4
        f64x2.add v128.store offset=${offset}`;
  return `${at} local.set $p
        ${lanes(`$c${i}`, 0, false)}
        ${lanes(`$c${i}`, 16, true)}
        ${lanes(`$d${i}`, 32, false)}
        ${lanes(`$d${i}`, 48, true)}`;
}

/** One row's step of a tile: A's four values splat, each times B's vectors into its accumulators. */
function rowStep(
  splat: string,
  bytes: number,
  mul: string,
  add: string,
  accs: (i: number) => string[],
): string {
  return [0, 1, 2, 3]
    .map((i) => {
      const [first, second] = accs(i);
      return `local.get $pa ${splat} offset=${i * bytes} local.set $x
          local.get ${first} local.get $x local.get $b0 ${mul} ${add} local.set ${first}
          local.get ${second} local.get $x local.get $b1 ${mul} ${add} local.set ${second}`;
    })
    .join('\n          ');
}

/**
 * The kernel loop nest: A's column groups of four (16 bytes of float32, 32 of float64) against B's groups of
 * `bGroupBytes`, rows in the innermost loop.
 */
function kernel(
  exportName: string,
  shift: number,
  aGroupBytes: number,
  bGroupBytes: number,
  cTileBytes: number,
  accumulators: string[],
  step: string,
  addTile: (i: number) => string,
): string {
  return `
  (func (export "${exportName}")
    (param $c i32) (param $a i32) (param $b i32) (param $rows i32) (param $width i32)
    (local $rowBytes i32) (local $cRowBytes i32) (local $blockBytes i32) (local $aEnd i32) (local $bEnd i32)
    (local $aCol i32) (local $bCol i32) (local $pa i32) (local $pb i32) (local $end i32) (local $ct i32)
    (local $p i32) (local $b0 v128) (local $b1 v128) (local $x v128)
    ${accumulators.map((name) => `(local ${name} v128)`).join(' ')}
    local.get $width i32.const ${shift} i32.shl local.set $rowBytes
    local.get $width i32.const 3 i32.shl local.set $cRowBytes
    local.get $rows local.get $rowBytes i32.mul local.set $blockBytes
    local.get $a local.get $rowBytes i32.add local.set $aEnd
    local.get $b local.get $rowBytes i32.add local.set $bEnd
    local.get $a local.set $aCol
    loop $jp
      local.get $b local.set $bCol
      ;; ct: the tile's first row in C (row 4·jp); it moves right by the tile's bytes per B group
      local.get $c local.set $ct
      loop $kp
        f32.const 0 f32x4.splat
        ${accumulators.map((name, i) => (i < accumulators.length - 1 ? `local.tee ${name}` : `local.set ${name}`)).join(' ')}
        local.get $aCol local.set $pa
        local.get $bCol local.set $pb
        local.get $aCol local.get $blockBytes i32.add local.set $end
        loop $row
          local.get $pb v128.load local.set $b0
          local.get $pb v128.load offset=16 local.set $b1
          ${step}
          local.get $pb local.get $rowBytes i32.add local.set $pb
          local.get $pa local.get $rowBytes i32.add local.tee $pa
          local.get $end i32.lt_u br_if $row
        end
        ${[0, 1, 2, 3].map(addTile).join('\n        ')}
        local.get $ct i32.const ${cTileBytes} i32.add local.set $ct
        local.get $bCol i32.const ${bGroupBytes} i32.add local.tee $bCol
        local.get $bEnd i32.lt_u br_if $kp
      end
      ;; next column group of A: four rows further down C
      local.get $c local.get $cRowBytes i32.const 2 i32.shl i32.add local.set $c
      local.get $aCol i32.const ${aGroupBytes} i32.add local.tee $aCol
      local.get $aEnd i32.lt_u br_if $jp
    end)`;
}

const ACC64 = [0, 1, 2, 3].flatMap((i) => [`$c${i}0`, `$c${i}1`]);
const ACC32 = [0, 1, 2, 3].flatMap((i) => [`$c${i}`, `$d${i}`]);

export const TRANSPOSE_PRODUCT_WAT = `
(module
  (import "env" "memory" (memory 1 65536))
  ${kernel(
    'accumulate64',
    3,
    32,
    32,
    32,
    ACC64,
    rowStep('v128.load64_splat', 8, 'f64x2.mul', 'f64x2.add', (i) => [`$c${i}0`, `$c${i}1`]),
    addTile64,
  )}
  ${kernel(
    'accumulate32',
    2,
    16,
    32,
    64,
    ACC32,
    rowStep('v128.load32_splat', 4, 'f32x4.mul', 'f32x4.add', (i) => [`$c${i}`, `$d${i}`]),
    addTile32,
  )}
)
`;
