/**
 * The Procrustes alignments `/compare` fits, kept per model pair: fitting one reads the shared words
 * of both models and takes an SVD, so a second `/compare` over the same two models reuses it.
 */
import type { ModelAlignment } from '@wordvec/embeddings';
import { BotInputError } from './bot-error.js';
import type { ModelSummary, QueryModel } from './model-source.js';

/** Shared words an alignment is fitted on: the first 10,000 in model_a's row order (its most frequent). */
export const COMPARE_ALIGNMENT_WORDS = 10_000;
/** Model pairs kept (a 300-dimension rotation is 720 KB). */
const MAX_PAIRS = 8;

/**
 * What identifies the version of a model the store holds: the store exposes no version number, but
 * a replaced model is a new row written at another time (`createdAt`), and its size, dimension and
 * training text's checksum come with it; a renamed model is looked up under its new name.
 */
export function modelVersion(summary: ModelSummary): string {
  return JSON.stringify([
    summary.name,
    summary.createdAt ?? '',
    summary.dim,
    summary.vocabSize,
    summary.corpus?.checksum ?? '',
  ]);
}

/** A fitted alignment and which words it was fitted under. */
export interface CachedAlignment {
  alignment: ModelAlignment;
  /** Whether this request fitted it (false: reused). */
  fresh: boolean;
}

/**
 * Alignments of `source` onto `target`, at most {@link MAX_PAIRS} pairs, least recently used dropped
 * first. An entry is keyed by both models' {@link modelVersion}, so replacing either model misses.
 *
 * @example
 * ```ts
 * const cache = new AlignmentCache();
 * const { alignment } = await cache.get(modelA, modelB); // fits B onto A
 * await cache.get(modelA, modelB);                       // the same object, fresh: false
 * ```
 */
export class AlignmentCache {
  readonly #entries = new Map<string, Promise<ModelAlignment>>();
  readonly #maxPairs: number;

  constructor(maxPairs = MAX_PAIRS) {
    this.#maxPairs = maxPairs;
  }

  /** How many pairs are kept. */
  get size(): number {
    return this.#entries.size;
  }

  async get(
    target: QueryModel,
    source: QueryModel,
    maxWords = COMPARE_ALIGNMENT_WORDS,
  ): Promise<CachedAlignment> {
    if (!source.alignOnto) throw new BotInputError('Not available', 'This model cannot be aligned.');
    const key = `${modelVersion(target.summary)}→${modelVersion(source.summary)}:${maxWords}`;
    const kept = this.#entries.get(key);
    if (kept) {
      // Most recently used last.
      this.#entries.delete(key);
      this.#entries.set(key, kept);
      return { alignment: await kept, fresh: false };
    }
    const pending = source.alignOnto(target, { maxWords });
    this.#entries.set(key, pending);
    while (this.#entries.size > this.#maxPairs)
      this.#entries.delete(this.#entries.keys().next().value as string);
    try {
      return { alignment: await pending, fresh: true };
    } catch (error) {
      this.#entries.delete(key);
      throw error;
    }
  }
}
