/**
 * The part of the vector store the bot uses, as a small interface: commands are written (and unit
 * tested) against it, and `store-catalog.ts` adapts the real `@wordvec/vector-store` to it. Keeping
 * the surface small means a change in the store touches one adapter, not every command.
 */

import type { ModelAlignment, OovOptions, OovStepOutcome, QueryItem, Resolution } from '@wordvec/embeddings';

/** A neighbour in a ranking: the word and its cosine (or 3CosMul) score. */
export interface Neighbour {
  word: string;
  score: number;
}

/** What the bot shows about a stored model (a subset of the store's `ModelInfo`). */
export interface ModelSummary {
  name: string;
  dim: number;
  vocabSize: number;
  algorithm: string;
  corpus?: { name: string; tokens: number; checksum?: string };
  /** Evaluation scores by name (e.g. `analogies`, `wordsim353.spearman`), when measured. */
  evaluation?: Record<string, number>;
  isDefault?: boolean;
  /** Words seen fewer times than this were left out of the vocabulary. */
  minCount?: number;
  /** Whether corpus counts are known (imported vectors usually have none; rank is then file order). */
  hasCounts?: boolean;
  status?: string;
  createdAt?: string;
}

/** One context of a word, as `/cooccur` lists it (a subset of the embeddings layer's `ContextScore`). */
export interface ContextStat {
  word: string;
  /** Shifted PPMI with the smoothing asked for. */
  ppmi: number;
  pmi: number;
  /** Weighted co-occurrence count. */
  count: number;
  /** exp(PMI): how many times more often than chance. */
  ratio: number;
}

/**
 * The co-occurrence statistics a model was trained from (the embeddings layer's `CooccurrenceStats`
 * fits as is). Words are vocabulary words; an unknown one throws `OovError`.
 */
export interface CooccurrenceSource {
  /** Weighted co-occurrence count of the pair (0 when never seen together, or left out when stored). */
  count(a: string, b: string): number;
  /** PMI (natural log), −∞ for pairs never seen together. */
  pmi(a: string, b: string): number;
  /** Shifted positive PMI with context-distribution smoothing α. */
  ppmi(a: string, b: string, options?: { alpha?: number; shift?: number }): number;
  /** exp(PMI): how many times more often than chance (0 when never seen together). */
  ratio(a: string, b: string): number;
  /** The `k` contexts of highest shifted PPMI (α defaults to 0.75), best first. */
  topContexts(word: string, options: { k: number; alpha?: number; shift?: number }): ContextStat[];
  /** The `k` contexts of largest count (for `/lens`, which spans low and high PMI). */
  frequentContexts(word: string, options: { k: number }): ContextStat[];
}

/** A model's stored co-occurrence statistics and how they were pruned. */
export interface StoredCooccurrence {
  stats: CooccurrenceSource;
  /** Contexts kept per word (by PPMI and by count) when pruned; undefined when every pair was kept. */
  maxContexts?: number;
  /**
   * Whether pruning may have dropped contexts of `word` (its row had more than `maxContexts`).
   * Absent: assume it may have whenever `maxContexts` is set.
   */
  mayHaveDropped?(word: string): boolean;
}

/** The query interface of one model. Methods that need vectors may throw `OovError`. */
export interface QueryModel {
  readonly summary: ModelSummary;
  has(word: string): boolean;
  /** Corpus count of `word`; for words left out of the vocabulary, how often they were seen (0 if never). */
  count(word: string): number;
  /** 1-based frequency rank of an in-vocabulary word. */
  rank(word: string): number;
  /** In-vocabulary words starting with `prefix`, most frequent first. */
  complete(prefix: string, limit: number): string[];
  /** In-vocabulary words close in spelling to `word`, most frequent first. */
  suggest(word: string, limit: number): string[];
  /** Whether the matrix is in memory (single-word look-ups work without it). */
  readonly isLoaded: boolean;
  load(): Promise<void>;
  mostSimilar(query: { positive: QueryItem[]; negative?: QueryItem[]; topn?: number }): Neighbour[];
  analogy(
    a: QueryItem,
    b: QueryItem,
    c: QueryItem,
    options?: { topn?: number; method?: 'add' | 'mul' },
  ): Neighbour[];
  /**
   * 3CosAdd over weighted terms (gensim `most_similar` with `(word, weight)` pairs; negative weights
   * subtract): neighbours of the unit weighted mean of the unit vectors, inputs left out unless
   * `includeInputs`. Absent: the model cannot do `/math`.
   */
  weightedSimilar?(
    terms: { word: string; weight: number }[],
    options: { topn: number; includeInputs?: boolean },
  ): Neighbour[];
  similarity(a: QueryItem, b: QueryItem): number;
  doesntMatch(words: string[]): string;
  /** The index of the item that fits least (`doesntMatch` over words or estimated vectors). */
  oddOneOut(items: readonly QueryItem[], labels?: readonly string[]): number;
  /**
   * Typed words through the library's OOV pipeline: each a vocabulary word or an estimated vector,
   * with the record of how. Throws `OovError` naming every word no enabled step resolves.
   */
  resolveTerms(words: readonly string[], oov: OovOptions): { items: QueryItem[]; resolutions: Resolution[] };
  /** What each step of the OOV pipeline gives for `word` (for `/oov`). */
  explainResolution(word: string, oov: OovOptions): OovStepOutcome[];
  /** Whether the model has a subword model, so `subword` estimates are possible. */
  hasSubwordModel(): boolean;
  /**
   * The OOV pipeline (`WordQueries.resolve`) with vocabulary steps only: exact → case / accents /
   * punctuation → lemma. Throws `OovError` when none finds the word. Absent on models without it.
   */
  resolve?(typed: string, options: { forms?: boolean; lemma?: boolean }): WordResolution;
  /**
   * The co-occurrence statistics stored with the model (PPMI-SVD models trained by the CLI), read
   * on first use; undefined when it has none (or the method is absent).
   */
  cooccurrence?(): StoredCooccurrence | undefined;
  /**
   * Orthogonal Procrustes rotation of this model onto `target` (the embeddings layer's
   * `VectorQueries.alignOnto`), fitted on at most `maxWords` shared words (the first in the
   * target's row order). Rejects models of different dimensions. Absent: the model cannot be compared.
   */
  alignOnto?(target: QueryModel, options: { maxWords: number }): Promise<ModelAlignment>;
  /** cos(target[word], this[word] · rotation): `VectorQueries.alignedSimilarity`. */
  alignedSimilarity?(target: QueryModel, word: string, alignment: ModelAlignment): number;
  /** Whether the model has co-occurrence statistics, without reading them (absent: ask `cooccurrence`). */
  hasCooccurrence?(): boolean;
  /**
   * The stored vector of a vocabulary word (pictures project them). Needs the matrix loaded. Absent:
   * the model cannot be drawn.
   */
  vector?(word: string): Float32Array;
}

/** How the OOV pipeline resolved a typed word (a subset of the embeddings layer's `Resolution`). */
export interface WordResolution {
  word: string;
  how: 'exact' | 'case' | 'accents' | 'punctuation' | 'lemma' | 'subword' | 'unk';
  /** The vocabulary entry it stands for (every kind but `subword` and `unk`). */
  resolvedAs?: string;
}

/** The set of models the bot answers from. */
export interface ModelCatalog {
  models(): ModelSummary[];
  /** The model named `name`, or the default model when `name` is undefined. Throws `BotInputError` when absent. */
  model(name?: string): QueryModel;
  close(): void;
}
