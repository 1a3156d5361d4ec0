import { BotInputError } from '../core/bot-error.js';
import { formatScore, quoteWord } from '../core/escape.js';
import type { Reply } from '../core/reply.js';
import { parseVectorExpression } from '../core/vector-expression.js';
import { requireWords } from '../core/words.js';
import { type Command, countOption, modelFooter, modelOption, pickModel } from './command.js';

/**
 * `/math king - man + woman`: free vector arithmetic, 3CosAdd over weighted terms (gensim
 * `most_similar(positive=[(w, weight)…], negative=[…])`: the unit-normalised weighted mean of the
 * terms' unit vectors, neighbours by cosine), the input words left out as gensim leaves them out
 * unless `include:yes`.
 */
export const math: Command = {
  definition: {
    name: 'math',
    description: 'vector arithmetic: /math king - man + woman (weights: 2*king)',
    options: [
      {
        type: 'string',
        name: 'expression',
        description: 'Words joined by + and -, optionally weighted (king - man + woman, 2*paris - france)',
        required: true,
        maxLength: 300,
      },
      {
        type: 'string',
        name: 'include',
        description: 'Also show the input words (gensim leaves them out)',
        choices: ['no', 'yes'],
      },
      { ...countOption, description: 'How many answers to show (1–25, default 5)', default: 5 },
      modelOption,
    ],
    needsVectors: true,
  },
  async handle(options, context): Promise<Reply> {
    const model = pickModel(options, context);
    const terms = parseVectorExpression(String(options.expression));
    const words = requireWords(
      model,
      terms.map((t) => t.word),
    );
    if (!model.weightedSimilar)
      throw new BotInputError('Not available', 'This model cannot answer vector arithmetic.');
    const include = options.include === 'yes';
    const results = model.weightedSimilar(
      words.map((word, i) => ({ word, weight: terms[i].weight })),
      { topn: Number(options.count), includeInputs: include },
    );
    const shown = words
      .map((w, i) => {
        const weight = Math.abs(terms[i].weight);
        const term = weight === 1 ? w : `${weight}×${w}`;
        return i === 0
          ? terms[i].weight < 0
            ? `− ${term}`
            : term
          : `${terms[i].weight < 0 ? '−' : '+'} ${term}`;
      })
      .join(' ');
    const data = {
      model: model.summary.name,
      terms: words.map((w, i) => ({ word: w, weight: terms[i].weight })),
      includeInputs: include,
      results,
    };
    if (results.length === 0) {
      return {
        title: 'No answer',
        lines: ['The model has no other words to offer.'],
        footer: modelFooter(model),
        data,
      };
    }
    return {
      title: `${shown} ≈ ${quoteWord(results[0].word)}`,
      lines: results.map((r, i) => `${i + 1}. ${r.word} — ${formatScore(r.score)}`),
      footer: modelFooter(model),
      data,
    };
  },
};
