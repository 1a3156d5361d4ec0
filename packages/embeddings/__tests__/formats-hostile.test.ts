/**
 * Hostile vector files (issue 18): rows that made a parser super-linear, words too long to quote or
 * store, and words holding control or bidi characters. Timing is measured by `pnpm bench parsers`
 * (size doubling); these tests assert what the parsers do, and would hang for minutes without the fix.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FormatError, OovError } from '../src/errors.js';
import { parseDecimalText } from '../src/formats/decimal.js';
import {
  detectFormat,
  loadVectors,
  MAX_WORD_LENGTH,
  type VectorFileWarning,
} from '../src/formats/vector-files.js';
import { KeyedVectors } from '../src/query/keyed-vectors.js';
import { escapeUnsafeCharacters, hasUnsafeCharacters, quoteForMessage } from '../src/text/quote.js';

const dir = mkdtempSync(join(tmpdir(), 'wordvec-hostile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const file = (content: string | Buffer) => {
  const path = join(dir, `f${n++}`);
  writeFileSync(path, content);
  return path;
};

async function formatError(path: string): Promise<FormatError> {
  try {
    await loadVectors(path);
  } catch (err) {
    expect(err).toBeInstanceOf(FormatError);
    return err as FormatError;
  }
  throw new Error(`${path} loaded without error`);
}

describe('runs that made the parsers quadratic', () => {
  it('a GloVe row with 256 KB of spaces between word and value reads as one row', async () => {
    const path = file(Buffer.concat([Buffer.from('w'), Buffer.alloc(256 << 10, 32), Buffer.from('0.1\n')]));
    expect(await detectFormat(path)).toBe('glove');
    const kv = await loadVectors(path);
    expect(kv.words).toEqual(['w']);
    expect(kv.get('w')[0]).toBeCloseTo(0.1);
  });

  it('a row of 256 KB of trailing spaces after a word2vec header is judged text, not binary', async () => {
    const path = file(
      Buffer.concat([Buffer.from('1 2\nw 0.5 0.25'), Buffer.alloc(256 << 10, 32), Buffer.from('\r\n')]),
    );
    expect(await detectFormat(path)).toBe('word2vec');
    expect(Array.from((await loadVectors(path)).get('w'))).toEqual([0.5, 0.25]);
  });

  it('a 200,000-digit token that is not a number is a FormatError with a bounded message', async () => {
    const token = `${'1'.repeat(200_000)}x`;
    expect(parseDecimalText(token)).toBeUndefined();
    const e = await formatError(file(`w ${token}\n`));
    expect(e.line).toBe(1);
    expect(e.message).toMatch(/value 1 "1{60}…" \(200001 characters\) is not a number/);
    expect(e.message.length).toBeLessThan(300);
  });
});

describe('long words', () => {
  it('a 20 MB word is refused with a FormatError naming the line and the length', async () => {
    const e = await formatError(file(Buffer.concat([Buffer.from('1 4\n'), Buffer.alloc(20 << 20, 97)])));
    expect(e.line).toBe(2);
    expect(e.detail).toContain(`word of ${20 << 20} characters is longer than the maximum of 1000`);
    expect(e.message.length).toBeLessThan(300);
  });

  it(`a word of exactly ${MAX_WORD_LENGTH} characters is read; one more is refused (UTF-8 counted in characters)`, async () => {
    const ok = 'é'.repeat(MAX_WORD_LENGTH);
    expect((await loadVectors(file(`${ok} 1\n`))).words).toEqual([ok]);
    const e = await formatError(file(`a 1\n${ok}é 1\n`));
    expect(e.line).toBe(2);
    expect(e.detail).toContain(`word of ${MAX_WORD_LENGTH + 1} characters`);
  });

  it('the binary reader refuses a long word too, naming its byte offset', async () => {
    const word = Buffer.alloc(5000, 98);
    const record = Buffer.concat([word, Buffer.from(' '), Buffer.from(new Float32Array([1]).buffer)]);
    const e = await formatError(file(Buffer.concat([Buffer.from('1 1\n'), record])));
    expect(e.offset).toBe(4);
    expect(e.detail).toContain('word of 5000 characters');
  });

  it('messages quoting query words stay short (OovError)', () => {
    const kv = new KeyedVectors({ words: ['a'], vectors: new Float32Array([1]), dim: 1 });
    const word = 'z'.repeat(1 << 20);
    let error: unknown;
    try {
      kv.similarity('a', word);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(OovError);
    expect((error as OovError).message.length).toBeLessThan(200);
    expect((error as OovError).words[0]).toBe(word);
  });
});

describe('control and bidi characters in words', () => {
  const unsafe = [
    '\u001b[2Jx',
    'a\rb',
    'nul\u0000',
    'tab\there',
    'evil\u202etxt',
    'zw\u200bsp',
    'b\ufeffom',
    'l\u2028s',
    'i\u2066x',
  ];

  it('hasUnsafeCharacters flags controls, bidi overrides, isolates, zero-width space, BOM and separators', () => {
    for (const w of unsafe) expect(hasUnsafeCharacters(w), JSON.stringify(w)).toBe(true);
    for (const w of ['cat', 'naïve', 'می\u200cخواهم', 'क्\u200dष', '東京', "don't"])
      expect(hasUnsafeCharacters(w), w).toBe(false);
  });

  it('escapeUnsafeCharacters and quoteForMessage leave nothing a terminal would act on', () => {
    expect(escapeUnsafeCharacters('a\u001b[31mb\u202e')).toBe('a\\u001b[31mb\\u202e');
    for (const w of unsafe) expect(hasUnsafeCharacters(quoteForMessage(w))).toBe(false);
    // JSON output escaped this way still parses to the same text.
    expect(JSON.parse(escapeUnsafeCharacters(JSON.stringify('a\u0085\u202eb')))).toBe('a\u0085\u202eb');
    expect(quoteForMessage('say "hi"')).toBe('"say \\"hi\\""');
    expect(quoteForMessage('a'.repeat(100), 5)).toBe('"aaaaa…" (100 characters)');
    // A surrogate pair is not cut in half.
    expect(quoteForMessage(`abcd${'😀'.repeat(3)}`, 5)).toBe('"abcd…" (10 characters)');
  });

  it('text readers skip such a row with a warning, and keep the others', async () => {
    const rows = [
      'good 1 0',
      ...unsafe.filter((w) => !/[\t\r\u2028]/.test(w)).map((w) => `${w} 0 1`),
      'fine 0 1',
    ];
    const warnings: VectorFileWarning[] = [];
    const kv = await loadVectors(file(`${rows.join('\n')}\n`), { onWarning: (w) => warnings.push(w) });
    expect(kv.words).toEqual(['good', 'fine']);
    expect(warnings).toHaveLength(rows.length - 2);
    expect(warnings[0]).toMatchObject({ line: 2, word: '\u001b[2Jx' });
    expect(warnings[0].message).toBe(
      'word "\\u001b[2Jx" on line 2 contains control/format characters: row skipped',
    );
    for (const w of warnings) expect(hasUnsafeCharacters(w.message)).toBe(false);
  });

  it('the binary reader skips such a record with a warning naming its byte offset', async () => {
    const rec = (w: string) =>
      Buffer.concat([Buffer.from(`${w} `), Buffer.from(new Float32Array([1, 2]).buffer), Buffer.from('\n')]);
    const warnings: VectorFileWarning[] = [];
    const kv = await loadVectors(
      file(Buffer.concat([Buffer.from('3 2\n'), rec('a'), rec('x\u001b[0m\ry'), rec('b')])),
      { onWarning: (w) => warnings.push(w) },
    );
    expect(kv.words).toEqual(['a', 'b']);
    expect(warnings.map((w) => w.offset)).toEqual([4 + 2 + 8 + 1]);
    expect(warnings[0].message).toContain('contains control/format characters');
  });
});
