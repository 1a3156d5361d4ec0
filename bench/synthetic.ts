/**
 * Seeded synthetic embeddings with cluster structure, for load and query benchmarks.
 * Rows are `center[c] + noise`, with 2,000 centres, so nearest neighbours are meaningful.
 * Files are cached under bench/.cache/ and regenerated only when missing.
 */
import { createWriteStream, existsSync, mkdirSync, renameSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createRandom } from '@wordvec/embeddings';

export const CACHE_DIR = fileURLToPath(new URL('./.cache/', import.meta.url));

/** The word of row `i`: lower-case letters, unique, of varied length. */
export function syntheticWord(i: number): string {
  let s = '';
  let n = i;
  do {
    s += String.fromCharCode(97 + (n % 26));
    n = Math.floor(n / 26);
  } while (n > 0);
  // Little-endian base 26 without a leading-zero form: every row gets a distinct word.
  return s;
}

/** Generates the seeded `rows × dim` matrix in memory (row-major float32). */
export function syntheticMatrix(rows: number, dim: number, seed = 1): Float32Array {
  const rand = createRandom(seed);
  const gauss = () => {
    const u = 1 - rand();
    const v = rand();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
  const clusters = 2000;
  const centers = new Float32Array(clusters * dim);
  for (let i = 0; i < centers.length; i++) centers[i] = gauss();
  const m = new Float32Array(rows * dim);
  for (let r = 0; r < rows; r++) {
    const c = Math.floor(rand() * clusters);
    for (let d = 0; d < dim; d++) m[r * dim + d] = centers[c * dim + d] + 0.6 * gauss();
  }
  return m;
}

/**
 * Generates a seeded `rows × dim` matrix of independent standard normal components: once
 * normalised, its rows are uniform on the unit sphere (no cluster structure, the hard case for a
 * nearest-neighbour graph).
 */
export function syntheticUniformMatrix(rows: number, dim: number, seed = 1): Float32Array {
  const rand = createRandom(seed);
  const m = new Float32Array(rows * dim);
  for (let i = 0; i < m.length; i++) {
    const u = 1 - rand();
    const v = rand();
    m[i] = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
  return m;
}

/** Scales every row of `m` (`dim` wide) to unit length in place, as the store keeps its rows. */
export function normaliseRows(m: Float32Array, dim: number): Float32Array {
  for (let o = 0; o < m.length; o += dim) {
    let s = 0;
    for (let d = 0; d < dim; d++) s += m[o + d] * m[o + d];
    const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
    for (let d = 0; d < dim; d++) m[o + d] *= inv;
  }
  return m;
}

/**
 * Path of a cached GloVe-format text file (no header, `word v1 … vD`, 6 decimals) of `rows × dim`,
 * written on first use.
 */
export async function syntheticGloveFile(rows: number, dim: number, seed = 1): Promise<string> {
  mkdirSync(CACHE_DIR, { recursive: true });
  const path = `${CACHE_DIR}synthetic-v2-${rows}x${dim}-s${seed}.glove.txt`;
  if (existsSync(path)) return path;
  const m = syntheticMatrix(rows, dim, seed);
  const tmp = `${path}.tmp`;
  const out = createWriteStream(tmp);
  let chunk = '';
  for (let r = 0; r < rows; r++) {
    let line = syntheticWord(r);
    for (let d = 0; d < dim; d++) line += ` ${m[r * dim + d].toFixed(6)}`;
    chunk += `${line}\n`;
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await new Promise<void>((res) => out.once('drain', () => res()));
      chunk = '';
    }
  }
  out.write(chunk);
  await new Promise<void>((res, rej) => out.end((err?: Error | null) => (err ? rej(err) : res())));
  renameSync(tmp, path);
  return path;
}
