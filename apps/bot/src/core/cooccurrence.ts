import { BotInputError } from './bot-error.js';
import type { ModelCatalog, QueryModel, StoredCooccurrence } from './model-source.js';

/**
 * Context-distribution smoothing of the PPMI the bot shows: α = 0.75 (Levy, Goldberg & Dagan 2015),
 * which keeps rare contexts from dominating a word's strongest contexts.
 */
export const SHOWN_ALPHA = 0.75;

/**
 * The co-occurrence statistics stored with `model`.
 *
 * @param catalog - where to look for the models that do have statistics, so the refusal can name them.
 * @throws {@link BotInputError} saying the model has none and naming the models of `catalog` that have them
 *   (or how to get one when none has).
 * @example
 * ```ts
 * const { stats } = requireCooccurrence(model, 'pmi', context.catalog);
 * stats.ratio('pizza', 'cheese'); // 7.3
 * ```
 */
export function requireCooccurrence(
  model: QueryModel,
  command: string,
  catalog: ModelCatalog,
): StoredCooccurrence {
  const stored = model.cooccurrence?.();
  if (stored) return stored;
  const { name, algorithm } = model.summary;
  const have = catalog
    .models()
    .map((m) => m.name)
    .filter((n) => {
      try {
        const m = catalog.model(n);
        return m.hasCooccurrence ? m.hasCooccurrence() : m.cooccurrence?.() !== undefined;
      } catch {
        return false;
      }
    });
  throw new BotInputError(
    'No co-occurrence statistics',
    `Model ${name} (${algorithm}) was stored without the co-occurrence counts it was trained from, so /${command} cannot answer from it. ` +
      (have.length > 0
        ? `Models that have them: ${have.join(', ')}; pick one with the model option.`
        : 'No model here has them: models trained with “wordvec train ppmi|glove|cbow” keep them.'),
  );
}

/**
 * "7.3× more often than chance" or, below 1, "2.5× less often than chance".
 *
 * @example
 * ```ts
 * describeRatio(7.31); // '7.3× more often than chance'
 * ```
 */
export function describeRatio(ratio: number): string {
  if (ratio >= 1) return `${formatRatio(ratio)}× more often than chance`;
  return `${formatRatio(1 / ratio)}× less often than chance`;
}

function formatRatio(r: number): string {
  return r >= 100 ? Math.round(r).toLocaleString('en-US') : r.toFixed(1);
}

/**
 * A co-occurrence count, grouped by thousands: whole counts as integers, 1/distance-weighted ones
 * with at most one decimal (`20,234.8`).
 */
export function formatCount(count: number): string {
  return count.toLocaleString('en-US', { maximumFractionDigits: 1 });
}
