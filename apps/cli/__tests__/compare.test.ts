/**
 * `wordvec compare WORD MODEL_A MODEL_B` on the real binary over a real store: model B is model A
 * turned by a rotation with one word moved, so the moved word has a large shift and the others none;
 * a word missing from one model, the same model twice and models of different dimensions are said
 * in one line (or in the output, for the dimensions).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KeyedVectors } from '@wordvec/embeddings';
import { VectorStore } from '@wordvec/vector-store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));
let dir: string;
let store: string;

function wordvec(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, WORDVEC_STORE: store },
    cwd: dir,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const DIM = 4;
const N = 30;
const words = Array.from({ length: N }, (_, i) => `w${i}`);
// Deterministic, well spread rows.
const base = Float32Array.from(
  { length: N * DIM },
  (_, i) => Math.sin(i * 1.7 + 0.3) + 0.2 * Math.cos(i * 0.37),
);

/** (x, y, z, t) → (−y, x, −t, z): a rotation; row `moved` takes row `to`'s vector first. */
function turned(moved: number, to: number): Float32Array {
  const out = new Float32Array(N * DIM);
  for (let i = 0; i < N; i++) {
    const s = (i === moved ? to : i) * DIM;
    out.set([-base[s + 1], base[s], -base[s + 3], base[s + 2]], i * DIM);
  }
  return out;
}

beforeAll(() => {
  if (!existsSync(BIN)) throw new Error(`build the CLI first (pnpm build): ${BIN} is missing`);
  dir = mkdtempSync(join(tmpdir(), 'wordvec-cli-compare-'));
  store = join(dir, 'store.db');
  const s = VectorStore.open(store);
  s.putModel('books', new KeyedVectors({ words, vectors: base, dim: DIM }));
  s.putModel(
    'news',
    new KeyedVectors({
      words: [...words, 'extra'],
      vectors: Float32Array.from([...turned(29, 3), 1, 1, 1, 1]),
      dim: DIM,
    }),
  );
  s.putModel(
    'wide',
    new KeyedVectors({
      words: words.slice(0, 10),
      vectors: new Float32Array(10 * 3).map((_, i) => (i % 4) + 1),
      dim: 3,
    }),
  );
  s.close();
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('wordvec compare', () => {
  it('reports shared neighbours and the cosine after aligning MODEL_B onto MODEL_A', () => {
    const r = wordvec(['compare', 'w5', 'books', 'news', '--topn', '5', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    const kv = new KeyedVectors({ words, vectors: base, dim: DIM });
    const expected = kv.mostSimilar({ positive: ['w5'], topn: 5 }).map((n) => n.word);
    expect(j.neighboursA.map((n: { word: string }) => n.word)).toEqual(expected);
    expect(j.modelA).toBe('books');
    expect(j.cosine).toBeCloseTo(1, 2);
    expect(j.alignment).toMatchObject({ words: 30, targetRows: 30, maxWords: 10000 });
    // w29 in news is where w3 is in books.
    const moved = JSON.parse(wordvec(['compare', 'w29', 'books', 'news', '--json']).stdout);
    expect(moved.cosine).toBeCloseTo(kv.similarity('w29', 'w3'), 1);
    expect(moved.shift).toBeGreaterThan(0.2);
    const human = wordvec(['compare', 'w5', 'books', 'news', '--topn', '5']);
    expect(human.stdout).toMatch(/^shared neighbours: \d of 5 \(Jaccard [\d.]+\)/);
    expect(human.stdout).toMatch(/\ncosine after aligning news onto books: 0\.99\d\d \(shift 0\.0\d+; /);
    expect(human.stdout).toMatch(
      /\nalignment: orthogonal Procrustes on 30 shared words, the first in books's row order \(of its first 30 rows\)\n$/,
    );
  });

  it('says what is wrong in one line', () => {
    const oov = wordvec(['compare', 'extra', 'books', 'news']);
    expect(oov.code).toBe(1);
    expect(oov.stderr).toBe(
      'wordvec: "extra" is not in the vocabulary of books; compare needs a word both models hold (an estimated vector is not aligned with either model)\n',
    );
    const same = wordvec(['compare', 'w1', 'books', 'books']);
    expect(same.code).toBe(1);
    expect(same.stderr).toBe('wordvec: MODEL_A and MODEL_B are both "books": compare needs two models\n');
    const dims = wordvec(['compare', 'w1', 'books', 'wide']);
    expect(dims.code).toBe(0);
    expect(dims.stdout).toMatch(
      /\nno cosine shift: an alignment needs the same dimension \(books 4, wide 3\)\n$/,
    );
    const few = wordvec(['compare', 'w1', 'books', 'news', '--max-words', '2']);
    expect(few.code).toBe(1);
    expect(few.stderr).toBe('wordvec: --max-words must be at least the dimension (4), got 2\n');
    const unknown = wordvec(['compare', 'w1', 'books', 'nope']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/nope/);
  });
});
