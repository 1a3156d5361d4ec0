import type { ModelAlignment, OovOptions, OovStepOutcome, QueryItem, Resolution } from '@wordvec/embeddings';
import { OovError } from '@wordvec/embeddings';
import { BotInputError } from './core/bot-error.js';
import type {
  CooccurrenceSource,
  ModelCatalog,
  ModelSummary,
  Neighbour,
  QueryModel,
  StoredCooccurrence,
  WordResolution,
} from './core/model-source.js';

/**
 * The slice of `@wordvec/vector-store`'s `StoredModel` the bot calls, typed structurally so the
 * bot builds and tests on its own; {@link openStoreCatalog} binds it to the real store.
 */
export interface StoredModelLike {
  readonly info: StoredInfoLike;
  readonly isLoaded: boolean;
  load(options?: { int8Prefilter?: boolean }): Promise<void> | void;
  has(word: string): boolean;
  /** The stored vector of a vocabulary word. */
  get(word: string): Float32Array;
  count(word: string): number;
  rank(word: string): number;
  complete(prefix: string, limit: number): string[];
  suggest(word: string, limit: number): string[];
  mostSimilar(options: { positive: QueryItem[]; negative?: QueryItem[]; topn?: number }): Neighbour[];
  analogy(
    a: QueryItem,
    b: QueryItem,
    c: QueryItem,
    options?: { topn?: number; method?: 'add' | 'mul' },
  ): Neighbour[];
  similarity(a: QueryItem, b: QueryItem): number;
  doesntMatch(words: readonly string[]): string;
  getMeanVector?(keys: string[], options: { weights: number[]; postNormalize: boolean }): Float32Array;
  similarByVector?(vector: Float32Array, options: { topn: number }): Neighbour[];
  resolve?(typed: string, oov: { forms?: boolean; lemma?: boolean }): { resolution: WordResolution };
  oddOneOut(items: readonly QueryItem[], labels?: readonly string[]): number;
  resolveTerms(
    words: readonly QueryItem[],
    oov: OovOptions,
  ): { items: QueryItem[]; resolutions: Resolution[] };
  explainResolution(word: string, oov: OovOptions): OovStepOutcome[];
  hasSubwordModel(): boolean;
  /** Absent in stores from before co-occurrence statistics. */
  cooccurrence?(): CooccurrenceStatsLike | undefined;
  cooccurrenceInfo?(): { maxContexts?: number } | undefined;
  alignOnto?(target: StoredModelLike, options: { maxWords: number }): Promise<ModelAlignment>;
  alignedSimilarity?(target: StoredModelLike, word: string, alignment: ModelAlignment): number;
}

/** The store's `CooccurrenceStats`: the query methods plus its CSR row pointers. */
export interface CooccurrenceStatsLike extends CooccurrenceSource {
  readonly rowPtr: ArrayLike<number>;
  indexOf(word: string): number;
}

export interface StoredInfoLike {
  name: string;
  dim: number;
  vocabSize: number;
  algorithm: string;
  corpus?: { name: string; tokens: number; checksum: string };
  evaluation?: Record<string, unknown>;
  createdAt: string;
  status: string;
  isDefault: boolean;
  minCount?: number;
  hasCounts?: boolean;
}

export interface StoreLike {
  models(): StoredInfoLike[];
  model(name: string): StoredModelLike;
  defaultModel(): StoredModelLike | undefined;
  close(): void;
}

/**
 * Evaluation scores as flat `name → number` pairs: numbers kept, one level of nested objects
 * flattened (`analogies.accuracy`), everything else (per-section tables, strings) left out.
 */
export function flattenScores(evaluation: Record<string, unknown> | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, value] of Object.entries(evaluation ?? {})) {
    if (typeof value === 'number' && Number.isFinite(value)) out[key] = value;
    else if (value && typeof value === 'object' && !Array.isArray(value)) {
      for (const [sub, v] of Object.entries(value)) {
        if (typeof v === 'number' && Number.isFinite(v)) out[`${key}.${sub}`] = v;
      }
    }
  }
  return out;
}

function summarize(info: StoredInfoLike): ModelSummary {
  return {
    name: info.name,
    dim: info.dim,
    vocabSize: info.vocabSize,
    algorithm: info.algorithm,
    corpus: info.corpus,
    evaluation: flattenScores(info.evaluation),
    isDefault: info.isDefault,
    minCount: info.minCount,
    hasCounts: info.hasCounts,
    status: info.status,
    createdAt: info.createdAt,
  };
}

class StoreModel implements QueryModel {
  constructor(readonly stored: StoredModelLike) {}
  get summary(): ModelSummary {
    return summarize(this.stored.info);
  }
  get isLoaded(): boolean {
    return this.stored.isLoaded;
  }
  async load(): Promise<void> {
    // A bot answers for months: exact scans through the int8 pre-filter (same answers, faster).
    await this.stored.load({ int8Prefilter: true });
  }
  has(word: string): boolean {
    return this.stored.has(word);
  }
  count(word: string): number {
    return this.stored.count(word);
  }
  rank(word: string): number {
    return this.stored.rank(word);
  }
  complete(prefix: string, limit: number): string[] {
    return this.stored.complete(prefix, limit);
  }
  suggest(word: string, limit: number): string[] {
    return this.stored.suggest(word, limit);
  }
  mostSimilar(query: { positive: QueryItem[]; negative?: QueryItem[]; topn?: number }): Neighbour[] {
    return this.stored.mostSimilar(query);
  }
  analogy(
    a: QueryItem,
    b: QueryItem,
    c: QueryItem,
    options?: { topn?: number; method?: 'add' | 'mul' },
  ): Neighbour[] {
    return this.stored.analogy(a, b, c, options);
  }
  weightedSimilar(
    terms: { word: string; weight: number }[],
    options: { topn: number; includeInputs?: boolean },
  ): Neighbour[] {
    const { getMeanVector, similarByVector } = this.stored;
    if (!getMeanVector || !similarByVector) return [];
    const words = terms.map((t) => t.word);
    // gensim's query: get_mean_vector(pre_normalize=True, post_normalize=True) with the signed weights.
    const query = getMeanVector.call(this.stored, words, {
      weights: terms.map((t) => t.weight),
      postNormalize: true,
    });
    const inputs = new Set(words);
    const found = similarByVector.call(this.stored, query, { topn: options.topn + inputs.size });
    const kept = options.includeInputs ? found : found.filter((n) => !inputs.has(n.word));
    return kept.slice(0, options.topn);
  }
  similarity(a: QueryItem, b: QueryItem): number {
    return this.stored.similarity(a, b);
  }
  doesntMatch(words: string[]): string {
    return this.stored.doesntMatch(words);
  }
  resolve(typed: string, options: { forms?: boolean; lemma?: boolean }): WordResolution {
    if (!this.stored.resolve) {
      if (this.stored.has(typed)) return { word: typed, how: 'exact', resolvedAs: typed };
      throw new OovError([typed]);
    }
    return this.stored.resolve(typed, options).resolution;
  }
  oddOneOut(items: readonly QueryItem[], labels?: readonly string[]): number {
    return this.stored.oddOneOut(items, labels);
  }
  resolveTerms(words: readonly string[], oov: OovOptions): { items: QueryItem[]; resolutions: Resolution[] } {
    return this.stored.resolveTerms(words, oov);
  }
  explainResolution(word: string, oov: OovOptions): OovStepOutcome[] {
    return this.stored.explainResolution(word, oov);
  }
  hasSubwordModel(): boolean {
    return this.stored.hasSubwordModel();
  }
  alignOnto(target: QueryModel, options: { maxWords: number }): Promise<ModelAlignment> {
    const { alignOnto } = this.stored;
    if (!alignOnto || !(target instanceof StoreModel))
      throw new BotInputError('Not available', 'These models cannot be aligned.');
    return alignOnto.call(this.stored, target.stored, options);
  }
  alignedSimilarity(target: QueryModel, word: string, alignment: ModelAlignment): number {
    const { alignedSimilarity } = this.stored;
    if (!alignedSimilarity || !(target instanceof StoreModel))
      throw new BotInputError('Not available', 'These models cannot be aligned.');
    return alignedSimilarity.call(this.stored, target.stored, word, alignment);
  }
  vector(word: string): Float32Array {
    return this.stored.get(word);
  }
  hasCooccurrence(): boolean {
    if (this.stored.cooccurrenceInfo) return this.stored.cooccurrenceInfo() !== undefined;
    return this.stored.cooccurrence?.() !== undefined;
  }
  cooccurrence(): StoredCooccurrence | undefined {
    const stats = this.stored.cooccurrence?.();
    if (!stats) return undefined;
    const maxContexts = this.stored.cooccurrenceInfo?.()?.maxContexts;
    return {
      stats,
      maxContexts,
      // A pruned row keeps the union of two top-maxContexts sets, so it has at least maxContexts
      // entries; a row with fewer was stored whole.
      mayHaveDropped: (word) => {
        if (maxContexts === undefined) return false;
        const i = stats.indexOf(word);
        return stats.rowPtr[i + 1] - stats.rowPtr[i] >= maxContexts;
      },
    };
  }
}

/** A {@link ModelCatalog} over a vector store. */
export class StoreCatalog implements ModelCatalog {
  readonly #store: StoreLike;
  readonly #adapters = new WeakMap<StoredModelLike, StoreModel>();

  constructor(store: StoreLike) {
    this.#store = store;
  }

  models(): ModelSummary[] {
    return this.#store.models().map(summarize);
  }

  model(name?: string): QueryModel {
    let stored: StoredModelLike | undefined;
    if (name === undefined) {
      stored = this.#store.defaultModel();
      if (!stored) {
        const first = this.#store.models()[0];
        if (!first)
          throw new BotInputError('No model', 'The store holds no model yet; train or import one first.');
        stored = this.#store.model(first.name);
      }
    } else {
      try {
        stored = this.#store.model(name);
      } catch (error) {
        // The store's own message names the file; people in a chat get the model names only.
        if ((error as { code?: string })?.code === 'UNKNOWN_MODEL') {
          const names = this.#store.models().map((m) => m.name);
          throw new BotInputError(
            'Unknown model',
            `There is no model “${name}”. Models: ${names.join(', ') || 'none'}.`,
          );
        }
        throw error;
      }
    }
    let adapter = this.#adapters.get(stored);
    if (!adapter) this.#adapters.set(stored, (adapter = new StoreModel(stored)));
    return adapter;
  }

  close(): void {
    this.#store.close();
  }
}

/**
 * Opens the store at `path` (read-only by default: a bot never writes, and several shards can share
 * the file) and wraps it as a {@link ModelCatalog}.
 *
 * @throws the store's `StoreError` (e.g. `NOT_FOUND`, `NOT_A_STORE`) with a one-line message.
 */
export async function openStoreCatalog(
  path: string,
  options: { readonly?: boolean } = {},
): Promise<StoreCatalog> {
  const { VectorStore } = await import('@wordvec/vector-store');
  const store = VectorStore.open(path, { readonly: options.readonly ?? true }) as unknown as StoreLike;
  return new StoreCatalog(store);
}
