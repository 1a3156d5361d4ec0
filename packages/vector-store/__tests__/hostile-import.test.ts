/**
 * What an import does with hostile or broken input (issue 18): control and bidi characters in words,
 * over-long words, warnings that used to be dropped, and a full disk. A failed import leaves the store
 * file byte for byte as it was.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FormatError, hasUnsafeCharacters, type VectorFileWarning } from '@wordvec/embeddings';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StoreError, VectorStore } from '../src/index.js';
import { clusteredVectors, gloveText, tempDir } from './fixtures.js';

const { dir, cleanup } = tempDir();
afterAll(cleanup);
let n = 0;
const file = (content: string | Buffer) => {
  const path = join(dir, `in${n++}.txt`);
  writeFileSync(path, content);
  return path;
};
const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

/** A store with one model, closed (so the WAL is checkpointed into the file), and its hash. */
function seededStore(): { path: string; hash: string } {
  const path = join(dir, `store${n++}.db`);
  const store = VectorStore.open(path);
  store.putModel('base', { words: ['a', 'b'], vectors: new Float32Array([1, 0, 0, 1]), dim: 2 });
  store.close();
  return { path, hash: sha(path) };
}

function storeError(fn: () => unknown): StoreError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(StoreError);
    return e as StoreError;
  }
  throw new Error('no StoreError');
}

describe('putModel refuses words that no output could show safely', () => {
  let store: VectorStore;
  beforeAll(() => {
    store = VectorStore.open(join(dir, 'refuse.db'));
  });
  afterAll(() => store.close());
  const put = (word: string) => () =>
    store.putModel('m', { words: ['ok', word], vectors: new Float32Array([1, 0, 0, 1]), dim: 2 });

  it.each([
    ['ESC', '\u001b[2Jx'],
    ['CR', 'a\rb'],
    ['NUL', 'a\u0000'],
    ['newline', 'a\nb'],
    ['right-to-left override', 'evil\u202etxt'],
    ['zero-width space', 'zw\u200bsp'],
    ['BOM', '\ufeffbom'],
  ])('a word with %s: INVALID_ARGUMENT, message escaped', (_, word) => {
    const e = storeError(put(word));
    expect(e.code).toBe('INVALID_ARGUMENT');
    expect(e.message).toContain('contains control/format characters');
    expect(hasUnsafeCharacters(e.message)).toBe(false);
    expect(store.models()).toEqual([]);
  });

  it('a word over 1,000 characters: INVALID_ARGUMENT with a bounded message', () => {
    const e = storeError(put('x'.repeat(20 << 20)));
    expect(e.code).toBe('INVALID_ARGUMENT');
    expect(e.message).toContain('longer than the maximum of 1000 characters');
    expect(e.message.length).toBeLessThan(300);
  });

  it('zero-width joiners inside Persian and Indic words are fine', () => {
    const info = put('می\u200cخواهم')();
    expect(info.vocabSize).toBe(2);
  });
});

describe('importFile reports warnings', () => {
  it('duplicates and unsafe words reach onWarning and are counted in the result', async () => {
    const store = VectorStore.open(join(dir, 'warn.db'));
    const warnings: VectorFileWarning[] = [];
    const info = await store.importFile(file('a 1 0\nb 0 1\na 1 1\n\u001b]0;pwned\u0007 1 1\nc 1 1\n'), {
      name: 'w',
      onWarning: (w) => warnings.push(w),
    });
    store.close();
    expect(info.vocabSize).toBe(3);
    expect(info.warnings).toBe(2);
    expect(warnings.map((w) => w.line)).toEqual([3, 4]);
    expect(warnings[0].message).toContain('duplicate word "a" on line 3');
    expect(warnings[1].message).toContain('contains control/format characters');
  });

  it('without onWarning the count is still there', async () => {
    const store = VectorStore.open(join(dir, 'warn2.db'));
    const info = await store.importFile(file('2 1\na 1\na 2\n'), { name: 'w' });
    store.close();
    expect(info).toMatchObject({ vocabSize: 1, warnings: 1 });
  });
});

describe('a full disk during import (max_page_count)', () => {
  it('fails with StoreError SQLITE saying the store is full, and the store file is unchanged', async () => {
    const { path, hash } = seededStore();
    const pages = Math.ceil(readFileSync(path).length / 32768);
    const { words, vectors, dim } = clusteredVectors(20_000, 50);
    const big = file(gloveText(words, vectors, dim)); // ≈ 4 MB of float32 rows: far more than 4 pages
    const store = VectorStore.open(path, { maxPageCount: pages + 4 });
    let error: unknown;
    try {
      await store.importFile(big, { name: 'big' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).code).toBe('SQLITE');
    expect((error as StoreError).message).toMatch(/the disk or the store is full/);
    expect(store.models().map((m) => m.name)).toEqual(['base']);
    store.close();
    expect(sha(path)).toBe(hash);
    // The limit is per connection: reopened without it, the same import succeeds.
    const again = VectorStore.open(path);
    expect((await again.importFile(big, { name: 'big' })).vocabSize).toBe(words.length);
    again.close();
  });

  it('putModel hits the same limit the same way', () => {
    const { path, hash } = seededStore();
    const pages = Math.ceil(readFileSync(path).length / 32768);
    const store = VectorStore.open(path, { maxPageCount: pages + 2 });
    const e = storeError(() => store.putModel('big', clusteredVectors(20_000, 50)));
    expect(e.code).toBe('SQLITE');
    expect(e.message).toMatch(/full/);
    store.close();
    expect(sha(path)).toBe(hash);
  });

  it('a malformed file leaves the store unchanged too', async () => {
    const { path, hash } = seededStore();
    const store = VectorStore.open(path);
    await expect(store.importFile(file('c 1 0\nd 1\n'), { name: 'bad' })).rejects.toBeInstanceOf(FormatError);
    store.close();
    expect(sha(path)).toBe(hash);
  });
});
