/**
 * The co-occurrence statistics behind a model trained elsewhere (CBOW, skip-gram, GloVe): the corpus
 * read again, encoded over the model's own vocabulary and counted with the one counter
 * (`countCooccurrences`), so /pmi, /cooccur and the PMI lens work for every model trained here, not only
 * PPMI-SVD (which hands over the counts it factorised).
 */
import { AbortedError, InvalidArgumentError } from '../errors.js';
import type { OnProgress } from '../progress.js';
import type { Corpus } from '../text/corpus.js';
import { encodeCorpus } from '../text/token-ids.js';
import { Vocabulary } from '../text/vocabulary.js';
import { countCooccurrences } from './count.js';
import { CooccurrenceStats } from './pmi.js';

/** Options of {@link countModelCooccurrences}. */
export interface ModelCooccurrenceOptions {
  /** Window, as the model was trained with (CBOW's default 5, GloVe's 15). Default 5. */
  window?: number;
  /**
   * `harmonic` (default: 1/d, glove.c's weighting, and the nearest of the two to word2vec's dynamic
   * window, which weights distance d by (window − d + 1)/window) or `uniform`.
   */
  weighting?: 'harmonic' | 'uniform';
  memoryBudget?: number;
  tmpDir?: string;
  onProgress?: OnProgress;
  signal?: AbortSignal;
}

/**
 * Counts the co-occurrences of `words` (a model's vocabulary, with its corpus counts) in `corpus`,
 * symmetric, not across sentences: the statistics a PPMI-SVD model of the same corpus keeps.
 *
 * @throws {@link InvalidArgumentError} for a bad window or words without counts.
 * @throws {@link AbortedError} when `signal` aborts.
 * @example
 * ```ts
 * const trained = await trainCbow(openCorpus('starter'), { seed: 1 });
 * const stats = await countModelCooccurrences(openCorpus('starter'), trained.vectors, { window: 5 });
 * stats.topContexts('coffee', { k: 5 });
 * ```
 */
export async function countModelCooccurrences(
  corpus: Corpus,
  model: { words: readonly string[]; counts?: ArrayLike<number> },
  options: ModelCooccurrenceOptions = {},
): Promise<CooccurrenceStats> {
  const window = options.window ?? 5;
  if (!Number.isInteger(window) || window < 1) {
    throw new InvalidArgumentError(`window must be a positive integer, got ${window}`);
  }
  // Counts only order and describe the vocabulary here; a model without them still counts its pairs.
  const counts = model.counts ?? new Float64Array(model.words.length).fill(1);
  if (options.signal?.aborted) throw new AbortedError('co-occurrence counting');
  const vocab = new Vocabulary({ words: model.words, counts });
  const encoded = await encodeCorpus(corpus, vocab, {
    onProgress: options.onProgress,
    signal: options.signal,
  });
  const matrix = await countCooccurrences(encoded.ids, vocab.size, {
    window,
    symmetric: true,
    weighting: options.weighting ?? 'harmonic',
    memoryBudget: options.memoryBudget,
    tmpDir: options.tmpDir,
    onProgress: options.onProgress,
    signal: options.signal,
  });
  return CooccurrenceStats.fromMatrix(matrix, vocab.words);
}
