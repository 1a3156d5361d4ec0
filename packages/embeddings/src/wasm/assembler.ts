/**
 * A small assembler from WebAssembly text (WAT) to the binary format, so the SIMD kernels ship as
 * readable source in this repository and need no external toolchain (wabt, binaryen, a C compiler).
 *
 * Covers the subset our kernels use: one imported memory (shared allowed), mutable globals, functions with
 * named params/locals, exports, and flat (not folded) instructions — control flow, integer/float arithmetic,
 * loads/stores with `offset=`/`align=`, saturating truncation, the f64 arithmetic and conversions the text
 * row parser needs, the f32x4/v128 SIMD instructions and the integer-lane ones the int8 dot product needs
 * (i8 → i16 widening, also as an 8-byte widening load, i16 pair dot into i32, and the byte shuffle that
 * sums four rows' lanes at once) and the quantiser's rounding and narrowing (f32 → i32 → i16 → i8), the f32x4 comparison and mask test of the top-k's skip, and the
 * f64x2 arithmetic, splats, lane extraction and float32 → float64 promotion of the transposed product and
 * the Jacobi SVD, and the f64 constants and comparisons of the latter.
 * Encoding per the WebAssembly Core Specification 2.0, §5 (binary format) and the fixed-width SIMD proposal.
 */
import { InvalidArgumentError } from '../errors.js';

type Node = string | { str: string } | Node[];

interface FuncDef {
  name: string;
  exportName?: string;
  params: string[];
  paramNames: string[];
  results: string[];
  locals: string[];
  localNames: string[];
  body: Node[];
}

const VALTYPE: Record<string, number> = { i32: 0x7f, i64: 0x7e, f32: 0x7d, f64: 0x7c, v128: 0x7b };

/** Instructions without immediates: name → opcode bytes. */
const PLAIN: Record<string, number[]> = {
  unreachable: [0x00],
  nop: [0x01],
  return: [0x0f],
  drop: [0x1a],
  select: [0x1b],
};
function plainRange(start: number, names: string): void {
  const list = names.trim().split(/\s+/);
  for (let i = 0; i < list.length; i++) PLAIN[list[i]] = [start + i];
}
plainRange(
  0x45,
  'i32.eqz i32.eq i32.ne i32.lt_s i32.lt_u i32.gt_s i32.gt_u i32.le_s i32.le_u i32.ge_s i32.ge_u',
);
plainRange(
  0x50,
  'i64.eqz i64.eq i64.ne i64.lt_s i64.lt_u i64.gt_s i64.gt_u i64.le_s i64.le_u i64.ge_s i64.ge_u',
);
plainRange(0x5b, 'f32.eq f32.ne f32.lt f32.gt f32.le f32.ge');
plainRange(0x61, 'f64.eq f64.ne f64.lt f64.gt f64.le f64.ge');
plainRange(
  0x67,
  'i32.clz i32.ctz i32.popcnt i32.add i32.sub i32.mul i32.div_s i32.div_u i32.rem_s i32.rem_u i32.and i32.or i32.xor i32.shl i32.shr_s i32.shr_u i32.rotl i32.rotr',
);
plainRange(
  0x79,
  'i64.clz i64.ctz i64.popcnt i64.add i64.sub i64.mul i64.div_s i64.div_u i64.rem_s i64.rem_u i64.and i64.or i64.xor i64.shl i64.shr_s i64.shr_u i64.rotl i64.rotr',
);
plainRange(
  0x8b,
  'f32.abs f32.neg f32.ceil f32.floor f32.trunc f32.nearest f32.sqrt f32.add f32.sub f32.mul f32.div f32.min f32.max f32.copysign',
);
plainRange(
  0xa7,
  'i32.wrap_i64 i32.trunc_f32_s i32.trunc_f32_u i32.trunc_f64_s i32.trunc_f64_u i64.extend_i32_s i64.extend_i32_u i64.trunc_f32_s i64.trunc_f32_u i64.trunc_f64_s i64.trunc_f64_u f32.convert_i32_s f32.convert_i32_u f32.convert_i64_s f32.convert_i64_u',
);
plainRange(
  0x99,
  'f64.abs f64.neg f64.ceil f64.floor f64.trunc f64.nearest f64.sqrt f64.add f64.sub f64.mul f64.div f64.min f64.max f64.copysign',
);
plainRange(0xb6, 'f32.demote_f64 f64.convert_i32_s f64.convert_i32_u f64.convert_i64_s f64.convert_i64_u');
PLAIN['i32.trunc_sat_f32_s'] = [0xfc, 0x00];
PLAIN['i32.trunc_sat_f32_u'] = [0xfc, 0x01];

// Fixed-width SIMD (prefix 0xfd, LEB128 sub-opcode).
const SIMD_PLAIN: Record<string, number> = {
  'f32x4.splat': 0x13,
  'i32x4.splat': 0x11,
  'f32x4.abs': 0xe0,
  'f32x4.neg': 0xe1,
  'f32x4.sqrt': 0xe3,
  'f32x4.add': 0xe4,
  'f32x4.sub': 0xe5,
  'f32x4.mul': 0xe6,
  'f32x4.div': 0xe7,
  'f32x4.min': 0xe8,
  'f32x4.max': 0xe9,
  // Integer lanes, for the int8 dot product (widen i8 → i16, multiply-add pairs into i32).
  'i16x8.extend_low_i8x16_s': 0x87,
  'i16x8.extend_high_i8x16_s': 0x88,
  'i32x4.add': 0xae,
  'i32x4.dot_i16x8_s': 0xba,
  'f32x4.convert_i32x4_s': 0xfa,
  // The int8 quantiser: i32 lanes from a rounded float's bits (less a constant's), narrowed i32 → i16 → i8.
  'i32x4.sub': 0xb1,
  'i32x4.max_s': 0xb8,
  'i16x8.narrow_i32x4_s': 0x85,
  'i8x16.narrow_i16x8_s': 0x65,
  // Comparison and mask tests, for the top-k's skip over rows that cannot enter (wasm/first-above-wat.ts).
  'f32x4.gt': 0x44,
  'v128.or': 0x50,
  'v128.any_true': 0x53,
  // Float64 lanes, for the float64 accumulation of a transposed product (linalg/transpose-product-wat.ts).
  'f64x2.add': 0xf0,
  'f64x2.sub': 0xf1,
  'f64x2.mul': 0xf2,
  'f64x2.splat': 0x14,
  // float32 lanes widened to float64: the float32 block sums of the transposed product go into float64.
  'f64x2.promote_low_f32x4': 0x5f,
};
for (const [name, op] of Object.entries(SIMD_PLAIN)) PLAIN[name] = [0xfd, ...uleb(op)];

/** Loads and stores: name → [opcode bytes, natural alignment as log2 bytes]. */
const MEMORY: Record<string, [number[], number]> = {
  'i32.load': [[0x28], 2],
  'i32.load8_s': [[0x2c], 0],
  'i32.load8_u': [[0x2d], 0],
  'i32.load16_u': [[0x2f], 1],
  'f64.load': [[0x2b], 3],
  'i64.load': [[0x29], 3],
  'f32.load': [[0x2a], 2],
  'i32.store': [[0x36], 2],
  'i32.store16': [[0x3b], 1],
  'i32.store8': [[0x3a], 0],
  'i64.store': [[0x37], 3],
  'f32.store': [[0x38], 2],
  'v128.load': [[0xfd, 0x00], 4],
  'v128.store': [[0xfd, 0x0b], 4],
  'v128.load64_splat': [[0xfd, 0x0a], 3],
  'v128.load32_splat': [[0xfd, 0x09], 2],
  'f64.store': [[0x39], 3],
  // Eight int8 values loaded and sign-extended to i16 lanes in one instruction (the int8 kernel's row step).
  'i16x8.load8x8_s': [[0xfd, 0x01], 3],
};

/** `i8x16.shuffle` and its 16 lane indices (0–15 the first operand's bytes, 16–31 the second's). */
const SHUFFLE = [0xfd, ...uleb(0x0d)];

const LANE: Record<string, number[]> = {
  'i32x4.extract_lane': [0xfd, ...uleb(0x1b)],
  'f32x4.extract_lane': [0xfd, ...uleb(0x1f)],
  'f32x4.replace_lane': [0xfd, ...uleb(0x20)],
  'f64x2.extract_lane': [0xfd, ...uleb(0x21)],
};

function uleb(value: number): number[] {
  const out: number[] = [];
  let v = value >>> 0;
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}

function sleb(value: bigint): number[] {
  const out: number[] = [];
  let v = value;
  for (;;) {
    const byte = Number(v & 0x7fn);
    v >>= 7n;
    const done = (v === 0n && (byte & 0x40) === 0) || (v === -1n && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

function name(s: string): number[] {
  const bytes = [...new TextEncoder().encode(s)];
  return [...uleb(bytes.length), ...bytes];
}

function vec(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

function section(id: number, body: number[]): number[] {
  return body.length === 0 ? [] : [id, ...uleb(body.length), ...body];
}

function tokenize(src: string): string[] {
  const tokens: string[] = [];
  const re = /\s+|;;[^\n]*|\(;[\s\S]*?;\)|(\()|(\))|("(?:[^"\\]|\\.)*")|([^\s()";]+)/y;
  while (re.lastIndex < src.length) {
    const at = re.lastIndex;
    const m = re.exec(src);
    if (!m) throw new InvalidArgumentError(`WAT: cannot read the source at character ${at}`);
    const t = m[1] ?? m[2] ?? m[3] ?? m[4];
    if (t !== undefined) tokens.push(t);
  }
  return tokens;
}

function parse(src: string): Node[] {
  const tokens = tokenize(src);
  let i = 0;
  const read = (): Node => {
    const t = tokens[i++];
    if (t === '(') {
      const list: Node[] = [];
      while (tokens[i] !== ')') {
        if (i >= tokens.length) throw new InvalidArgumentError('WAT: unbalanced parentheses');
        list.push(read());
      }
      i++;
      return list;
    }
    if (t.startsWith('"')) return { str: JSON.parse(t) };
    return t;
  };
  const out: Node[] = [];
  while (i < tokens.length) out.push(read());
  return out;
}

const isList = (n: Node | undefined): n is Node[] => Array.isArray(n);
const head = (n: Node | undefined): string | undefined =>
  isList(n) && typeof n[0] === 'string' ? n[0] : undefined;
const str = (n: Node): string => {
  if (typeof n === 'object' && !isList(n)) return n.str;
  throw new InvalidArgumentError(`WAT: expected a string, got ${JSON.stringify(n)}`);
};

function parseNumber(text: string): bigint {
  const neg = text.startsWith('-');
  const body = text.replace(/^[-+]/, '').replaceAll('_', '');
  const v = BigInt(body);
  return neg ? -v : v;
}

/**
 * Assembles a WAT module (the subset described above) into WebAssembly binary.
 *
 * @throws {@link InvalidArgumentError} naming the unknown instruction, label or name.
 * @example
 * ```ts
 * const bytes = assembleWat('(module (func (export "one") (result i32) i32.const 1))');
 * const { instance } = await WebAssembly.instantiate(bytes);
 * ```
 */
export function assembleWat(source: string): Uint8Array {
  const top = parse(source);
  const mod = top.length === 1 && head(top[0]) === 'module' ? (top[0] as Node[]).slice(1) : top;
  const imports: number[][] = [];
  const globals: number[][] = [];
  const globalIndex = new Map<string, number>();
  const funcs: FuncDef[] = [];
  for (const field of mod) {
    const kind = head(field);
    const f = field as Node[];
    if (kind === 'import') {
      const desc = f[3] as Node[];
      if (head(desc) !== 'memory') throw new InvalidArgumentError('WAT: only memory imports are supported');
      const rest = desc.slice(1).filter((x): x is string => typeof x === 'string' && !x.startsWith('$'));
      const shared = rest.includes('shared');
      const nums = rest.filter((x) => x !== 'shared').map(Number);
      const flags = (nums.length > 1 ? 1 : 0) | (shared ? 2 : 0);
      imports.push([...name(str(f[1])), ...name(str(f[2])), 0x02, flags, ...nums.flatMap(uleb)]);
    } else if (kind === 'global') {
      let at = 1;
      if (typeof f[at] === 'string' && (f[at] as string).startsWith('$'))
        globalIndex.set(f[at++] as string, globals.length);
      const typeNode = f[at++];
      const mutable = head(typeNode) === 'mut';
      const type = (mutable ? (typeNode as Node[])[1] : typeNode) as string;
      const init = f[at] as Node[];
      const initBytes = encodeConst(head(init) ?? '', init[1] as string);
      globals.push([VALTYPE[type], mutable ? 1 : 0, ...initBytes, 0x0b]);
    } else if (kind === 'func') {
      const def: FuncDef = {
        name: '',
        params: [],
        paramNames: [],
        results: [],
        locals: [],
        localNames: [],
        body: [],
      };
      let at = 1;
      if (typeof f[at] === 'string' && (f[at] as string).startsWith('$')) def.name = f[at++] as string;
      for (; at < f.length; at++) {
        const part = f[at];
        const h = head(part);
        if (h === 'export') def.exportName = str((part as Node[])[1]);
        else if (h === 'param' || h === 'local') {
          const p = (part as Node[]).slice(1) as string[];
          const named = p[0]?.startsWith('$');
          const types = named ? [p[1]] : p;
          for (const t of types) {
            (h === 'param' ? def.params : def.locals).push(t);
            (h === 'param' ? def.paramNames : def.localNames).push(named ? p[0] : '');
          }
        } else if (h === 'result') def.results.push(...((part as Node[]).slice(1) as string[]));
        else break;
      }
      def.body = f.slice(at);
      funcs.push(def);
    } else {
      throw new InvalidArgumentError(`WAT: unsupported module field ${JSON.stringify(kind)}`);
    }
  }
  const funcIndex = new Map(funcs.map((fn, i) => [fn.name, i]));
  const types: string[] = [];
  const typeOf = funcs.map((fn) => {
    const key = `${fn.params.join(',')}->${fn.results.join(',')}`;
    if (!types.includes(key)) types.push(key);
    return types.indexOf(key);
  });
  const typeSection = types.map((key) => {
    const [p, r] = key.split('->').map((s) => (s ? s.split(',') : []));
    return [0x60, ...vec(p.map((t) => [VALTYPE[t]])), ...vec(r.map((t) => [VALTYPE[t]]))];
  });
  const exports = funcs.flatMap((fn, i) =>
    fn.exportName ? [[...name(fn.exportName), 0x00, ...uleb(i)]] : [],
  );
  const code = funcs.map((fn) => {
    const body = [...encodeLocals(fn.locals), ...encodeBody(fn, funcIndex, globalIndex), 0x0b];
    return [...uleb(body.length), ...body];
  });
  return Uint8Array.from([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...section(1, vec(typeSection)),
    ...section(2, imports.length ? vec(imports) : []),
    ...section(3, vec(typeOf.map((t) => uleb(t)))),
    ...section(6, globals.length ? vec(globals) : []),
    ...section(7, vec(exports)),
    ...section(10, vec(code)),
    ...nameSection(funcs),
  ]);
}

/**
 * The custom `name` section's function names (subsection 1): each function's `$name`, else its export
 * name, so that CPU profiles and stack traces show `cbowStep` instead of `wasm-function[7]`. It changes
 * nothing the module does.
 */
function nameSection(funcs: readonly FuncDef[]): number[] {
  const named = funcs.flatMap((fn, i) => {
    const label = fn.name ? fn.name.slice(1) : fn.exportName;
    return label ? [[...uleb(i), ...name(label)]] : [];
  });
  if (named.length === 0) return [];
  const names = vec(named);
  return section(0, [...name('name'), 1, ...uleb(names.length), ...names]);
}

function encodeConst(op: string, value: string): number[] {
  if (op === 'i32.const') return [0x41, ...sleb(BigInt.asIntN(32, parseNumber(value)))];
  if (op === 'i64.const') return [0x42, ...sleb(BigInt.asIntN(64, parseNumber(value)))];
  if (op === 'f32.const') {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, Number(value), true);
    return [0x43, ...b];
  }
  if (op === 'f64.const') {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setFloat64(0, Number(value), true);
    return [0x44, ...b];
  }
  throw new InvalidArgumentError(`WAT: unsupported constant ${op}`);
}

function encodeLocals(locals: string[]): number[] {
  const groups: number[][] = [];
  for (let i = 0; i < locals.length; ) {
    let j = i;
    while (j < locals.length && locals[j] === locals[i]) j++;
    groups.push([...uleb(j - i), VALTYPE[locals[i]]]);
    i = j;
  }
  return vec(groups);
}

function encodeBody(fn: FuncDef, funcIndex: Map<string, number>, globalIndex: Map<string, number>): number[] {
  const localNames = [...fn.paramNames, ...fn.localNames];
  const out: number[] = [];
  const labels: string[] = [];
  const body = fn.body;
  const where = () => `in function ${fn.name || '(anonymous)'}`;
  const index = (token: Node | undefined, names: string[] | Map<string, number>, what: string): number => {
    if (typeof token !== 'string') throw new InvalidArgumentError(`WAT: expected a ${what} ${where()}`);
    if (!token.startsWith('$')) return Number(token);
    const i = Array.isArray(names) ? names.indexOf(token) : (names.get(token) ?? -1);
    if (i < 0) throw new InvalidArgumentError(`WAT: unknown ${what} ${token} ${where()}`);
    return i;
  };
  for (let i = 0; i < body.length; i++) {
    const op = body[i];
    if (typeof op !== 'string')
      throw new InvalidArgumentError(`WAT: folded instructions are not supported ${where()}`);
    if (op === 'block' || op === 'loop' || op === 'if') {
      let label = '';
      if (typeof body[i + 1] === 'string' && (body[i + 1] as string).startsWith('$'))
        label = body[++i] as string;
      let blockType = 0x40;
      if (head(body[i + 1]) === 'result') blockType = VALTYPE[(body[++i] as Node[])[1] as string];
      labels.push(label);
      out.push(op === 'block' ? 0x02 : op === 'loop' ? 0x03 : 0x04, blockType);
    } else if (op === 'else') {
      out.push(0x05);
    } else if (op === 'end') {
      labels.pop();
      out.push(0x0b);
    } else if (op === 'br' || op === 'br_if') {
      const target = body[++i] as string;
      const depth = target.startsWith('$') ? labels.length - 1 - labels.lastIndexOf(target) : Number(target);
      if (target.startsWith('$') && !labels.includes(target)) {
        throw new InvalidArgumentError(`WAT: unknown label ${target} ${where()}`);
      }
      out.push(op === 'br' ? 0x0c : 0x0d, ...uleb(depth));
    } else if (op === 'local.get' || op === 'local.set' || op === 'local.tee') {
      const code = op === 'local.get' ? 0x20 : op === 'local.set' ? 0x21 : 0x22;
      out.push(code, ...uleb(index(body[++i], localNames, 'local')));
    } else if (op === 'global.get' || op === 'global.set') {
      out.push(op === 'global.get' ? 0x23 : 0x24, ...uleb(index(body[++i], globalIndex, 'global')));
    } else if (op === 'call') {
      out.push(0x10, ...uleb(index(body[++i], funcIndex, 'function')));
    } else if (op === 'i32.const' || op === 'i64.const' || op === 'f32.const' || op === 'f64.const') {
      out.push(...encodeConst(op, body[++i] as string));
    } else if (op in MEMORY) {
      const [bytes, natural] = MEMORY[op];
      let offset = 0;
      let align = natural;
      while (typeof body[i + 1] === 'string' && /^(offset|align)=/.test(body[i + 1] as string)) {
        const [key, value] = (body[++i] as string).split('=');
        if (key === 'offset') offset = Number(value);
        else align = Math.log2(Number(value));
      }
      out.push(...bytes, ...uleb(align), ...uleb(offset));
    } else if (op === 'i8x16.shuffle') {
      const lanes = body.slice(i + 1, i + 17).map(Number);
      if (lanes.length !== 16 || lanes.some((l) => !Number.isInteger(l) || l < 0 || l > 31)) {
        throw new InvalidArgumentError(`WAT: i8x16.shuffle needs 16 lane indices in [0, 31] ${where()}`);
      }
      out.push(...SHUFFLE, ...lanes);
      i += 16;
    } else if (op in LANE) {
      out.push(...LANE[op], Number(body[++i] as string));
    } else if (op in PLAIN) {
      out.push(...PLAIN[op]);
    } else {
      throw new InvalidArgumentError(`WAT: unknown instruction ${op} ${where()}`);
    }
  }
  return out;
}
