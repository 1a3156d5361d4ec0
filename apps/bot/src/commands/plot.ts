import {
  MAX_PLOT_WORDS,
  neighbourhoodPicture,
  PROJECTIONS,
  type ProjectionKind,
  wordListPicture,
} from '@wordvec/plots';
import { BotInputError } from '../core/bot-error.js';
import { BOT_OOV_DEFAULT } from '../core/config.js';
import { quoteWord } from '../core/escape.js';
import { imageFileName, plotSource, plotWords, toReplyImage } from '../core/picture-reply.js';
import type { Reply } from '../core/reply.js';
import { resolveKnown, splitWords } from '../core/words.js';
import { type Command, estimateMark, modelFooter, modelOption, pickModel, wordOption } from './command.js';

/** Longest `words` option: 50 words of a typical length, with room to spare. */
export const MAX_WORD_LIST_LENGTH = 1000;

/**
 * `/plot words:<list>` (a map of the words) or `/plot word:<w>` (the word and its nearest
 * neighbours), projected with PCA or UMAP, as a picture (@wordvec/plots). Words the model does not
 * have are estimated where the OOV policy allows (marked on the picture) or left out and named; a
 * single word in a list draws its neighbourhood.
 */
export const plot: Command = {
  definition: {
    name: 'plot',
    description: 'A map of words: /plot king queen man woman, or one word for its neighbourhood',
    options: [
      {
        type: 'string',
        name: 'words',
        description: `Up to ${MAX_PLOT_WORDS} words separated by spaces (one word: its neighbourhood)`,
        maxLength: MAX_WORD_LIST_LENGTH,
      },
      { ...wordOption('word', 'A word whose neighbourhood to draw'), required: false },
      {
        type: 'integer',
        name: 'neighbours',
        description: 'Nearest neighbours to draw (word: default 10; words: each word brings that many)',
        min: 1,
        max: MAX_PLOT_WORDS - 1,
      },
      {
        type: 'string',
        name: 'projection',
        description: 'pca: principal components (default); umap: UMAP, seeded',
        choices: PROJECTIONS,
      },
      modelOption,
    ],
    needsVectors: true,
  },
  async handle(options, context): Promise<Reply> {
    const listed = typeof options.words === 'string';
    if (listed === (typeof options.word === 'string')) {
      throw new BotInputError(
        listed ? 'Words or word' : 'Nothing to draw',
        'Give words (a map of them: /plot words:king queen man woman) or word (its neighbourhood: /plot word:king), not both.',
      );
    }
    const typed = listed ? [...new Set(splitWords(String(options.words)))] : [String(options.word)];
    if (typed.length > MAX_PLOT_WORDS) {
      throw new BotInputError(
        'Too many words',
        `A picture shows at most ${MAX_PLOT_WORDS} words; got ${typed.length}.`,
      );
    }
    if (typed.length === 0) throw new BotInputError('Nothing to draw', 'The words option holds no word.');
    const model = pickModel(options, context);
    const source = plotSource(model);
    const known = resolveKnown(model, typed, context.oov ?? BOT_OOV_DEFAULT);
    const words = plotWords(known.items, known.labels);
    const projection = (options.projection ?? 'pca') as ProjectionKind;
    const neighbours = typeof options.neighbours === 'number' ? options.neighbours : undefined;
    const name = model.summary.name;
    await context.defer?.();
    const picture =
      listed && words.length > 1
        ? await wordListPicture(source, { words, neighbours, projection, model: name })
        : await neighbourhoodPicture(source, { word: words[0], k: neighbours, projection, model: name });
    if (listed && words.length === 1 && typed.length > 1) {
      picture.notes.unshift('Only one of the words is known: showing its neighbourhood.');
    } else if (listed && typed.length === 1) {
      picture.notes.unshift('One word: showing its neighbourhood.');
    }
    const points = picture.data.points;
    const title =
      picture.kind === 'neighbourhood'
        ? `Neighbourhood of ${quoteWord(known.labels[0])}${estimateMark(known)}`
        : `Map of ${points.length} words${estimateMark(known)}`;
    const lines = [
      ...known.notes,
      ...(known.missing.length > 0
        ? [`Not in the vocabulary of model ${name}, left out: ${known.missing.join(', ')}.`]
        : []),
      ...picture.notes,
      picture.caption,
    ];
    const data = {
      model: name,
      kind: picture.kind,
      projection: picture.data.projection,
      words: points.map((p) => p.label),
      missing: known.missing,
      estimated: points.filter((p) => p.estimated).map((p) => p.label),
      resolutions: known.resolutions,
    };
    if (points.length < 2) {
      return {
        title: 'Nothing to draw',
        lines: [...lines.slice(0, -1), `Model ${name} has no other word to draw beside it.`],
        footer: modelFooter(model),
        error: true,
        ephemeral: true,
        data,
      };
    }
    const alt = `${title.replace(/[“”]/g, '')}: ${points.map((p) => `${p.label}${p.estimated ? '*' : ''}`).join(', ')}. ${picture.caption}`;
    return {
      title,
      lines,
      footer: modelFooter(model),
      image: await toReplyImage(picture, imageFileName('plot', known.labels), alt),
      data,
    };
  },
};
