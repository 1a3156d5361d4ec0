import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../src/errors.js';
import { transposeProduct } from '../src/linalg/transpose-product.js';
import { TRANSPOSE_PRODUCT_WAT } from '../src/linalg/transpose-product-wat.js';
import { createRandom } from '../src/random.js';
import { compileKernel } from '../src/wasm/runtime.js';

const hasSimd = compileKernel(TRANSPOSE_PRODUCT_WAT) !== null;

function uniform(n: number, seed: number): Float64Array {
  const rand = createRandom(seed);
  return Float64Array.from({ length: n }, () => rand() - 0.5);
}

/** aᵀ·b by the definition, one entry at a time. */
function naive(a: ArrayLike<number>, b: ArrayLike<number>, rows: number, dim: number): Float64Array {
  const out = new Float64Array(dim * dim);
  for (let j = 0; j < dim; j++)
    for (let k = 0; k < dim; k++) {
      let s = 0;
      for (let r = 0; r < rows; r++) s += a[r * dim + j] * b[r * dim + k];
      out[j * dim + k] = s;
    }
  return out;
}

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
};

describe('transposeProduct', () => {
  // Widths that fill four-column panels and ones that leave them partly empty; row counts that end in a
  // partial block (blocks are 128 rows).
  const shapes: [number, number][] = [
    [1, 1],
    [5, 3],
    [300, 4],
    [129, 7],
    [700, 37],
  ];

  it.each(shapes)(
    'is aᵀ·b for %i rows × %i columns, JavaScript kernel, float64 and float32 input',
    (rows, dim) => {
      const a = uniform(rows * dim, rows + dim);
      const b = uniform(rows * dim, 3 * rows + dim);
      expect(
        maxAbsDiff(transposeProduct(a, b, rows, dim, { kernel: 'js' }), naive(a, b, rows, dim)),
      ).toBeLessThan(1e-12);
      const a32 = Float32Array.from(a);
      const b32 = Float32Array.from(b);
      // float32 inputs are exact in float64, so the sums match the float64 definition over the rounded values.
      expect(
        maxAbsDiff(transposeProduct(a32, b32, rows, dim, { kernel: 'js' }), naive(a32, b32, rows, dim)),
      ).toBeLessThan(1e-12);
    },
  );

  it.skipIf(!hasSimd).each(shapes)(
    'the WebAssembly SIMD kernel gives the JavaScript one bit for bit (%i × %i): same sums in the same order',
    (rows, dim) => {
      const a = Float32Array.from(uniform(rows * dim, rows));
      const b = uniform(rows * dim, dim);
      const simd = transposeProduct(a, b, rows, dim, { kernel: 'wasm-simd' });
      expect(simd).toEqual(transposeProduct(a, b, rows, dim, { kernel: 'js' }));
      expect(transposeProduct(a, b, rows, dim)).toEqual(simd);
    },
  );

  it.skipIf(!hasSimd).each(shapes)(
    'float32 blocks (%i × %i): the WebAssembly and JavaScript kernels agree bit for bit, within 1e-5 of float64',
    (rows, dim) => {
      const a = Float32Array.from(uniform(rows * dim, 5 * rows + dim));
      const b = Float32Array.from(uniform(rows * dim, 7 * rows + dim));
      const simd = transposeProduct(a, b, rows, dim, { kernel: 'wasm-simd', precision: 'float32-blocks' });
      expect(simd).toEqual(transposeProduct(a, b, rows, dim, { kernel: 'js', precision: 'float32-blocks' }));
      const exact = naive(a, b, rows, dim);
      // Each block's sums are rounded in float32: the error grows like √(block rows) ulps of the block's terms.
      expect(maxAbsDiff(simd, exact)).toBeLessThan(1e-5 * Math.max(1, Math.sqrt(rows)));
      // And they are not the float64 sums: the rounding is real (for more than a handful of rows).
      if (rows >= 129) expect(maxAbsDiff(simd, exact)).toBeGreaterThan(0);
    },
  );

  it('float32 blocks round the inputs to float32 first', () => {
    const a = Float64Array.of(1 + 2 ** -40);
    expect(transposeProduct(a, a, 1, 1, { precision: 'float32-blocks' })[0]).toBe(1);
    expect(transposeProduct(a, a, 1, 1)[0]).toBe((1 + 2 ** -40) ** 2);
  });

  it('is the zero matrix for no rows, and a Gram matrix when both sides are the same', () => {
    expect(transposeProduct([], [], 0, 3)).toEqual(new Float64Array(9));
    const a = Float64Array.of(1, 2, 3, 4, 5, 6);
    expect(Array.from(transposeProduct(a, a, 3, 2))).toEqual([
      1 + 9 + 25,
      2 + 12 + 30,
      2 + 12 + 30,
      4 + 16 + 36,
    ]);
  });

  it('refuses ragged input, a bad shape and an unknown kernel', () => {
    expect(() => transposeProduct(new Float64Array(6), new Float64Array(5), 3, 2)).toThrow(
      /3 × 2 = 6 values, got 6 and 5/,
    );
    expect(() => transposeProduct([], [], 0, 0)).toThrow(/rows ≥ 0 and dim ≥ 1, got 0 × 0/);
    expect(() => transposeProduct([1], [1], 1, 1, { kernel: 'gpu' as 'js' })).toThrow(InvalidArgumentError);
    expect(() => transposeProduct([1], [1], 1, 1, { precision: 'half' as 'float64' })).toThrow(
      /precision must be 'float64' or 'float32-blocks', got "half"/,
    );
  });
});
