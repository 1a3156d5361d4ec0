import { BotInputError } from '../core/bot-error.js';
import { BOT_OOV_DEFAULT } from '../core/config.js';
import { quoteWord } from '../core/escape.js';
import type { Reply } from '../core/reply.js';
import { resolveTerms, splitWords } from '../core/words.js';
import { type Command, estimateMark, modelFooter, modelOption, pickModel } from './command.js';

const MIN_WORDS = 3;
const MAX_WORDS = 20;

/** `/doesntmatch words`: the word furthest from the mean of the others (gensim `doesnt_match`). */
export const doesntmatch: Command = {
  definition: {
    name: 'doesntmatch',
    description: 'The odd one out: /doesntmatch breakfast cereal dinner lunch',
    options: [
      {
        type: 'string',
        name: 'words',
        description: `${MIN_WORDS} to ${MAX_WORDS} words separated by spaces`,
        required: true,
        maxLength: 100,
      },
      modelOption,
    ],
    needsVectors: true,
  },
  async handle(options, context): Promise<Reply> {
    const typed = [...new Set(splitWords(String(options.words)))];
    if (typed.length < MIN_WORDS || typed.length > MAX_WORDS) {
      throw new BotInputError(
        'Wrong number of words',
        `Give ${MIN_WORDS} to ${MAX_WORDS} different words separated by spaces; got ${typed.length}.`,
      );
    }
    const model = pickModel(options, context);
    const terms = resolveTerms(model, typed, context.oov ?? BOT_OOV_DEFAULT);
    const words = terms.labels;
    const odd = words[model.oddOneOut(terms.items, words)];
    return {
      title: `The odd one out: ${quoteWord(odd)}${estimateMark(terms)}`,
      lines: [...terms.notes, `Among ${words.join(', ')}, ${quoteWord(odd)} is furthest from the others.`],
      footer: modelFooter(model),
      data: { model: model.summary.name, words, resolutions: terms.resolutions, odd },
    };
  },
};
