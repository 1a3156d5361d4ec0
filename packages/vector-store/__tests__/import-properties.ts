/**
 * The store's side of the parser properties (issue 18), shared by CI (fixed seed) and `pnpm fuzz`:
 * importing any bytes either succeeds or throws the layers' own errors, and a failed import leaves the
 * store file byte for byte as it was.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EmbeddingsError } from '@wordvec/embeddings';
import { StoreError, VectorStore } from '@wordvec/vector-store';
import fc from 'fast-check';
import { userFile } from '../../embeddings/__tests__/parser-properties.js';

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
let n = 0;

/** A store with one model, closed so the file holds everything; returns its path and hash. */
export function seededStore(dir: string): { path: string; hash: string } {
  const path = join(dir, `s${n++}.db`);
  const store = VectorStore.open(path);
  store.putModel('base', { words: ['a', 'b'], vectors: new Float32Array([1, 0, 0, 1]), dim: 2 });
  store.close();
  return { path, hash: sha(path) };
}

/** The property: import `bytes` into a fresh copy of a seeded store. */
export async function failedImportLeavesStoreUnchanged(dir: string, bytes: Buffer): Promise<void> {
  const { path, hash } = seededStore(dir);
  const input = join(dir, `in${n++}.txt`);
  writeFileSync(input, bytes);
  const store = VectorStore.open(path);
  let failed = false;
  try {
    await store.importFile(input, { name: 'fuzz' });
  } catch (err) {
    failed = true;
    if (!(err instanceof EmbeddingsError || err instanceof StoreError)) {
      throw new Error(`importFile threw a foreign error: ${err instanceof Error ? err.stack : String(err)}`);
    }
  } finally {
    store.close();
  }
  if (failed && sha(path) !== hash) throw new Error(`a failed import changed ${path}`);
}

export function importProperty(dir: string) {
  return fc.asyncProperty(userFile, (bytes) => failedImportLeavesStoreUnchanged(dir, bytes));
}
