/**
 * Test support: gensim 4 as an oracle. A small seeded KeyedVectors is written as word2vec text,
 * gensim (Debian's /usr/bin/python3) loads the same file and answers a batch of queries as JSON.
 * Tests that use it skip with a visible message when gensim is absent.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createRandom, KeyedVectors } from '@wordvec/embeddings';

const PYTHON = '/usr/bin/python3';

/** Whether gensim can be imported; prints why tests skip when it cannot. */
export function gensimAvailable(): boolean {
  const r = spawnSync(PYTHON, ['-c', 'import gensim, scipy'], { stdio: 'ignore' });
  if (r.status !== 0)
    console.warn('gensim (python3-gensim) not installed: skipping the tests that compare with gensim');
  return r.status === 0;
}

/** Writes word2vec text (header `rows dim`) with each float32 written exactly (shortest round-trip form). */
export function writeWord2vecText(kv: KeyedVectors, path: string): void {
  const lines = [`${kv.size} ${kv.dim}`];
  for (let r = 0; r < kv.size; r++) {
    const v = kv.vectors.subarray(r * kv.dim, (r + 1) * kv.dim);
    lines.push(`${kv.words[r]} ${Array.from(v, String).join(' ')}`);
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
}

/** Runs `script` under gensim with `input` as JSON on stdin; returns the JSON printed last. */
export function runGensim<T>(script: string, input: unknown): T {
  const r = spawnSync(PYTHON, ['-c', script], {
    input: JSON.stringify(input),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, OPENBLAS_NUM_THREADS: '1', PYTHONWARNINGS: 'ignore' },
  });
  if (r.status !== 0) throw new Error(`gensim oracle failed:\n${r.stderr}`);
  const lines = r.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]) as T;
}

/**
 * A seeded model with analogy structure: base words `b0…`, and for each relation k a word
 * `b{i}_r{k}` = base + relation offset + noise, so `b_i : b_i_rk :: b_j : b_j_rk` is usually solvable.
 * Some words come again in upper case later in the vocabulary (case-variant handling), one row is
 * all zeros, and a few filler words close the list (outside small `restrictVocab` windows).
 */
export function analogyFixture(seed = 7, dim = 16): KeyedVectors {
  const rand = createRandom(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const bases = 30;
  const relations = 3;
  const offsets = Array.from({ length: relations }, () => Array.from({ length: dim }, () => 1.5 * gauss()));
  const words: string[] = [];
  const rows: number[][] = [];
  const baseVectors: number[][] = [];
  for (let i = 0; i < bases; i++) {
    const v = Array.from({ length: dim }, gauss);
    baseVectors.push(v);
    words.push(`b${i}`);
    rows.push(v);
  }
  for (let k = 0; k < relations; k++) {
    for (let i = 0; i < bases; i++) {
      words.push(`b${i}_r${k}`);
      rows.push(baseVectors[i].map((x, d) => x + offsets[k][d] + 0.45 * gauss()));
    }
  }
  // Upper-case variants: later rows, so case-insensitive look-up must pick the lower-case row.
  for (const i of [0, 1, 2]) {
    words.push(`B${i}`);
    rows.push(Array.from({ length: dim }, gauss));
  }
  words.push('zero');
  rows.push(new Array(dim).fill(0));
  for (let i = 0; i < 40; i++) {
    words.push(`filler${i}`);
    rows.push(Array.from({ length: dim }, gauss));
  }
  const vectors = new Float32Array(words.length * dim);
  for (let r = 0; r < rows.length; r++) vectors.set(rows[r], r * dim);
  return new KeyedVectors({ words, vectors, dim });
}
