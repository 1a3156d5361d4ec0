import { describeRatio, formatCount, requireCooccurrence, SHOWN_ALPHA } from '../core/cooccurrence.js';
import { formatScore, quoteWord } from '../core/escape.js';
import type { Reply } from '../core/reply.js';
import { requireWords } from '../core/words.js';
import { type Command, modelFooter, modelOption, pickModel, wordOption } from './command.js';

/**
 * `/pmi a b [model]`: how many times more often than chance two words co-occur, from the
 * co-occurrence counts stored with the model: PMI(a, b) = log( X_ab · |D| / (#(a) · #(b)) )
 * (Levy, Goldberg & Dagan 2015, §2), natural log.
 */
export const pmi: Command = {
  definition: {
    name: 'pmi',
    description: 'How much more often than chance two words occur near each other (PMI)',
    options: [wordOption('a', 'First word'), wordOption('b', 'Second word'), modelOption],
    needsVectors: false,
  },
  async handle(options, context): Promise<Reply> {
    const model = pickModel(options, context);
    const stored = requireCooccurrence(model, 'pmi', context.catalog);
    const { stats, maxContexts } = stored;
    const [a, b] = requireWords(model, [String(options.a), String(options.b)]);
    // The counts are symmetric, but a pruned store may keep the pair in one word's row only.
    const [row, col] = stats.count(a, b) > 0 || stats.count(b, a) === 0 ? [a, b] : [b, a];
    const count = stats.count(row, col);
    const footer = modelFooter(model);
    if (count === 0) {
      // Counts are symmetric: pruning lost the pair only if it dropped contexts from both rows.
      const maybePruned =
        maxContexts !== undefined &&
        (stored.mayHaveDropped?.(a) ?? true) &&
        (stored.mayHaveDropped?.(b) ?? true);
      return {
        title: `PMI of ${quoteWord(a)} and ${quoteWord(b)}`,
        lines: [
          `${quoteWord(a)} and ${quoteWord(b)} were never counted together within the training window: PMI −∞, PPMI 0.`,
          ...(maybePruned
            ? [
                `The store keeps only each word's ${maxContexts} strongest and ${maxContexts} most frequent contexts, so a rare, weak pair may have been left out.`,
              ]
            : []),
        ],
        footer,
        data: { model: model.summary.name, a, b, count: 0, pmi: Number.NEGATIVE_INFINITY, ratio: 0, ppmi: 0 },
      };
    }
    const value = stats.pmi(row, col);
    const ratio = stats.ratio(row, col);
    const ppmi = stats.ppmi(row, col, { alpha: SHOWN_ALPHA });
    return {
      title: `PMI of ${quoteWord(a)} and ${quoteWord(b)}`,
      lines: [
        `${quoteWord(a)} and ${quoteWord(b)} co-occur ${describeRatio(ratio)}, PMI ${formatScore(value, 2)}.`,
        `Co-occurrence count ${formatCount(count)}; PPMI with context smoothing α = ${SHOWN_ALPHA}: ${formatScore(ppmi, 2)}.`,
      ],
      footer,
      data: { model: model.summary.name, a, b, count, pmi: value, ratio, ppmi },
    };
  },
};
