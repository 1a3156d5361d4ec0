/**
 * The vocabulary: which words a model knows, their ids and their corpus counts. Counts are kept because
 * trainers need them (subsampling, the unigram^0.75 negative-sampling table) and the bot reports them
 * (`/oov`: "seen 3 times, under the minimum of 5").
 */

import { AbortedError, InvalidArgumentError } from '../errors.js';
import type { OnProgress } from '../progress.js';
import type { Corpus } from './corpus.js';
import { quoteForMessage } from './quote.js';
import { TokenProgress } from './token-progress.js';

/**
 * Which words a {@link Vocabulary} keeps (`Vocabulary.fromCounts`, and `fromCorpus` through {@link FromCorpusOptions}).
 *
 * @example
 * ```ts
 * Vocabulary.fromCounts(new Map([['the', 10], ['cat', 3], ['kat', 1]]), { minCount: 2 }).words; // ['the', 'cat']
 * ```
 */
export interface VocabularyOptions {
  /** Words seen fewer times are dropped (default 5, like word2vec and gensim). */
  minCount?: number;
  /**
   * Limit on distinct words held while counting, with word2vec's pruning (see {@link pruneCounts}).
   * Bounds memory on huge corpora; counts of pruned words are lost, as in word2vec.
   */
  maxVocabSize?: number;
}

/**
 * Options of {@link Vocabulary.fromCorpus}: which words to keep, plus progress and abort.
 *
 * @example
 * ```ts
 * const vocab = await Vocabulary.fromCorpus(openCorpus('brown'), {
 *   minCount: 5,
 *   maxVocabSize: 1_000_000,
 *   onProgress: (p) => console.error(p.stage, p.done),
 * });
 * ```
 */
export interface FromCorpusOptions extends VocabularyOptions {
  onProgress?: OnProgress;
  signal?: AbortSignal;
}

/**
 * Everything needed to rebuild a {@link Vocabulary} (e.g. from a stored model).
 *
 * @example
 * ```ts
 * const vocab = new Vocabulary({ words: ['the', 'cat'], counts: [10, 3], minCount: 2, rare: new Map([['kat', 1]]) });
 * vocab.rareCount('kat'); // 1
 * ```
 */
export interface VocabularyInit {
  /** Words in id order. */
  words: readonly string[];
  /** Count of each word, parallel to `words`. */
  counts: ArrayLike<number>;
  /** The threshold that was applied (default 1). */
  minCount?: number;
  /** Words seen but dropped for being under `minCount`, with their counts. */
  rare?: ReadonlyMap<string, number>;
  /** Tokens read from the corpus, including dropped words (default: the sum of `counts`). */
  corpusTokens?: number;
  /** Sentences read from the corpus (default 0: unknown). */
  sentences?: number;
}

/**
 * Words with counts, ordered by count (descending) then word (code-point order), so ids are stable for
 * the same corpus. Word id `i` is `words[i]`.
 *
 * @example
 * ```ts
 * const vocab = await Vocabulary.fromCorpus(openCorpus('brown'), { minCount: 5 });
 * vocab.index('the'); // 0
 * vocab.count('the'); // 69,000 or so
 * vocab.rareCount('zymurgy'); // seen, but fewer than 5 times
 * ```
 */
export class Vocabulary {
  /** Words in id order (count descending, then code-point order). */
  readonly words: readonly string[];
  /** Corpus count of each word, parallel to `words`. */
  readonly counts: Float64Array;
  /** Sum of `counts`: tokens of kept words in the corpus (word2vec's `train_words`). */
  readonly totalCount: number;
  /** The `minCount` that was applied. */
  readonly minCount: number;
  /** Tokens read from the corpus, including dropped words. */
  readonly corpusTokens: number;
  /** Sentences read from the corpus (0 when unknown). */
  readonly sentences: number;
  private readonly ids: Map<string, number>;
  private readonly rare: ReadonlyMap<string, number>;

  /**
   * Wraps words and counts as given (no re-sorting). Prefer {@link Vocabulary.fromCorpus} or
   * {@link Vocabulary.fromCounts}; this is for rebuilding a stored vocabulary.
   *
   * @example
   * ```ts
   * const vocab = new Vocabulary({ words: ['the', 'cat'], counts: [10, 3], minCount: 1 });
   * ```
   */
  constructor(init: VocabularyInit) {
    if (init.words.length !== init.counts.length) {
      throw new InvalidArgumentError(
        `vocabulary has ${init.words.length} words but ${init.counts.length} counts`,
      );
    }
    this.words = init.words;
    this.counts = Float64Array.from(init.counts);
    this.minCount = init.minCount ?? 1;
    this.ids = new Map();
    let total = 0;
    for (let i = 0; i < this.words.length; i++) {
      const word = this.words[i];
      if (this.ids.has(word))
        throw new InvalidArgumentError(`vocabulary lists the word ${quoteForMessage(word)} twice`);
      this.ids.set(word, i);
      total += this.counts[i];
    }
    this.totalCount = total;
    this.rare = init.rare ?? new Map();
    let rareTotal = 0;
    for (const c of this.rare.values()) rareTotal += c;
    this.corpusTokens = init.corpusTokens ?? total + rareTotal;
    this.sentences = init.sentences ?? 0;
  }

  /**
   * Counts every token of a corpus (one full pass) and keeps words seen at least `minCount` times.
   *
   * @param corpus - Any {@link Corpus}.
   * @param options - `minCount` (default 5), `maxVocabSize`, `onProgress` (stage `vocabulary`, unit
   *   `words`), `signal`.
   * @returns The vocabulary.
   * @throws {@link AbortedError} when `signal` aborts.
   *
   * @example
   * ```ts
   * const vocab = await Vocabulary.fromCorpus(openCorpus('data/text8', { mode: 'documents' }), {
   *   minCount: 5,
   *   maxVocabSize: 10_000_000,
   *   onProgress: (p) => console.log(p.done),
   * });
   * ```
   */
  static async fromCorpus(corpus: Corpus, options: FromCorpusOptions = {}): Promise<Vocabulary> {
    const { minCount, maxVocabSize } = checkOptions(options);
    const { onProgress, signal } = options;
    if (signal?.aborted) throw new AbortedError('vocabulary counting');
    const counter = new WordCounter();
    let threshold = 1;
    let tokens = 0;
    let sentences = 0;
    const progress = new TokenProgress('vocabulary', 'vocabulary counting', onProgress, signal);
    for await (const sentence of corpus.sentences()) {
      for (const word of sentence) {
        if (counter.add(word) && counter.size > maxVocabSize)
          threshold = counter.prune(maxVocabSize, threshold);
      }
      tokens += sentence.length;
      sentences++;
      progress.tick(tokens);
    }
    progress.finish(tokens);
    return buildVocabulary(counter.words, counter.counts, minCount, tokens, sentences);
  }

  /**
   * Builds a vocabulary from counts already made. `maxVocabSize` prunes the same way as while counting.
   *
   * @param counts - Word → count.
   * @param options - `minCount` (default 5), `maxVocabSize`.
   * @returns The vocabulary.
   *
   * @example
   * ```ts
   * const vocab = Vocabulary.fromCounts(new Map([['the', 10], ['cat', 3], ['zebra', 1]]), { minCount: 2 });
   * vocab.words; // ['the', 'cat']
   * vocab.rareCount('zebra'); // 1
   * ```
   */
  static fromCounts(counts: ReadonlyMap<string, number>, options: VocabularyOptions = {}): Vocabulary {
    const { minCount, maxVocabSize } = checkOptions(options);
    let tokens = 0;
    for (const [word, c] of counts) {
      if (!(Number.isFinite(c) && c >= 0)) {
        throw new InvalidArgumentError(
          `count of ${quoteForMessage(word)} must be a non-negative number, got ${c}`,
        );
      }
      tokens += c;
    }
    let table = counts;
    if (counts.size > maxVocabSize) {
      const copy = new Map(counts);
      pruneCounts(copy, maxVocabSize, 1);
      table = copy;
    }
    return buildVocabulary([...table.keys()], [...table.values()], minCount, tokens, 0);
  }

  /** Number of words. */
  get size(): number {
    return this.words.length;
  }

  /**
   * Id of a word, or −1 when it is not in the vocabulary. The word must already be normalised
   * (see `normalizeToken`).
   *
   * @example
   * ```ts
   * vocab.index('the'); // 0
   * vocab.index('qwxz'); // -1
   * ```
   */
  index(word: string): number {
    return this.ids.get(word) ?? -1;
  }

  /**
   * Whether the word is in the vocabulary.
   *
   * @example
   * ```ts
   * vocab.has('the'); // true
   * ```
   */
  has(word: string): boolean {
    return this.ids.has(word);
  }

  /**
   * Word with id `i`.
   * @throws {@link InvalidArgumentError} when `i` is not an id.
   *
   * @example
   * ```ts
   * vocab.word(0); // 'the'
   * ```
   */
  word(i: number): string {
    if (!Number.isInteger(i) || i < 0 || i >= this.words.length) {
      throw new InvalidArgumentError(`word id must be an integer in [0, ${this.words.length}), got ${i}`);
    }
    return this.words[i];
  }

  /**
   * Corpus count of a vocabulary word, 0 when it is not in the vocabulary (see {@link rareCount}).
   *
   * @example
   * ```ts
   * vocab.count('the'); // 69971
   * ```
   */
  count(word: string): number {
    const i = this.ids.get(word);
    return i === undefined ? 0 : this.counts[i];
  }

  /**
   * Count of a word that was seen but dropped for being under `minCount`; 0 when it is in the
   * vocabulary, was never seen, or was pruned by `maxVocabSize` (its count was forgotten).
   *
   * @example
   * ```ts
   * vocab.rareCount('zymurgy'); // 2 (seen twice, minCount 5)
   * ```
   */
  rareCount(word: string): number {
    return this.rare.get(word) ?? 0;
  }

  /**
   * Words seen but dropped for being under `minCount`, with their counts (`TrainedModel.rareWords`).
   *
   * @example
   * ```ts
   * const model = { ..., rareWords: vocab.rareWords };
   * ```
   */
  get rareWords(): ReadonlyMap<string, number> {
    return this.rare;
  }
}

function checkOptions(options: VocabularyOptions): { minCount: number; maxVocabSize: number } {
  const minCount = options.minCount ?? 5;
  if (!Number.isInteger(minCount) || minCount < 1) {
    throw new InvalidArgumentError(`minCount must be an integer ≥ 1, got ${options.minCount}`);
  }
  const maxVocabSize = options.maxVocabSize ?? Number.POSITIVE_INFINITY;
  if (maxVocabSize !== Number.POSITIVE_INFINITY && (!Number.isInteger(maxVocabSize) || maxVocabSize < 1)) {
    throw new InvalidArgumentError(`maxVocabSize must be an integer ≥ 1, got ${options.maxVocabSize}`);
  }
  return { minCount, maxVocabSize };
}

/**
 * word2vec's vocabulary pruning: drop every word whose count is ≤ `threshold`, raise the threshold by 1,
 * and repeat until at most `limit` words remain. word2vec.c `ReduceVocab()` does one such round (with its
 * global `min_reduce`, starting at 1) whenever the hash table is more than 70% full; gensim's
 * `utils.prune_vocab` is the same idea, run when the raw vocabulary passes `max_vocab_size`. The threshold
 * carries over between calls, so words must keep growing their counts to survive later rounds.
 *
 * @returns The threshold to use at the next pruning.
 * @internal Exported for tests.
 *
 * @example
 * ```ts
 * const counts = new Map([['a', 1], ['b', 2], ['c', 9]]);
 * pruneCounts(counts, 1, 1); // 3: dropped a (≤ 1), then b (≤ 2); counts is now {c: 9}
 * ```
 */
export function pruneCounts(counts: Map<string, number>, limit: number, threshold: number): number {
  while (counts.size > limit) {
    for (const [word, c] of counts) if (c <= threshold) counts.delete(word);
    threshold++;
  }
  return threshold;
}

/**
 * A copy of `word` that does not keep its source text alive. V8 represents a substring of 13 or more
 * characters (what the tokenizer's `match` returns) as a slice pointing into the whole parent string,
 * here a megabyte chunk of the corpus; keeping such a word in the vocabulary would keep the chunk, and a
 * vocabulary of long words from a big corpus would hold much of the corpus in memory. Concatenating
 * makes a cons string, which slicing flattens into a fresh string of just the word.
 */
function detach(word: string): string {
  return word.length < 13 ? word : `\0${word}`.slice(1);
}

/**
 * Counts words with one hash look-up per token (word → slot, count in a typed array) instead of a
 * `Map` get and set, which halves the time of a counting pass.
 * @internal Exported for corpus-encoding.ts (vocabulary and ids in one pass); not part of the package API.
 */
export class WordCounter {
  private slots = new Map<string, number>();
  /** Words in first-seen order; `counts[i]` is the count of `words[i]` (the array may be longer). */
  words: string[] = [];
  counts = new Float64Array(1 << 12);

  get size(): number {
    return this.words.length;
  }

  /** Counts one occurrence; returns true when the word is new. */
  add(word: string): boolean {
    const slot = this.slots.get(word);
    if (slot !== undefined) {
      this.counts[slot]++;
      return false;
    }
    this.#insert(word);
    return true;
  }

  /** Counts one occurrence and returns the word's slot (its index in `words`, stable while not pruned). */
  addSlot(word: string): number {
    const slot = this.slots.get(word);
    if (slot !== undefined) {
      this.counts[slot]++;
      return slot;
    }
    return this.#insert(word);
  }

  #insert(word: string): number {
    const n = this.words.length;
    if (n === this.counts.length) {
      const bigger = new Float64Array(n * 2);
      bigger.set(this.counts);
      this.counts = bigger;
    }
    const own = detach(word);
    this.slots.set(own, n);
    this.words.push(own);
    this.counts[n] = 1;
    return n;
  }

  /** {@link pruneCounts} on the slots: compacts survivors in place and rebuilds the index. */
  prune(limit: number, threshold: number): number {
    while (this.words.length > limit) {
      let kept = 0;
      for (let i = 0; i < this.words.length; i++) {
        if (this.counts[i] > threshold) {
          this.words[kept] = this.words[i];
          this.counts[kept] = this.counts[i];
          kept++;
        }
      }
      this.words.length = kept;
      threshold++;
    }
    this.slots = new Map();
    for (let i = 0; i < this.words.length; i++) this.slots.set(this.words[i], i);
    return threshold;
  }
}

/**
 * Compares strings by Unicode code point (JavaScript's `<` compares UTF-16 code units, which orders
 * astral characters before U+E000–U+FFFF). Matches Python's `str` ordering.
 *
 * @example
 * ```ts
 * ['\u{1F600}', '\uFFFD'].sort(compareCodePoints); // ['\uFFFD', '\u{1F600}']
 * ```
 */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) {
      // Surrogates (D800–DFFF) encode code points above FFFF: move them above E000–FFFF.
      const kx = x >= 0xd800 && x < 0xe000 ? x + 0x2000 : x >= 0xe000 ? x - 0x800 : x;
      const ky = y >= 0xd800 && y < 0xe000 ? y + 0x2000 : y >= 0xe000 ? y - 0x800 : y;
      return kx - ky;
    }
  }
  return a.length - b.length;
}

/**
 * The vocabulary of counted words: those with a count ≥ `minCount`, by count descending then code point.
 * @internal Exported for corpus-encoding.ts; not part of the package API.
 */
export function buildVocabulary(
  words: readonly string[],
  counts: ArrayLike<number>,
  minCount: number,
  tokens: number,
  sentences: number,
): Vocabulary {
  const kept: number[] = [];
  const rare = new Map<string, number>();
  for (let i = 0; i < words.length; i++) {
    const c = counts[i];
    if (c >= minCount) kept.push(i);
    else if (c > 0) rare.set(words[i], c);
  }
  kept.sort((a, b) => counts[b] - counts[a] || compareCodePoints(words[a], words[b]));
  const values = new Float64Array(kept.length);
  const keptWords = new Array<string>(kept.length);
  for (let i = 0; i < kept.length; i++) {
    keptWords[i] = words[kept[i]];
    values[i] = counts[kept[i]];
  }
  return new Vocabulary({
    words: keptWords,
    counts: values,
    minCount,
    rare,
    corpusTokens: tokens,
    sentences,
  });
}
