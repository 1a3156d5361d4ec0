/**
 * The layout of fastText's binary model (`.bin`, fastText 0.9 `FastText::saveModel`), shared by the
 * reader (fasttext-bin.ts) and the writer (fasttext-bin-write.ts). Little-endian, field by field:
 *
 * | offset | field |
 * |---|---|
 * | 0 | int32 magic 793712314 (`FILEFORMAT_MAGIC_INT32`) |
 * | 4 | int32 version (12) |
 * | 8 | args: int32 × 12 in {@link ARG_FIELDS} order, then float64 `t` |
 * | 64 | dictionary: int32 size, int32 nwords, int32 nlabels, int64 ntokens, int64 pruneidx_size |
 * | 88 | per entry: NUL-terminated UTF-8 word, int64 count, int8 type (0 word, 1 label); then pruneidx_size (int32, int32) pairs |
 * | … | bool quant_input; input matrix: int64 rows (nwords + bucket), int64 cols (dim), rows × cols float32 |
 * | … | bool qout; output matrix: int64 rows (nwords), int64 cols (dim), rows × cols float32 |
 */

/** fastText's `FILEFORMAT_MAGIC_INT32`. */
export const FASTTEXT_MAGIC = 793712314;
/** The newest model version fastText 0.9 writes and reads (the one we write). */
export const FASTTEXT_VERSION = 12;
/** The oldest version read (11 differs only in how fastText treats its own `-pretrainedVectors`). */
export const FASTTEXT_OLDEST_VERSION = 11;
/** `model_name` values 1, 2, 3 (index = the stored int). */
export const MODEL_NAMES = ['', 'cbow', 'skipgram', 'supervised'] as const;
/** `loss_name` values 1 … 4 (index = the stored int). */
export const LOSS_NAMES = ['', 'hs', 'ns', 'softmax', 'one-vs-all'] as const;
/** The int32 args, in file order; float64 `t` follows them. */
export const ARG_FIELDS = [
  'dim',
  'ws',
  'epoch',
  'minCount',
  'neg',
  'wordNgrams',
  'loss',
  'model',
  'bucket',
  'minn',
  'maxn',
  'lrUpdateRate',
] as const;
/** Byte offset of the args block. */
export const ARGS_OFFSET = 8;
/** Byte offset of the dictionary header (after 12 int32 args and float64 t). */
export const DICTIONARY_OFFSET = ARGS_OFFSET + ARG_FIELDS.length * 4 + 8;
/** Bytes of the dictionary header: size, nwords, nlabels (int32), ntokens, pruneidx_size (int64). */
export const DICTIONARY_HEADER_BYTES = 3 * 4 + 2 * 8;
/** Refuse headers past these before allocating anything (a 2M-bucket × 300 model is well inside). */
export const MAX_DIM = 10_000;
export const MAX_ENTRIES = 50_000_000;
export const MAX_WORD_BYTES = 1 << 16;
/** fastText's end-of-sentence token: a dictionary word that gets no character n-grams. */
export const END_OF_SENTENCE_TOKEN = '</s>';

/** The training arguments stored in a `.bin`. */
export interface FastTextArgs {
  dim: number;
  ws: number;
  epoch: number;
  minCount: number;
  neg: number;
  wordNgrams: number;
  /** `hs`, `ns`, `softmax` or `one-vs-all`. */
  loss: string;
  model: 'cbow' | 'skipgram';
  bucket: number;
  minn: number;
  maxn: number;
  lrUpdateRate: number;
  t: number;
}

/**
 * fastText's defaults for an unsupervised model (`fasttext cbow` with no flags), used when a model
 * that fastText did not train is written as a `.bin`.
 */
export const FASTTEXT_DEFAULT_ARGS: FastTextArgs = {
  dim: 100,
  ws: 5,
  epoch: 5,
  minCount: 5,
  neg: 5,
  wordNgrams: 1,
  loss: 'ns',
  model: 'cbow',
  bucket: 2_000_000,
  minn: 3,
  maxn: 6,
  lrUpdateRate: 100,
  t: 1e-4,
};
