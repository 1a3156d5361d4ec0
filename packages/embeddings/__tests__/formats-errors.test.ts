import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FormatError } from '../src/errors.js';
import {
  loadVectors,
  saveVectors,
  streamVectors,
  type VectorFileWarning,
} from '../src/formats/vector-files.js';

const dir = mkdtempSync(join(tmpdir(), 'wordvec-format-errors-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const file = (content: string | Buffer) => {
  const path = join(dir, `f${n++}`);
  writeFileSync(path, content);
  return path;
};

/** Loads `path` and returns the FormatError it must raise. */
async function formatError(
  path: string,
  options: Parameters<typeof loadVectors>[1] = {},
): Promise<FormatError> {
  try {
    await loadVectors(path, options);
  } catch (err) {
    expect(err).toBeInstanceOf(FormatError);
    return err as FormatError;
  }
  throw new Error(`${path} loaded without error`);
}

describe('FormatError names file, line and what was wrong (text)', () => {
  it('wrong column count against the header', async () => {
    const path = file('2 3\na 1 2 3\nb 1 2\n');
    const e = await formatError(path);
    expect({ file: e.file, line: e.line }).toEqual({ file: path, line: 3 });
    expect(e.message).toBe(
      `${path}, line 3: expected 3 values after the word "b", found 2 (4 columns expected, 3 found)`,
    );
  });

  it('wrong column count in GloVe (the first line sets the dimension)', async () => {
    const path = file('a 1 2 3\nb 1 2 3\nc 1 2 3 4\n');
    const e = await formatError(path);
    expect(e.line).toBe(3);
    expect(e.detail).toMatch(/expected 3 values after the word "c", found 4/);
  });

  it('a row with a word and no values', async () => {
    const e = await formatError(file('1 2\nlonely\n'));
    expect(e.line).toBe(2);
    expect(e.detail).toMatch(/expected 2 values after the word "lonely", found 0/);
  });

  it('non-number, quoting the value and its position', async () => {
    const path = file('a 1 2\nb 1 x2\n');
    const e = await formatError(path);
    expect(e.message).toBe(`${path}, line 2: value 2 "x2" is not a number`);
  });

  it('dims that disagree with the header', async () => {
    const e = await formatError(file('1 4\na 1 2 3\n'));
    expect(e.line).toBe(2);
    expect(e.detail).toMatch(/expected 4 values .* found 3/);
  });

  it('fewer rows than the header says', async () => {
    const path = file('3 2\na 1 2\nb 3 4\n');
    const e = await formatError(path);
    expect(e.message).toBe(`${path}, line 4: the header declares 3 rows but the file ends after 2`);
  });

  it('a header that declares far more rows than the file could hold fails at the end, without a huge allocation', async () => {
    const path = file('99999999999 3\na 1 2 3\n');
    const e = await formatError(path);
    expect(e.message).toBe(`${path}, line 3: the header declares 99999999999 rows but the file ends after 1`);
  });

  it('an empty line inside the rows (trailing blank lines are fine)', async () => {
    expect((await loadVectors(file('a 1\nb 2\n\n\n'))).size).toBe(2);
    const e = await formatError(file('a 1\n\nb 2\n'));
    expect(e.line).toBe(2);
    expect(e.detail).toBe('empty line');
  });

  it('a forced header format without a header, and an empty file', async () => {
    const path = file('a 1 2\n');
    const e = await formatError(path, { format: 'word2vec' });
    expect(e.message).toBe(
      `${path}, line 1: expected a header "<count> <dim>" for format word2vec, found "a 1 2"`,
    );
    expect((await formatError(file(''))).detail).toBe('file is empty');
    expect((await formatError(file('justoneword\n'))).line).toBe(1);
  });

  it('invalid UTF-8 in a word', async () => {
    const path = file(Buffer.concat([Buffer.from('1 1\n'), Buffer.from([0xff, 0xfe]), Buffer.from(' 1\n')]));
    const e = await formatError(path);
    expect(e.line).toBe(2);
    expect(e.detail).toMatch(/word is not valid UTF-8 \(bytes ff fe\)/);
  });

  it('a missing file', async () => {
    const e = await formatError(join(dir, 'nope.txt'));
    expect(e.detail).toMatch(/cannot open/);
  });

  it('rows past the declared count are ignored with a warning, not an error', async () => {
    const warnings: VectorFileWarning[] = [];
    const kv = await loadVectors(file('1 1\na 1\nb 2\n'), { onWarning: (w) => warnings.push(w) });
    expect(kv.words).toEqual(['a']);
    expect(warnings).toMatchObject([{ line: 3 }]);
    expect(warnings[0].message).toMatch(/declares 1 rows but the file goes on/);
  });
});

describe('FormatError names file and byte offset (binary)', () => {
  const record = (word: string, values: number[]) =>
    Buffer.concat([Buffer.from(`${word} `), Buffer.from(new Float32Array(values).buffer), Buffer.from('\n')]);

  it('a truncated vector', async () => {
    const header = Buffer.from('2 3\n');
    const full = record('a', [1, 2, 3]);
    const cut = record('b', [4, 5, 6]).subarray(0, 2 + 7);
    const path = file(Buffer.concat([header, full, cut]));
    const e = await formatError(path, { format: 'word2vec-binary' });
    expect(e.offset).toBe(header.length + full.length);
    expect(e.line).toBeUndefined();
    expect(e.message).toBe(
      `${path}, byte ${header.length + full.length}: truncated record: the vector needs 12 bytes but only 7 remain`,
    );
  });

  it('a word without a vector at the end', async () => {
    const header = Buffer.from('2 1\n');
    const path = file(Buffer.concat([header, record('a', [1]), Buffer.from('orphan')]));
    const e = await formatError(path);
    expect(e.offset).toBe(header.length + 7);
    expect(e.detail).toMatch(/truncated record: 6 bytes of a word and no vector/);
  });

  it('fewer records than the header says', async () => {
    const path = file(Buffer.concat([Buffer.from('3 1\n'), record('a', [1]), record('b', [2])]));
    const e = await formatError(path, { format: 'word2vec-binary' });
    expect(e.offset).toBe(4 + 14);
    expect(e.detail).toBe('the header declares 3 rows but the file ends after 2');
  });

  it('invalid UTF-8 in a word, then replaced on request', async () => {
    const path = file(
      Buffer.concat([Buffer.from('2 1\n'), record('a', [1]), Buffer.from([0x80]), record('', [2])]),
    );
    const e = await formatError(path, { format: 'word2vec-binary' });
    expect(e.offset).toBe(4 + 7);
    const kv = await loadVectors(path, { format: 'word2vec-binary', invalidUtf8: 'replace' });
    expect(kv.words).toEqual(['a', '\ufffd']);
  });
});

describe('errors surface through streamVectors too', () => {
  it('header errors from header(), row errors while iterating', async () => {
    await expect(streamVectors(file(''), {}).header()).rejects.toThrow(/file is empty/);
    const stream = streamVectors(file('2 1\na 1\nb oops\n'));
    expect((await stream.header()).count).toBe(2);
    await expect(async () => {
      for await (const _ of stream);
    }).rejects.toThrow(/line 3: value 1 "oops" is not a number/);
  });

  it('saving to a directory that does not exist fails and leaves nothing behind', async () => {
    const kv = { words: ['a'], dim: 1, vectors: new Float32Array([1]) } as never;
    await expect(saveVectors(kv, join(dir, 'missing', 'x.txt'), { format: 'glove' })).rejects.toThrow(
      /ENOENT/,
    );
  });
});
