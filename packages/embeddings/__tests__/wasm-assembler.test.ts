import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../src/errors.js';
import { cbowKernelWat } from '../src/train/word2vec/cbow-kernel-wat.js';
import { assembleWat } from '../src/wasm/assembler.js';
import { webAssembly } from '../src/wasm/runtime.js';

describe('assembleWat', () => {
  it('assembles control flow, i64 arithmetic and SIMD that run as written', () => {
    const bytes = assembleWat(`
      (module
        (import "env" "memory" (memory 1 1 shared))
        (global $state (mut i64) (i64.const 1))
        ;; word2vec.c's LCG, low 32 bits
        (func $lcg (export "lcg") (result i32)
          global.get $state i64.const 25214903917 i64.mul i64.const 11 i64.add global.set $state
          global.get $state i32.wrap_i64)
        ;; sum of n floats at address p, four at a time
        (func (export "sum") (param $p i32) (param $n i32) (result f32) (local $end i32) (local $acc v128)
          local.get $p local.get $n i32.const 2 i32.shl i32.add local.set $end
          block $done
            loop $next
              local.get $p local.get $end i32.ge_u br_if $done
              local.get $acc local.get $p v128.load f32x4.add local.set $acc
              local.get $p i32.const 16 i32.add local.set $p
              br $next
            end
          end
          local.get $acc f32x4.extract_lane 0 local.get $acc f32x4.extract_lane 1 f32.add
          local.get $acc f32x4.extract_lane 2 f32.add local.get $acc f32x4.extract_lane 3 f32.add))`);
    const memory = new webAssembly!.Memory({ initial: 1, maximum: 1, shared: true });
    const exports = new webAssembly!.Instance(new webAssembly!.Module(bytes), { env: { memory } })
      .exports as {
      lcg(): number;
      sum(p: number, n: number): number;
    };
    let state = 1n;
    for (let i = 0; i < 3; i++) {
      state = BigInt.asUintN(64, state * 25214903917n + 11n);
      expect(exports.lcg()).toBe(Number(BigInt.asIntN(32, state)));
    }
    new Float32Array(memory.buffer, 64, 8).set([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(exports.sum(64, 8)).toBe(36);
  });

  it('assembles the CBOW kernel into a valid module, for short rows and rows longer than one loop step', () => {
    for (const dim of [4, 100, 128, 132, 300])
      expect(webAssembly!.validate(assembleWat(cbowKernelWat(dim)))).toBe(true);
  });

  it("names the module's functions in a name section (by $name, else export name) for profiles", () => {
    const bytes = assembleWat(`
      (module
        (func $inner (result i32) i32.const 2)
        (func (export "outer") (result i32) call $inner i32.const 1 i32.add)
        (func (result i32) i32.const 0))`);
    const mod = new webAssembly!.Module(bytes);
    const api = webAssembly!.Module as unknown as { customSections(m: object, name: string): ArrayBuffer[] };
    const [section] = api.customSections(mod, 'name');
    // Subsection 1 (function names): id, size, count, then (index, length, UTF-8) per name.
    const b = new Uint8Array(section);
    expect(b[0]).toBe(1);
    const entries: [number, string][] = [];
    let at = 3;
    for (let k = 0; k < b[2]; k++) {
      const index = b[at++];
      const length = b[at++];
      entries.push([index, new TextDecoder().decode(b.subarray(at, at + length))]);
      at += length;
    }
    expect(entries).toEqual([
      [0, 'inner'],
      [1, 'outer'],
    ]);
    expect(at).toBe(b.length);
    // The names change nothing the module does.
    const { outer } = new webAssembly!.Instance(mod, {}).exports as { outer(): number };
    expect(outer()).toBe(3);
  });

  it('names an unknown instruction or label', () => {
    expect(() => assembleWat('(module (func $f i32.frobnicate))')).toThrow(InvalidArgumentError);
    expect(() => assembleWat('(module (func $f i32.frobnicate))')).toThrow(/i32\.frobnicate in function \$f/);
    expect(() => assembleWat('(module (func $f br $nowhere))')).toThrow(/unknown label \$nowhere/);
  });
});
