/**
 * fastText's binary model format (`.bin`, fastText 0.9: `FastText::saveModel`), read:
 * int32 magic 793712314, int32 version (≤ 12); the args (int32 dim, ws, epoch, minCount, neg,
 * wordNgrams, loss, model, bucket, minn, maxn, lrUpdateRate, float64 t); the dictionary (int32 size,
 * nwords, nlabels, int64 ntokens, int64 pruneidx_size, then per entry a NUL-terminated word, int64 count,
 * int8 type, then pruneidx_size int32 pairs); bool quant_input; the input matrix (int64 rows, int64
 * cols, rows × cols float32: nwords word rows then bucket n-gram rows); bool qout; the output matrix.
 * Little-endian, as fastText writes it on x86. Quantised models (`.ftz`) and supervised (classifier)
 * models are refused with a clear message.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { endianness } from 'node:os';
import { FormatError } from '../errors.js';
import { KeyedVectors } from '../query/keyed-vectors.js';
import type { NgramSpec } from '../subword/char-ngrams.js';
import { SubwordTable, subwordWordVector } from '../subword/subword-table.js';
import {
  ARG_FIELDS,
  DICTIONARY_HEADER_BYTES,
  END_OF_SENTENCE_TOKEN,
  FASTTEXT_MAGIC,
  FASTTEXT_OLDEST_VERSION,
  FASTTEXT_VERSION,
  type FastTextArgs,
  LOSS_NAMES,
  MAX_DIM,
  MAX_ENTRIES,
  MAX_WORD_BYTES,
  MODEL_NAMES,
} from './fasttext-bin-layout.js';

export { FASTTEXT_MAGIC, type FastTextArgs } from './fasttext-bin-layout.js';

/** A fastText model as read: vocabulary vectors as fastText prints them, and its n-gram table. */
export interface FastTextModel {
  args: FastTextArgs;
  version: number;
  /** Vocabulary words with fastText's word vectors (own row and n-gram rows averaged) and counts. */
  vectors: KeyedVectors;
  /** The n-gram rows, for any word outside the vocabulary. */
  subwords: SubwordTable;
  /** The vocabulary's own input rows (`nwords × dim`), before averaging with their n-grams. */
  wordRows: Float32Array;
  /**
   * The output matrix (`nwords × dim` float32, row-major: fastText's `output_`, the vectors negative
   * sampling scores against), when the model has one. Not needed for word vectors; kept so the model
   * can be written back to a `.bin` or trained further.
   */
  output?: Float32Array;
  /** Tokens of the training corpus (the dictionary's `ntokens`); 0 when unknown. */
  ntokens?: number;
  /** fastText `get_word_vector`: a vocabulary word's vector, else the mean of its n-gram rows (zeros when it has none). */
  wordVector(word: string): Float32Array;
}

/**
 * Whether the file starts with fastText's magic number (little-endian), i.e. is a fastText `.bin`
 * (or quantised `.ftz`) model whatever its name.
 *
 * @example
 * ```ts
 * hasFastTextMagic('cc.en.300.bin'); // true
 * ```
 */
export function hasFastTextMagic(file: string): boolean {
  const fd = openSync(file, 'r');
  try {
    const head = Buffer.alloc(4);
    return readSync(fd, head, 0, 4, 0) === 4 && head.readInt32LE(0) === FASTTEXT_MAGIC;
  } finally {
    closeSync(fd);
  }
}

/** Sequential reads of a file with the byte offset kept for messages. */
class BinReader {
  readonly #fd: number;
  readonly #file: string;
  readonly size: number;
  readonly #buf = Buffer.alloc(1 << 16);
  #bufStart = 0;
  #bufEnd = 0;
  /** File offset of `#buf[0]`. */
  #base = 0;

  constructor(file: string) {
    this.#file = file;
    this.#fd = openSync(file, 'r');
    this.size = fstatSync(this.#fd).size;
  }

  get offset(): number {
    return this.#base + this.#bufStart;
  }

  close(): void {
    closeSync(this.#fd);
  }

  fail(detail: string, offset = this.offset): never {
    throw new FormatError(this.#file, { offset }, detail);
  }

  #need(n: number, what: string): void {
    if (this.#bufEnd - this.#bufStart >= n) return;
    const keep = this.#bufEnd - this.#bufStart;
    this.#buf.copy(this.#buf, 0, this.#bufStart, this.#bufEnd);
    this.#base += this.#bufStart;
    this.#bufStart = 0;
    this.#bufEnd = keep;
    while (this.#bufEnd < n) {
      const got = readSync(
        this.#fd,
        this.#buf,
        this.#bufEnd,
        this.#buf.length - this.#bufEnd,
        this.#base + this.#bufEnd,
      );
      if (got === 0) this.fail(`file ends inside ${what} (truncated)`);
      this.#bufEnd += got;
    }
  }

  int32(what: string): number {
    this.#need(4, what);
    const v = this.#buf.readInt32LE(this.#bufStart);
    this.#bufStart += 4;
    return v;
  }

  int64(what: string): number {
    this.#need(8, what);
    const v = this.#buf.readBigInt64LE(this.#bufStart);
    this.#bufStart += 8;
    if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < -BigInt(Number.MAX_SAFE_INTEGER))
      this.fail(`${what} ${v} is out of range`, this.offset - 8);
    return Number(v);
  }

  float64(what: string): number {
    this.#need(8, what);
    const v = this.#buf.readDoubleLE(this.#bufStart);
    this.#bufStart += 8;
    return v;
  }

  uint8(what: string): number {
    this.#need(1, what);
    return this.#buf[this.#bufStart++];
  }

  /** A NUL-terminated UTF-8 string of at most {@link MAX_WORD_BYTES} bytes. */
  cstring(what: string): string {
    const start = this.offset;
    const parts: Buffer[] = [];
    let total = 0;
    for (;;) {
      this.#need(1, what);
      const at = this.#buf.indexOf(0, this.#bufStart);
      const stop = at >= 0 && at < this.#bufEnd ? at : this.#bufEnd;
      parts.push(Buffer.from(this.#buf.subarray(this.#bufStart, stop)));
      total += stop - this.#bufStart;
      if (total > MAX_WORD_BYTES) this.fail(`${what} is longer than ${MAX_WORD_BYTES} bytes`, start);
      this.#bufStart = stop;
      if (at >= 0 && at < this.#bufEnd) {
        this.#bufStart++;
        return Buffer.concat(parts).toString('utf8');
      }
    }
  }

  /** Reads `target.byteLength` bytes straight into `target` (float32 rows). */
  into(target: Float32Array, what: string): void {
    const bytes = new Uint8Array(target.buffer, target.byteOffset, target.byteLength);
    let done = 0;
    const buffered = Math.min(this.#bufEnd - this.#bufStart, bytes.length);
    bytes.set(this.#buf.subarray(this.#bufStart, this.#bufStart + buffered), 0);
    this.#bufStart += buffered;
    done = buffered;
    let pos = this.offset;
    while (done < bytes.length) {
      const got = readSync(this.#fd, bytes, done, Math.min(bytes.length - done, 1 << 26), pos);
      if (got === 0) this.fail(`file ends inside ${what} (truncated)`, pos);
      done += got;
      pos += got;
    }
    this.#base = pos;
    this.#bufStart = 0;
    this.#bufEnd = 0;
  }
}

/**
 * Reads a fastText `.bin` model: its vocabulary vectors exactly as `fasttext print-word-vectors`
 * gives them, and its n-gram table for every other word.
 *
 * @throws {@link FormatError} naming the byte offset: wrong magic or version, truncation, a quantised
 *   or supervised model, sizes that do not fit the file.
 * @example
 * ```ts
 * const model = loadFastTextBin('cc.en.300.bin');
 * model.vectors.mostSimilar({ positive: ['pizza'], topn: 5 });
 * model.wordVector('pizzaiolo'); // estimated from its character n-grams, as fastText does
 * ```
 */
export function loadFastTextBin(file: string): FastTextModel {
  if (endianness() !== 'LE')
    throw new FormatError(file, { offset: 0 }, 'fastText .bin files are read on little-endian machines only');
  const r = new BinReader(file);
  try {
    const magic = r.int32('the magic number');
    if (magic !== FASTTEXT_MAGIC)
      r.fail(`not a fastText model (magic ${magic}, expected ${FASTTEXT_MAGIC})`, 0);
    const version = r.int32('the version');
    if (version < FASTTEXT_OLDEST_VERSION || version > FASTTEXT_VERSION)
      r.fail(
        `fastText model version ${version} is not supported (${FASTTEXT_OLDEST_VERSION} to ${FASTTEXT_VERSION})`,
        4,
      );
    const argsAt = r.offset;
    const a: Record<string, number> = {};
    for (const k of ARG_FIELDS) a[k] = r.int32(`the ${k} argument`);
    const t = r.float64('the t argument');
    const model = MODEL_NAMES[a.model];
    if (model === 'supervised')
      r.fail('this is a supervised (classification) fastText model: it has no word vectors to load', argsAt);
    if (model === undefined || model === '') r.fail(`unknown fastText model type ${a.model}`, argsAt + 28);
    if (a.dim < 1 || a.dim > MAX_DIM) r.fail(`dimension ${a.dim} is out of range (1–${MAX_DIM})`, argsAt);
    if (a.bucket < 0 || a.minn < 0 || a.maxn < 0 || (a.maxn > 0 && a.minn > a.maxn))
      r.fail(`bad n-gram arguments: minn ${a.minn}, maxn ${a.maxn}, bucket ${a.bucket}`, argsAt + 32);
    if (a.maxn > 0 && a.bucket === 0) r.fail('bucket is 0 although maxn > 0', argsAt + 32);
    const dictAt = r.offset;
    const size = r.int32('the dictionary size');
    const nwords = r.int32('the word count');
    const nlabels = r.int32('the label count');
    const ntokens = r.int64('the token count');
    const pruneidxSize = r.int64('the pruned index size');
    if (size < 0 || size > MAX_ENTRIES || nwords < 0 || nlabels < 0 || nwords + nlabels !== size)
      r.fail(`bad dictionary sizes: size ${size}, words ${nwords}, labels ${nlabels}`, dictAt);
    if (pruneidxSize > 0)
      r.fail(
        'this fastText model was pruned (quantised .ftz); quantised models are not supported',
        dictAt + DICTIONARY_HEADER_BYTES - 8,
      );
    if (ntokens < 0) r.fail(`the token count ${ntokens} is negative`, dictAt + 12);
    const words: string[] = new Array(nwords);
    const counts = new Float64Array(nwords);
    for (let i = 0; i < size; i++) {
      const word = r.cstring(`dictionary entry ${i}`);
      const count = r.int64(`the count of entry ${i}`);
      const type = r.uint8(`the type of entry ${i}`);
      if (i < nwords) {
        if (type !== 0) r.fail(`dictionary entry ${i} is a label where a word was expected`);
        words[i] = word;
        counts[i] = count;
      }
    }
    const quantAt = r.offset;
    if (r.uint8('the quantisation flag') !== 0)
      r.fail('this is a quantised fastText model (.ftz); quantised models are not supported', quantAt);
    const matAt = r.offset;
    const rows = r.int64('the input matrix rows');
    const cols = r.int64('the input matrix columns');
    if (cols !== a.dim || rows !== nwords + a.bucket)
      r.fail(
        `input matrix is ${rows} × ${cols}, expected (words + bucket) × dim = ${nwords + a.bucket} × ${a.dim}`,
        matAt,
      );
    if (matAt + 16 + rows * cols * 4 > r.size)
      r.fail(
        `input matrix of ${rows} × ${cols} floats does not fit in the file (${r.size} bytes): truncated`,
        matAt,
      );
    const input = new Float32Array(rows * cols);
    r.into(input, 'the input matrix');
    // The output matrix is not needed for word vectors; it is kept so the model can be written again.
    const outAt = r.offset;
    if (r.uint8('the output quantisation flag') !== 0)
      r.fail(
        'this fastText model has a quantised output matrix (.ftz); quantised models are not supported',
        outAt,
      );
    const outRows = r.int64('the output matrix rows');
    const outCols = r.int64('the output matrix columns');
    if (outRows !== nwords || outCols !== a.dim)
      r.fail(
        `output matrix is ${outRows} × ${outCols}, expected words × dim = ${nwords} × ${a.dim}`,
        outAt + 1,
      );
    if (outAt + 17 + outRows * outCols * 4 > r.size)
      r.fail(
        `output matrix of ${outRows} × ${outCols} floats does not fit in the file (${r.size} bytes): truncated`,
        outAt + 1,
      );
    const output = new Float32Array(outRows * outCols);
    r.into(output, 'the output matrix');
    const args: FastTextArgs = {
      dim: a.dim,
      ws: a.ws,
      epoch: a.epoch,
      minCount: a.minCount,
      neg: a.neg,
      wordNgrams: a.wordNgrams,
      loss: LOSS_NAMES[a.loss] ?? String(a.loss),
      model: model as FastTextArgs['model'], // supervised and unknown types were refused above
      bucket: a.bucket,
      minn: a.minn,
      maxn: a.maxn,
      lrUpdateRate: a.lrUpdateRate,
      t,
    };
    const wordRows = input.subarray(0, nwords * a.dim);
    const ngrams = input.subarray(nwords * a.dim);
    return fastTextModelFromParts({ args, version, words, counts, wordRows, ngrams, output, ntokens });
  } finally {
    r.close();
  }
}

/** What a {@link FastTextModel} is made of. */
export interface FastTextParts {
  args: FastTextArgs;
  version?: number;
  words: string[];
  counts?: Float64Array;
  /** `nwords × dim` own input rows of the words. */
  wordRows: Float32Array;
  /** `bucket × dim` n-gram rows. */
  ngrams: Float32Array;
  output?: Float32Array;
  ntokens?: number;
}

/**
 * A {@link FastTextModel} from its parts: vocabulary vectors computed as fastText's `getWordVector`
 * (own row and n-gram rows averaged; `</s>` has no n-grams).
 *
 * Used by the reader, by {@link fastTextModelFromVectors}, and by the store to give back a fastText
 * model it holds in pieces.
 *
 * @example
 * ```ts
 * const model = fastTextModelFromParts({ args, words, counts, wordRows, ngrams, output, ntokens });
 * saveFastTextBin(model, 'model.bin');
 * ```
 */
export function fastTextModelFromParts(parts: FastTextParts): FastTextModel {
  const { args, words, counts, wordRows, ngrams, output } = parts;
  const { dim } = args;
  const nwords = words.length;
  const spec: NgramSpec = { minn: args.minn, maxn: args.maxn, bucket: args.bucket };
  const subwords = new SubwordTable(spec, dim, ngrams);
  const vectors = new Float32Array(nwords * dim);
  for (let i = 0; i < nwords; i++) {
    // fastText gives the end-of-sentence token `</s>` no n-grams.
    const v =
      words[i] === END_OF_SENTENCE_TOKEN
        ? wordRows.subarray(i * dim, (i + 1) * dim)
        : subwordWordVector(subwords, wordRows, words[i], i);
    vectors.set(v, i * dim);
  }
  const kv = new KeyedVectors({ words, vectors, dim, counts, subwords });
  return {
    args,
    version: parts.version ?? FASTTEXT_VERSION,
    vectors: kv,
    subwords,
    wordRows,
    output,
    ntokens: parts.ntokens ?? 0,
    wordVector(word: string): Float32Array {
      const i = kv.index(word);
      if (i >= 0) return Float32Array.from(kv.vectors.subarray(i * dim, (i + 1) * dim));
      return subwords.estimate(word) ?? new Float32Array(dim);
    },
  };
}
