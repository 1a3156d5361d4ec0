/**
 * `@wordvec/embeddings`: train, query and read/write word embeddings in TypeScript.
 *
 * A curated list: every name here is something a user calls, or the type of its options or result.
 * Row-scoring kernels, top-k and the WebAssembly runtime that sibling packages build on are in the
 * second entry point, `@wordvec/embeddings/kernels`. Everything else stays inside the package.
 * Names are grouped by stage, as the folders of `src/` are.
 */
// biome-ignore-all assist/source/organizeImports: the groups follow the pipeline (text → … → formats), not the alphabet.

// text/: the tokenizer, corpora, the vocabulary and token ids.
export {
  type Corpus,
  type CorpusMode,
  corpusFromText,
  type FileCorpus,
  MAX_SENTENCE_TOKENS,
  type OpenCorpusOptions,
  openCorpus,
} from './text/corpus.js';
export { type CountAndEncodeOptions, countAndEncodeCorpus } from './text/corpus-encoding.js';
export {
  brownCorpus,
  STARTER_SOURCES,
  type StarterCorpusOptions,
  type StarterSource,
  starterCorpus,
} from './text/starter-corpus.js';
export {
  CorpusHash,
  describeCorpus,
  END_OF_SENTENCE,
  type EncodedCorpus,
  type EncodeOptions,
  encodeCorpus,
} from './text/token-ids.js';
export { escapeUnsafeCharacters, hasUnsafeCharacters, quoteForMessage } from './text/quote.js';
export { normalizeToken, type TokenizeOptions, tokenize } from './text/tokenizer.js';
export {
  type FromCorpusOptions,
  Vocabulary,
  type VocabularyInit,
  type VocabularyOptions,
} from './text/vocabulary.js';

// cooccurrence/: windowed co-occurrence counts and PMI statistics over them.
export {
  type CooccurrenceFileResult,
  type CooccurrenceOptions,
  countCooccurrences,
  countCooccurrencesToFile,
} from './cooccurrence/count.js';
export type { CooccurrenceMatrix } from './cooccurrence/matrix.js';
export {
  type ContextScore,
  CooccurrenceStats,
  type PmiOptions,
  type SerializedCooccurrenceStats,
  type WordRef,
} from './cooccurrence/pmi.js';
export { readCooccurrenceFile } from './cooccurrence/record-file.js';
export {
  countModelCooccurrences,
  type ModelCooccurrenceOptions,
} from './cooccurrence/model-cooccurrence.js';

// linalg/: the sparse matrix PPMI makes, the randomised SVD that factorises it, and the rotation that aligns two models.
export { type RandomizedSvdOptions, randomizedSvd, type TruncatedSvd } from './linalg/randomized-svd.js';
export type { CsrMatrix } from './linalg/sparse-matrix.js';
export { earthMoversDistance } from './linalg/transport.js';
export {
  orthogonalProcrustes,
  type Procrustes,
  type ProcrustesOptions,
  rotateRow,
} from './linalg/procrustes.js';
export type { TransposePrecision } from './linalg/transpose-product.js';

// query/: gensim's query semantics written once (WordQueries) over a row source; KeyedVectors is the
// in-memory source, the store's StoredModel another.
export { KeyedVectors, type KeyedVectorsInit, type WordIndex } from './query/keyed-vectors.js';
export {
  type AlignmentOptions,
  DEFAULT_ALIGNMENT_WORDS,
  type ModelAlignment,
  neighbourOverlap,
} from './query/model-alignment.js';
export { exactNearest } from './query/nearest.js';
export type { NearestOptions, NearestRows, RowSource } from './query/row-source.js';
export { type MeanVectorOptions, VectorQueries, type WmdOptions } from './query/vector-queries.js';
export {
  type AnalogyOptions,
  type DoesntMatchOptions,
  type MostSimilarOptions,
  type NearestRowsOptions,
  type NeighbourOptions,
  type QueryItem,
  type Similar,
  WordQueries,
} from './query/word-queries.js';

// oov/, subword/: the one out-of-vocabulary pipeline (WordQueries.resolve) and the subword models
// behind its estimates: a fastText model's own n-gram table, or one fitted to a word-only model.
export {
  explainWord,
  type OovModel,
  type OovOptions,
  type OovStep,
  type OovStepOutcome,
  type Resolution,
  type ResolutionKind,
  type ResolvedWord,
  resolveWord,
  type UnkPolicy,
} from './oov/resolve-word.js';
export {
  OOV_POLICIES,
  OOV_STEPS,
  type OovPolicyName,
  parseOovPolicy,
  resolvesBeyondExact,
  UNK_POLICIES,
} from './oov/oov-policy.js';
export { describeResolution, isEstimate, type QuoteWord } from './oov/describe-resolution.js';
export { englishLemmas } from './oov/english-lemmas.js';
export { type SurfaceChange, type SurfaceForm, stripAccents, surfaceForms } from './oov/surface-forms.js';
export { charNgrams, type NgramSpec } from './subword/char-ngrams.js';
export {
  DEFAULT_SUBWORD_SPEC,
  type FitSubwordOptions,
  fitSubwordTable,
  type SubwordEstimator,
  type SubwordExplanation,
  type UnitRows,
} from './subword/subword-estimator.js';
export {
  type MagnitudeIndex,
  MagnitudeEstimator,
  type MagnitudeOptions,
  type MagnitudeRows,
} from './subword/magnitude-estimator.js';
export {
  type BuildSubwordOptions,
  type BuiltSubwordModel,
  buildSubwordEstimator,
  DEFAULT_SUBWORD_METHOD,
  SUBWORD_METHODS,
  type SubwordMethod,
} from './subword/subword-model.js';
export { SubwordTable } from './subword/subword-table.js';

// wasm/: which kernel a trainer or scorer runs (the machinery itself is in @wordvec/embeddings/kernels).
export type { Kernel, KernelChoice } from './wasm/runtime.js';

// train/: the three trainers and the model they all return.
export {
  type CooccurrenceRecordFile,
  type GloveOptions,
  type GloveOutput,
  type GloveTrainingOptions,
  type GloveVocabulary,
  trainGlove,
  trainGloveOnCooccurrence,
} from './train/glove/glove.js';
export {
  type PpmiSvdFactorOptions,
  type PpmiSvdOptions,
  ppmiSvdFromCooccurrence,
  trainPpmiSvd,
  type WordCounts,
} from './train/ppmi/ppmi-svd.js';
export { FASTTEXT_EOS, type TrainedFastText, trainFastText } from './train/fasttext/fasttext.js';
export type { FastTextOptions } from './train/fasttext/fasttext-options.js';
export type { CorpusDescription, TrainedModel } from './train/trained-model.js';
export { type CbowOptions, type TokenSource, trainCbow, trainCbowIds } from './train/word2vec/cbow.js';

// evaluation/: analogy and word-pair benchmarks (gensim semantics) and the scores stored with a model.
export {
  type AnalogyEvaluation,
  type AnalogyEvaluationOptions,
  type AnalogyQuestion,
  type AnalogySectionQuestions,
  type AnalogySectionScore,
  averageRanks,
  evaluateWordAnalogies,
  evaluateWordPairs,
  type ParsedAnalogies,
  type ParsedWordPairs,
  parseAnalogies,
  parseWordPairs,
  pearson,
  scoreWordAnalogies,
  scoreWordPairs,
  spearman,
  type WordPair,
  type WordPairsEvaluation,
  type WordPairsEvaluationOptions,
} from './evaluation/evaluation.js';
export {
  type EvaluationFiles,
  type EvaluationScores,
  evaluateModel,
  findEvaluationData,
} from './evaluation/model-evaluation.js';

// formats/: word2vec text and binary, GloVe and fastText .vec files.
export {
  detectFormat,
  type InvalidUtf8,
  type LoadVectorsOptions,
  loadVectors,
  MAX_WORD_LENGTH,
  type SaveVectorsOptions,
  saveVectors,
  streamVectors,
  VECTOR_FORMATS,
  type VectorBatch,
  type VectorFileHeader,
  type VectorFileWarning,
  type VectorFormat,
  type VectorSource,
  type VectorStream,
} from './formats/vector-files.js';
export {
  FASTTEXT_MAGIC,
  type FastTextArgs,
  type FastTextModel,
  type FastTextParts,
  fastTextModelFromParts,
  hasFastTextMagic,
  loadFastTextBin,
} from './formats/fasttext-bin.js';
export { fastTextModelFromVectors, saveFastTextBin } from './formats/fasttext-bin-write.js';

// errors: every error this package throws is an EmbeddingsError.
export {
  AbortedError,
  EmbeddingsError,
  type EmbeddingsErrorCode,
  FormatError,
  InvalidArgumentError,
  OovError,
} from './errors.js';

// progress: what trainers and readers report through `onProgress`.
export type { OnProgress, Progress } from './progress.js';

// random: the seeded generator every trainer uses.
export { createRandom, nextUint32, type Random, seedState } from './random.js';
