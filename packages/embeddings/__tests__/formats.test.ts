import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../src/errors.js';
import {
  detectFormat,
  loadVectors,
  saveVectors,
  streamVectors,
  VECTOR_FORMATS,
  type VectorFileWarning,
} from '../src/formats/vector-files.js';
import { KeyedVectors } from '../src/query/keyed-vectors.js';
import { createRandom } from '../src/random.js';

const dir = mkdtempSync(join(tmpdir(), 'wordvec-formats-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, content?: string | Buffer) => {
  const path = join(dir, name);
  if (content !== undefined) writeFileSync(path, content);
  return path;
};

/** Seeded vectors with words that exercise UTF-8 (accents, CJK, emoji) and values of many magnitudes. */
function sampleVectors(rows: number, dim: number, seed = 1): KeyedVectors {
  const rand = createRandom(seed);
  const extra = ['café', 'naïve', '日本', 'straße', '🙂', "don't", 'well-known'];
  const words = Array.from({ length: rows }, (_, i) => (i < extra.length ? extra[i] : `w${i}`));
  const vectors = new Float32Array(rows * dim);
  for (let i = 0; i < vectors.length; i++) vectors[i] = (rand() * 2 - 1) * 10 ** Math.floor(rand() * 4 - 2);
  vectors[3] = -0;
  return new KeyedVectors({ words, vectors, dim });
}

describe('round trips', () => {
  const kv = sampleVectors(300, 7);

  it('word2vec-binary keeps every float32 bit and every word', async () => {
    const path = file('rt.bin');
    await saveVectors(kv, path, { format: 'word2vec-binary' });
    expect(await detectFormat(path)).toBe('word2vec-binary');
    const back = await loadVectors(path);
    expect(back.words).toEqual(kv.words);
    expect(Buffer.from(back.vectors.buffer).equals(Buffer.from(kv.vectors.buffer))).toBe(true);
  });

  for (const format of ['word2vec', 'glove', 'fasttext-vec'] as const) {
    it(`${format}: 6 decimals by default; load → save gives the same bytes`, async () => {
      const path = file(`rt-${format}.${format === 'fasttext-vec' ? 'vec' : 'txt'}`);
      await saveVectors(kv, path, { format });
      expect(await detectFormat(path)).toBe(format);
      const back = await loadVectors(path);
      expect(back.words).toEqual(kv.words);
      const wrong = [...kv.vectors].filter(
        (v, i) => Math.abs(back.vectors[i] - v) > 5e-7 * (1 + Math.abs(v)),
      );
      expect(wrong).toEqual([]);
      const again = file(`rt-${format}-again`);
      await saveVectors(back, again, { format });
      expect(readFileSync(again).equals(readFileSync(path))).toBe(true);
    });
  }

  it('writes the line shapes of each tool: word2vec header, GloVe none, fastText trailing space, -0 signed', async () => {
    const small = new KeyedVectors({
      words: ['a', 'b'],
      dim: 2,
      vectors: new Float32Array([1, -0, 0.25, -1.5]),
    });
    await saveVectors(small, file('s.w2v'), { format: 'word2vec' });
    await saveVectors(small, file('s.glove'), { format: 'glove', precision: 2 });
    await saveVectors(small, file('s.vec'), { format: 'fasttext-vec' });
    expect(readFileSync(file('s.w2v'), 'utf8')).toBe('2 2\na 1.000000 -0.000000\nb 0.250000 -1.500000\n');
    expect(readFileSync(file('s.glove'), 'utf8')).toBe('a 1.00 -0.00\nb 0.25 -1.50\n');
    expect(readFileSync(file('s.vec'), 'utf8')).toBe('2 2\na 1.000000 -0.000000 \nb 0.250000 -1.500000 \n');
  });

  it("precision 'shortest' is lossless in text", async () => {
    const path = file('shortest.txt');
    await saveVectors(kv, path, { format: 'glove', precision: 'shortest' });
    const back = await loadVectors(path);
    expect(Buffer.from(back.vectors.buffer).equals(Buffer.from(kv.vectors.buffer))).toBe(true);
  });

  it('gzip: written when the name ends in .gz, read by content for every format', async () => {
    // fastText's .bin is never gzipped (see the fastText .bin tests for how that is refused).
    for (const format of VECTOR_FORMATS.filter((f) => f !== 'fasttext-bin')) {
      const path = file(`gz-${format}.gz`);
      await saveVectors(kv, path, { format });
      expect(readFileSync(path).subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
      expect(await detectFormat(path)).toBe(format === 'fasttext-vec' ? 'word2vec' : format);
      const back = await loadVectors(path, { format });
      expect(back.words).toEqual(kv.words);
    }
  });

  it('rejects words that cannot be written and unknown formats or precisions', async () => {
    const bad = new KeyedVectors({ words: ['ok', 'two words'], dim: 1, vectors: new Float32Array([1, 2]) });
    await expect(saveVectors(bad, file('bad.txt'), { format: 'glove' })).rejects.toThrow(
      /"two words" \(row 1\)/,
    );
    await expect(saveVectors(kv, file('bad.txt'), { format: 'csv' as never })).rejects.toThrow(
      InvalidArgumentError,
    );
    await expect(saveVectors(kv, file('bad.txt'), { format: 'glove', precision: 2.5 })).rejects.toThrow(
      /precision/,
    );
  });
});

describe('reading', () => {
  it('detects GloVe by a first line of more than two fields and word2vec by a "count dim" header', async () => {
    const glove = file('d.glove', 'the 0.1 0.2 0.3\nof 0.4 0.5 0.6\n');
    const w2v = file('d.w2v', '2 3\nthe 0.1 0.2 0.3\nof 0.4 0.5 0.6\n');
    expect(await detectFormat(glove)).toBe('glove');
    expect(await detectFormat(w2v)).toBe('word2vec');
    const a = await loadVectors(glove);
    const b = await loadVectors(w2v);
    expect(a.words).toEqual(['the', 'of']);
    expect(b.words).toEqual(['the', 'of']);
    expect([...a.vectors]).toEqual([...b.vectors]);
    expect(a.get('of')[2]).toBe(Math.fround(0.6));
  });

  it('tolerates CRLF, trailing spaces, runs of spaces, a BOM and a last line without newline', async () => {
    const path = file('crlf.txt', '\ufeff2 2\r\nα 1  2 \r\nβ 3 4');
    const kv = await loadVectors(path);
    expect(kv.words).toEqual(['α', 'β']);
    expect([...kv.vectors]).toEqual([1, 2, 3, 4]);
  });

  it('limit reads only the first rows and stops reading the file', async () => {
    // 350,000 short rows (about 5 MB, more than one 4 MB read window), then a malformed last line.
    const rows = Array.from({ length: 350000 }, (_, i) => `w${i} ${i % 10} -${i % 7}.5`);
    const path = file('limit.txt', `${rows.join('\n')}\nbroken line here\n`);
    await expect(loadVectors(path)).rejects.toThrow(`${path}, line 350001:`);
    let lastDone = 0;
    let total = 0;
    const head = await loadVectors(path, {
      limit: 3,
      onProgress: (p) => {
        lastDone = p.done;
        total = p.total ?? 0;
      },
    });
    expect(head.words).toEqual(['w0', 'w1', 'w2']);
    expect([...head.vectors]).toEqual([0, -0.5, 1, -1.5, 2, -2.5]);
    expect(lastDone).toBeLessThan(total); // the file was not read to its end
    expect((await loadVectors(path, { limit: 0 })).size).toBe(0);
    await expect(loadVectors(path, { limit: -1 })).rejects.toThrow(
      /limit must be a non-negative integer, got -1/,
    );
  });

  it('keeps the first of duplicate words and warns naming the word and line (text) or offset (binary)', async () => {
    const warnings: VectorFileWarning[] = [];
    const path = file('dup.txt', 'a 1 1\nb 2 2\na 3 3\nc 4 4\n');
    const kv = await loadVectors(path, { onWarning: (w) => warnings.push(w) });
    expect(kv.words).toEqual(['a', 'b', 'c']);
    expect([...kv.get('a')]).toEqual([1, 1]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ file: path, line: 3, word: 'a' });
    expect(warnings[0].message).toMatch(/duplicate word "a" on line 3/);

    const bin = file('dup.bin');
    await saveVectors(
      { words: ['x', 'y', 'x'], dim: 1, vectors: new Float32Array([1, 2, 3]) } as never,
      bin,
      { format: 'word2vec-binary' },
    );
    warnings.length = 0;
    const kb = await loadVectors(bin, { onWarning: (w) => warnings.push(w) });
    expect(kb.words).toEqual(['x', 'y']);
    // header "3 1\n" is 4 bytes, each record is word + space + 4 bytes + newline = 7 bytes
    expect(warnings).toMatchObject([{ file: bin, offset: 4 + 7 + 7, word: 'x' }]);
  });

  it('finds duplicates among many words and among words that only become equal once U+FFFD replaces bad bytes', async () => {
    const words = Array.from({ length: 100000 }, (_, i) => `w${i % 70000}`);
    const path = file('many-dups.txt', `${words.map((w, i) => `${w} ${i}`).join('\n')}\n`);
    let warned = 0;
    const kv = await loadVectors(path, { onWarning: () => warned++ });
    expect(kv.size).toBe(70000);
    expect(warned).toBe(30000);
    expect(kv.get('w69999')[0]).toBe(69999);
    const bad = Buffer.concat([
      Buffer.from('x'),
      Buffer.from([0xff]),
      Buffer.from(' 1\nx'),
      Buffer.from([0xfe]),
      Buffer.from(' 2\n'),
    ]);
    const replaced = await loadVectors(file('bad-dups.txt', bad), {
      invalidUtf8: 'replace',
      onWarning: () => warned++,
    });
    expect(replaced.words).toEqual(['x\ufffd']);
    expect(warned).toBe(30001);
  });

  it('invalid UTF-8 is an error naming the line by default and U+FFFD on request', async () => {
    const bytes = Buffer.concat([Buffer.from('ok 1\nbad'), Buffer.from([0xc3, 0x28]), Buffer.from(' 2\n')]);
    const path = file('utf8.txt', bytes);
    await expect(loadVectors(path)).rejects.toThrow(
      `${path}, line 2: word is not valid UTF-8 (bytes 62 61 64 c3 28)`,
    );
    const kv = await loadVectors(path, { invalidUtf8: 'replace' });
    expect(kv.words).toEqual(['ok', 'bad\ufffd(']);
  });

  it('streamVectors gives the header before the rows and batches that add up to the file', async () => {
    const kv = sampleVectors(70000, 16);
    const path = file('stream.bin');
    await saveVectors(kv, path, { format: 'word2vec-binary' });
    const stream = streamVectors(path);
    expect(await stream.header()).toEqual({ format: 'word2vec-binary', dim: 16, count: 70000, gzip: false });
    const words: string[] = [];
    let batches = 0;
    let offset = 0;
    for await (const batch of stream) {
      batches++;
      expect(batch.dim).toBe(16);
      expect(batch.vectors.length).toBe(batch.words.length * 16);
      const got = Buffer.from(batch.vectors.buffer, batch.vectors.byteOffset, batch.vectors.byteLength);
      expect(got.equals(Buffer.from(kv.vectors.buffer, offset * 64, batch.words.length * 64))).toBe(true);
      offset += batch.words.length;
      words.push(...batch.words);
    }
    expect(batches).toBeGreaterThan(1);
    expect(words).toEqual(kv.words);
    await expect(async () => {
      for await (const _ of stream) break;
    }).rejects.toThrow(/already read/);
  });

  it('gzip input is recognised by its magic bytes whatever its name', async () => {
    const path = file('packed.txt', gzipSync(Buffer.from('3 2\na 1 2\nb 3 4\nc 5 6\n')));
    expect((await streamVectors(path).header()).gzip).toBe(true);
    const kv = await loadVectors(path);
    expect(kv.words).toEqual(['a', 'b', 'c']);
  });

  it('an aborted signal stops loading with AbortedError', async () => {
    const path = file('abort.txt', 'a 1\n');
    const controller = new AbortController();
    controller.abort();
    await expect(loadVectors(path, { signal: controller.signal })).rejects.toThrow(/aborted/);
  });
});
