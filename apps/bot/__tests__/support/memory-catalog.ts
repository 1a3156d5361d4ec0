import {
  KeyedVectors,
  MagnitudeEstimator,
  type OovOptions,
  type OovStepOutcome,
  type QueryItem,
  type Resolution,
} from '@wordvec/embeddings';
import { BotInputError } from '../../src/core/bot-error.js';
import type {
  ModelCatalog,
  ModelSummary,
  Neighbour,
  QueryModel,
  StoredCooccurrence,
} from '../../src/core/model-source.js';

/**
 * An in-memory model for tests: a few hand-made vectors answered by the library's own query layer
 * (`KeyedVectors`, the code the store runs too), plus the loading and count behaviour of a stored model.
 */
export class MemoryModel implements QueryModel {
  readonly summary: ModelSummary;
  readonly #vectors: Map<string, Float64Array>;
  readonly #counts: Map<string, number>;
  /** The library's query layer over the same vectors (rows most frequent first). */
  readonly #kv: KeyedVectors;
  readonly #rare: Map<string, number>;
  #loaded: boolean;
  #loadDelayMs: number;
  readonly #cooccurrence: StoredCooccurrence | undefined;
  loads = 0;

  constructor(
    name: string,
    entries: Record<string, { vector: number[]; count: number }>,
    options: {
      rare?: Record<string, number>;
      loaded?: boolean;
      loadDelayMs?: number;
      minCount?: number;
      isDefault?: boolean;
      /** Co-occurrence statistics stored with the model (for /pmi and /cooccur). */
      cooccurrence?: StoredCooccurrence;
      /** Give the model a subword model (a Magnitude estimator over its rows), as `wordvec oov-index` would. */
      subwords?: boolean;
    } = {},
  ) {
    this.#cooccurrence = options.cooccurrence;
    this.#vectors = new Map();
    this.#counts = new Map();
    for (const [w, e] of Object.entries(entries)) {
      const v = Float64Array.from(e.vector);
      const norm = Math.hypot(...v);
      this.#vectors.set(
        w,
        v.map((x) => x / norm),
      );
      this.#counts.set(w, e.count);
    }
    this.#rare = new Map(Object.entries(options.rare ?? {}));
    this.#loaded = options.loaded ?? true;
    this.#loadDelayMs = options.loadDelayMs ?? 0;
    const dim = Object.values(entries)[0].vector.length;
    const words = this.#byFrequency();
    const vectors = new Float32Array(words.length * dim);
    for (const [i, w] of words.entries()) vectors.set(this.#vectors.get(w)!, i * dim);
    const plain = new KeyedVectors({ words, vectors, dim });
    this.#kv = options.subwords
      ? new KeyedVectors({
          words,
          vectors,
          dim,
          subwords: new MagnitudeEstimator({ words, dim, unit: plain.unitVectors() }),
        })
      : plain;
    this.summary = {
      name,
      dim,
      vocabSize: this.#vectors.size,
      algorithm: 'cbow',
      corpus: { name: 'test', tokens: 1000, checksum: 'x' },
      evaluation: { analogies: 0.5 },
      minCount: options.minCount ?? 5,
      isDefault: options.isDefault,
      status: 'ready',
    };
  }

  get isLoaded(): boolean {
    return this.#loaded;
  }
  async load(): Promise<void> {
    this.loads++;
    if (this.#loadDelayMs > 0) await new Promise((r) => setTimeout(r, this.#loadDelayMs));
    this.#loaded = true;
  }
  #needLoaded(): void {
    if (!this.#loaded) throw new Error('matrix not loaded');
  }
  #byFrequency(): string[] {
    return [...this.#counts.keys()].sort(
      (a, b) => this.#counts.get(b)! - this.#counts.get(a)! || (a < b ? -1 : 1),
    );
  }
  has(word: string): boolean {
    return this.#vectors.has(word);
  }
  count(word: string): number {
    return this.#counts.get(word) ?? this.#rare.get(word) ?? 0;
  }
  rank(word: string): number {
    return this.#byFrequency().indexOf(word) + 1;
  }
  complete(prefix: string, limit: number): string[] {
    const p = prefix.toLowerCase();
    return this.#byFrequency()
      .filter((w) => w.toLowerCase().startsWith(p))
      .slice(0, limit);
  }
  suggest(word: string, limit: number): string[] {
    return this.#byFrequency()
      .filter((w) => w !== word && editDistance(w, word) <= 2)
      .slice(0, limit);
  }
  mostSimilar(query: { positive: QueryItem[]; negative?: QueryItem[]; topn?: number }): Neighbour[] {
    this.#needLoaded();
    return this.#kv.mostSimilar(query);
  }
  analogy(a: QueryItem, b: QueryItem, c: QueryItem, options: { topn?: number } = {}): Neighbour[] {
    this.#needLoaded();
    return this.#kv.analogy(a, b, c, options);
  }
  similarity(a: QueryItem, b: QueryItem): number {
    this.#needLoaded();
    return this.#kv.similarity(a, b);
  }
  cooccurrence(): StoredCooccurrence | undefined {
    return this.#cooccurrence;
  }
  vector(word: string): Float32Array {
    this.#needLoaded();
    return this.#kv.get(word);
  }
  doesntMatch(words: string[]): string {
    this.#needLoaded();
    return this.#kv.doesntMatch(words);
  }
  oddOneOut(items: readonly QueryItem[], labels?: readonly string[]): number {
    this.#needLoaded();
    return this.#kv.oddOneOut(items, labels);
  }
  resolveTerms(words: readonly string[], oov: OovOptions): { items: QueryItem[]; resolutions: Resolution[] } {
    return this.#kv.resolveTerms(words, oov);
  }
  explainResolution(word: string, oov: OovOptions): OovStepOutcome[] {
    return this.#kv.explainResolution(word, oov);
  }
  hasSubwordModel(): boolean {
    return this.#kv.hasSubwordModel();
  }
}

function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++)
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
  return d[a.length][b.length];
}

export class MemoryCatalog implements ModelCatalog {
  closed = false;
  constructor(readonly list: MemoryModel[]) {}
  models(): ModelSummary[] {
    return this.list.map((m) => m.summary);
  }
  model(name?: string): QueryModel {
    const m =
      name === undefined
        ? (this.list.find((x) => x.summary.isDefault) ?? this.list[0])
        : this.list.find((x) => x.summary.name === name);
    if (!m) throw new BotInputError('Unknown model', `No model named “${name}”.`);
    return m;
  }
  close(): void {
    this.closed = true;
  }
}

/**
 * A small royal/food/animal world where the classic analogy works by construction:
 * dimensions are (royalty, male, female, food, animal, noise).
 */
export const WORLD: Record<string, { vector: number[]; count: number }> = {
  king: { vector: [1, 1, 0, 0, 0, 0.1], count: 50 },
  queen: { vector: [1, 0, 1, 0, 0, 0.12], count: 40 },
  man: { vector: [0, 1, 0, 0, 0, 0.05], count: 90 },
  woman: { vector: [0, 0, 1, 0, 0, 0.07], count: 80 },
  prince: { vector: [0.8, 0.9, 0, 0, 0, 0.3], count: 20 },
  pizza: { vector: [0, 0, 0, 1, 0, 0.2], count: 30 },
  pasta: { vector: [0, 0, 0, 0.95, 0, 0.3], count: 25 },
  pizzeria: { vector: [0, 0, 0, 0.8, 0, 0.5], count: 5 },
  breakfast: { vector: [0, 0, 0, 0.9, 0.1, 0.4], count: 15 },
  lunch: { vector: [0, 0, 0, 0.92, 0.05, 0.35], count: 16 },
  dinner: { vector: [0, 0, 0, 0.91, 0.08, 0.38], count: 17 },
  cat: { vector: [0, 0, 0, 0, 1, 0.2], count: 60 },
  dog: { vector: [0, 0, 0, 0.05, 0.95, 0.25], count: 70 },
  café: { vector: [0, 0, 0, 0.7, 0, 0.6], count: 6 },
  paris: { vector: [0.1, 0, 0, 0.3, 0, 0.9], count: 12 },
};

export function worldCatalog(
  options: { loaded?: boolean; loadDelayMs?: number; subwords?: boolean } = {},
): MemoryCatalog {
  return new MemoryCatalog([
    new MemoryModel('world', WORLD, { rare: { pizzaiolo: 3 }, isDefault: true, ...options }),
    new MemoryModel('tiny', {
      a: { vector: [1, 0], count: 2 },
      b: { vector: [0, 1], count: 1 },
      c: { vector: [1, 1], count: 1 },
    }),
  ]);
}
