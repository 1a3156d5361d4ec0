import { describe, expect, it } from 'vitest';
import { createRandom } from '../src/random.js';
import { cbowKernelWat } from '../src/train/word2vec/cbow-kernel-wat.js';
import { requireKernel, webAssembly } from '../src/wasm/runtime.js';
import { ROW_STEP_VECTORS, simdRowWat } from '../src/wasm/simd-row-wat.js';

interface RowOps {
  zero(dst: number): void;
  addTo(dst: number, src: number): void;
  scale(dst: number, s: number): void;
  dot(a: number, b: number): number;
  update(err: number, out: number, hid: number, g: number): void;
  touchRow(a: number): number;
}

/** The generated helpers of one dim, exported from a module over its own memory. */
function rowOps(dim: number): { ops: RowOps; memory: { buffer: ArrayBuffer } } {
  const wasm = webAssembly;
  if (!wasm) throw new Error('this runtime has no WebAssembly');
  const memory = new wasm.Memory({ initial: 1, maximum: 1, shared: false });
  const module = requireKernel(
    `rows ${dim}`,
    `(module
  (import "env" "memory" (memory 1 1))
  (global $rowBytes (mut i32) (i32.const ${dim * 4}))
${simdRowWat(dim)}
  (func (export "zero") (param $d i32) local.get $d call $zero)
  (func (export "addTo") (param $d i32) (param $s i32) local.get $d local.get $s call $addTo)
  (func (export "scale") (param $d i32) (param $s f32) local.get $d local.get $s call $scale)
  (func (export "dot") (param $a i32) (param $b i32) (result f32) local.get $a local.get $b call $dot)
  (func (export "update") (param $e i32) (param $o i32) (param $h i32) (param $g f32)
    local.get $e local.get $o local.get $h local.get $g call $update)
  (func (export "touchRow") (param $a i32) (result i32) local.get $a call $touchRow))`,
  );
  const ops = new wasm.Instance(module, { env: { memory } }).exports as unknown as RowOps;
  return { ops, memory: memory as unknown as { buffer: ArrayBuffer } };
}

const f = Math.fround;

/** One f32x4 vector at a time, lane by lane, in float32: the order the helpers promise. */
const reference = {
  dot(a: Float32Array, b: Float32Array): number {
    const s = [new Float32Array(4), new Float32Array(4)];
    for (let k = 0; k < a.length / 4; k++) {
      for (let l = 0; l < 4; l++) s[k % 2][l] = f(s[k % 2][l] + f(a[4 * k + l] * b[4 * k + l]));
    }
    const t = s[0].map((x, l) => f(x + s[1][l]));
    return f(f(f(t[0] + t[1]) + t[2]) + t[3]);
  },
  update(err: Float32Array, out: Float32Array, hid: Float32Array, g: number): void {
    for (let c = 0; c < err.length; c++) {
      const o = out[c];
      err[c] = f(err[c] + f(o * g));
      out[c] = f(o + f(hid[c] * g));
    }
  },
};

// Straight-line rows, exactly one loop step, a step and a vector, and several steps with a rest.
const DIMS = [4, 8, 100, 4 * ROW_STEP_VECTORS, 4 * ROW_STEP_VECTORS + 4, 300, 4 * 3 * ROW_STEP_VECTORS];

describe('simdRowWat', () => {
  for (const dim of DIMS) {
    it(`dim ${dim}: each helper gives the one-vector-at-a-time result bit for bit, and writes only its row`, () => {
      const { ops, memory } = rowOps(dim);
      const rand = createRandom(dim);
      const bytes = dim * 4;
      // Rows a, b, c at 16-byte aligned places with a 64-byte guard before, between and after.
      const [A, B, C] = [64, 128 + bytes, 192 + 2 * bytes];
      const all = new Float32Array(memory.buffer, 0, (256 + 3 * bytes) / 4);
      // Magnitudes over 2^±10, so that float32 sums taken in another order round differently.
      const fill = () => {
        for (let i = 0; i < all.length; i++) all[i] = f((rand() * 4 - 2) * 2 ** Math.floor(rand() * 20 - 10));
      };
      const row = (at: number) => new Float32Array(memory.buffer, at, dim);
      const unchangedOutside = (before: Float32Array, at: number) => {
        const from = at / 4;
        for (let i = 0; i < all.length; i++) {
          if (i >= from && i < from + dim) continue;
          if (Object.is(all[i], before[i]) === false) return false;
        }
        return true;
      };

      // Several fills: one sum taken in another order still matches about two times in five.
      let before = all;
      for (let trial = 0; trial < 8; trial++) {
        fill();
        before = all.slice();
        const expected = reference.dot(row(A), row(B));
        expect(Object.is(ops.dot(A, B), expected)).toBe(true);
        expect(Array.from(all)).toEqual(Array.from(before));
      }

      fill();
      before = all.slice();
      const sum = row(A).map((x, c) => f(x + row(B)[c]));
      ops.addTo(A, B);
      expect(Array.from(row(A))).toEqual(Array.from(sum));
      expect(unchangedOutside(before, A)).toBe(true);

      fill();
      before = all.slice();
      const scaled = row(C).map((x) => f(x * f(0.3)));
      ops.scale(C, 0.3);
      expect(Array.from(row(C))).toEqual(Array.from(scaled));
      expect(unchangedOutside(before, C)).toBe(true);

      fill();
      before = all.slice();
      ops.zero(B);
      expect(row(B).every((x) => Object.is(x, 0))).toBe(true);
      expect(unchangedOutside(before, B)).toBe(true);

      fill();
      const err = row(A).slice();
      const out = row(B).slice();
      const g = f(-0.0375);
      reference.update(err, out, row(C), g);
      const hid = row(C).slice();
      ops.update(A, B, C, g);
      expect(Array.from(row(A))).toEqual(Array.from(err));
      expect(Array.from(row(B))).toEqual(Array.from(out));
      expect(Array.from(row(C))).toEqual(Array.from(hid));

      fill();
      const words = new Int32Array(memory.buffer, B, dim);
      let x = words[dim - 1];
      for (let w = 0; w < dim - 1; w += 16) x ^= words[w];
      expect(ops.touchRow(B)).toBe(x);
    });
  }

  it('refuses a dim the helpers cannot step through', () => {
    for (const dim of [0, 2, 6, 101, 1.5]) expect(() => simdRowWat(dim)).toThrow(/multiple of 4/);
  });

  it('a kernel generated for one dim traps when init is given another', () => {
    const wasm = webAssembly;
    if (!wasm) throw new Error('this runtime has no WebAssembly');
    const memory = new wasm.Memory({ initial: 1, maximum: 1, shared: true });
    const k = new wasm.Instance(requireKernel('word2vec', cbowKernelWat(8)), { env: { memory } })
      .exports as Record<string, (...a: number[]) => number>;
    const rest = [1, 5, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1];
    expect(() => k.init(12, ...rest)).toThrow(/unreachable/);
    expect(() => k.init(8, ...rest)).not.toThrow();
  });
});
