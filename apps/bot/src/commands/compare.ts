import { neighbourOverlap } from '@wordvec/embeddings';
import { AlignmentCache, COMPARE_ALIGNMENT_WORDS } from '../core/alignment-cache.js';
import { BotInputError } from '../core/bot-error.js';
import { formatScore, quoteWord } from '../core/escape.js';
import type { ModelCatalog, QueryModel } from '../core/model-source.js';
import type { Reply } from '../core/reply.js';
import { normalizeWord, resolveWord } from '../core/words.js';
import { type Command, countOption, modelFooter, wordOption } from './command.js';

/** One cache per catalog (per store the bot answers from): alignments are per model pair of that store. */
const caches = new WeakMap<ModelCatalog, AlignmentCache>();

function cacheOf(catalog: ModelCatalog): AlignmentCache {
  let cache = caches.get(catalog);
  if (!cache) caches.set(catalog, (cache = new AlignmentCache()));
  return cache;
}

const modelChoice = (name: string, description: string) =>
  ({ type: 'string', name, description, required: true, maxLength: 100, autocomplete: 'model' }) as const;

/**
 * `/compare word model_a model_b [count]`: how a word differs between two models. Its `count`
 * nearest neighbours in each and how many they share (with the Jaccard index), and its cosine
 * across the two after an orthogonal Procrustes rotation of model_b onto model_a fitted on their
 * shared vocabulary (Hamilton et al. 2016; the first {@link COMPARE_ALIGNMENT_WORDS} shared words in
 * model_a's row order), the rotation kept per model pair.
 */
export const compare: Command = {
  definition: {
    name: 'compare',
    description: 'How a word differs between two models: shared neighbours and its shift after alignment',
    options: [
      wordOption('word', 'The word to compare'),
      modelChoice('model_a', 'First model (the one model_b is aligned onto)'),
      modelChoice('model_b', 'Second model'),
      { ...countOption, description: 'Neighbours to compare in each model (1–25, default 10)' },
    ],
    needsVectors: true,
    modelOptions: ['model_a', 'model_b'],
  },
  async handle(options, context): Promise<Reply> {
    const nameA = String(options.model_a);
    const nameB = String(options.model_b);
    const a = context.catalog.model(nameA);
    const b = context.catalog.model(nameB);
    if (a.summary.name === b.summary.name) {
      throw new BotInputError(
        'Same model twice',
        `model_a and model_b are both ${a.summary.name}; /compare needs two different models (/similar shows one model's neighbours).`,
      );
    }
    const word = sharedEntry(a, b, String(options.word));
    const topn = Number(options.count);
    const inA = a.mostSimilar({ positive: [word], topn });
    const inB = b.mostSimilar({ positive: [word], topn });
    const { shared, jaccard } = neighbourOverlap(inA, inB);
    const sharedSet = new Set(shared);
    const only = (list: { word: string }[]) =>
      list
        .filter((n) => !sharedSet.has(n.word))
        .map((n) => n.word)
        .join(', ') || 'none';
    const lines = [
      `Shared neighbours: ${shared.length} of ${topn} (Jaccard ${formatScore(jaccard)})${shared.length > 0 ? `: ${shared.join(', ')}` : ''}`,
      `Only in ${a.summary.name}: ${only(inA)}`,
      `Only in ${b.summary.name}: ${only(inB)}`,
    ];
    const data: Record<string, unknown> = {
      word,
      modelA: a.summary.name,
      modelB: b.summary.name,
      neighboursA: inA,
      neighboursB: inB,
      shared,
      jaccard,
    };
    if (a.summary.dim !== b.summary.dim) {
      lines.push(
        `No cosine shift: an alignment needs models of the same dimension, and ${a.summary.name} has ${a.summary.dim}, ${b.summary.name} ${b.summary.dim}.`,
      );
    } else {
      if (!b.alignedSimilarity) throw new BotInputError('Not available', 'These models cannot be aligned.');
      const { alignment, fresh } = await cacheOf(context.catalog).get(a, b);
      const cosine = b.alignedSimilarity(a, word, alignment);
      lines.push(
        `Cosine across the models after aligning ${b.summary.name} onto ${a.summary.name}: ${formatScore(cosine)} (shift ${formatScore(1 - cosine)}; the aligned words average ${formatScore(alignment.meanCosineAfter)})`,
        `Alignment: orthogonal Procrustes (Hamilton et al. 2016) on ${alignment.words.toLocaleString('en-US')} shared words, the most frequent in ${a.summary.name}'s order (of its first ${alignment.targetRows.toLocaleString('en-US')})${fresh ? '' : ', reused'}.`,
      );
      // The fit's figures, without the dim × dim rotation.
      const { rotation: _rotation, dim: _dim, ...fit } = alignment;
      Object.assign(data, { cosine, shift: 1 - cosine, alignment: { ...fit, reused: !fresh } });
    }
    return {
      title: `${quoteWord(word)} in ${a.summary.name} and ${b.summary.name}`,
      lines,
      footer: `${modelFooter(a)}; ${modelFooter(b)}`,
      data,
    };
  },
};

/**
 * The vocabulary entry both models hold for the typed word (as typed, else normalised, as every
 * command reads words). Estimates from the OOV pipeline are refused: an estimated vector was never
 * part of either space the rotation was fitted on, so its "shift" would measure the estimator.
 */
function sharedEntry(a: QueryModel, b: QueryModel, typed: string): string {
  const inA = resolveWord(a, typed);
  const inB = resolveWord(b, typed);
  const hasA = a.has(inA);
  const hasB = b.has(inB);
  if (hasA && hasB) {
    if (inA === inB) return inA;
    if (b.has(inA)) return inA;
    if (a.has(inB)) return inB;
    throw new BotInputError(
      'Different entries',
      `${quoteWord(typed)} is ${quoteWord(inA)} in ${a.summary.name} and ${quoteWord(inB)} in ${b.summary.name}: /compare needs one entry both models hold.`,
    );
  }
  const missing = [!hasA && a, !hasB && b].filter((m): m is QueryModel => m !== false);
  const where = missing.map((m) => m.summary.name).join(' and ');
  const hints = missing
    .map((m) => {
      const close = safeSuggest(m, typed);
      return close.length > 0 ? ` Close in ${m.summary.name}: ${close.join(', ')}.` : '';
    })
    .join('');
  throw new BotInputError(
    'Unknown word',
    `${quoteWord(typed)} is not in the vocabulary of ${where}. /compare compares words both models know: an estimated vector (how /similar answers unknown words) is not aligned with either model, so it is not compared.${hints}`,
  );
}

function safeSuggest(model: QueryModel, word: string): string[] {
  try {
    return model.suggest(normalizeWord(word) || word, 3);
  } catch {
    return [];
  }
}
