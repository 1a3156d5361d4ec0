import { BOT_OOV_DEFAULT } from '../core/config.js';
import { formatScore, quoteWord } from '../core/escape.js';
import type { Reply } from '../core/reply.js';
import { resolveTerms } from '../core/words.js';
import { type Command, estimateMark, modelFooter, modelOption, pickModel, wordOption } from './command.js';

/**
 * A plain-words reading of a cosine similarity. The bands are rules of thumb for word2vec-style
 * models (unrelated pairs sit near 0, near-synonyms above ~0.7), not a published scale.
 */
export function describeCosine(cosine: number): string {
  if (cosine >= 0.999) return 'practically the same direction: interchangeable in this model';
  if (cosine >= 0.7) return 'very similar: used almost interchangeably';
  if (cosine >= 0.5) return 'closely related';
  if (cosine >= 0.3) return 'somewhat related';
  if (cosine >= 0.1) return 'barely related';
  if (cosine > -0.1) return 'unrelated';
  return 'used in opposite kinds of contexts';
}

/** `/similarity a b [model]`: the cosine of two words and what it means. */
export const similarity: Command = {
  definition: {
    name: 'similarity',
    description: 'Cosine similarity of two words, with a plain-words reading',
    options: [wordOption('a', 'First word'), wordOption('b', 'Second word'), modelOption],
    needsVectors: true,
  },
  async handle(options, context): Promise<Reply> {
    const model = pickModel(options, context);
    const terms = resolveTerms(model, [String(options.a), String(options.b)], context.oov ?? BOT_OOV_DEFAULT);
    const [a, b] = terms.labels;
    const cosine = model.similarity(terms.items[0], terms.items[1]);
    return {
      title: `Similarity of ${quoteWord(a)} and ${quoteWord(b)}${estimateMark(terms)}`,
      lines: [...terms.notes, `cosine ${formatScore(cosine)}: ${describeCosine(cosine)}`],
      footer: modelFooter(model),
      data: { model: model.summary.name, a, b, resolutions: terms.resolutions, similarity: cosine },
    };
  },
};
