/**
 * The fastText trainer: fastText 0.9.2's defaults, tables and dictionary, determinism, abort, progress,
 * structure learned from a planted corpus, and a comparison with Facebook's fastText itself (Debian's
 * `fasttext`, installed by .ci/run) on the same text: the same dictionary and neighbours as good.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AbortedError, InvalidArgumentError } from '../src/errors.js';
import type { Progress } from '../src/progress.js';
import { createRandom } from '../src/random.js';
import { ngramRows } from '../src/subword/char-ngrams.js';
import { subwordWordVector } from '../src/subword/subword-table.js';
import { corpusFromText, openCorpus } from '../src/text/corpus.js';
import { FASTTEXT_EOS, layoutMemory, trainFastText } from '../src/train/fasttext/fasttext.js';
import {
  discardThresholds,
  fastTextLearningRate,
  fastTextSigmoidTable,
  LINE_BYTES,
  negativeTableSlots,
  SIGMOID_TABLE_SIZE,
} from '../src/train/fasttext/fasttext-kernel.js';
import { fasttextKernelWat } from '../src/train/fasttext/fasttext-kernel-wat.js';
import { resolveFastTextOptions } from '../src/train/fasttext/fasttext-options.js';
import { requireKernel, webAssembly } from '../src/wasm/runtime.js';

const hasFastText = spawnSync('fasttext', [], { stdio: 'ignore' }).error === undefined;
if (!hasFastText)
  console.warn('fastText (apt-get install -y fasttext) not installed: skipping the comparisons with it');

/** A random lower-case word of 4..7 letters: unrelated words share few n-grams. */
function randomWord(rand: () => number): string {
  const n = 4 + Math.floor(rand() * 4);
  let w = '';
  for (let i = 0; i < n; i++) w += String.fromCharCode(97 + Math.floor(rand() * 26));
  return w;
}

/** Two topics of `perTopic` words; each sentence draws from one topic, plus fillers that occur everywhere. */
function plantedText(sentences: number, seed = 7, perTopic = 10) {
  const rand = createRandom(seed);
  const seen = new Set<string>();
  const fresh = () => {
    let w = randomWord(rand);
    while (seen.has(w)) w = randomWord(rand);
    seen.add(w);
    return w;
  };
  const topics = [0, 1].map(() => Array.from({ length: perTopic }, fresh));
  const fillers = Array.from({ length: 3 }, fresh);
  const lines: string[] = [];
  for (let s = 0; s < sentences; s++) {
    const topic = topics[s % 2];
    const words: string[] = [];
    for (let t = 0; t < 10; t++)
      words.push(rand() < 0.2 ? fillers[Math.floor(rand() * 3)] : topic[Math.floor(rand() * perTopic)]);
    lines.push(words.join(' '));
  }
  return { lines, topics };
}

function cosine(a: Float32Array, b: Float32Array): number {
  let d = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    d += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return d / Math.sqrt(na * nb);
}

/** Mean within-topic cosine minus mean cross-topic cosine of the topic words. */
function separation(vector: (w: string) => Float32Array, topics: string[][]): number {
  let within = 0;
  let nw = 0;
  let across = 0;
  let na = 0;
  const all = topics.flatMap((words, t) => words.map((w) => ({ w, t })));
  for (let i = 0; i < all.length; i++) {
    for (let j = i + 1; j < all.length; j++) {
      const c = cosine(vector(all[i].w), vector(all[j].w));
      if (all[i].t === all[j].t) {
        within += c;
        nw++;
      } else {
        across += c;
        na++;
      }
    }
  }
  return within / nw - across / na;
}

// t = 1e-2: with 20 topic words each is ~4 % of the tokens, and fastText's t = 1e-4 would discard 95 % of them.
const SMALL = { dim: 16, bucket: 5_000, minCount: 2, epochs: 5, workers: 1, sample: 1e-2 };

describe('fastText options', () => {
  it("defaults are fastText 0.9.2's (src/args.cc)", () => {
    const o = resolveFastTextOptions();
    expect(o).toMatchObject({
      dim: 100,
      window: 5,
      epochs: 5,
      minCount: 5,
      negative: 5,
      alpha: 0.05,
      sample: 1e-4,
      minn: 3,
      maxn: 6,
      bucket: 2_000_000,
      sg: false,
      seed: 0,
    });
  });

  it.each([
    [{ minn: 5, maxn: 3 }, /minn 5 must not exceed maxn 3/],
    [{ bucket: 0 }, /bucket must be at least 1 when maxn > 0/],
    [{ dim: 0 }, /dim must be an integer from 1 to 10000, got 0/],
    [{ dim: 2.5 }, /dim must be an integer/],
    [{ window: 0 }, /window must be an integer/],
    [{ negative: 0 }, /negative must be an integer/],
    [{ alpha: 0 }, /alpha must be in \(0, 10\]/],
    [{ sample: 1 }, /sample must be in \[0, 1\)/],
    [{ bucket: -1 }, /bucket must be an integer/],
    [{ workers: 0 }, /workers must be an integer/],
    [{ kernel: 'gpu' as never }, /kernel must be 'auto', 'wasm-simd' or 'js'/],
  ])('refuses %o with a clear InvalidArgumentError', (bad, message) => {
    expect(() => resolveFastTextOptions(bad)).toThrow(InvalidArgumentError);
    expect(() => resolveFastTextOptions(bad)).toThrow(message);
  });

  it('accepts maxn 0 (no n-grams) with bucket 0', () => {
    expect(resolveFastTextOptions({ maxn: 0, bucket: 0 }).bucket).toBe(0);
  });

  it('trainFastText refuses bad options before reading the corpus', async () => {
    await expect(trainFastText(corpusFromText('a b c'), { minn: 7, maxn: 4 })).rejects.toThrow(
      /minn 7 must not exceed maxn 4/,
    );
  });
});

describe("fastText's tables", () => {
  it('sigmoid table: 513 slots of 1 / (1 + e^−x) on [−8, 8] (loss.cc)', () => {
    const t = fastTextSigmoidTable();
    expect(t.length).toBe(513);
    expect(t[0]).toBeCloseTo(1 / (1 + Math.exp(8)), 7);
    expect(t[256]).toBe(0.5);
    expect(t[512]).toBeCloseTo(1 / (1 + Math.exp(-8)), 7);
  });

  it('negative table: ⌈√count · 10⁷ / Σ√count⌉ slots per word (NegativeSamplingLoss)', () => {
    expect(Array.from(negativeTableSlots([100, 1]))).toEqual([9090910, 909091]);
    expect(Array.from(negativeTableSlots([4, 4]))).toEqual([5_000_000, 5_000_000]);
  });

  it('pdiscard = √(t/f) + t/f (Dictionary::initTableDiscard); t = 0 keeps everything', () => {
    const p = discardThresholds([5000, 10], 10_000, 1e-4);
    expect(p[0]).toBeCloseTo(Math.sqrt(2e-4) + 2e-4, 6);
    expect(p[1]).toBeCloseTo(Math.sqrt(0.1) + 0.1, 6);
    expect(Array.from(discardThresholds([5000], 10_000, 0))).toEqual([1]);
  });

  it('learning rate decays linearly to 0 over epoch × ntokens', () => {
    expect(fastTextLearningRate(0.05, 0, 1000)).toBe(0.05);
    expect(fastTextLearningRate(0.05, 500, 1000)).toBeCloseTo(0.025, 12);
    expect(fastTextLearningRate(0.05, 1200, 1000)).toBe(0);
  });
});

describe('fastText wasm kernel', () => {
  it("draws an example's negatives in stream order, redrawn while equal to the target, all before scoring", () => {
    // A uniform alias table (every slot keeps its own word), nothing discarded and one row per word: the
    // only random draws are each token's discard draw, then per position its window and its negatives.
    // With 8 words, this seed's negatives hit the target twice (redrawn) and never draw words 0 and 2.
    const [V, dim, negative, window, seed] = [8, 8, 4, 2, 1];
    // The trainer's own layout: one word per subword row (no n-gram buckets), one worker, three ids.
    const o = resolveFastTextOptions({ dim, negative, window, maxn: 0, bucket: 0 });
    const l = layoutMemory(V, V, o, 1, 3);
    const { sigmoid, discard, alias, subOffsets, subRows, input, output, scratch, ids: idsAt } = l;
    const wasm = webAssembly;
    if (!wasm) throw new Error('this runtime has no WebAssembly');
    const memory = new wasm.Memory({ initial: l.pages, maximum: l.pages, shared: true });
    const buffer = memory.buffer as SharedArrayBuffer;
    new Float32Array(buffer, sigmoid, SIGMOID_TABLE_SIZE + 1).set(fastTextSigmoidTable());
    new Float32Array(buffer, discard, V).fill(1);
    const prob = new Float32Array(buffer, alias, 2 * V);
    const aliasIds = new Int32Array(buffer, alias, 2 * V);
    for (let i = 0; i < V; i++) {
      prob[2 * i] = 1;
      aliasIds[2 * i + 1] = i;
    }
    new Int32Array(buffer, subOffsets, V + 1).set(Int32Array.from({ length: V + 1 }, (_, i) => i));
    new Int32Array(buffer, subRows, V).set(Int32Array.from({ length: V }, (_, i) => i));
    // Random input rows: every output row a negative updates then differs from its neighbours' words.
    const rand = createRandom(9);
    new Float32Array(buffer, input, V * dim).set(Float32Array.from({ length: V * dim }, () => rand() - 0.5));
    // One line, [3, 5], ended by −1; no </s> in this vocabulary (eos −1).
    new Int32Array(buffer, idsAt, 3).set([3, 5, -1]);
    const k = new wasm.Instance(requireKernel('fastText', fasttextKernelWat(dim)), { env: { memory } })
      .exports as Record<string, (...a: number[]) => number>;
    k.init(
      dim,
      window,
      negative,
      0,
      input,
      output,
      subOffsets,
      subRows,
      alias,
      V,
      discard,
      sigmoid,
      scratch,
      -1,
      seed,
    );
    expect(k.train_span(idsAt, 0, 3, 0.05, 0, 0.01, 100)).toBe(3);
    expect(k.words_read()).toBe(2);
    // The kernel's stream: next = next · 25214903917 + 11 (64-bit), a draw below n its high 32 bits · n >> 32.
    let r = BigInt(seed);
    const next = () => {
      r = (r * 25214903917n + 11n) & 0xffffffffffffffffn;
      return r;
    };
    const below = (n: number) => Number(((next() >> 32n) * BigInt(n)) >> 32n);
    next(); // discard draw of token 3
    next(); // discard draw of token 5
    const negativesOf = (target: number) => {
      below(window); // the position's window
      const drawn: number[] = [];
      while (drawn.length < negative) {
        const w = below(V);
        if (w !== target) drawn.push(w);
      }
      return drawn;
    };
    const first = negativesOf(3);
    const second = negativesOf(5);
    // Position 1's negatives stay in the scratch, before the sink word of the rows touched.
    const draws = new Int32Array(buffer, scratch + LINE_BYTES + 2 * dim * 4, negative + 1);
    expect(Array.from(draws.subarray(0, negative))).toEqual(second);
    expect(second).not.toContain(5);
    // Every word drawn, and each target, got an output update; the words never drawn did not.
    const out = new Float32Array(buffer, output, V * dim);
    const trained = new Set([...first, ...second, 3, 5]);
    for (const w of trained) expect(out[w * dim]).not.toBe(0);
    const untouched = Array.from({ length: V }, (_, w) => w).filter((w) => !trained.has(w));
    expect(untouched.length).toBeGreaterThan(0);
    for (const w of untouched) expect(out[w * dim]).toBe(0);
  });
});

describe('trainFastText', () => {
  const { lines, topics } = plantedText(600);
  const corpus = () => corpusFromText(lines, { name: 'planted' });

  it.each(['wasm-simd', 'js'] as const)(
    'one worker, kernel %s: bit-identical for one seed, different for another',
    async (kernel) => {
      const a = await trainFastText(corpus(), { ...SMALL, kernel, seed: 3, epochs: 2 });
      const b = await trainFastText(corpus(), { ...SMALL, kernel, seed: 3, epochs: 2 });
      const c = await trainFastText(corpus(), { ...SMALL, kernel, seed: 4, epochs: 2 });
      expect(a.hyperParameters.kernel).toBe(kernel);
      expect(Buffer.from(a.vectors.vectors.buffer).equals(Buffer.from(b.vectors.vectors.buffer))).toBe(true);
      expect(a.fastText.subwords.rows).toEqual(b.fastText.subwords.rows);
      expect(a.fastText.output).toEqual(b.fastText.output);
      expect(a.vectors.vectors).not.toEqual(c.vectors.vectors);
    },
  );

  it("gives fastText's model: dictionary with </s>, word vector = mean of own row and n-gram rows", async () => {
    const m = await trainFastText(corpus(), { ...SMALL, seed: 1 });
    const ft = m.fastText;
    const dim = SMALL.dim;
    expect(m.algorithm).toBe('fasttext');
    expect(m.hyperParameters).toMatchObject({ model: 'cbow', minn: 3, maxn: 6, bucket: SMALL.bucket });
    expect(ft.args).toMatchObject({
      dim,
      ws: 5,
      epoch: 5,
      neg: 5,
      loss: 'ns',
      model: 'cbow',
      minn: 3,
      maxn: 6,
    });
    // `</s>` is fastText's: counted once per line, last word of the dictionary, absent from the query vectors.
    expect(ft.vectors.words.at(-1)).toBe(FASTTEXT_EOS);
    expect(ft.vectors.counts?.at(-1)).toBe(lines.length);
    expect(m.vectors.has(FASTTEXT_EOS)).toBe(false);
    expect(m.vectors.size).toBe(ft.vectors.size - 1);
    expect(ft.wordRows.length).toBe(ft.vectors.size * dim);
    expect(ft.output?.length).toBe(ft.vectors.size * dim);
    expect(ft.subwords.rows.length).toBe(SMALL.bucket * dim);
    const word = topics[0][0];
    const i = m.vectors.index(word);
    const expected = subwordWordVector(ft.subwords, ft.wordRows, word, i);
    expect(m.vectors.get(word)).toEqual(expected);
    // By hand: (own row + Σ n-gram rows) / (1 + n-grams).
    const rows = ngramRows(word, { minn: 3, maxn: 6, bucket: SMALL.bucket });
    for (const d of [0, dim - 1]) {
      let s = ft.wordRows[i * dim + d];
      for (const r of rows) s += ft.subwords.rows[r * dim + d];
      expect(m.vectors.get(word)[d]).toBeCloseTo(s / (1 + rows.length), 6);
    }
    // An unseen word is estimated from its n-grams, as fastText's get_word_vector.
    const unseen = `${word}ish`;
    expect(m.vectors.has(unseen)).toBe(false);
    expect(m.vectors.subwords?.explain(unseen)?.vector).toEqual(ft.subwords.estimate(unseen));
    expect(ft.wordVector(unseen)).toEqual(ft.subwords.estimate(unseen));
  });

  it.each([false, true])('learns the planted topics (sg %s)', async (sg) => {
    const m = await trainFastText(corpus(), { ...SMALL, sg, workers: 2, epochs: 10, seed: 2 });
    expect(m.hyperParameters.model).toBe(sg ? 'skipgram' : 'cbow');
    expect(separation((w) => m.vectors.get(w), topics)).toBeGreaterThan(0.3);
  });

  it('reports progress: vocabulary, encode, then training up to epoch × ntokens with a falling rate', async () => {
    const seen: Progress[] = [];
    await trainFastText(corpus(), { ...SMALL, onProgress: (p) => seen.push(p) });
    const stages = [...new Set(seen.map((p) => p.stage))];
    expect(stages).toEqual(['vocabulary', 'encode', 'training']);
    const training = seen.filter((p) => p.stage === 'training');
    const last = training.at(-1)!;
    // ntokens = every token + one </s> per line.
    expect(last.total).toBe(SMALL.epochs * (lines.length * 10 + lines.length));
    expect(last.done).toBe(last.total);
    expect(last.alpha).toBeLessThan(0.05 * 0.01);
  });

  it('stops with AbortedError when the signal aborts, before or during training', async () => {
    await expect(trainFastText(corpus(), { ...SMALL, signal: AbortSignal.abort() })).rejects.toThrow(
      AbortedError,
    );
    const controller = new AbortController();
    const big = corpusFromText(plantedText(20_000).lines);
    const run = trainFastText(big, {
      ...SMALL,
      epochs: 50,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.stage === 'training' && p.done > 0) controller.abort();
      },
    });
    await expect(run).rejects.toThrow(AbortedError);
  });

  it.each(['wasm-simd', 'js'] as const)(
    'streams a corpus over memoryBudget from its spill file, kernel %s: one worker gives the in-memory model bit for bit',
    async (kernel) => {
      const opts = { ...SMALL, kernel, seed: 5, epochs: 3 };
      const inMemory = await trainFastText(corpus(), opts);
      const phases: string[] = [];
      const streamed = await trainFastText(corpus(), {
        ...opts,
        memoryBudget: 4096,
        onProgress: (p) => {
          if (phases.at(-1) !== p.stage) phases.push(p.stage);
        },
      });
      expect(phases).toEqual(['vocabulary', 'encode', 'training']);
      expect(streamed.corpus).toEqual(inMemory.corpus);
      expect(streamed.fastText.vectors.counts).toEqual(inMemory.fastText.vectors.counts);
      expect(
        Buffer.from(streamed.vectors.vectors.buffer).equals(Buffer.from(inMemory.vectors.vectors.buffer)),
      ).toBe(true);
      expect(streamed.fastText.output).toEqual(inMemory.fastText.output);
      // Two workers on the stream still learn the topics.
      const two = await trainFastText(corpus(), {
        ...SMALL,
        kernel,
        workers: 2,
        epochs: 10,
        seed: 2,
        memoryBudget: 4096,
      });
      expect(separation((w) => two.vectors.get(w), topics)).toBeGreaterThan(0.3);
    },
  );

  it('refuses a corpus with no word seen minCount times', async () => {
    await expect(trainFastText(corpusFromText('a b c'), { minCount: 5 })).rejects.toThrow(
      /no word seen at least minCount = 5 times/,
    );
  });
});

describe.runIf(hasFastText)("beside Facebook's fastText 0.9.2 on the same text", () => {
  let dir: string;
  let file: string;
  const { lines, topics } = plantedText(1500, 11);
  const settings = [
    '-dim',
    '16',
    '-bucket',
    '5000',
    '-minCount',
    '3',
    '-epoch',
    '10',
    '-thread',
    '1',
    '-t',
    '0.01',
  ];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'wordvec-fasttext-train-'));
    file = join(dir, 'corpus.txt');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const r = spawnSync('fasttext', ['cbow', '-input', file, '-output', join(dir, 'm'), ...settings], {
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(`fasttext failed: ${r.stderr}`);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("has fastText's dictionary: the same words (</s> included) with the same counts", async () => {
    const m = await trainFastText(openCorpus(file), {
      dim: 16,
      bucket: 5000,
      minCount: 3,
      epochs: 1,
      workers: 1,
    });
    const dump = spawnSync('fasttext', ['dump', join(dir, 'm.bin'), 'dict'], { encoding: 'utf8' });
    const entries = dump.stdout.trim().split('\n').slice(1);
    const theirs = new Map(entries.map((l) => [l.split(' ')[0], Number(l.split(' ')[1])]));
    const ours = m.fastText.vectors;
    expect(ours.size).toBe(theirs.size);
    const mismatched = ours.words.filter((w, i) => theirs.get(w) !== ours.counts?.[i]);
    expect(mismatched).toEqual([]);
  });

  it("separates the planted topics about as well as fastText's own vectors", async () => {
    const m = await trainFastText(openCorpus(file), {
      dim: 16,
      bucket: 5000,
      minCount: 3,
      epochs: 10,
      workers: 1,
      seed: 1,
      sample: 0.01,
    });
    const words = topics.flat();
    const r = spawnSync('fasttext', ['print-word-vectors', join(dir, 'm.bin')], {
      input: `${words.join('\n')}\n`,
      encoding: 'utf8',
    });
    const theirs = new Map(
      r.stdout
        .trim()
        .split('\n')
        .map((l) => {
          const p = l.trim().split(' ');
          return [p[0], Float32Array.from(p.slice(1).map(Number))] as const;
        }),
    );
    const their = separation((w) => theirs.get(w)!, topics);
    const our = separation((w) => m.vectors.get(w), topics);
    expect(their).toBeGreaterThan(0.2);
    expect(our).toBeGreaterThan(their - 0.1);
  });
});
