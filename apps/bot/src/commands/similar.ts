import { formatScore, quoteWord } from '../core/escape.js';
import type { Reply } from '../core/reply.js';
import { requireWords } from '../core/words.js';
import {
  type Command,
  type CommandOptions,
  countOption,
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
    const [word] = requireWords(model, [String(options.word)]);
    const topn = Number(options.count);
    const neighbours = model.mostSimilar({ positive: [word], topn });
    return {
      title: `Words similar to ${quoteWord(word)}`,
      lines:
        neighbours.length === 0
          ? ['No other words in this model.']
          : neighbours.map((n, i) => `${i + 1}. ${n.word} — ${formatScore(n.score)}`),
      footer: modelFooter(model),
      data: { model: model.summary.name, word, results: neighbours },
    };
  },
};
