import { BOT_OOV_DEFAULT } from '../core/config.js';
import { formatScore, quoteWord } from '../core/escape.js';
import type { Reply } from '../core/reply.js';
import { resolveTerms } from '../core/words.js';
import {
  type Command,
  type CommandOptions,
  countOption,
  estimateMark,
  modelFooter,
  modelOption,
  pickModel,
  wordOption,
} from './command.js';

/** `/similar word [count] [model]`: the nearest neighbours of a word by cosine similarity. */
export const similar: Command = {
  definition: {
    name: 'similar',
    description: 'Words used in similar contexts, ranked by cosine similarity',
    options: [wordOption('word', 'The word to look up'), countOption, modelOption],
    needsVectors: true,
  },
  async handle(options: CommandOptions, context): Promise<Reply> {
    const model = pickModel(options, context);
    const terms = resolveTerms(model, [String(options.word)], context.oov ?? BOT_OOV_DEFAULT);
    const [word] = terms.labels;
    const topn = Number(options.count);
    const neighbours = model.mostSimilar({ positive: terms.items, topn });
    return {
      title: `Words similar to ${quoteWord(word)}${estimateMark(terms)}`,
      lines: [
        ...terms.notes,
        ...(neighbours.length === 0
          ? ['No other words in this model.']
          : neighbours.map((n, i) => `${i + 1}. ${n.word} — ${formatScore(n.score)}`)),
      ],
      footer: modelFooter(model),
      data: { model: model.summary.name, word, resolutions: terms.resolutions, results: neighbours },
    };
  },
};
