/**
 * The fast paths of the vector readers (bytes parsed in place, four fraction digits at a time, a
 * branch-free sign, the float32 bits of binary records copied as integers, the reader's duplicate
 * set reused as the word index) against the straightforward reading: split lines and fields, then
 * `Math.fround(Number(token))`. Bit for bit, on a varied fixture larger than one 4 MB read window.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FormatError } from '../src/errors.js';
import { ByteChunks } from '../src/formats/byte-chunks.js';
import { formatShortestFloat32 } from '../src/formats/decimal.js';
import { readHeader } from '../src/formats/detect-format.js';
import { type InvalidUtf8, RowBatch, type VectorFileWarning } from '../src/formats/row-batch.js';
import { allDigits, checkTextTail, fourDigits, parseTextRows } from '../src/formats/text-rows.js';
import { TEXT_ROWS_WAT } from '../src/formats/text-rows-wat.js';
import { loadVectors } from '../src/formats/vector-files.js';
import { WordSet } from '../src/formats/word-set.js';
import { checkBinaryTail, parseBinaryRows } from '../src/formats/word2vec-binary.js';
import { KeyedVectors } from '../src/query/keyed-vectors.js';
import { createRandom } from '../src/random.js';
import { compileKernel } from '../src/wasm/runtime.js';

const dir = mkdtempSync(join(tmpdir(), 'wordvec-fast-path-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const file = (content: string | Buffer) => {
  const path = join(dir, `f${files++}`);
  writeFileSync(path, content);
  return path;
};

/** The straightforward reading of one value token (nan/inf as C and Python spell them). */
function referenceValue(token: string): number {
  if (/^[+-]?nan$/i.test(token)) return Number.NaN;
  return Math.fround(Number(token.replace(/^([+-]?)inf(inity)?$/i, '$1Infinity')));
}

/** The straightforward reading of a whole text file: lines, fields split on spaces, `Number` per value. */
function referenceParse(text: string, header: boolean): { words: string[]; vectors: Float32Array } {
  const lines = text.split('\n').map((l) => l.replace(/[ \r]+$/, ''));
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  const rows = lines.slice(header ? 1 : 0).map((l) => l.split(' ').filter((f) => f !== ''));
  const values = rows.flatMap((fields) => fields.slice(1).map(referenceValue));
  return { words: rows.map((fields) => fields[0]), vectors: Float32Array.from(values) };
}

/** One value in a random shape: fixed decimals, exponents, many digits, signs, zeros, extremes. */
function randomToken(rand: () => number): string {
  const v = (rand() * 2 - 1) * 10 ** Math.floor(rand() * 14 - 9);
  switch (Math.floor(rand() * 16)) {
    case 0:
    case 1:
    case 2:
    case 3:
      return v.toFixed(6); // the common shape (word2vec.c, glove.c)
    case 4:
      return v.toFixed(Math.floor(rand() * 12)); // 0 to 11 decimals: runs of 4 digits and leftovers
    case 5:
      return v.toExponential(Math.floor(rand() * 9));
    case 6:
      return v.toExponential(Math.floor(rand() * 9)).toUpperCase();
    case 7:
      return v.toPrecision(1 + Math.floor(rand() * 21)); // up to 21 significant digits
    case 8:
      return formatShortestFloat32(v);
    case 9:
      return v.toFixed(13 + Math.floor(rand() * 8)); // past the 15 digits of the exact path
    case 10:
      return ['-0', '-0.000000', '0', '0.0000', '-0.0', '.5', '-.25', '5.', '+1.5', '007.50'][
        Math.floor(rand() * 10)
      ];
    case 11:
      return ['1e-45', '-1.4e-45', '3.4028235e38', '3.4028236e38', '1e39', '-1e-50', '1e+5', '2E-3'][
        Math.floor(rand() * 8)
      ];
    case 12:
      return ['nan', '-inf', 'Infinity', 'NaN', 'inf'][Math.floor(rand() * 5)];
    case 13:
      return `${Math.floor(rand() * 1e6)}`; // integers
    case 14:
      return `0.${String(Math.floor(rand() * 1e9)).padStart(9, '0')}99999999`; // 17 fraction digits
    default:
      return String(v);
  }
}

const WORDS = ['w', 'é', '東京', '😀', 'naïve', 'x-y', "l'été", 'Ω', '1.5', '-3'];

/** A text file body: varied words, values, separators (runs of spaces), trailing spaces, LF and CRLF. */
function fixture(rows: number, dim: number, seed: number, header: boolean): string {
  const rand = createRandom(seed);
  const lines: string[] = header ? [`${rows} ${dim}`] : [];
  for (let r = 0; r < rows; r++) {
    const word = `${WORDS[r % WORDS.length]}${r}`;
    let line = word;
    for (let d = 0; d < dim; d++) line += `${rand() < 0.05 ? '   ' : ' '}${randomToken(rand)}`;
    if (rand() < 0.2) line += ' '.repeat(1 + Math.floor(rand() * 3)); // word2vec.c / fastText trailing space
    lines.push(line + (rand() < 0.3 ? '\r' : ''));
  }
  return `${lines.join('\n')}\n`;
}

/** The float32 bits of `v`, so -0, NaN and every last bit count. */
const bits = (v: Float32Array) => new Int32Array(v.buffer, v.byteOffset, v.length);

function expectSameRows(kv: KeyedVectors, ref: { words: string[]; vectors: Float32Array }): void {
  expect(kv.words).toEqual(ref.words);
  expect(kv.vectors.length).toBe(ref.vectors.length);
  const got = bits(kv.vectors);
  const want = bits(ref.vectors);
  const wrong: string[] = [];
  for (let i = 0; i < want.length && wrong.length < 10; i++) {
    if (got[i] !== want[i]) wrong.push(`value ${i}: ${kv.vectors[i]} vs ${ref.vectors[i]}`);
  }
  expect(wrong).toEqual([]);
}

describe('fast text path equals the straightforward parse, bit for bit', () => {
  it('GloVe text over several read windows (varied values, unicode words, CRLF, trailing spaces)', async () => {
    const text = fixture(45000, 11, 5, false);
    expect(Buffer.byteLength(text)).toBeGreaterThan(5 << 20); // crosses the 4 MB window at least once
    const kv = await loadVectors(file(text));
    expectSameRows(kv, referenceParse(text, false));
  });

  it('word2vec text with a header', async () => {
    const text = fixture(3000, 7, 9, true);
    const kv = await loadVectors(file(text));
    expectSameRows(kv, referenceParse(text, true));
  });

  it('the four-digit steps at every offset before the end of a line, with and without CR', async () => {
    const cases: string[] = [];
    for (let digits = 0; digits <= 12; digits++) {
      const frac = '123456789012'.slice(0, digits);
      for (const end of ['', ' ', '\r', ' \r', '  ']) cases.push(`a 0.${frac} -7.${frac}${end}`);
    }
    const text = cases.map((line, i) => line.replace(/^a/, `w${i}`)).join('\n');
    const kv = await loadVectors(file(text), { format: 'glove' });
    expectSameRows(kv, referenceParse(text, false));
  });

  it('allDigits and fourDigits agree with a byte-by-byte reading on every 4-byte pattern we can sample', () => {
    const rand = createRandom(11);
    const view = new DataView(new ArrayBuffer(4));
    const pick = () => {
      const r = rand();
      // mostly digits and their neighbours in ASCII, some bytes anywhere
      return r < 0.6
        ? 48 + Math.floor(rand() * 10)
        : r < 0.9
          ? 40 + Math.floor(rand() * 30)
          : Math.floor(rand() * 256);
    };
    const wrong: string[] = [];
    for (let i = 0; i < 200000; i++) {
      const b = [pick(), pick(), pick(), pick()];
      for (let k = 0; k < 4; k++) view.setUint8(k, b[k]);
      const x = view.getUint32(0, true);
      const digits = b.every((c) => c >= 48 && c <= 57);
      if (allDigits(x) !== digits) wrong.push(`allDigits ${b}`);
      else if (digits && fourDigits(x) !== Number(String.fromCharCode(...b))) wrong.push(`fourDigits ${b}`);
    }
    expect(wrong).toEqual([]);
  });
});

describe('binary records: the float32 bits survive exactly', () => {
  it('-0, subnormals, extremes, infinities and NaN payloads', async () => {
    const patterns = [
      0x80000000, 0x00000001, 0x807fffff, 0x7f7fffff, 0xff800000, 0x7f800000, 0x7fc00000, 0x7fa00001,
      0xffc12345, 0x3f800000,
    ];
    const dim = patterns.length;
    const rows = ['zero', 'é', '😀'];
    const parts: Buffer[] = [Buffer.from(`${rows.length} ${dim}\n`)];
    for (const [r, word] of rows.entries()) {
      const vec = Buffer.alloc(4 * dim);
      for (let d = 0; d < dim; d++) vec.writeUInt32LE(patterns[(d + r) % dim] >>> 0, 4 * d);
      parts.push(Buffer.from(`${word} `), vec, Buffer.from('\n'));
    }
    const kv = await loadVectors(file(Buffer.concat(parts)));
    expect(kv.words).toEqual(rows);
    const got = Array.from(bits(kv.vectors), (b) => b >>> 0);
    const want = rows.flatMap((_, r) => patterns.map((_, d) => patterns[(d + r) % dim] >>> 0));
    expect(got).toEqual(want);
  });
});

describe('the reader’s duplicate set is the word index of what it loads', () => {
  it('look-ups by every word, absent words, and duplicates (first kept)', async () => {
    const text = fixture(2000, 3, 13, false);
    const dup = `${text}${WORDS[0]}0 1 2 3\n`; // a repeat of the first word, ignored with a warning
    const warnings: string[] = [];
    const kv = await loadVectors(file(dup), { onWarning: (w) => warnings.push(w.message) });
    expect(warnings).toHaveLength(1);
    expect(kv.size).toBe(2000);
    expect(kv.words.every((w, i) => kv.index(w) === i && kv.has(w))).toBe(true);
    expect(kv.index('absent')).toBe(-1);
    expect(kv.has('w')).toBe(false);
  });

  it('an index that does not match the words is refused', () => {
    const vectors = new Float32Array(4);
    const init = { words: ['a', 'b'], vectors, dim: 2 };
    expect(() => new KeyedVectors({ ...init, index: new Map([['a', 0]]) })).toThrow(/holds 1 words/);
    expect(
      () =>
        new KeyedVectors({
          ...init,
          index: new Map([
            ['a', 1],
            ['b', 0],
          ]),
        }),
    ).toThrow(/index does not match words/);
    expect(() => new KeyedVectors({ words: ['a', 'a'], vectors, dim: 2 })).toThrow(
      'duplicate word "a" at rows 0 and 1',
    );
  });
});

describe('malformed values still get their errors (line and value named, never a stack trace)', () => {
  const cases: [string, number, RegExp][] = [
    ['a 1.5 2.5\nb 1.2.3 4\n', 2, /value 1 "1\.2\.3" is not a number/],
    ['a 1.5 2.5\nb 0.1234x 4\n', 2, /value 1 "0\.1234x" is not a number/],
    ['a 1.5 2.5\nb 4 0.12345678-9\n', 2, /value 2 "0\.12345678-9" is not a number/],
    ['a 1.5 2.5\nb - 4\n', 2, /value 1 "-" is not a number/],
    ['a 1.5 2.5\nb --1 4\n', 2, /value 1 "--1" is not a number/],
    ['a 1.5 2.5\nb 1e 4\n', 2, /value 1 "1e" is not a number/],
    ['a 1.5 2.5\nb 1.0000\u00a02 4\r\n', 2, /value 1 .* is not a number/],
    ['a 1.5 2.5\r\nb 1.5\r\n', 2, /expected 2 values after the word "b", found 1/],
    ['a 1.5 2.5\nb 1.5 2.5 0.0000\n', 2, /expected 2 values after the word "b", found 3/],
  ];
  for (const [content, line, message] of cases) {
    it(JSON.stringify(content), async () => {
      const err = await loadVectors(file(content), { format: 'glove' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(FormatError);
      const e = err as FormatError;
      expect(e.line).toBe(line);
      expect(e.message).toMatch(message);
      expect(e.message).not.toMatch(/\n\s+at /);
    });
  }
});

/** Everything a text read ends with: rows, warnings and the error, if any. */
interface ReadOutcome {
  words: string[];
  bits: number[];
  warnings: string[];
  error?: string;
}

/**
 * Reads a text file as the reader does (header, window fills, the declared count, the tail check) with
 * the WebAssembly rows on or off, through a window of `window` bytes so rows straddle the refills.
 */
async function readText(path: string, fast: boolean, window: number, invalidUtf8?: InvalidUtf8) {
  const chunks = await ByteChunks.open(path, window);
  const warnings: string[] = [];
  const outcome: ReadOutcome = { words: [], bits: [], warnings };
  try {
    const head = await readHeader(chunks, path);
    const onWarning = (w: VectorFileWarning) => warnings.push(`${w.line}: ${w.message}`);
    const batch = new RowBatch(path, head.dim, { capacity: 100000, invalidUtf8, onWarning });
    const cursor = { line: head.headerLines, blankLine: 0 };
    const stopAt = head.count ?? Number.POSITIVE_INFINITY;
    for (;;) {
      parseTextRows(chunks, batch, cursor, stopAt, fast);
      if (batch.rowsRead >= stopAt || chunks.eof) break;
      await chunks.fill();
    }
    if (batch.rowsRead === head.count) {
      if (chunks.start === chunks.end) await chunks.fill();
      checkTextTail(chunks, batch, cursor);
    }
    const { words, vectors } = batch.finish();
    outcome.words = words;
    outcome.bits = Array.from(bits(vectors));
  } catch (err) {
    outcome.error = (err as Error).message;
  } finally {
    await chunks.close();
  }
  return outcome;
}

describe('the WebAssembly rows and the general parser agree byte for byte on awkward input', () => {
  const cases: Record<string, string | Buffer> = {
    'CRLF and trailing spaces': 'a 1.5 -2.25\r\nb 0.125 3 \r\nc -0 -0.000000  \r\n',
    'tabs in words and between values': 'a\tb 1 2\nc 1\t2 3\n',
    'a tab only in a word': 'x\ty 1 2\nz 3 4\n',
    exponents: 'a 1e-05 2E+3\nb -1.5e10 3.4028236e38\nc 1e39 -1e-50\n',
    "'-0' and zeros": 'a -0 -0.0\nb 0 0.000000\nc -0.000000 00.00\n',
    'no newline at the end': 'a 1 2\nb 3.5 -4.25',
    'invalid UTF-8 in a word': Buffer.concat([
      Buffer.from('ok 1 2\nbad'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from(' 3 4\né 5 6\n'),
    ]),
    'a header that declares fewer rows': '2 2\na 1 2\nb 3 4\nc 5 6\n',
    'a header that declares more rows': '5 2\na 1 2\nb 3 4\n',
    'duplicates, kept first': 'a 1 2\nb 3 4\na 5 6\nb 7 8\n',
    'signs, points and long digit runs': 'a +1.5 .5\nb 5. -.25\nc 0.12345678901234567 123456789012345678\n',
    'nan and inf': 'a nan -inf\nb Infinity NaN\n',
    'a wrong column count': 'a 1 2\nb 3\n',
    'a blank line inside': 'a 1 2\n\nb 3 4\n',
    'blank lines at the end': 'a 1 2\nb 3 4\n\n\r\n\n',
    'a lone CR inside a line': 'a 1\r2 3\n',
    'a word alone': 'a 1 2\nb\n',
    'an empty word': 'a 1 2\n 3 4\n',
    'a control character in a word': 'a 1 2\nb\u0001c 3 4\nd\u007f 5 6\n',
  };
  const rand = createRandom(21);
  cases['random rows of every shape'] = fixture(400, 5, 17, false);
  cases['random rows with a header'] = fixture(300, 4, 19, true);
  // about 100 KB a row: longer than the 64 KB kept in front of the bytes read ahead
  cases['rows longer than the read-ahead reserve'] =
    `w ${Array.from({ length: 9000 }, () => randomToken(rand)).join(' ')}\nv ${'1 '.repeat(8999)}2\n`;

  for (const [name, content] of Object.entries(cases)) {
    it(name, async () => {
      const path = file(content);
      for (const invalidUtf8 of ['error', 'replace'] as const) {
        for (const window of [16, 61, 4096]) {
          const general = await readText(path, false, window, invalidUtf8);
          const fast = await readText(path, true, window, invalidUtf8);
          expect(fast).toEqual(general);
        }
      }
    });
  }

  it('reads what the straightforward parse reads on a file of the common shape', async () => {
    expect(compileKernel(TEXT_ROWS_WAT)).not.toBeNull(); // the fast path is really there to compare

    const text = fixture(2000, 9, 23, false);
    const fast = await readText(file(text), true, 4096);
    const ref = referenceParse(text, false);
    expect(fast.words).toEqual(ref.words);
    expect(fast.bits).toEqual(Array.from(bits(ref.vectors)));
  });
});

/**
 * Reads a word2vec binary file as the reader does (header, window fills, the declared count, the tail
 * check) with the WebAssembly records on or off, through a window of `window` bytes.
 */
async function readBinary(path: string, fast: boolean, window: number): Promise<ReadOutcome> {
  const chunks = await ByteChunks.open(path, window);
  const warnings: string[] = [];
  const outcome: ReadOutcome = { words: [], bits: [], warnings };
  try {
    const head = await readHeader(chunks, path, 'word2vec-binary');
    const onWarning = (w: VectorFileWarning) => warnings.push(`${w.offset}: ${w.message}`);
    const batch = new RowBatch(path, head.dim, { capacity: 100000, onWarning });
    batch.binary = true;
    const stopAt = head.count ?? Number.POSITIVE_INFINITY;
    for (;;) {
      parseBinaryRows(chunks, batch, stopAt, fast);
      if (batch.rowsRead >= stopAt || chunks.eof) break;
      await chunks.fill();
    }
    if (batch.rowsRead === head.count) {
      if (chunks.start === chunks.end) await chunks.fill();
      checkBinaryTail(chunks, batch);
    }
    const { words, vectors } = batch.finish();
    outcome.words = words;
    outcome.bits = Array.from(bits(vectors));
    outcome.error = batch.rowsRead < stopAt ? `ended after ${batch.rowsRead}` : undefined;
  } catch (err) {
    outcome.error = (err as Error).message;
  } finally {
    await chunks.close();
  }
  return outcome;
}

/** A word2vec binary file: the header, then each word, a space, its float32 bits and `after` (a newline or nothing). */
function binaryFile(
  records: [word: string | Buffer, values: number[]][],
  dim: number,
  after = '\n',
  count = records.length,
): Buffer {
  const parts: Buffer[] = [Buffer.from(`${count} ${dim}\n`)];
  for (const [word, values] of records) {
    const vec = Buffer.alloc(4 * values.length);
    for (let d = 0; d < values.length; d++) vec.writeUInt32LE(values[d] >>> 0, 4 * d);
    parts.push(
      typeof word === 'string' ? Buffer.from(word) : word,
      Buffer.from(' '),
      vec,
      Buffer.from(after),
    );
  }
  return Buffer.concat(parts);
}

/** The records of a {@link binaryFile}, its header line dropped. */
const withoutHeader = (b: Buffer) => b.subarray(b.indexOf(10) + 1);

describe('the WebAssembly binary records and the JavaScript loop agree bit for bit on awkward input', () => {
  const rand = createRandom(31);
  const values = (dim: number) => Array.from({ length: dim }, () => Math.floor(rand() * 2 ** 32));
  const random = (n: number, dim: number, after: string) =>
    binaryFile(
      Array.from({ length: n }, (_, r) => [
        `${WORDS[r % WORDS.length]}${r}`.slice(0, 1 + (r % 13)),
        values(dim),
      ]),
      dim,
      after,
    );
  const cases: Record<string, Buffer> = {
    'word2vec.c records (a newline after each vector)': random(300, 5, '\n'),
    'gensim records (no newline)': random(300, 7, ''),
    'dim 1 (4-byte copies only)': random(50, 1, ''),
    'dim 17 (16-byte copies, then 4-byte ones)': random(120, 17, '\n'),
    'NaN payloads, -0 and infinities': binaryFile(
      [
        ['a', [0x7fa00001, 0x80000000, 0xff800000]],
        ['b', [0xffc12345, 0x7f800000, 0x00000001]],
      ],
      3,
    ),
    'UTF-8, invalid UTF-8 and control characters in words': binaryFile(
      [
        ['é', values(4)],
        [Buffer.from([0x62, 0xff, 0x63]), values(4)],
        ['x\u0001y', values(4)],
        ['ok', values(4)],
      ],
      4,
    ),
    'duplicates, kept first': binaryFile(
      [
        ['a', values(2)],
        ['b', values(2)],
        ['a', values(2)],
      ],
      2,
    ),
    'a header that declares fewer records': binaryFile(
      [
        ['a', values(2)],
        ['b', values(2)],
        ['c', values(2)],
      ],
      2,
      '\n',
      2,
    ),
    'a header that declares more records': binaryFile([['a', values(2)]], 2, '\n', 3),
    // The header counts one record more than the whole ones: the reader must find the broken last one.
    'a truncated last vector': Buffer.concat([
      Buffer.from('21 3\n'),
      withoutHeader(random(20, 3, '\n')),
      Buffer.from('tail '),
      Buffer.alloc(7),
    ]),
    'a word and no vector at the end': Buffer.concat([
      Buffer.from('21 3\n'),
      withoutHeader(random(20, 3, '\n')),
      Buffer.from('tail'),
    ]),
    'records past the declared count': Buffer.concat([
      random(20, 3, '\n'),
      Buffer.from('tail '),
      Buffer.alloc(12),
    ]),
    'several newlines between records': binaryFile(
      [
        ['a', values(2)],
        ['b', values(2)],
      ],
      2,
      '\n\n\n',
    ),
  };

  for (const [name, content] of Object.entries(cases)) {
    it(name, async () => {
      expect(compileKernel(TEXT_ROWS_WAT)).not.toBeNull(); // the fast path is really there to compare
      const path = file(content);
      for (const window of [16, 61, 4096]) {
        const general = await readBinary(path, false, window);
        const fast = await readBinary(path, true, window);
        expect(fast).toEqual(general);
        // What the reading should end in: an error for the broken files, words for the others.
        if (/truncated|no vector|more records/.test(name))
          expect(general.error).toMatch(/truncated|declares|ended/);
        else if (/invalid UTF-8/.test(name)) expect(general.error).toMatch(/UTF-8/);
        else {
          expect(general.error).toBeUndefined();
          expect(general.words.length).toBeGreaterThan(0);
        }
        if (/fewer|past the declared/.test(name)) expect(general.warnings.join()).toMatch(/file goes on/);
      }
    });
  }
});

describe('WordSet: words added as bytes and as strings, decoded later', () => {
  it('tells words apart and finds repeats when every word has the same hash, pending or decoded', () => {
    const set = new WordSet(4);
    const bytes = (w: string) => Buffer.from(w, 'latin1');
    const addAscii = (w: string) => set.addAscii(bytes(`<${w}>`), 1, w.length + 1, 7);
    expect(addAscii('ab')).toBe(true);
    expect(set.add('é', 7)).toBe(true);
    expect(addAscii('a')).toBe(true);
    expect(addAscii('abc')).toBe(true);
    expect(addAscii('ab')).toBe(false); // pending bytes against pending bytes
    expect(set.add('é', 7)).toBe(false); // a string among pending words
    expect(set.add('ab', 7)).toBe(false); // a string against pending bytes
    expect(set.words).toEqual(['ab', 'é', 'a', 'abc']);
    expect(addAscii('abc')).toBe(false); // bytes against decoded strings
    expect(set.add('a', 7)).toBe(false);
    expect(addAscii('b')).toBe(true);
    expect(set.add('ü', 7)).toBe(true);
    expect(set.words).toEqual(['ab', 'é', 'a', 'abc', 'b', 'ü']);
    expect(set.size).toBe(6); // (look-ups hash the word themselves, so they are tested with real hashes above)
  });
});
