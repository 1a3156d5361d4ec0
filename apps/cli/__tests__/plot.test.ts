/**
 * `wordvec plot` (and `wordvec lens`) through the real binary: the picture files they write and the
 * one-line refusals of bad input. Needs `pnpm build` first.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));
let dir: string;

function wordvec(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, WORDVEC_STORE: join(dir, 'store.db'), WORDVEC_EVAL_DIR: join(dir, 'no-eval') },
    cwd: dir,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** PNG signature and the IHDR's width and height. */
function pngSize(bytes: Buffer): { width: number; height: number } | undefined {
  if (bytes.subarray(0, 8).toString('hex') !== '89504e470d0a1a0a') return undefined;
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

beforeAll(() => {
  if (!existsSync(BIN)) throw new Error(`build the CLI first (pnpm build): ${BIN} is missing`);
  dir = mkdtempSync(join(tmpdir(), 'wordvec-plot-'));
  // Three groups of 20 words in 12 dimensions (60 words: more than one picture may hold).
  const lines: string[] = [];
  for (let g = 0; g < 3; g++) {
    for (let k = 0; k < 20; k++) {
      const v = Array.from(
        { length: 12 },
        (_, d) => (d % 3 === g ? 1 : 0) + 0.1 * Math.sin(k * 5 + d * 7 + g),
      );
      lines.push(`g${g}w${k} ${v.map((x) => x.toFixed(5)).join(' ')}`);
    }
  }
  writeFileSync(join(dir, 'small.txt'), `${lines.join('\n')}\n`);
  const imp = wordvec(['import', 'small.txt', '--name', 'small', '--format', 'glove', '--quiet']);
  expect(imp.stderr).toBe('');
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('wordvec plot', () => {
  it('writes the same PNG twice for the same words and seed, and says what it drew', () => {
    const first = wordvec(['plot', 'small', 'g0w1', 'g0w2', 'g1w1', 'g2w5', '--out', 'a.png']);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^wrote .*a\.png \(960×720, \d+ KiB\): 4 words, PCA$/m);
    wordvec(['plot', 'small', 'g0w1', 'g0w2', 'g1w1', 'g2w5', '--out', 'b.png']);
    const a = readFileSync(join(dir, 'a.png'));
    expect(pngSize(a)).toEqual({ width: 960, height: 720 });
    expect(a.length).toBeLessThan(250_000);
    expect(a.equals(readFileSync(join(dir, 'b.png')))).toBe(true);
  });

  it('draws one word with its neighbours, as SVG with --json giving every point', () => {
    const r = wordvec([
      'plot',
      'small',
      'g1w3',
      '--out',
      'n.svg',
      '--neighbours',
      '6',
      '--projection',
      'umap',
      '--json',
    ]);
    expect(r.code).toBe(0);
    const body = JSON.parse(r.stdout) as {
      kind: string;
      projection: string;
      points: { word: string; role: string }[];
    };
    expect(body.kind).toBe('neighbourhood');
    expect(body.projection).toBe('umap');
    expect(body.points).toHaveLength(7);
    expect(body.points[0]).toMatchObject({ word: 'g1w3', role: 'query' });
    expect(body.points.slice(1).every((p) => p.word.startsWith('g1'))).toBe(true);
    expect(readFileSync(join(dir, 'n.svg'), 'utf8')).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  });

  it('names unknown words, refuses more than 50 words and other file types, in one line each', () => {
    const some = wordvec(['plot', 'small', 'g0w1', 'nope', 'g2w2', '--out', 'u.png']);
    expect(some.code).toBe(0);
    expect(some.stdout).toContain('Not in the vocabulary, left out: nope.');
    const none = wordvec(['plot', 'small', 'nope', 'zilch', '--out', 'v.png']);
    expect(none.code).toBe(1);
    expect(none.stderr).toBe('wordvec: words "nope", "zilch" are not in the vocabulary\n');
    expect(existsSync(join(dir, 'v.png'))).toBe(false);
    const many = Array.from({ length: 51 }, (_, i) => `g${i % 3}w${i % 20}`);
    const tooMany = wordvec(['plot', 'small', ...many, '--out', 'w.png']);
    expect(tooMany.stderr).toBe('wordvec: at most 50 words in one picture, got 51\n');
    const jpeg = wordvec(['plot', 'small', 'g0w1', '--out', 'x.jpg']);
    expect(jpeg.stderr).toBe('wordvec: --out must name a .png or .svg file, got "x.jpg"\n');
    const projection = wordvec(['plot', 'small', 'g0w1', '--out', 'x.png', '--projection', 'tsne']);
    expect(projection.code).toBe(2);
    expect(projection.stderr).toContain('--projection must be one of pca, umap, got "tsne"');
  });
});

describe('wordvec lens', () => {
  it('trains CBOW with co-occurrence statistics and lenses it beside PPMI-SVD of the same corpus', () => {
    const lines = Array.from(
      { length: 400 },
      (_, i) =>
        `${['coffee', 'tea', 'cocoa'][i % 3]} is a hot drink with ${['milk', 'sugar', 'honey', 'lemon'][(i * 7) % 4]} and ${['bread', 'cake', 'toast'][(i * 5) % 3]} is food ${i % 2 ? 'in the morning' : 'at night'}`,
    );
    writeFileSync(join(dir, 'drinks.txt'), `${lines.join('\n')}\n`);
    for (const algorithm of ['ppmi', 'cbow']) {
      const r = wordvec([
        'train',
        algorithm,
        '--corpus',
        'drinks.txt',
        '--name',
        `d-${algorithm}`,
        '--dim',
        '8',
        '--min-count',
        '2',
        '--seed',
        '1',
        '--no-eval',
        '--quiet',
      ]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
    }
    const r = wordvec(['lens', 'd-cbow', 'coffee', '--out', 'lens.png', '--contexts', '12', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const body = JSON.parse(r.stdout) as {
      spearman: number;
      models: { name: string; spearman: number; spearmanCosine: number }[];
      pairs: { context: string; pmi: number; dot: Record<string, number> }[];
    };
    // The corpus's other model is drawn beside it, on the same pairs.
    expect(body.models.map((m) => m.name)).toEqual(['d-cbow', 'd-ppmi']);
    expect(body.spearman).toBe(body.models[0].spearman);
    expect(body.spearman).toBeGreaterThanOrEqual(-1);
    expect(body.spearman).toBeLessThanOrEqual(1);
    expect(body.pairs.length).toBeGreaterThanOrEqual(5);
    for (const p of body.pairs) expect(Object.keys(p.dot)).toEqual(['d-cbow', 'd-ppmi']);
    expect(pngSize(readFileSync(join(dir, 'lens.png')))).toEqual({ width: 960, height: 720 });
  });

  it('says which models have co-occurrence statistics when the one asked has none', () => {
    const r = wordvec(['lens', 'small', 'g0w1']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^wordvec: model small has no co-occurrence statistics .*Models that have them: d-cbow, d-ppmi\n$/,
    );
    const both = wordvec(['lens', 'd-cbow', 'coffee', '--sample', '3']);
    expect(both.code).toBe(2);
    expect(both.stderr).toBe('wordvec: give a WORD or --sample N (not both)\n');
    const unknown = wordvec(['lens', 'd-cbow', 'espresso']);
    expect(unknown.stderr).toBe('wordvec: word "espresso" is not in the vocabulary\n');
  });
});
