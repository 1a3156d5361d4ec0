import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../src/errors.js';
import { ROW_SCORES_WAT } from '../src/query/row-scores-wat.js';
import { cbowKernelWat } from '../src/train/word2vec/cbow-kernel-wat.js';
import {
  checkKernelChoice,
  compileKernel,
  isKernelChoice,
  KERNEL_CHOICES,
  requireKernel,
  webAssembly,
} from '../src/wasm/runtime.js';

/** A minimal kernel: one exported function adding two i32s, no memory. */
const ADD_WAT = `
(module
  (func (export "add") (param $a i32) (param $b i32) (result i32)
    local.get $a
    local.get $b
    i32.add))`;

describe('compileKernel', () => {
  it('compiles a source once: the same module object comes back every time', () => {
    const first = compileKernel(ROW_SCORES_WAT);
    expect(first).not.toBeNull();
    expect(compileKernel(ROW_SCORES_WAT)).toBe(first);
    expect(compileKernel(cbowKernelWat(100))).not.toBe(first);
  });

  it('gives a module that instantiates and runs', () => {
    const module = compileKernel(ADD_WAT);
    if (!module || !webAssembly) throw new Error('this runtime has no WebAssembly');
    const { add } = new webAssembly.Instance(module, {}).exports as { add(a: number, b: number): number };
    expect(add(40, 2)).toBe(42);
  });

  it('gives null, not a throw, for a WAT the assembler rejects, and remembers it', () => {
    const broken = '(module (func $f i32.frobnicate))';
    expect(compileKernel(broken)).toBeNull();
    expect(compileKernel(broken)).toBeNull();
    const unknownLabel = '(module (func $f br $nowhere))';
    expect(compileKernel(unknownLabel)).toBeNull();
  });

  it('gives null for a module that assembles but does not validate (type error)', () => {
    // i32.add of one value: the assembler encodes it, the engine rejects it.
    expect(compileKernel('(module (func (export "f") (result i32) i32.const 1 i32.add))')).toBeNull();
  });

  it('requireKernel returns the cached module, or names the kernel it cannot run', () => {
    expect(requireKernel('row scorer', ROW_SCORES_WAT)).toBe(compileKernel(ROW_SCORES_WAT));
    expect(() => requireKernel('broken', '(module (func $f i32.frobnicate))')).toThrow(InvalidArgumentError);
    expect(() => requireKernel('broken', '(module (func $f i32.frobnicate))')).toThrow(
      /^broken: kernel 'wasm-simd' is not supported by this runtime/,
    );
  });
});

describe('kernel choices', () => {
  it('accepts exactly auto, wasm-simd and js; undefined means auto', () => {
    expect(KERNEL_CHOICES).toEqual(['auto', 'wasm-simd', 'js']);
    for (const k of KERNEL_CHOICES) {
      expect(isKernelChoice(k)).toBe(true);
      expect(checkKernelChoice(k)).toBe(k);
    }
    expect(checkKernelChoice(undefined)).toBe('auto');
    expect(isKernelChoice('wasm')).toBe(false);
    expect(isKernelChoice(undefined)).toBe(false);
  });

  it('rejects anything else with an InvalidArgumentError naming the valid values', () => {
    expect(() => checkKernelChoice('wasm')).toThrow(InvalidArgumentError);
    expect(() => checkKernelChoice('wasm')).toThrow(`kernel must be 'auto', 'wasm-simd' or 'js', got "wasm"`);
    expect(() => checkKernelChoice(4, 'GloVe option kernel')).toThrow(
      `GloVe option kernel must be 'auto', 'wasm-simd' or 'js', got 4`,
    );
    expect(() => checkKernelChoice(null)).toThrow(/got null$/);
  });
});
