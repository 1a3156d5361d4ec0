/**
 * WebAssembly text source of the SIMD kernel of {@link transposeProduct} (transpose-product.ts), assembled at
 * run time by our own assembler: `C += Aᵀ·B` for one block of rows, accumulated in float64.
 *
 * Both blocks arrive packed in panels of four columns (panel p holds columns 4p…4p+3 of every row, row by
 * row: 32 contiguous bytes a row), so the inner loop reads 64 contiguous bytes a row. For each 4 × 4 tile of
 * C (panel jp of A against panel kp of B) eight f64x2 accumulators take, row by row, the outer product of the
 * row's four A values (each splat from one 64-bit load) with its four B values: 16 multiply-adds per row
 * from registers, and the tile goes to memory once per block (GEMM's register blocking: Goto & van de
 * Geijn 2008, "Anatomy of high-performance matrix multiplication"). A's panel stays in L1 while B's
 * panels stream from L2, so blocks of a few hundred rows keep both in cache.
 *
 * `accumulate(c, a, b, rows, panels)`: byte offsets of C (row-major, `4·panels` columns of float64), of
 * A's and B's packed blocks (`panels` panels of `rows × 4` float64 each), all 16-byte aligned; `rows ≥ 1`.
 */
export const TRANSPOSE_PRODUCT_WAT = `
(module
  (import "env" "memory" (memory 1 65536))
  (func (export "accumulate")
    (param $c i32) (param $a i32) (param $b i32) (param $rows i32) (param $panels i32)
    (local $panelBytes i32) (local $cRowBytes i32) (local $aEnd i32) (local $bEnd i32)
    (local $aPanel i32) (local $bPanel i32) (local $pa i32) (local $pb i32) (local $end i32) (local $ct i32)
    (local $b0 v128) (local $b1 v128) (local $x v128)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    ;; a panel is rows × 32 bytes; a row of C is panels × 32 bytes
    local.get $rows i32.const 5 i32.shl local.set $panelBytes
    local.get $panels i32.const 5 i32.shl local.set $cRowBytes
    local.get $a local.get $panelBytes local.get $panels i32.mul i32.add local.set $aEnd
    local.get $b local.get $panelBytes local.get $panels i32.mul i32.add local.set $bEnd
    local.get $a local.set $aPanel
    loop $jp
      local.get $b local.set $bPanel
      ;; ct: the tile's first row in C (row 4·jp); it moves 32 bytes right per B panel
      local.get $c local.set $ct
      loop $kp
        f32.const 0 f32x4.splat
        local.tee $c00 local.tee $c01 local.tee $c10 local.tee $c11
        local.tee $c20 local.tee $c21 local.tee $c30 local.set $c31
        local.get $aPanel local.set $pa
        local.get $bPanel local.set $pb
        local.get $aPanel local.get $panelBytes i32.add local.set $end
        loop $row
          local.get $pb v128.load local.set $b0
          local.get $pb v128.load offset=16 local.set $b1
          local.get $pa v128.load64_splat local.set $x
          local.get $c00 local.get $x local.get $b0 f64x2.mul f64x2.add local.set $c00
          local.get $c01 local.get $x local.get $b1 f64x2.mul f64x2.add local.set $c01
          local.get $pa v128.load64_splat offset=8 local.set $x
          local.get $c10 local.get $x local.get $b0 f64x2.mul f64x2.add local.set $c10
          local.get $c11 local.get $x local.get $b1 f64x2.mul f64x2.add local.set $c11
          local.get $pa v128.load64_splat offset=16 local.set $x
          local.get $c20 local.get $x local.get $b0 f64x2.mul f64x2.add local.set $c20
          local.get $c21 local.get $x local.get $b1 f64x2.mul f64x2.add local.set $c21
          local.get $pa v128.load64_splat offset=24 local.set $x
          local.get $c30 local.get $x local.get $b0 f64x2.mul f64x2.add local.set $c30
          local.get $c31 local.get $x local.get $b1 f64x2.mul f64x2.add local.set $c31
          local.get $pb i32.const 32 i32.add local.set $pb
          local.get $pa i32.const 32 i32.add local.tee $pa
          local.get $end i32.lt_u br_if $row
        end
        ;; C's four tile rows += the accumulators
        local.get $ct local.get $ct v128.load local.get $c00 f64x2.add v128.store
        local.get $ct local.get $ct v128.load offset=16 local.get $c01 f64x2.add v128.store offset=16
        local.get $ct local.get $cRowBytes i32.add local.tee $pa
        local.get $pa v128.load local.get $c10 f64x2.add v128.store
        local.get $pa local.get $pa v128.load offset=16 local.get $c11 f64x2.add v128.store offset=16
        local.get $pa local.get $cRowBytes i32.add local.tee $pa
        local.get $pa v128.load local.get $c20 f64x2.add v128.store
        local.get $pa local.get $pa v128.load offset=16 local.get $c21 f64x2.add v128.store offset=16
        local.get $pa local.get $cRowBytes i32.add local.tee $pa
        local.get $pa v128.load local.get $c30 f64x2.add v128.store
        local.get $pa local.get $pa v128.load offset=16 local.get $c31 f64x2.add v128.store offset=16
        local.get $ct i32.const 32 i32.add local.set $ct
        local.get $bPanel local.get $panelBytes i32.add local.tee $bPanel
        local.get $bEnd i32.lt_u br_if $kp
      end
      ;; next A panel: four rows further down C
      local.get $c local.get $cRowBytes i32.const 2 i32.shl i32.add local.set $c
      local.get $aPanel local.get $panelBytes i32.add local.tee $aPanel
      local.get $aEnd i32.lt_u br_if $jp
    end))
`;
