/**
 * fastText training (Bojanowski et al. 2017, "Enriching Word Vectors with Subword Information"): CBOW or
 * skip-gram with negative sampling over each word's own row and its character n-gram rows. The
 * orchestration: vocabulary (fastText's dictionary, `</s>` included), the shared memory, the schedule, the
 * worker threads, progress and abort; the inner loops are in fasttext-kernel.ts / fasttext-kernel-wat.ts and
 * run inside fasttext-worker.ts.
 *
 * Reference semantics: fastText 0.9.2 (`FastText::train`, `trainThread`, `createRandomMatrix`,
 * `Dictionary::readFromFile`, `initTableDiscard`, `initNgrams`).
 */
import { Worker } from 'node:worker_threads';
import { AbortedError, InvalidArgumentError } from '../../errors.js';
import type { FastTextArgs, FastTextModel } from '../../formats/fasttext-bin.js';
import { KeyedVectors } from '../../query/keyed-vectors.js';
import { nextUint32, seedState } from '../../random.js';
import { ngramRows } from '../../subword/char-ngrams.js';
import { SubwordTable, subwordWordVector } from '../../subword/subword-table.js';
import type { Corpus } from '../../text/corpus.js';
import { readCorpusIds } from '../../text/corpus-ids.js';
import { describeCorpus } from '../../text/token-ids.js';
import type { Vocabulary } from '../../text/vocabulary.js';
import { type Kernel, pickKernel, webAssembly } from '../../wasm/runtime.js';
import { JobWorker, streamChunks } from '../job-worker.js';
import type { CorpusDescription, TrainedModel } from '../trained-model.js';
import { trainingProgress } from '../training-progress.js';
import { STREAM_CHUNK_TOKENS, sentenceBlocks, type TokenSource } from '../word2vec/cbow.js';
import { buildAliasTable } from '../word2vec/cbow-kernel.js';
import { workerEntry } from '../worker-entry.js';
import {
  CONTROL_ABORT,
  CONTROL_LR_BITS,
  CONTROL_SLOTS,
  discardThresholds,
  type FastTextJob,
  type FastTextLayout,
  type FastTextWorkerData,
  type FastTextWorkerResult,
  fastTextLearningRate,
  fastTextSigmoidTable,
  LINE_BYTES,
  negativeTableSlots,
  SIGMOID_TABLE_SIZE,
  TOKENS_PER_UPDATE,
} from './fasttext-kernel.js';
import { fasttextKernelWat } from './fasttext-kernel-wat.js';
import {
  type FastTextOptions,
  type ResolvedFastTextOptions,
  resolveFastTextOptions,
} from './fasttext-options.js';

/** fastText's end-of-line token (`Dictionary::EOS`): a word of the dictionary, read at the end of every line. */
export const FASTTEXT_EOS = '</s>';

/** What {@link trainFastText} resolves to: a {@link TrainedModel} with the whole fastText model beside it. */
export interface TrainedFastText extends TrainedModel {
  algorithm: 'fasttext';
  /**
   * The model as fastText would save it (`FastText::saveModel`): args, the dictionary with `</s>` (its last
   * word), the words' own input rows, the n-gram buckets and the output matrix.
   */
  fastText: FastTextModel;
}

/**
 * Trains fastText word vectors with fastText 0.9.2's semantics and defaults (`fasttext cbow` with no flags;
 * `sg: true` for `fasttext skipgram`). The corpus is read once (vocabulary and token ids), each sentence is a
 * fastText line ending in `</s>`, and `workers` threads train over shared memory, seeded.
 *
 * Progress stages, in order: `vocabulary`, `encode`, `training` (unit `words`: tokens read, `</s>` included,
 * against epoch × ntokens as fastText counts them).
 *
 * Decisions: `</s>` is trained as fastText trains it and kept in `fastText` (so a saved `.bin` has fastText's
 * dictionary), but left out of `vectors`, which answer queries; `sample: 0` keeps every token (fastText's
 * `-t 0` would discard nearly all); the vocabulary is the project's tokenizer's, not fastText's split on
 * whitespace.
 *
 * @param corpus - the text (see `openCorpus`).
 * @param options - see {@link FastTextOptions}.
 * @returns `vectors` (fastText's word vectors: own row and n-gram rows averaged, with `subwords` so unseen
 *   words get fastText's estimate), `fastText` (the full model), settings, corpus description, rare words.
 * @throws {@link InvalidArgumentError} for a bad option or a corpus with no word seen `minCount` times;
 *   {@link AbortedError} when `signal` aborts.
 * @example
 * ```ts
 * const model = await trainFastText(openCorpus('brown'), { seed: 1 });
 * model.vectors.mostSimilar({ positive: ['king'] });
 * model.vectors.subwords?.explain('kingliest'); // estimated from its character n-grams
 * ```
 */
export async function trainFastText(corpus: Corpus, options: FastTextOptions = {}): Promise<TrainedFastText> {
  const o = resolveFastTextOptions(options);
  const { onProgress, signal } = options;
  if (signal?.aborted) throw new AbortedError('fastText training');
  // One read of the text; ids beyond the budget are spilled and streamed for each pass (corpus-ids.ts).
  const read = await readCorpusIds(corpus, {
    minCount: o.minCount,
    memoryBudget: idsBudget(o),
    chunkTokens: STREAM_CHUNK_TOKENS,
    onProgress,
    signal,
  });
  const { vocab } = read;
  const dictionary = fastTextDictionary(vocab, o.minCount);
  let trained: TrainedMatrices;
  let description: CorpusDescription;
  try {
    if (vocab.size === 0)
      throw new InvalidArgumentError(
        `corpus ${JSON.stringify(corpus.name)} has no word seen at least minCount = ${o.minCount} times`,
      );
    if (dictionary.words.length < 2)
      throw new InvalidArgumentError(
        `corpus ${JSON.stringify(corpus.name)} has fewer than two words seen minCount = ${o.minCount} times: nothing to train`,
      );
    if (read.kind === 'memory') {
      trained = await trainOnIds({ kind: 'memory', ids: read.encoded.ids }, dictionary, o, options);
      description = describeCorpus(read.encoded);
    } else {
      trained = await trainOnIds({ kind: 'stream', chunks: () => read.chunks() }, dictionary, o, options);
      description = read.description;
    }
  } finally {
    read.close();
  }
  const { args, wordRows, subwords, output } = trained;
  const nwords = dictionary.words.length;
  const dim = o.dim;
  // vectors for queries: the vocabulary without `</s>`, each word's vector as fastText's getWordVector.
  const v = vocab.size;
  const vectors = new Float32Array(v * dim);
  for (let i = 0; i < v; i++) vectors.set(subwordWordVector(subwords, wordRows, vocab.words[i], i), i * dim);
  const all = new Float32Array(nwords * dim);
  all.set(vectors);
  if (dictionary.eos >= 0)
    all.set(wordRows.subarray(dictionary.eos * dim, (dictionary.eos + 1) * dim), v * dim);
  const fastTextVectors = new KeyedVectors({
    words: dictionary.words,
    vectors: all,
    dim,
    counts: dictionary.counts,
    subwords,
  });
  const fastText: FastTextModel = {
    args,
    version: 12,
    vectors: fastTextVectors,
    subwords,
    wordRows,
    output,
    wordVector(word: string): Float32Array {
      const i = fastTextVectors.index(word);
      if (i >= 0) return Float32Array.from(fastTextVectors.vectors.subarray(i * dim, (i + 1) * dim));
      return subwords.estimate(word) ?? new Float32Array(dim);
    },
  };
  return {
    vectors: new KeyedVectors({ words: vocab.words, vectors, dim, counts: vocab.counts, subwords }),
    algorithm: 'fasttext',
    hyperParameters: {
      model: o.sg ? 'skipgram' : 'cbow',
      dim,
      window: o.window,
      epochs: o.epochs,
      minCount: o.minCount,
      negative: o.negative,
      alpha: o.alpha,
      sample: o.sample,
      minn: o.minn,
      maxn: o.maxn,
      bucket: o.bucket,
      seed: o.seed,
      workers: o.workers,
      kernel: trained.kernel,
    },
    corpus: description,
    rareWords: vocab.rareWords,
    fastText,
  };
}

/**
 * Bytes of token ids held in memory: `memoryBudget`, but no more than the one 4 GiB WebAssembly memory leaves
 * beside the n-gram rows (with 512 MiB for the words' rows, the output rows and the tables), since the ids
 * are trained from inside that memory.
 */
function idsBudget(o: ResolvedFastTextOptions): number {
  const room = 2 ** 32 - o.bucket * o.dim * 4 - 2 ** 29;
  return Math.min(o.memoryBudget, Math.max(2 ** 26, room));
}

/** fastText's dictionary over our vocabulary: its words, then `</s>` (counted once per sentence) when frequent enough. */
interface Dictionary {
  words: string[];
  counts: Float64Array;
  /** Id of `</s>`, or −1. */
  eos: number;
  /** fastText `ntokens_`: every token read, rare words and `</s>` included. */
  ntokens: number;
}

function fastTextDictionary(vocab: Vocabulary, minCount: number): Dictionary {
  const eosCount = vocab.sentences;
  const withEos = eosCount >= minCount && vocab.index(FASTTEXT_EOS) < 0;
  const words = withEos ? [...vocab.words, FASTTEXT_EOS] : [...vocab.words];
  const counts = new Float64Array(words.length);
  counts.set(vocab.counts);
  if (withEos) counts[vocab.size] = eosCount;
  return { words, counts, eos: withEos ? vocab.size : -1, ntokens: vocab.corpusTokens + eosCount };
}

/**
 * Each word's subwords as fastText's `Dictionary::initNgrams` lists them (its own row, then `nwords + hash mod
 * bucket` for each n-gram of `<word>`; `</s>` has only its own row), as CSR arrays.
 */
function subwordLists(
  dictionary: Dictionary,
  o: ResolvedFastTextOptions,
): { offsets: Int32Array; rows: Int32Array } {
  const nwords = dictionary.words.length;
  const offsets = new Int32Array(nwords + 1);
  const lists: Int32Array[] = [];
  const spec = { minn: o.minn, maxn: o.maxn, bucket: o.bucket };
  let total = 0;
  for (let i = 0; i < nwords; i++) {
    const grams = i === dictionary.eos ? new Int32Array(0) : ngramRows(dictionary.words[i], spec);
    lists.push(grams);
    total += 1 + grams.length;
    offsets[i + 1] = total;
  }
  const rows = new Int32Array(total);
  for (let i = 0; i < nwords; i++) {
    let at = offsets[i];
    rows[at++] = i;
    for (const g of lists[i]) rows[at++] = nwords + g;
  }
  return { offsets, rows };
}

/**
 * The input matrix as fastText's `createRandomMatrix`: uniform in (−1/dim, 1/dim), from a seeded stream.
 * (fastText fills ten blocks from std::minstd_rand seeded block + seed; the distribution is the same.)
 */
function initialInput(input: Float32Array, dim: number, seed: number): void {
  const rng = seedState(seed);
  const scale = 2 / dim;
  const low = -1 / dim;
  for (let i = 0; i < input.length; i++) input[i] = low + (nextUint32(rng) / 4294967296) * scale;
}

/**
 * Places everything in one shared memory, each region 16-byte aligned: sigmoid table, pdiscard, alias table,
 * subword lists, input rows (words + bucket), output rows, per-worker scratch, then the token ids
 * (`idsLength` of them) or, when streaming (`idsLength` undefined), one chunk buffer per worker.
 *
 * @throws {@link InvalidArgumentError} when it needs more than the 4 GiB of one WebAssembly memory.
 */
export function layoutMemory(
  words: number,
  subRowCount: number,
  o: ResolvedFastTextOptions,
  workers: number,
  idsLength: number | undefined,
): FastTextLayout & { pages: number } {
  const chunkTokens = idsLength === undefined ? STREAM_CHUNK_TOKENS : 0;
  const align = (n: number) => Math.ceil(n / 16) * 16;
  let at = 0;
  const take = (bytes: number) => {
    const start = at;
    at = align(at + bytes);
    return start;
  };
  const inputRows = words + o.bucket;
  const sigmoid = take((SIGMOID_TABLE_SIZE + 1) * 4);
  const discard = take(words * 4);
  const alias = take(words * 8);
  const subOffsets = take((words + 1) * 4);
  const subRows = take(subRowCount * 4);
  const input = take(inputRows * o.dim * 4);
  const output = take(words * o.dim * 4);
  // Each worker's scratch is written at every token: on cache lines of its own (no false sharing).
  const scratchBytes = Math.ceil((LINE_BYTES + 2 * o.dim * 4 + 4 * (o.negative + 1)) / 128) * 128 + 128;
  const scratch = take(workers * scratchBytes);
  const ids = take(idsLength === undefined ? workers * chunkTokens * 4 : idsLength * 4);
  const pages = Math.max(1, Math.ceil(at / 65536));
  if (pages > 65536) {
    throw new InvalidArgumentError(
      `fastText training needs ${(at / 2 ** 30).toFixed(1)} GiB, more than the 4 GiB of one WebAssembly memory: lower bucket (${o.bucket}) or dim (${o.dim})`,
    );
  }
  return {
    sigmoid,
    discard,
    alias,
    subOffsets,
    subRows,
    subRowCount,
    input,
    output,
    scratch,
    scratchBytes,
    ids,
    idsLength: idsLength ?? 0,
    chunkTokens,
    words,
    inputRows,
    pages,
  };
}

interface TrainedMatrices {
  args: FastTextArgs;
  wordRows: Float32Array;
  subwords: SubwordTable;
  output: Float32Array;
  kernel: Kernel;
}

/** Trains on token ids (−1 ends a sentence, read as `</s>`) of the dictionary's words. */
async function trainOnIds(
  source:
    | Extract<TokenSource, { kind: 'memory' }>
    | { kind: 'stream'; chunks: () => AsyncIterable<Int32Array> },
  dictionary: Dictionary,
  o: ResolvedFastTextOptions,
  options: FastTextOptions,
): Promise<TrainedMatrices> {
  const { signal, onProgress } = options;
  if (!webAssembly)
    throw new InvalidArgumentError(
      'fastText training needs WebAssembly shared memory, missing in this runtime',
    );
  const nwords = dictionary.words.length;
  const plannedTokens = o.epochs * dictionary.ntokens;
  const { offsets, rows } = subwordLists(dictionary, o);
  const tokenIds = source.kind === 'memory' ? source.ids : undefined;
  // Blocks of TOKENS_PER_UPDATE, smaller on a small corpus so that every worker gets some.
  const blocks = tokenIds
    ? sentenceBlocks(
        tokenIds,
        Math.max(1, Math.min(TOKENS_PER_UPDATE, Math.ceil(tokenIds.length / (4 * o.workers)))),
      )
    : undefined;
  const workerCount = blocks ? Math.max(1, Math.min(o.workers, blocks.length - 1)) : o.workers;
  const layout = layoutMemory(nwords, rows.length, o, workerCount, tokenIds?.length);
  const memory = new webAssembly.Memory({ initial: layout.pages, maximum: layout.pages, shared: true });
  const buffer = memory.buffer;
  new Float32Array(buffer, layout.sigmoid, SIGMOID_TABLE_SIZE + 1).set(fastTextSigmoidTable());
  new Float32Array(buffer, layout.discard, nwords).set(
    discardThresholds(dictionary.counts, dictionary.ntokens, o.sample),
  );
  const { prob, alias } = buildAliasTable(negativeTableSlots(dictionary.counts), 1);
  const aliasProb = new Float32Array(buffer, layout.alias, 2 * nwords);
  const aliasIds = new Int32Array(buffer, layout.alias, 2 * nwords);
  for (let i = 0; i < nwords; i++) {
    aliasProb[2 * i] = prob[i];
    aliasIds[2 * i + 1] = alias[i];
  }
  new Int32Array(buffer, layout.subOffsets, nwords + 1).set(offsets);
  new Int32Array(buffer, layout.subRows, rows.length).set(rows);
  const input = new Float32Array(buffer, layout.input, layout.inputRows * o.dim);
  initialInput(input, o.dim, o.seed);
  if (tokenIds) new Int32Array(buffer, layout.ids, tokenIds.length).set(tokenIds);
  const control = new Int32Array(new SharedArrayBuffer(CONTROL_SLOTS * 4));
  const tokensDone = new BigInt64Array(new SharedArrayBuffer(8));
  const { kernel, module } = pickKernel(o.kernel, o.dim, 'fastText', fasttextKernelWat);

  const entry = workerEntry('train/fasttext/fasttext-worker');
  const workers: JobWorker<FastTextJob, FastTextWorkerResult>[] = [];
  for (let w = 0; w < workerCount; w++) {
    const data: FastTextWorkerData = {
      dim: o.dim,
      window: o.window,
      negative: o.negative,
      sg: o.sg,
      eos: dictionary.eos,
      kernel,
      module,
      memory,
      layout,
      worker: w,
      control: control.buffer as SharedArrayBuffer,
      tokensDone: tokensDone.buffer as SharedArrayBuffer,
      // fastText seeds thread i's std::minstd_rand with seed + i; ours mixes the index in as CBOW does.
      seed: (o.seed + Math.imul(w + 1, 0x9e3779b9)) | 0,
      alpha: o.alpha,
      plannedTokens,
    };
    workers.push(new JobWorker(new Worker(entry, { workerData: data }), 'fastText'));
  }

  const progress = trainingProgress({
    onProgress,
    done: tokensDone,
    control,
    rateSlot: CONTROL_LR_BITS,
    planned: plannedTokens,
    perEpoch: dictionary.ntokens,
    epochs: o.epochs,
    scheduledRate: (done) => fastTextLearningRate(o.alpha, done, plannedTokens),
  });
  const onAbort = () => Atomics.store(control, CONTROL_ABORT, 1);
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const failure = Promise.race(workers.map((w) => w.failed));
    const stop = () => control[CONTROL_ABORT] !== 0 || Number(Atomics.load(tokensDone, 0)) >= plannedTokens;
    if (blocks) {
      await Promise.race([Promise.all(workers.map((w) => w.run({ blocks }))), failure]);
    } else if (source.kind === 'stream') {
      // fastText reads its file again and again until epoch × ntokens tokens are read (keepTraining).
      while (!stop()) {
        const before = Number(Atomics.load(tokensDone, 0));
        await Promise.race([
          streamChunks(source.chunks(), workers, layout.chunkTokens, stop, (chunk) => ({ chunk })),
          failure,
        ]);
        if (Number(Atomics.load(tokensDone, 0)) === before) break;
      }
    }
    if (signal?.aborted || control[CONTROL_ABORT] !== 0) throw new AbortedError('fastText training');
    progress.report();
  } finally {
    progress.stop();
    signal?.removeEventListener('abort', onAbort);
    await Promise.all(workers.map((w) => w.terminate()));
  }
  // Views of the training memory, not copies: the n-gram buckets are most of it (800 MB at the defaults).
  const wordRows = input.subarray(0, nwords * o.dim);
  const subwords = new SubwordTable(
    { minn: o.minn, maxn: o.maxn, bucket: o.bucket },
    o.dim,
    input.subarray(nwords * o.dim),
  );
  const output = Float32Array.from(new Float32Array(buffer, layout.output, nwords * o.dim));
  const args: FastTextArgs = {
    dim: o.dim,
    ws: o.window,
    epoch: o.epochs,
    minCount: o.minCount,
    neg: o.negative,
    wordNgrams: 1,
    loss: 'ns',
    model: o.sg ? 'skipgram' : 'cbow',
    bucket: o.bucket,
    minn: o.minn,
    maxn: o.maxn,
    lrUpdateRate: 100,
    t: o.sample,
  };
  return { args, wordRows, subwords, output, kernel };
}
