import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRandom } from '@wordvec/embeddings';

/** A fresh temporary directory, removed by the returned cleanup. */
export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'wordvec-store-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** `n` words `w0…` with seeded clustered vectors (so neighbours are meaningful) and decreasing counts. */
export function clusteredVectors(n: number, dim: number, seed = 7, clusters = 40) {
  const rand = createRandom(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const centres = Float32Array.from({ length: clusters * dim }, gauss);
  const vectors = new Float32Array(n * dim);
  for (let r = 0; r < n; r++) {
    const c = Math.floor(rand() * clusters);
    for (let d = 0; d < dim; d++) vectors[r * dim + d] = centres[c * dim + d] + 0.5 * gauss();
  }
  const words = Array.from({ length: n }, (_, i) => `w${i}`);
  const counts = Array.from({ length: n }, (_, i) => 10 * (n - i));
  return { words, vectors, dim, counts };
}

/** GloVe text (`word v1 … vD` per line) of the given rows. */
export function gloveText(words: readonly string[], vectors: Float32Array, dim: number): string {
  let s = '';
  for (let r = 0; r < words.length; r++) {
    s += words[r];
    for (let d = 0; d < dim; d++) s += ` ${vectors[r * dim + d]}`;
    s += '\n';
  }
  return s;
}
