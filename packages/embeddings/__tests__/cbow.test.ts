import { describe, expect, it } from 'vitest';
import { AbortedError, InvalidArgumentError } from '../src/errors.js';
import type { Progress } from '../src/progress.js';
import { createRandom } from '../src/random.js';
import { corpusFromText } from '../src/text/corpus.js';
import { encodeCorpus } from '../src/text/token-ids.js';
import { Vocabulary } from '../src/text/vocabulary.js';
import {
  layoutMemory,
  resolveCbowOptions,
  sentenceBlocks,
  sentenceSlices,
  trainCbow,
  trainCbowIds,
} from '../src/train/word2vec/cbow.js';
import {
  buildAliasTable,
  buildSigmoidTable,
  EXP_TABLE_SIZE,
  keepProbabilities,
  learningRate,
  MAX_EXP,
  SENTENCE_BYTES,
  SIGMOID_SCALE,
} from '../src/train/word2vec/cbow-kernel.js';
import { cbowKernelWat } from '../src/train/word2vec/cbow-kernel-wat.js';
import { requireKernel, webAssembly } from '../src/wasm/runtime.js';

/**
 * Two topics of `perTopic` words each; every sentence draws its words from one topic only, plus a few
 * shared filler words (ids 0..fillers-1) that occur everywhere.
 */
function plantedCorpus(sentences: number, seed = 3, perTopic = 12, fillers = 3) {
  const rand = createRandom(seed);
  const vocab = fillers + 2 * perTopic;
  const ids: number[] = [];
  const counts = new Float64Array(vocab);
  for (let s = 0; s < sentences; s++) {
    const topic = s % 2;
    for (let t = 0; t < 12; t++) {
      const id =
        rand() < 0.2
          ? Math.floor(rand() * fillers)
          : fillers + topic * perTopic + Math.floor(rand() * perTopic);
      ids.push(id);
      counts[id]++;
    }
    ids.push(-1);
  }
  return { ids: Int32Array.from(ids), counts, fillers, perTopic };
}

function cosine(v: Float32Array, dim: number, a: number, b: number): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let c = 0; c < dim; c++) {
    dot += v[a * dim + c] * v[b * dim + c];
    na += v[a * dim + c] ** 2;
    nb += v[b * dim + c] ** 2;
  }
  return dot / Math.sqrt(na * nb);
}

/** Mean cosine within each topic minus mean cosine across topics. */
function topicSeparation(v: Float32Array, dim: number, fillers: number, perTopic: number): number {
  let within = 0;
  let nWithin = 0;
  let across = 0;
  let nAcross = 0;
  for (let i = 0; i < 2 * perTopic; i++) {
    for (let j = i + 1; j < 2 * perTopic; j++) {
      const c = cosine(v, dim, fillers + i, fillers + j);
      if (Math.floor(i / perTopic) === Math.floor(j / perTopic)) {
        within += c;
        nWithin++;
      } else {
        across += c;
        nAcross++;
      }
    }
  }
  return within / nWithin - across / nAcross;
}

const small = { dim: 16, window: 3, negative: 4, epochs: 3, minCount: 1, sample: 0 };

describe('word2vec formulas', () => {
  it('sub-sampling keeps a word with probability (√(f/(s·T)) + 1)·(s·T)/f, capped at 1', () => {
    const keep = keepProbabilities(new Float64Array([500, 40, 1]), 1000, 1e-3);
    // s·T = 1
    expect(keep[0]).toBeCloseTo((Math.sqrt(500) + 1) / 500, 6);
    expect(keep[1]).toBeCloseTo((Math.sqrt(40) + 1) / 40, 6);
    expect(keep[2]).toBe(1);
    expect(keepProbabilities(new Float64Array([500]), 1000, 0)[0]).toBe(1);
  });

  it('learning rate decays linearly over all epochs from alpha to the floor', () => {
    expect(learningRate(0.05, 5e-6, 0, 1_000_000)).toBe(0.05);
    expect(learningRate(0.05, 5e-6, 250_000, 1_000_000)).toBeCloseTo(0.0375, 6);
    expect(learningRate(0.05, 5e-6, 500_000, 1_000_000)).toBeCloseTo(0.025, 6);
    expect(learningRate(0.05, 5e-6, 1_000_000, 1_000_000)).toBe(5e-6);
    expect(resolveCbowOptions({}).alpha).toBe(0.05);
    expect(resolveCbowOptions({ sg: true }).alpha).toBe(0.025);
    expect(resolveCbowOptions({ alpha: 0.1 }).minAlpha).toBeCloseTo(1e-5, 12);
  });

  it('the alias table draws words exactly ∝ count^0.75', () => {
    const counts = new Float64Array([81, 16, 1, 1, 625, 0.5]);
    const { prob, alias } = buildAliasTable(counts);
    const v = counts.length;
    // Probability of each word implied by the table: slot i keeps i with prob[i], else gives alias[i].
    const implied = new Float64Array(v);
    for (let i = 0; i < v; i++) {
      implied[i] += prob[i] / v;
      implied[alias[i]] += (1 - prob[i]) / v;
    }
    const z = counts.reduce((a, c) => a + c ** 0.75, 0);
    for (let i = 0; i < v; i++) expect(implied[i]).toBeCloseTo(counts[i] ** 0.75 / z, 6);
  });

  it('slices a corpus for workers at sentence starts', () => {
    const ids = Int32Array.from([1, 2, 3, -1, 4, 5, -1, 6, -1, 7, 8, 9, -1]);
    const slices = sentenceSlices(ids, 3);
    expect(slices[0][0]).toBe(0);
    expect(slices[slices.length - 1][1]).toBe(ids.length);
    for (let i = 1; i < slices.length; i++) {
      expect(slices[i][0]).toBe(slices[i - 1][1]);
      expect(ids[slices[i][0] - 1]).toBe(-1);
    }
  });

  it('cuts the corpus into sentence-aligned blocks of about the given size, in order, covering it', () => {
    const { ids } = plantedCorpus(50);
    const blocks = sentenceBlocks(ids, 40);
    expect(blocks[0]).toBe(0);
    expect(blocks[blocks.length - 1]).toBe(ids.length);
    expect(blocks.length - 1).toBeGreaterThanOrEqual(Math.floor(ids.length / 40) - 1);
    for (let i = 1; i < blocks.length; i++) {
      expect(blocks[i]).toBeGreaterThan(blocks[i - 1]);
      expect(ids[blocks[i] - 1]).toBe(-1);
      // at most the size plus the rest of the sentence it would have cut (13 ids per sentence here)
      expect(blocks[i] - blocks[i - 1]).toBeLessThanOrEqual(40 + 13);
    }
  });

  it('reads the sigmoid table at word2vec.c and gensim slot (f + MAX_EXP) · 83, not the exact 83.33', () => {
    // EXP_TABLE_SIZE / MAX_EXP / 2 is integer arithmetic in both peers
    expect(SIGMOID_SCALE).toBe(83);
    const table = buildSigmoidTable();
    const slot = (f: number) => ((f + MAX_EXP) * SIGMOID_SCALE) | 0;
    expect(slot(0)).toBe(498);
    expect(slot(MAX_EXP - 1e-6)).toBe(995);
    expect(slot(MAX_EXP - 1e-6)).toBeLessThan(EXP_TABLE_SIZE);
    // so σ(0) reads slightly below one half, as the peers do
    expect(table[slot(0)]).toBeCloseTo(1 / (1 + Math.exp(0.024)), 4);
  });

  it('rejects bad options naming the value', () => {
    expect(() => resolveCbowOptions({ dim: 0 })).toThrow(InvalidArgumentError);
    expect(() => resolveCbowOptions({ window: 2.5 })).toThrow(/window .* got 2.5/);
    expect(() => resolveCbowOptions({ sample: -1 })).toThrow(/sample .* got -1/);
    // The pre-issue-12 name 'wasm' is gone: one vocabulary, 'auto' | 'wasm-simd' | 'js'.
    expect(() => resolveCbowOptions({ kernel: 'wasm' as 'js' })).toThrow(
      `kernel must be 'auto', 'wasm-simd' or 'js', got "wasm"`,
    );
    expect(resolveCbowOptions({ kernel: 'wasm-simd' }).kernel).toBe('wasm-simd');
  });
});

describe('trainCbowIds', () => {
  const corpus = plantedCorpus(600);

  it('with one worker and a seed gives bit-identical vectors on every run', async () => {
    const opts = { ...small, sample: 1e-2, workers: 1, seed: 42 };
    const a = await trainCbowIds(corpus.ids, corpus.counts, opts);
    const b = await trainCbowIds(corpus.ids, corpus.counts, opts);
    expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer))).toBe(true);
    const c = await trainCbowIds(corpus.ids, corpus.counts, { ...opts, seed: 43 });
    expect(Buffer.from(a.buffer).equals(Buffer.from(c.buffer))).toBe(false);
  });

  it('CBOW puts words of the same topic closer together (two workers)', async () => {
    const v = await trainCbowIds(corpus.ids, corpus.counts, { ...small, workers: 2, seed: 5 });
    expect(v.length).toBe(corpus.counts.length * small.dim);
    expect(topicSeparation(v, small.dim, corpus.fillers, corpus.perTopic)).toBeGreaterThan(0.3);
  });

  it('the JavaScript kernel (no SIMD, any dim) learns the same structure, deterministically', async () => {
    const opts = { ...small, dim: 15, kernel: 'js' as const, workers: 1, seed: 5 };
    const v = await trainCbowIds(corpus.ids, corpus.counts, opts);
    expect(topicSeparation(v, 15, corpus.fillers, corpus.perTopic)).toBeGreaterThan(0.3);
    const again = await trainCbowIds(corpus.ids, corpus.counts, opts);
    expect(Buffer.from(v.buffer).equals(Buffer.from(again.buffer))).toBe(true);
    await expect(trainCbowIds(corpus.ids, corpus.counts, { ...opts, kernel: 'wasm-simd' })).rejects.toThrow(
      /multiple of 4, got 15/,
    );
  });

  it('skip-gram (sg) puts words of the same topic closer together', async () => {
    const v = await trainCbowIds(corpus.ids, corpus.counts, { ...small, sg: true, workers: 1, seed: 5 });
    expect(topicSeparation(v, small.dim, corpus.fillers, corpus.perTopic)).toBeGreaterThan(0.3);
  });

  it('summing context vectors (cbowMean false) trains too', async () => {
    const v = await trainCbowIds(corpus.ids, corpus.counts, {
      ...small,
      cbowMean: false,
      alpha: 0.01,
      workers: 1,
    });
    expect(topicSeparation(v, small.dim, corpus.fillers, corpus.perTopic)).toBeGreaterThan(0.3);
  });

  it('reports progress with a decaying learning rate and every word counted', async () => {
    const reports: Progress[] = [];
    await trainCbowIds(corpus.ids, corpus.counts, {
      ...small,
      workers: 1,
      onProgress: (p) => reports.push(p),
    });
    const last = reports[reports.length - 1];
    const total = corpus.counts.reduce((a, b) => a + b, 0);
    expect(last.done).toBe(total * small.epochs);
    expect(last.total).toBe(total * small.epochs);
    expect(last.epoch).toBe(small.epochs);
    expect(last.alpha).toBeLessThan(0.05 * (1 / small.epochs + 0.01));
  });

  it('two workers sharing the blocks train every word exactly once per epoch', async () => {
    const reports: Progress[] = [];
    await trainCbowIds(corpus.ids, corpus.counts, {
      ...small,
      workers: 2,
      onProgress: (p) => reports.push(p),
    });
    const last = reports[reports.length - 1];
    const total = corpus.counts.reduce((a, b) => a + b, 0);
    expect(last.done).toBe(total * small.epochs);
  });

  it('streams chunks per epoch when given a chunk source', async () => {
    const chunkSize = 1300;
    let epochsRead = 0;
    const chunks = async function* () {
      epochsRead++;
      for (let i = 0; i < corpus.ids.length; i += chunkSize) yield corpus.ids.slice(i, i + chunkSize);
    };
    const v = await trainCbowIds({ kind: 'stream', chunks }, corpus.counts, {
      ...small,
      workers: 2,
      seed: 5,
    });
    expect(epochsRead).toBe(small.epochs);
    expect(topicSeparation(v, small.dim, corpus.fillers, corpus.perTopic)).toBeGreaterThan(0.3);
  });

  it('stops within a second of an abort and rejects with AbortedError', async () => {
    const big = plantedCorpus(20_000, 9);
    const controller = new AbortController();
    const run = trainCbowIds(big.ids, big.counts, {
      ...small,
      dim: 50,
      epochs: 1000,
      workers: 2,
      signal: controller.signal,
    });
    await new Promise((r) => setTimeout(r, 300));
    const t0 = performance.now();
    controller.abort();
    await expect(run).rejects.toBeInstanceOf(AbortedError);
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});

describe('trainCbow', () => {
  const fruit = 'apple banana cherry grape lemon mango melon peach pear plum'.split(' ');
  const vehicles = 'bus car ferry lorry scooter taxi train tram truck van'.split(' ');
  const rand = createRandom(11);
  const lines: string[] = [];
  for (let s = 0; s < 500; s++) {
    const words = s % 2 ? fruit : vehicles;
    const line: string[] = [];
    for (let t = 0; t < 10; t++) line.push(rand() < 0.15 ? 'the' : words[Math.floor(rand() * words.length)]);
    if (s % 50 === 0) line.push(`hapax${s}`);
    lines.push(line.join(' '));
  }
  const corpus = corpusFromText(lines, { name: 'topics' });
  const options = { dim: 16, window: 3, negative: 4, epochs: 3, minCount: 2, sample: 0, workers: 1, seed: 3 };

  function separation(kv: { similarity(a: string, b: string): number }): number {
    let within = 0;
    let across = 0;
    for (let i = 0; i < 5; i++) {
      within += kv.similarity(fruit[i], fruit[i + 5]) + kv.similarity(vehicles[i], vehicles[i + 5]);
      across += kv.similarity(fruit[i], vehicles[i]) + kv.similarity(fruit[i + 5], vehicles[i + 5]);
    }
    return (within - across) / 10;
  }

  it('trains on a corpus and describes the model', async () => {
    const model = await trainCbow(corpus, options);
    const vocab = await Vocabulary.fromCorpus(corpus, { minCount: 2 });
    const encoded = await encodeCorpus(corpus, vocab);
    expect(model.algorithm).toBe('cbow');
    expect(model.vectors.words).toEqual(vocab.words);
    expect(model.vectors.dim).toBe(16);
    expect(model.corpus).toEqual({ name: 'topics', tokens: encoded.tokens, checksum: encoded.checksum });
    expect(model.hyperParameters).toMatchObject({ dim: 16, alpha: 0.05, minAlpha: 0.05 * 1e-4, sg: false });
    expect(model.rareWords?.get('hapax0')).toBe(1);
    expect(separation(model.vectors)).toBeGreaterThan(0.3);
  });

  it('streams the corpus per epoch past the memory budget, with the same checksum', async () => {
    const inMemory = await trainCbow(corpus, options);
    const streamed = await trainCbow(corpus, { ...options, sg: true, alpha: 0.05, memoryBudget: 1000 });
    expect(streamed.algorithm).toBe('skipgram');
    expect(streamed.corpus).toEqual(inMemory.corpus);
    expect(separation(streamed.vectors)).toBeGreaterThan(0.3);
  });

  it('names the problem when no word reaches minCount', async () => {
    await expect(trainCbow(corpusFromText(['a b c']), { minCount: 2 })).rejects.toThrow(
      /no word seen at least minCount = 2/,
    );
  });
});

describe('word2vec SIMD kernel (WebAssembly)', () => {
  it('reserves room for the largest negative count in every worker scratch', () => {
    const dim = 100;
    const l = layoutMemory(10, dim, 1000, 2, 64);
    expect(l.scratchBytes).toBeGreaterThanOrEqual(SENTENCE_BYTES + 2 * dim * 4 + 4 * 1001);
    expect(l.ids).toBeGreaterThanOrEqual(l.scratch + 2 * l.scratchBytes);
  });

  it("draws an example's negatives from word2vec.c's stream in order, all before scoring the first", () => {
    // Uniform alias table (every slot keeps its own word) and nothing sub-sampled: the only random draws
    // are each token's window shrink, then its `negative` targets.
    const [V, dim, negative, seed] = [50, 8, 5, 12345];
    const ids = Int32Array.from([3, 7]);
    const l = layoutMemory(V, dim, negative, 1, ids.length);
    const wasm = webAssembly;
    if (!wasm) throw new Error('this runtime has no WebAssembly');
    const memory = new wasm.Memory({ initial: l.pages, maximum: l.pages, shared: true });
    const buffer = memory.buffer as SharedArrayBuffer;
    new Float32Array(buffer, l.sigmoid, EXP_TABLE_SIZE).set(buildSigmoidTable());
    const alias = new Int32Array(buffer, l.alias, 2 * V);
    const prob = new Float32Array(buffer, l.alias, 2 * V);
    for (let i = 0; i < V; i++) {
      prob[2 * i] = 1;
      alias[2 * i + 1] = i;
    }
    new Float32Array(buffer, l.keep, V).fill(1);
    new Int32Array(buffer, l.ids, ids.length).set(ids);
    new Float32Array(buffer, l.syn0, V * dim).fill(0.01);
    const k = new wasm.Instance(requireKernel('word2vec', cbowKernelWat(dim)), { env: { memory } })
      .exports as Record<string, (...a: number[]) => number>;
    k.init(dim, 1, negative, 0, 1, l.syn0, l.syn1neg, l.alias, V, l.keep, l.sigmoid, l.scratch, seed);
    expect(k.train_span(l.ids, 0, ids.length, 0.025, 100)).toBe(2);
    expect(k.words_read()).toBe(2);
    // word2vec.c: next_random = next_random · 25214903917 + 11 (64-bit); a draw below n is its high 32 bits · n >> 32
    let r = BigInt(seed);
    const stream = Array.from({ length: 2 * (1 + negative) }, () => {
      r = (r * 25214903917n + 11n) & 0xffffffffffffffffn;
      return Number(((r >> 32n) * BigInt(V)) >> 32n);
    });
    // Token 0 drew [shrink, 5 negatives], token 1 the next six: its negatives stay in the scratch.
    const draws = new Int32Array(buffer, l.scratch + SENTENCE_BYTES + 2 * dim * 4, negative + 1);
    expect(Array.from(draws.subarray(1))).toEqual(stream.slice(2 + negative));
    // Every drawn word that is not the trained one got an output update.
    const syn1 = new Float32Array(buffer, l.syn1neg, V * dim);
    for (const w of stream.slice(1, 1 + negative)) {
      if (w !== 3) expect(syn1[w * dim]).not.toBe(0);
    }
  });
});
