import { describeRatio, formatCount, requireCooccurrence, SHOWN_ALPHA } from '../core/cooccurrence.js';
import { formatScore, quoteWord } from '../core/escape.js';
import type { Reply } from '../core/reply.js';
import { requireWords } from '../core/words.js';
import { type Command, countOption, modelFooter, modelOption, pickModel, wordOption } from './command.js';

/**
 * `/cooccur word [count] [model]`: the contexts a word co-occurs with most strongly, ranked by PPMI
 * with context-distribution smoothing α = 0.75 (Levy, Goldberg & Dagan 2015), from the co-occurrence
 * counts stored with the model.
 */
export const cooccur: Command = {
  definition: {
    name: 'cooccur',
    description: 'The words a word occurs near most strongly, ranked by PPMI',
    options: [wordOption('word', 'The word to look up'), countOption, modelOption],
    needsVectors: false,
  },
  async handle(options, context): Promise<Reply> {
    const model = pickModel(options, context);
    const { stats } = requireCooccurrence(model, 'cooccur', context.catalog);
    const [word] = requireWords(model, [String(options.word)]);
    const contexts = stats.topContexts(word, { k: Number(options.count), alpha: SHOWN_ALPHA });
    return {
      title: `Strongest contexts of ${quoteWord(word)}`,
      lines:
        contexts.length === 0
          ? [`No word co-occurs with ${quoteWord(word)} more often than chance in the stored counts.`]
          : [
              ...contexts.map(
                (c, i) =>
                  `${i + 1}. ${c.word} — PPMI ${formatScore(c.ppmi, 2)} (${describeRatio(c.ratio)}, count ${formatCount(c.count)})`,
              ),
              `PPMI = max(PMI, 0) with context smoothing α = ${SHOWN_ALPHA}.`,
            ],
      footer: modelFooter(model),
      data: {
        model: model.summary.name,
        word,
        results: contexts.map(({ word: w, ppmi, pmi, count, ratio }) => ({
          word: w,
          ppmi,
          pmi,
          count,
          ratio,
        })),
      },
    };
  },
};
