import { type LensModel, lensModelNames, lensPicture } from '@wordvec/plots';
import { requireCooccurrence } from '../core/cooccurrence.js';
import { formatScore, quoteWord } from '../core/escape.js';
import { imageFileName, plotSource, toReplyImage } from '../core/picture-reply.js';
import type { Reply } from '../core/reply.js';
import { requireWords } from '../core/words.js';
import { type Command, modelFooter, modelOption, pickModel, wordOption } from './command.js';

/** Contexts of the word on the picture (half strongest by PPMI, half most frequent), as `wordvec lens`. */
const LENS_CONTEXTS = 40;

/**
 * `/lens word [model]`: the PMI lens (@wordvec/plots): for the word's contexts c, PMI(w, c) from the
 * model's stored co-occurrence counts against w·c and cos(w, c) in it and in the other models of the
 * same corpus, with Spearman's ρ (Levy & Goldberg 2014: skip-gram with negative sampling factorises
 * shifted PMI, so a model that learned the statistics ranks the pairs as PMI does).
 */
export const lens: Command = {
  definition: {
    name: 'lens',
    description: 'The PMI lens: how well the dot product w·c follows PMI for a word’s contexts',
    options: [wordOption('word', 'The word whose contexts to show'), modelOption],
    // Loaded here, after the checks: the reference and every model of its corpus.
    needsVectors: false,
  },
  async handle(options, context): Promise<Reply> {
    const model = pickModel(options, context);
    const stored = requireCooccurrence(model, 'lens', context.catalog);
    const [word] = requireWords(model, [String(options.word)]);
    const reference = model.summary.name;
    const names = lensModelNames(context.catalog.models(), reference);
    const models = names.map((n) => (n === reference ? model : context.catalog.model(n)));
    await context.defer?.();
    const sides: LensModel[] = [];
    for (const m of models) {
      if (!m.isLoaded) await m.load();
      sides.push({ name: m.summary.name, algorithm: m.summary.algorithm, source: plotSource(m) });
    }
    const picture = lensPicture({
      words: [word],
      reference,
      stats: stored.stats,
      models: sides,
      contexts: LENS_CONTEXTS,
    });
    const lens = picture.data;
    const title = `PMI lens of ${quoteWord(word)}`;
    const lines = [
      `${lens.pairs.length} contexts of ${quoteWord(word)} (its strongest by PPMI and its most frequent), PMI from the counts stored with ${reference}:`,
      ...lens.models.map(
        (m) =>
          `${m.name} (${m.algorithm ?? '?'}): Spearman ρ(PMI, w·c) ${formatScore(m.spearman, 2)}, ρ(PMI, cosine) ${formatScore(m.spearmanCosine, 2)}`,
      ),
      ...(lens.dropped > 0 ? [`${lens.dropped} contexts left out: not in every model.`] : []),
      ...picture.notes,
    ];
    const alt = `PMI lens of ${word}: ${lens.models.map((m) => `${m.name} ρ ${formatScore(m.spearman, 2)}`).join(', ')}; ${lens.pairs.length} contexts, PMI against w·c and cosine.`;
    return {
      title,
      lines,
      footer: modelFooter(model),
      image: await toReplyImage(picture, imageFileName('lens', [word]), alt),
      data: {
        model: reference,
        word,
        models: lens.models,
        pairs: lens.pairs.length,
        dropped: lens.dropped,
      },
    };
  },
};
