/**
 * fastText's binary model format written (fastText 0.9, version 12; the layout is in
 * fasttext-bin-layout.ts): what `fasttext` itself, gensim's `load_facebook_model` and our
 * {@link loadFastTextBin} read back with the same vocabulary and out-of-vocabulary vectors.
 *
 * Models fastText did not train (imported or word-only vectors, with or without a learned subword
 * table) become fastText models by {@link fastTextModelFromVectors}: each word's own input row is
 * chosen so that fastText's vector of the word (own row and n-gram rows averaged) is the word's
 * vector, and the output matrix, which only training and `predict` use, is written as zeros.
 */
import { closeSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { endianness } from 'node:os';
import { InvalidArgumentError } from '../errors.js';
import type { KeyedVectors } from '../query/keyed-vectors.js';
import { checkNgramSpec, ngramRows } from '../subword/char-ngrams.js';
import { SubwordTable } from '../subword/subword-table.js';
import { type FastTextModel, fastTextModelFromParts } from './fasttext-bin.js';
import {
  ARG_FIELDS,
  END_OF_SENTENCE_TOKEN,
  FASTTEXT_DEFAULT_ARGS,
  FASTTEXT_MAGIC,
  FASTTEXT_VERSION,
  type FastTextArgs,
  LOSS_NAMES,
  MAX_DIM,
  MAX_WORD_BYTES,
  MODEL_NAMES,
} from './fasttext-bin-layout.js';

/** Bytes buffered before a write (matrices bypass the buffer). */
const BUFFER_BYTES = 1 << 20;

/** Sequential little-endian writes to a file descriptor. */
class BinWriter {
  readonly #fd: number;
  readonly #buf = Buffer.alloc(BUFFER_BYTES);
  #used = 0;

  constructor(fd: number) {
    this.#fd = fd;
  }

  #room(n: number): void {
    if (this.#used + n > this.#buf.length) this.flush();
  }

  flush(): void {
    let done = 0;
    while (done < this.#used) done += writeSync(this.#fd, this.#buf, done, this.#used - done);
    this.#used = 0;
  }

  int32(v: number): void {
    this.#room(4);
    this.#used = this.#buf.writeInt32LE(v, this.#used);
  }

  int64(v: number): void {
    this.#room(8);
    this.#used = this.#buf.writeBigInt64LE(BigInt(v), this.#used);
  }

  float64(v: number): void {
    this.#room(8);
    this.#used = this.#buf.writeDoubleLE(v, this.#used);
  }

  uint8(v: number): void {
    this.#room(1);
    this.#buf[this.#used++] = v;
  }

  bytes(b: Uint8Array): void {
    if (b.byteLength > this.#buf.length / 2) {
      this.flush();
      let done = 0;
      while (done < b.byteLength) done += writeSync(this.#fd, b, done, b.byteLength - done);
      return;
    }
    this.#room(b.byteLength);
    this.#buf.set(b, this.#used);
    this.#used += b.byteLength;
  }

  floats(a: Float32Array): void {
    this.bytes(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  }
}

/** Checks what fastText's loader and ours would refuse, before a byte is written. */
function checkModel(model: FastTextModel): void {
  const { args, vectors, wordRows, subwords, output } = model;
  const { dim } = args;
  if (!Number.isInteger(dim) || dim < 1 || dim > MAX_DIM)
    throw new InvalidArgumentError(`dim must be an integer from 1 to ${MAX_DIM}, got ${dim}`);
  checkNgramSpec(args);
  if (args.model !== 'cbow' && args.model !== 'skipgram')
    throw new InvalidArgumentError(`model must be 'cbow' or 'skipgram', got ${JSON.stringify(args.model)}`);
  if (!LOSS_NAMES.includes(args.loss as never) || args.loss === '')
    throw new InvalidArgumentError(
      `loss must be one of ${LOSS_NAMES.slice(1).join(', ')}, got ${JSON.stringify(args.loss)}`,
    );
  for (const k of ARG_FIELDS) {
    const v = k === 'loss' || k === 'model' ? 0 : args[k];
    if (!Number.isInteger(v) || v < -(2 ** 31) || v > 2 ** 31 - 1)
      throw new InvalidArgumentError(`${k} must be a 32-bit integer, got ${v}`);
  }
  const n = vectors.size;
  if (vectors.dim !== dim)
    throw new InvalidArgumentError(`vectors have ${vectors.dim} dimensions, args say ${dim}`);
  if (wordRows.length !== n * dim)
    throw new InvalidArgumentError(`word rows hold ${wordRows.length} values, expected ${n} × ${dim}`);
  if (subwords.dim !== dim || subwords.spec.bucket !== args.bucket)
    throw new InvalidArgumentError(
      `the n-gram table is ${subwords.spec.bucket} × ${subwords.dim}, args say ${args.bucket} × ${dim}`,
    );
  if (output && output.length !== n * dim)
    throw new InvalidArgumentError(`the output matrix holds ${output.length} values, expected ${n} × ${dim}`);
  const encoder = new TextEncoder();
  for (const w of vectors.words) {
    if (w.includes('\0') || encoder.encode(w).length > MAX_WORD_BYTES)
      throw new InvalidArgumentError(
        `word ${JSON.stringify(w.slice(0, 40))} cannot be written (NUL or too long)`,
      );
  }
}

/**
 * Writes `model` as a fastText 0.9 `.bin` (version 12) at `path`. The file appears complete or not at
 * all (written beside `path`, then renamed). A model without an output matrix gets a zero one: its
 * word vectors are unaffected, but `fasttext` cannot continue training it meaningfully.
 *
 * @throws {@link InvalidArgumentError} for arguments or sizes fastText would refuse.
 * @example
 * ```ts
 * const model = loadFastTextBin('cc.en.300.bin');
 * saveFastTextBin(model, 'copy.bin'); // byte for byte the same file
 * ```
 */
export function saveFastTextBin(model: FastTextModel, path: string): void {
  if (endianness() !== 'LE')
    throw new InvalidArgumentError('fastText .bin files are written on little-endian machines only');
  checkModel(model);
  const { args, vectors, wordRows, subwords } = model;
  const { dim } = args;
  const n = vectors.size;
  const tmp = `${path}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    const w = new BinWriter(fd);
    w.int32(FASTTEXT_MAGIC);
    w.int32(FASTTEXT_VERSION);
    for (const k of ARG_FIELDS) {
      if (k === 'loss') w.int32(LOSS_NAMES.indexOf(args.loss as (typeof LOSS_NAMES)[number]));
      else if (k === 'model') w.int32(MODEL_NAMES.indexOf(args.model));
      else w.int32(args[k]);
    }
    w.float64(args.t);
    w.int32(n); // size: words only (no labels)
    w.int32(n);
    w.int32(0);
    w.int64(model.ntokens ?? 0);
    w.int64(-1); // pruneidx_size: fastText writes -1 for a model that was never pruned
    const encoder = new TextEncoder();
    const counts = vectors.counts;
    for (let i = 0; i < n; i++) {
      w.bytes(encoder.encode(vectors.words[i]));
      w.uint8(0);
      w.int64(counts ? Math.round(counts[i]) : 0);
      w.uint8(0); // entry_type::word
    }
    w.uint8(0); // quant_input
    w.int64(n + args.bucket);
    w.int64(dim);
    w.floats(wordRows);
    w.floats(subwords.rows);
    w.uint8(0); // qout
    w.int64(n);
    w.int64(dim);
    if (model.output) w.floats(model.output);
    else {
      const zeros = new Float32Array(Math.min(n * dim, 1 << 20));
      for (let left = n * dim; left > 0; left -= zeros.length)
        w.floats(left >= zeros.length ? zeros : zeros.subarray(0, left));
    }
    w.flush();
    closeSync(fd);
    renameSync(tmp, path);
  } catch (err) {
    try {
      closeSync(fd);
    } catch {
      // already closed
    }
    try {
      unlinkSync(tmp);
    } catch {
      // never created
    }
    throw err;
  }
}

/**
 * A fastText model holding `kv`'s vectors, for {@link saveFastTextBin}. With a subword table
 * (`table`, else `kv.subwords` when it is a {@link SubwordTable}) each word's own input row is
 * `(1 + k)·v − Σ n-gram rows`, so that fastText's mean of own row and its k n-gram rows gives back
 * `v` (to float32 rounding) while unseen words get the table's estimate; without one the model has
 * no n-grams (`maxn` 0, `bucket` 0) and the word rows are the vectors. Counts come from `kv.counts`
 * (0 without); the other arguments are fastText's defaults unless given.
 *
 * @example
 * ```ts
 * const table = fitSubwordTable({ words: kv.words, dim: kv.dim, unit: kv.unitVectors() });
 * saveFastTextBin(fastTextModelFromVectors(kv, table), 'glove-subword.bin');
 * ```
 */
export function fastTextModelFromVectors(
  kv: KeyedVectors,
  table?: SubwordTable,
  args: Partial<Omit<FastTextArgs, 'dim' | 'minn' | 'maxn' | 'bucket'>> = {},
): FastTextModel {
  const subwords = table ?? (kv.subwords instanceof SubwordTable ? kv.subwords : undefined);
  const { dim, size: n, words, vectors } = kv;
  if (subwords && subwords.dim !== dim)
    throw new InvalidArgumentError(`the subword table has ${subwords.dim} dimensions, the vectors ${dim}`);
  const spec = subwords?.spec ?? { minn: 0, maxn: 0, bucket: 0 };
  const ngrams = subwords?.rows ?? new Float32Array(0);
  const wordRows = new Float32Array(n * dim);
  const sum = new Float64Array(dim);
  for (let i = 0; i < n; i++) {
    const rows =
      subwords && words[i] !== END_OF_SENTENCE_TOKEN ? ngramRows(words[i], spec) : new Int32Array(0);
    sum.fill(0);
    for (const r of rows) for (let d = 0, o = r * dim; d < dim; d++) sum[d] += ngrams[o + d];
    for (let d = 0, o = i * dim; d < dim; d++) wordRows[o + d] = (rows.length + 1) * vectors[o + d] - sum[d];
  }
  const total = kv.counts ? kv.counts.reduce((s, c) => s + c, 0) : 0;
  return fastTextModelFromParts({
    args: { ...FASTTEXT_DEFAULT_ARGS, ...args, dim, ...spec },
    words: [...words],
    counts: kv.counts,
    wordRows,
    ngrams,
    ntokens: total,
  });
}
