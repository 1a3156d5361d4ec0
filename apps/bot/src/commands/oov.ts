import { quoteWord } from '../core/escape.js';
import type { QueryModel } from '../core/model-source.js';
import type { Reply } from '../core/reply.js';
import { normalizeWord, resolveWord } from '../core/words.js';
import { type Command, modelFooter, modelOption, pickModel, wordOption } from './command.js';

/** Accents removed: NFKD splits `é` into `e` + U+0301, then the combining marks are dropped. */
export function stripAccents(word: string): string {
  return word.normalize('NFKD').replace(/\p{M}/gu, '');
}

/**
 * Spellings of `typed` that differ only in case, accents or punctuation and are in the model, in a
 * stable order, without `typed` itself.
 *
 * @example
 * ```ts
 * presentForms(model, 'Café!'); // ['café', 'cafe'] when both are in the vocabulary
 * ```
 */
export function presentForms(model: QueryModel, typed: string): string[] {
  const bare = stripAccents(typed);
  const candidates = [
    typed.toLowerCase(),
    typed.charAt(0).toUpperCase() + typed.slice(1).toLowerCase(),
    typed.toUpperCase(),
    normalizeWord(typed),
    normalizeWord(typed, false),
    bare,
    bare.toLowerCase(),
    normalizeWord(bare),
  ];
  return [...new Set(candidates)].filter((w) => w !== '' && w !== typed && model.has(w));
}

/**
 * `/oov word [model]`: is the word in the vocabulary? If so how frequent; if not, why not, which
 * near spellings are present, and suggestions.
 */
export const oov: Command = {
  definition: {
    name: 'oov',
    description: 'Is a word in the vocabulary? If not, why not, and what is close',
    options: [wordOption('word', 'The word to check'), modelOption],
    needsVectors: false,
  },
  async handle(options, context): Promise<Reply> {
    const model = pickModel(options, context);
    const typed = String(options.word);
    const { vocabSize, minCount } = model.summary;
    const word = resolveWord(model, typed);
    if (model.has(word)) {
      const count = model.count(word);
      const rank = model.rank(word);
      return {
        title: `${quoteWord(typed)} is in the vocabulary${word === typed ? '' : ` as ${quoteWord(word)}`}`,
        lines:
          model.summary.hasCounts === false || count === 0
            ? [
                'This model has no corpus counts (vectors imported from a file).',
                `It is entry ${rank.toLocaleString('en-US')} of ${vocabSize.toLocaleString('en-US')} in the file's order, usually most frequent first.`,
              ]
            : [
                `${quoteWord(word)} was seen ${count.toLocaleString('en-US')} times in the corpus.`,
                `Frequency rank ${rank.toLocaleString('en-US')} of ${vocabSize.toLocaleString('en-US')}.`,
              ],
        footer: modelFooter(model),
        data: { model: model.summary.name, word, inVocabulary: true, count, rank },
      };
    }

    const normal = normalizeWord(typed) || typed;
    const seen = Math.max(model.count(typed), normal === typed ? 0 : model.count(normal));
    const why =
      seen > 0
        ? `It was seen ${seen} time${seen === 1 ? '' : 's'} in the corpus, fewer than the minimum count${minCount ? ` of ${minCount}` : ''}, so it has no vector.`
        : 'It never occurs in the corpus this model was trained on.';
    const forms = presentForms(model, typed);
    const suggestions = model.suggest(normal, 5).filter((s) => !forms.includes(s));
    const lines = [why];
    if (forms.length > 0) lines.push(`Present with other case, accents or punctuation: ${forms.join(', ')}`);
    lines.push(
      suggestions.length > 0 ? `Did you mean: ${suggestions.join(', ')}?` : 'No close spellings found.',
    );
    return {
      title: `${quoteWord(typed)} is not in the vocabulary`,
      lines,
      footer: modelFooter(model),
      data: { model: model.summary.name, word: typed, inVocabulary: false, seen, forms, suggestions },
    };
  },
};
