import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type CooccurrenceOptions,
  countCooccurrences,
  countCooccurrencesToFile,
} from '../src/cooccurrence/count.js';
import { assertCooccurrenceMatrix, type CooccurrenceMatrix } from '../src/cooccurrence/matrix.js';
import { readCooccurrenceFile } from '../src/cooccurrence/record-file.js';
import { AbortedError, InvalidArgumentError } from '../src/errors.js';
import { createRandom } from '../src/random.js';

const tmp = mkdtempSync(join(tmpdir(), 'wordvec-cooc-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Straightforward reference: a Map over every pair, following GloVe's cooccur loop literally. */
function reference(ids: Int32Array, V: number, o: CooccurrenceOptions = {}): Map<string, number> {
  const window = o.window ?? 10;
  const stream = o.crossSentences ? ids.filter((w) => w >= 0) : ids;
  const out = new Map<string, number>();
  const add = (i: number, j: number, x: number) => out.set(`${i},${j}`, (out.get(`${i},${j}`) ?? 0) + x);
  let start = 0;
  for (let p = 0; p < stream.length; p++) {
    if (stream[p] < 0) {
      start = p + 1;
      continue;
    }
    for (let q = p - 1; q >= Math.max(start, p - window); q--) {
      const x = o.weighting === 'uniform' ? 1 : 1 / (p - q);
      add(stream[q], stream[p], x);
      if (o.symmetric ?? true) add(stream[p], stream[q], x);
    }
  }
  expect(V).toBeGreaterThan(0);
  return out;
}

function asMap(m: CooccurrenceMatrix): Map<string, number> {
  const out = new Map<string, number>();
  for (let k = 0; k < m.nnz; k++) out.set(`${m.rows[k]},${m.cols[k]}`, m.values[k]);
  return out;
}

function expectSameCounts(actual: Map<string, number>, expected: Map<string, number>): void {
  expect(actual.size).toBe(expected.size);
  let worst = 0;
  for (const [k, v] of expected) worst = Math.max(worst, Math.abs((actual.get(k) ?? Number.NaN) - v));
  expect(worst).toBeLessThan(1e-9);
}

/** Same records in the same order, values equal up to summation order. */
function expectSameMatrix(actual: CooccurrenceMatrix, expected: CooccurrenceMatrix): void {
  expect(actual.nnz).toBe(expected.nnz);
  // Plain loops: deep equality over millions of typed-array entries is slow in expect().
  let misplaced = 0;
  let worst = 0;
  for (let k = 0; k < expected.nnz; k++) {
    if (actual.rows[k] !== expected.rows[k] || actual.cols[k] !== expected.cols[k]) misplaced++;
    worst = Math.max(worst, Math.abs(actual.values[k] - expected.values[k]));
  }
  expect(misplaced).toBe(0);
  expect(worst).toBeLessThan(1e-9);
}

/** Zipf-distributed ids (rank r has weight 1/(r+1)), sentences of 5–30 tokens, seeded. */
function zipfStream(tokens: number, V: number, seed: number): Int32Array {
  const rand = createRandom(seed);
  const cdf = new Float64Array(V);
  let acc = 0;
  for (let r = 0; r < V; r++) cdf[r] = acc += 1 / (r + 1);
  const out = new Int32Array(tokens);
  let left = 0;
  for (let p = 0; p < tokens; p++) {
    if (left === 0 && p > 0) {
      out[p] = -1;
      left = 5 + Math.floor(rand() * 26);
      continue;
    }
    if (left === 0) left = 5 + Math.floor(rand() * 26);
    left--;
    const u = rand() * acc;
    let lo = 0;
    let hi = V - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid] < u) lo = mid + 1;
      else hi = mid;
    }
    out[p] = lo;
  }
  return out;
}

describe('countCooccurrences', () => {
  it('counts a hand-made sentence with 1/distance weights, symmetric', async () => {
    // "a b c" then "b c": window 2. Pairs: (a,b) d1, (a,c) d2, (b,c) d1 [sent 1], (b,c) d1 [sent 2].
    const m = await countCooccurrences(Int32Array.of(0, 1, 2, -1, 1, 2), 3, { window: 2 });
    assertCooccurrenceMatrix(m);
    expect([...m.rows]).toEqual([0, 0, 1, 1, 2, 2]);
    expect([...m.cols]).toEqual([1, 2, 0, 2, 0, 1]);
    expect([...m.values]).toEqual([1, 0.5, 1, 2, 0.5, 2]);
  });

  it('counts the earlier word as row when asymmetric, and doubles the diagonal when symmetric', async () => {
    const asym = await countCooccurrences(Int32Array.of(0, 1, 0), 2, {
      window: 2,
      symmetric: false,
      weighting: 'uniform',
    });
    // (0→1) d1, (1→0) d1, (0→0) d2
    expect(asMap(asym)).toEqual(
      new Map([
        ['0,0', 1],
        ['0,1', 1],
        ['1,0', 1],
      ]),
    );
    const sym = await countCooccurrences(Int32Array.of(0, 1, 0), 2, { window: 2, weighting: 'uniform' });
    expect(asMap(sym)).toEqual(
      new Map([
        ['0,0', 2],
        ['0,1', 2],
        ['1,0', 2],
      ]),
    );
  });

  it('respects sentence ends unless crossSentences', async () => {
    const ids = Int32Array.of(0, -1, 1);
    expect((await countCooccurrences(ids, 2)).nnz).toBe(0);
    expect(asMap(await countCooccurrences(ids, 2, { crossSentences: true }))).toEqual(
      new Map([
        ['0,1', 1],
        ['1,0', 1],
      ]),
    );
  });

  it.each([
    { window: 10 },
    { window: 3, symmetric: false },
    { window: 5, weighting: 'uniform' as const },
    { window: 4, crossSentences: true, symmetric: false, weighting: 'uniform' as const },
  ])('matches a reference count on a Zipfian stream (%o)', async (o) => {
    const V = 300;
    const ids = zipfStream(20_000, V, 7);
    const m = await countCooccurrences(ids, V, o);
    assertCooccurrenceMatrix(m);
    expectSameCounts(asMap(m), reference(ids, V, o));
  });

  it('gives identical counts when a tiny budget forces many spills, and removes its temp files', async () => {
    const V = 2000;
    const ids = zipfStream(100_000, V, 11);
    const inMemory = await countCooccurrences(ids, V, { window: 6 });
    const spillDir = mkdtempSync(join(tmp, 'spill-'));
    const stages = new Set<string>();
    const spilled = await countCooccurrences(ids, V, {
      window: 6,
      memoryBudget: 1 << 20,
      tmpDir: spillDir,
      onProgress: (p) => stages.add(p.stage),
    });
    expect(stages.has('cooccurrence-merge')).toBe(true); // the spill path really ran
    assertCooccurrenceMatrix(spilled);
    expectSameMatrix(spilled, inMemory);
    expect(readdirSync(spillDir)).toEqual([]);
  });

  it('writes a record file that reads back in chunks equal to the in-memory result', async () => {
    const V = 1000;
    const ids = zipfStream(30_000, V, 3);
    const inMemory = await countCooccurrences(ids, V, { window: 5 });
    const path = join(tmp, 'cooc.bin');
    const res = await countCooccurrencesToFile(ids, V, path, {
      window: 5,
      memoryBudget: 256 * 1024,
      tmpDir: tmp,
    });
    expect(res.spills).toBeGreaterThan(1);
    expect(res.nnz).toBe(inMemory.nnz);
    const chunks: CooccurrenceMatrix[] = [];
    for await (const chunk of readCooccurrenceFile(path, V, { chunkRecords: 10_000 })) chunks.push(chunk);
    expect(chunks.length).toBe(Math.ceil(inMemory.nnz / 10_000));
    const joined: CooccurrenceMatrix = {
      vocabSize: V,
      nnz: res.nnz,
      rows: new Uint32Array(res.nnz),
      cols: new Uint32Array(res.nnz),
      values: new Float64Array(res.nnz),
    };
    let at = 0;
    for (const c of chunks) {
      joined.rows.set(c.rows, at);
      joined.cols.set(c.cols, at);
      joined.values.set(c.values, at);
      at += c.nnz;
    }
    expectSameMatrix(joined, inMemory);
  });

  it('counts a 90,000-word Zipfian stream within a 256 MiB budget, spilling to disk', async () => {
    // The 20M-token case scaled down to stay fast: 256 MiB holds ~3M distinct pairs in the table, and this
    // stream has several times that, so the run spills and merges. A full in-memory reference would double
    // the cost, so the result is checked against quantities computed directly from the stream: the row sums
    // of X and the counts of a sample of pairs.
    const V = 90_000;
    const window = 10;
    const ids = zipfStream(1_500_000, V, 42);
    const path = join(tmp, 'zipf.bin');
    const started = performance.now();
    const res = await countCooccurrencesToFile(ids, V, path, {
      window,
      memoryBudget: 256 * 2 ** 20,
      tmpDir: tmp,
    });
    console.log(
      `[cooccurrence.test] 256 MiB budget: ${res.spills} spilled run(s), ${res.nnz} records, ${(performance.now() - started).toFixed(0)} ms`,
    );
    expect(res.spills).toBeGreaterThan(0);
    const sampled = new Map<number, number>();
    const rand = createRandom(9);
    for (let s = 0; s < 500; s++) {
      const p = Math.floor(rand() * ids.length);
      const q = p - 1 - Math.floor(rand() * 3);
      // Same sentence; both words past the 50 most frequent, so the check below rarely touches the Map.
      if (q >= 0 && ids.subarray(q, p + 1).every((w) => w >= 50)) sampled.set(ids[q] * V + ids[p], 0);
    }
    const inSample = new Uint8Array(V);
    for (const key of sampled.keys()) inSample[Math.floor(key / V)] = inSample[key % V] = 1;
    const rowSums = new Float64Array(V);
    let start = 0;
    for (let p = 0; p < ids.length; p++) {
      const b = ids[p];
      if (b < 0) {
        start = p + 1;
        continue;
      }
      for (let q = p - 1; q >= Math.max(start, p - window); q--) {
        const a = ids[q];
        const x = 1 / (p - q);
        rowSums[a] += x;
        rowSums[b] += x;
        if (inSample[a] === 0 || inSample[b] === 0) continue;
        const ab = sampled.get(a * V + b);
        if (ab !== undefined) sampled.set(a * V + b, ab + x);
        const ba = sampled.get(b * V + a);
        if (ba !== undefined) sampled.set(b * V + a, ba + x);
      }
    }
    const seenSums = new Float64Array(V);
    const seenSampled = new Map<number, number>();
    let records = 0;
    let lastKey = -1;
    let sorted = true;
    for await (const chunk of readCooccurrenceFile(path, V)) {
      for (let k = 0; k < chunk.nnz; k++) {
        const key = chunk.rows[k] * V + chunk.cols[k];
        if (key <= lastKey) sorted = false;
        lastKey = key;
        seenSums[chunk.rows[k]] += chunk.values[k];
        if (sampled.has(key)) seenSampled.set(key, chunk.values[k]);
      }
      records += chunk.nnz;
    }
    expect(sorted).toBe(true);
    expect(records).toBe(res.nnz);
    let worst = 0;
    for (let i = 0; i < V; i++)
      worst = Math.max(worst, Math.abs(seenSums[i] - rowSums[i]) / Math.max(1, rowSums[i]));
    expect(worst).toBeLessThan(1e-9); // relative: summation order differs
    expect(seenSampled.size).toBe(sampled.size);
    let worstPair = 0;
    for (const [key, x] of sampled)
      worstPair = Math.max(worstPair, Math.abs((seenSampled.get(key) ?? 0) - x) / x);
    expect(worstPair).toBeLessThan(1e-9);
    rmSync(path);
  });

  it('stops on abort and leaves no temp files', async () => {
    const spillDir = mkdtempSync(join(tmp, 'abort-'));
    const controller = new AbortController();
    const ids = zipfStream(1_200_000, 5000, 5); // progress (and the abort check) comes every 2^20 tokens
    const run = countCooccurrences(ids, 5000, {
      memoryBudget: 4 * 2 ** 20,
      tmpDir: spillDir,
      signal: controller.signal,
      onProgress: () => controller.abort(),
    });
    await expect(run).rejects.toBeInstanceOf(AbortedError);
    expect(readdirSync(spillDir)).toEqual([]);
    expect(existsSync(spillDir)).toBe(true);
  });

  it('removes its spilled runs when the process gets SIGINT', async () => {
    const spillDir = mkdtempSync(join(tmp, 'sigint-'));
    const fixture = fileURLToPath(new URL('./fixtures/count-until-killed.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', fixture, spillDir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
      child.on('exit', (code, signal) => done({ code, signal })),
    );
    const deadline = Date.now() + 50_000;
    const hasRuns = () => readdirSync(spillDir).some((d) => readdirSync(join(spillDir, d)).length > 0);
    while (!hasRuns() && Date.now() < deadline && child.exitCode === null)
      await new Promise((r) => setTimeout(r, 50));
    expect(hasRuns(), stderr).toBe(true);
    child.kill('SIGINT');
    const { signal } = await exited;
    expect(signal).toBe('SIGINT'); // the handler re-raises, so the process still dies of Ctrl-C
    expect(readdirSync(spillDir)).toEqual([]);
  });

  it('rejects bad input with a message naming the value', async () => {
    await expect(countCooccurrences(Int32Array.of(0, 5), 3)).rejects.toThrow(/ids\[1\] is 5/);
    await expect(countCooccurrences(Int32Array.of(0), 3, { window: 0 })).rejects.toThrow(
      InvalidArgumentError,
    );
    await expect(countCooccurrences(Int32Array.of(0), 3, { window: 2.5 })).rejects.toThrow(/window .* 2.5/);
  });
});
