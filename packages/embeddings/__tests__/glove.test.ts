import { closeSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CooccurrenceMatrix } from '../src/cooccurrence/matrix.js';
import { writeCooccurrenceFile } from '../src/cooccurrence/record-file.js';
import { AbortedError, InvalidArgumentError } from '../src/errors.js';
import { createRandom, nextUint32, seedState } from '../src/random.js';
import type { Corpus } from '../src/text/corpus.js';
import { trainGlove, trainGloveOnCooccurrence } from '../src/train/glove/glove.js';
import {
  allocGloveRecords,
  type GloveParameters,
  gloveAdaGradPass,
  gloveParameterFloats,
  gloveRowStride,
  gloveWeight,
  initGloveParameters,
  prepareGloveRecords,
  viewGloveRecords,
} from '../src/train/glove/glove-kernel.js';
import { GLOVE_KERNEL_WAT } from '../src/train/glove/glove-kernel-wat.js';
import {
  readGloveRecords,
  shuffleGloveRecordChunks,
  shuffleGloveRecords,
} from '../src/train/glove/glove-shuffle.js';
import { requireKernel, webAssembly } from '../src/wasm/runtime.js';

const scratch = mkdtempSync(join(tmpdir(), 'glove-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Parameters of a `vocabSize`-word model with the given word/context rows ([vector..., bias]). */
function params(vocabSize: number, dim: number, word: number[][], ctx: number[][]): GloveParameters {
  const stride = dim + 1;
  const weights = new Float32Array(2 * vocabSize * stride);
  for (let i = 0; i < vocabSize; i++) {
    weights.set(word[i], i * stride);
    weights.set(ctx[i], (vocabSize + i) * stride);
  }
  // Accumulators are stored as H = G − 1: 0 is glove.c's initial G = 1.
  return { vocabSize, dim, stride, weights, gradSq: new Float32Array(weights.length) };
}

function oneRecord(i: number, j: number, x: number, xMax: number, alpha: number) {
  const r = allocGloveRecords(1);
  prepareGloveRecords([i], [j], [x], 1, xMax, alpha, r, 0);
  return r;
}

/**
 * Co-occurrence counts of a planted-structure corpus: words 0–5 are "animals", 6–11 "tools"; each sentence
 * draws 6 words from one group plus 2 filler words (12–19), and each position is replaced by a uniformly drawn
 * word with probability 0.2, so that cross-group pairs co-occur too, only rarely. Window 3, 1/distance
 * weighting, symmetric.
 */
function plantedCounts(seed: number): { matrix: CooccurrenceMatrix; words: string[] } {
  const V = 20;
  const s = seedState(seed);
  const rand = (n: number) => Math.floor(((s[0] = (s[0] * 1103515245 + 12345) >>> 0) / 4294967296) * n);
  const counts = new Map<number, number>();
  for (let sent = 0; sent < 1500; sent++) {
    const group = sent % 2 === 0 ? 0 : 6;
    const tokens: number[] = [];
    for (let k = 0; k < 8; k++)
      tokens.push(rand(10) < 2 ? rand(V) : k === 3 || k === 6 ? 12 + rand(8) : group + rand(6));
    for (let a = 0; a < tokens.length; a++) {
      for (let d = 1; d <= 3 && a + d < tokens.length; d++) {
        const i = tokens[a];
        const j = tokens[a + d];
        counts.set(i * V + j, (counts.get(i * V + j) ?? 0) + 1 / d);
        counts.set(j * V + i, (counts.get(j * V + i) ?? 0) + 1 / d);
      }
    }
  }
  const keys = [...counts.keys()].sort((a, b) => a - b);
  const matrix: CooccurrenceMatrix = {
    vocabSize: V,
    nnz: keys.length,
    rows: Uint32Array.from(keys, (k) => Math.floor(k / V)),
    cols: Uint32Array.from(keys, (k) => k % V),
    values: Float64Array.from(keys, (k) => counts.get(k) ?? 0),
  };
  const words = Array.from({ length: V }, (_, i) =>
    i < 6 ? `animal${i}` : i < 12 ? `tool${i - 6}` : `filler${i - 12}`,
  );
  return { matrix, words };
}

function cosine(a: Float32Array, b: Float32Array): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let k = 0; k < a.length; k++) {
    ab += a[k] * b[k];
    aa += a[k] * a[k];
    bb += b[k] * b[k];
  }
  return ab / Math.sqrt(aa * bb);
}

describe('GloVe kernel', () => {
  it('weights co-occurrences by f(x) = (x/x_max)^alpha below x_max and 1 above', () => {
    expect(gloveWeight(10, 100, 0.75)).toBeCloseTo(Math.exp(0.75 * Math.log(0.1)), 12);
    expect(gloveWeight(50, 100, 0.5)).toBeCloseTo(Math.SQRT1_2, 12);
    expect(gloveWeight(100, 100, 0.75)).toBe(1);
    expect(gloveWeight(1e6, 100, 0.75)).toBe(1);
  });

  it('takes one AdaGrad step on one record exactly as the formulas say', () => {
    // Word 0 = [0.1, -0.2 | b 0.05], context 1 = [0.3, 0.4 | b -0.1]; X_01 = 4, x_max 10, alpha 0.75, eta 0.05.
    const p = params(
      2,
      2,
      [
        [0.1, -0.2, 0.05],
        [0, 0, 0],
      ],
      [
        [0, 0, 0],
        [0.3, 0.4, -0.1],
      ],
    );
    const w = [Math.fround(0.1), Math.fround(-0.2)];
    const bw = Math.fround(0.05);
    const c = [Math.fround(0.3), Math.fround(0.4)];
    const bc = Math.fround(-0.1);
    const logX = Math.fround(Math.log(4));
    const f = Math.fround((4 / 10) ** 0.75);
    const diff = w[0] * c[0] + w[1] * c[1] + bw + bc - logX;
    const fdiff = f * diff;
    const g = 0.05 * fdiff;
    const cost = gloveAdaGradPass(p, oneRecord(0, 1, 4, 10, 0.75), 0, 1, 0.05, 100);
    expect(cost).toBeCloseTo(0.5 * f * diff * diff, 6);
    // glove.c's accumulators start at G = 1, so the first step is the plain term g·other / √1; then
    // G = 1 + term². The kernel stores H = G − 1, which keeps the small term² exactly in float32.
    const stride = 3;
    const ctx = 2 * stride + stride; // row vocabSize + 1
    for (let b = 0; b < 2; b++) {
      expect(p.weights[b]).toBeCloseTo(w[b] - g * c[b], 6);
      expect(p.weights[ctx + b]).toBeCloseTo(c[b] - g * w[b], 6);
      expect(p.gradSq[b]).toBeCloseTo((g * c[b]) ** 2, 9);
      expect(p.gradSq[ctx + b]).toBeCloseTo((g * w[b]) ** 2, 9);
    }
    // Biases move by fdiff, not eta · fdiff (glove.c applies no learning rate to them), and accumulate fdiff².
    expect(p.weights[2]).toBeCloseTo(bw - fdiff, 6);
    expect(p.weights[ctx + 2]).toBeCloseTo(bc - fdiff, 6);
    expect(p.gradSq[2]).toBeCloseTo(fdiff * fdiff, 7);
    expect(p.gradSq[ctx + 2]).toBeCloseTo(fdiff * fdiff, 7);
    // A second step on the same record is divided by the grown accumulators G = 1 + H.
    const W = Array.from(p.weights);
    const G = Array.from(p.gradSq, (h) => 1 + h);
    const diff2 = W[0] * W[ctx] + W[1] * W[ctx + 1] + W[2] + W[ctx + 2] - logX;
    const fdiff2 = f * diff2;
    const g2 = 0.05 * fdiff2;
    gloveAdaGradPass(p, oneRecord(0, 1, 4, 10, 0.75), 0, 1, 0.05, 100);
    expect(p.weights[0]).toBeCloseTo(W[0] - (g2 * W[ctx]) / Math.sqrt(G[0]), 6);
    expect(p.weights[2]).toBeCloseTo(W[2] - fdiff2 / Math.sqrt(G[2]), 6);
    expect(1 + p.gradSq[2]).toBeCloseTo(G[2] + fdiff2 * fdiff2, 6);
  });

  it('clips each gradient term fdiff · w at gradClip before scaling it by eta', () => {
    const p = params(1, 1, [[10, 0]], [[10, 0]]);
    // diff = 100 − log 1 = 100, f = 1, fdiff = 100; term fdiff·w = 1000 clipped to 2, then × eta 0.5 = 1
    // (clipping the eta-scaled 500 instead would give 2).
    gloveAdaGradPass(p, oneRecord(0, 0, 1, 1, 0.75), 0, 1, 0.5, 2);
    expect(p.weights[0]).toBeCloseTo(10 - 1, 5);
    expect(p.gradSq[0]).toBeCloseTo(1, 5);
    // Biases are neither clipped nor scaled by eta (glove.c): b moves by the full fdiff.
    expect(p.weights[1]).toBeCloseTo(0 - 100, 4);
    expect(p.gradSq[1]).toBeCloseTo(100 * 100, 1);
  });

  it('drops records whose value has no logarithm', () => {
    const r = allocGloveRecords(3);
    expect(prepareGloveRecords([0, 1, 2], [1, 2, 0], [0, -1, 2], 3, 10, 0.75, r, 0)).toBe(1);
    expect(r.ids[0]).toBe(2);
  });
});

describe('GloVe parameter layout', () => {
  it("interleaves each row with its accumulators, with glove.c's initial values and the same random stream", () => {
    const [V, dim] = [5, 7];
    const p = initGloveParameters(V, dim, createRandom(3));
    const half = gloveRowStride(dim);
    expect(p.stride).toBe(2 * half);
    expect(p.gradSq.buffer).toBe(p.weights.buffer);
    expect(p.gradSq.byteOffset - p.weights.byteOffset).toBe(4 * half);
    expect(p.weights.length + half).toBe(gloveParameterFloats(V, dim));
    const random = createRandom(3);
    for (let r = 0; r < 2 * V; r++) {
      for (let b = 0; b <= dim; b++) {
        expect(p.weights[r * p.stride + b]).toBe(Math.fround((random() - 0.5) / dim));
        expect(p.gradSq[r * p.stride + b]).toBe(0);
      }
    }
  });

  it('trains to the same bits as separate weight and accumulator matrices', () => {
    const [V, dim, n] = [30, 9, 2000];
    const p = initGloveParameters(V, dim, createRandom(5));
    const half = gloveRowStride(dim);
    // glove.c's layout: two matrices of 2V rows of `half` floats, holding the same values
    const sep: GloveParameters = {
      vocabSize: V,
      dim,
      stride: half,
      weights: new Float32Array(2 * V * half),
      gradSq: new Float32Array(2 * V * half),
    };
    for (let r = 0; r < 2 * V; r++)
      sep.weights.set(p.weights.subarray(r * p.stride, r * p.stride + half), r * half);
    const records = allocGloveRecords(n);
    const s = seedState(9);
    const rows = Uint32Array.from({ length: n }, () => nextUint32(s) % V);
    const cols = Uint32Array.from({ length: n }, () => nextUint32(s) % V);
    const values = Float64Array.from({ length: n }, () => 0.5 + (nextUint32(s) % 50));
    prepareGloveRecords(rows, cols, values, n, 10, 0.75, records, 0);
    for (let epoch = 0; epoch < 2; epoch++) {
      expect(gloveAdaGradPass(p, records, 0, n, 0.05, 100)).toBe(
        gloveAdaGradPass(sep, records, 0, n, 0.05, 100),
      );
    }
    for (let r = 0; r < 2 * V; r++) {
      expect(p.weights.subarray(r * p.stride, r * p.stride + dim + 1)).toEqual(
        sep.weights.subarray(r * half, r * half + dim + 1),
      );
      expect(p.gradSq.subarray(r * p.stride, r * p.stride + dim + 1)).toEqual(
        sep.gradSq.subarray(r * half, r * half + dim + 1),
      );
    }
    expect(sep.gradSq.some((h) => h > 0)).toBe(true);
  });
});

describe('GloVe SIMD kernel (WebAssembly)', () => {
  it.each([
    [16, 100],
    [7, 100],
    [3, 100],
    [7, 0.02],
  ])('matches the JavaScript kernel at dim %i, tails included (gradClip %f)', (dim, clip) => {
    const V = 40;
    const n = 3000;
    const bytes = gloveParameterFloats(V, dim) * 4 + n * 16;
    const pages = Math.ceil(bytes / 65536);
    const wasm = webAssembly;
    if (!wasm) throw new Error('this runtime has no WebAssembly');
    const memory = wasm.Memory
      ? new wasm.Memory({ initial: pages, maximum: pages, shared: true })
      : undefined;
    const buffer = memory?.buffer as SharedArrayBuffer;
    const instance = new wasm.Instance(requireKernel('GloVe', GLOVE_KERNEL_WAT), { env: { memory } });
    const pass = (instance.exports as { pass: (...args: number[]) => number }).pass;
    let at = 0;
    const p = initGloveParameters(V, dim, createRandom(4), (k) => {
      const view = new Float32Array(buffer, at, k);
      at += 4 * k;
      return view;
    });
    const records = viewGloveRecords(buffer, n, at);
    const s = seedState(8);
    const rows = Uint32Array.from({ length: n }, () => nextUint32(s) % V);
    const cols = Uint32Array.from({ length: n }, () => nextUint32(s) % V);
    const values = Float64Array.from({ length: n }, () => 0.5 + (nextUint32(s) % 200));
    prepareGloveRecords(rows, cols, values, n, 100, 0.75, records, 0);
    const js: GloveParameters = {
      ...p,
      weights: Float32Array.from(p.weights),
      gradSq: Float32Array.from(p.gradSq),
    };
    // The SIMD kernel runs on the interleaved rows, the JavaScript one on separate copies of the two views.
    const { stride } = p;
    const [w0, g0] = [p.weights.byteOffset, p.gradSq.byteOffset];
    for (let epoch = 0; epoch < 3; epoch++) {
      const costWasm = pass(at, n, w0, g0, V * stride * 4, dim, stride * 4, 0.05, clip);
      const costJs = gloveAdaGradPass(js, records, 0, n, 0.05, clip);
      expect(costWasm / n).toBeCloseTo(costJs / n, 4);
    }
    let maxDiff = 0;
    let moved = 0;
    for (let r = 0; r < 2 * V; r++) {
      for (let k = r * stride; k <= r * stride + dim; k++) {
        maxDiff = Math.max(
          maxDiff,
          Math.abs(p.weights[k] - js.weights[k]),
          Math.abs(p.gradSq[k] - js.gradSq[k]) / (1 + js.gradSq[k]),
        );
        if (js.gradSq[k] !== 0) moved++;
      }
    }
    expect(moved).toBeGreaterThan((2 * V * (dim + 1)) / 3);
    expect(maxDiff).toBeLessThan(1e-4);
  });
});

describe('GloVe shuffle', () => {
  function sequence(n: number) {
    const r = allocGloveRecords(n);
    for (let k = 0; k < n; k++) {
      r.ids[4 * k] = k;
      r.ids[4 * k + 1] = k + 1;
      r.vals[4 * k + 2] = k / 2;
      r.vals[4 * k + 3] = 1 / (k + 1);
    }
    return r;
  }

  it('permutes whole records, reproducibly per seed', () => {
    const a = sequence(1000);
    const b = sequence(1000);
    shuffleGloveRecords(a, seedState(7));
    shuffleGloveRecords(b, seedState(7));
    expect(a.ids).toEqual(b.ids);
    const seen = new Set<number>();
    let moved = 0;
    for (let k = 0; k < 1000; k++) {
      const i = a.ids[4 * k];
      seen.add(i);
      if (i !== k) moved++;
      expect(a.ids[4 * k + 1]).toBe(i + 1);
      expect(a.vals[4 * k + 2]).toBe(i / 2);
      expect(a.vals[4 * k + 3]).toBe(Math.fround(1 / (i + 1)));
    }
    expect(seen.size).toBe(1000);
    expect(moved).toBeGreaterThan(900);
  });

  it('chunked shuffle through files writes every record once, mixed across chunks', async () => {
    const n = 10_000;
    const all = sequence(n);
    let at = 0;
    const out = join(scratch, 'shuffled.bin');
    const written = await shuffleGloveRecordChunks(
      (buf) => {
        const take = Math.min(buf.length, n - at);
        buf.ids.set(all.ids.subarray(4 * at, 4 * (at + take)));
        at += take;
        return take;
      },
      out,
      { chunkRecords: 1000, state: seedState(3) },
    );
    expect(written).toBe(n);
    const back = allocGloveRecords(n);
    const fd = openSync(out, 'r');
    expect(readGloveRecords(fd, back, 0, n)).toBe(n);
    closeSync(fd);
    const ids = Array.from({ length: n }, (_, k) => back.ids[4 * k]);
    expect(new Set(ids).size).toBe(n);
    // The first 1,000 output records come from all ten input chunks, not just the first.
    expect(new Set(ids.slice(0, 1000).map((i) => Math.floor(i / 1000))).size).toBe(10);
  });
});

describe('trainGloveOnCooccurrence', () => {
  const { matrix, words } = plantedCounts(11);
  const base = { dim: 16, xMax: 10, epochs: 30, workers: 1, seed: 5 };

  it.each(['wasm-simd', 'js'] as const)(
    'repeats bit-identically with one worker and a seed (%s kernel)',
    async (kernel) => {
      const a = await trainGloveOnCooccurrence(matrix, { words }, { ...base, kernel });
      const b = await trainGloveOnCooccurrence(matrix, { words }, { ...base, kernel });
      expect(a.hyperParameters.kernel).toBe(kernel);
      expect(Buffer.from(a.vectors.vectors.buffer).equals(Buffer.from(b.vectors.vectors.buffer))).toBe(true);
      const c = await trainGloveOnCooccurrence(matrix, { words }, { ...base, kernel, seed: 6 });
      expect(Buffer.from(a.vectors.vectors.buffer).equals(Buffer.from(c.vectors.vectors.buffer))).toBe(false);
    },
  );

  it('lowers the cost over iterations and puts related words closer', async () => {
    const costs: number[] = [];
    const model = await trainGloveOnCooccurrence(
      matrix,
      { words },
      {
        ...base,
        // One worker: repeatable. With two, lock-free updates make the plateau's last digits vary by run.
        workers: 1,
        onProgress: (p) => {
          if (p.stage === 'training' && p.loss !== undefined) costs.push(p.loss);
        },
      },
    );
    const last = base.epochs - 1;
    expect(costs).toHaveLength(base.epochs);
    expect(costs[last]).toBeLessThan(costs[0] * 0.5);
    for (let k = 5; k <= last; k++) expect(costs[k]).toBeLessThan(costs[k - 5]);
    // Every GloVe vector shares a large common component (all pairs co-occur here); compare the vectors
    // after removing the vocabulary mean, as the planted structure lives in what is left.
    const kv = model.vectors;
    const mean = new Float32Array(kv.dim);
    for (const word of words) for (let b = 0; b < kv.dim; b++) mean[b] += kv.get(word)[b] / words.length;
    const centred = (word: string) => kv.get(word).map((v, b) => v - mean[b]);
    let same = 0;
    let cross = 0;
    for (let a = 0; a < 6; a++) {
      for (let b = 0; b < 6; b++) {
        if (a !== b)
          same +=
            cosine(centred(`animal${a}`), centred(`animal${b}`)) +
            cosine(centred(`tool${a}`), centred(`tool${b}`));
        cross += cosine(centred(`animal${a}`), centred(`tool${b}`));
      }
    }
    expect(same / 60).toBeGreaterThan(cross / 36 + 1);
  });

  it('outputs W + W̃, W alone, or everything with biases', async () => {
    const w = await trainGloveOnCooccurrence(matrix, { words }, { ...base, epochs: 3, output: 'w' });
    const wc = await trainGloveOnCooccurrence(matrix, { words }, { ...base, epochs: 3, output: 'w+c' });
    const all = await trainGloveOnCooccurrence(matrix, { words }, { ...base, epochs: 3, output: 'all' });
    expect(w.vectors.dim).toBe(16);
    expect(wc.vectors.dim).toBe(16);
    expect(all.vectors.dim).toBe(34);
    for (let i = 0; i < words.length; i++) {
      const row = all.vectors.get(words[i]);
      for (let b = 0; b < 16; b++) {
        expect(w.vectors.get(words[i])[b]).toBe(row[b]);
        expect(wc.vectors.get(words[i])[b]).toBe(Math.fround(row[b] + row[17 + b]));
      }
    }
    expect(all.hyperParameters.output).toBe('all');
  });

  it('trains from a shuffled record file when the records exceed the memory budget', async () => {
    const costs: number[] = [];
    const model = await trainGloveOnCooccurrence(
      matrix,
      { words },
      {
        ...base,
        memoryBudget: 4096,
        tmpDir: scratch,
        onProgress: (p) => {
          if (p.stage === 'training' && p.loss !== undefined) costs.push(p.loss);
        },
      },
    );
    expect(model.hyperParameters.records).toBe(matrix.nnz);
    expect(costs[base.epochs - 1]).toBeLessThan(costs[0] * 0.5);
  });

  it('stops within a second when aborted, also in the middle of an iteration', async () => {
    // 400k random records at dim 200: one iteration takes longer than the time to the abort.
    const n = 400_000;
    const V = 3000;
    const s = seedState(9);
    const big: CooccurrenceMatrix = {
      vocabSize: V,
      nnz: n,
      rows: Uint32Array.from({ length: n }, () => nextUint32(s) % V),
      cols: Uint32Array.from({ length: n }, () => nextUint32(s) % V),
      values: Float64Array.from({ length: n }, () => 1 + (nextUint32(s) % 50)),
    };
    const names = Array.from({ length: V }, (_, i) => `w${i}`);
    const controller = new AbortController();
    let abortedAt = 0;
    let epochs = 0;
    const run = trainGloveOnCooccurrence(
      big,
      { words: names },
      {
        dim: 200,
        epochs: 1000,
        workers: 2,
        signal: controller.signal,
        onProgress: (p) => {
          if (p.stage === 'training') epochs++;
          if (p.stage === 'shuffle' && p.total !== undefined) {
            setTimeout(() => {
              abortedAt = performance.now();
              controller.abort();
            }, 300);
          }
        },
      },
    );
    await expect(run).rejects.toBeInstanceOf(AbortedError);
    expect(abortedAt).toBeGreaterThan(0);
    expect(performance.now() - abortedAt).toBeLessThan(1000);
    expect(epochs).toBeLessThan(1000);
  });

  it('trains from a co-occurrence record file', async () => {
    const path = join(scratch, 'cooc.bin');
    writeCooccurrenceFile(path, matrix);
    const fromFile = await trainGloveOnCooccurrence({ path, vocabSize: words.length }, { words }, base);
    const fromMemory = await trainGloveOnCooccurrence(matrix, { words }, base);
    expect(
      Buffer.from(fromFile.vectors.vectors.buffer).equals(Buffer.from(fromMemory.vectors.vectors.buffer)),
    ).toBe(true);
  });

  it('rejects bad options and ids outside the vocabulary, naming them', async () => {
    await expect(trainGloveOnCooccurrence(matrix, { words }, { dim: 0 })).rejects.toThrow(
      /dim must be a positive integer, got 0/,
    );
    await expect(trainGloveOnCooccurrence(matrix, { words }, { output: 'x' as 'w' })).rejects.toThrow(
      InvalidArgumentError,
    );
    await expect(trainGloveOnCooccurrence(matrix, { words: words.slice(0, 5) }, {})).rejects.toThrow(/5/);
    await expect(trainGloveOnCooccurrence(matrix, { words }, { kernel: 'wasm' as 'js' })).rejects.toThrow(
      `GloVe option kernel must be 'auto', 'wasm-simd' or 'js', got "wasm"`,
    );
  });
});

describe('trainGlove', () => {
  /** The planted corpus as text: "animal" and "tool" sentences, with a rare word seen twice. */
  function plantedCorpus(): Corpus {
    const s = seedState(21);
    const sentences: string[][] = [];
    for (let k = 0; k < 1200; k++) {
      const group = k % 2 === 0 ? 'animal' : 'tool';
      const sentence: string[] = [];
      for (let t = 0; t < 8; t++) {
        const r = nextUint32(s) % 100;
        sentence.push(
          r < 15 ? `filler${r % 5}` : r < 30 ? `${r % 2 ? 'animal' : 'tool'}${r % 6}` : `${group}${r % 6}`,
        );
      }
      sentences.push(sentence);
    }
    sentences.push(['zebu'], ['zebu']);
    return {
      name: 'planted',
      async *sentences() {
        yield* sentences;
      },
    };
  }

  it('counts, shuffles and trains from a corpus; related words end up closer', async () => {
    const stages: string[] = [];
    const model = await trainGlove(plantedCorpus(), {
      dim: 12,
      window: 3,
      minCount: 5,
      xMax: 10,
      epochs: 25,
      workers: 1,
      seed: 3,
      onProgress: (p) => {
        if (stages[stages.length - 1] !== p.stage) stages.push(p.stage);
      },
    });
    expect(stages.filter((x) => x !== 'encode')).toEqual([
      'vocabulary',
      'cooccurrence',
      'shuffle',
      'training',
    ]);
    const kv = model.vectors;
    expect(kv.size).toBe(17);
    expect(kv.has('zebu')).toBe(false);
    expect(model.rareWords?.get('zebu')).toBe(2);
    expect(model.corpus.name).toBe('planted');
    expect(model.corpus.tokens).toBe(1200 * 8);
    expect(model.hyperParameters).toMatchObject({ window: 3, minCount: 5, dim: 12, xMax: 10, output: 'w+c' });
    const mean = new Float32Array(kv.dim);
    for (const word of kv.words) for (let b = 0; b < kv.dim; b++) mean[b] += kv.get(word)[b] / kv.size;
    const centred = (word: string) => kv.get(word).map((v, b) => v - mean[b]);
    for (let a = 0; a < 6; a++) {
      const same = cosine(centred(`animal${a}`), centred(`animal${(a + 1) % 6}`));
      const cross = cosine(centred(`animal${a}`), centred(`tool${a}`));
      expect(same).toBeGreaterThan(cross);
    }
  });
});
