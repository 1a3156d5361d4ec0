import { analogyPicture } from '@wordvec/plots';
import { BOT_OOV_DEFAULT } from '../core/config.js';
import { formatScore, quoteWord } from '../core/escape.js';
import { imageFileName, plotSource, toReplyImage } from '../core/picture-reply.js';
import type { Reply, ReplyImage } from '../core/reply.js';
import { resolveTerms } from '../core/words.js';
import {
  type Command,
  countOption,
  estimateMark,
  modelFooter,
  modelOption,
  pickModel,
  wordOption,
} from './command.js';

/** Answers drawn on the picture of `/analogy … plot:true`. */
const PICTURE_ANSWERS = 3;

/**
 * `/analogy a b c`: the word d with a − b + c ≈ d (3CosAdd, Mikolov et al. 2013), read as
 * "b is to a as c is to d": `/analogy king man woman` → "man is to king as woman is to queen".
 * With `plot:true` the reply carries the picture of the two offsets (@wordvec/plots `analogyPicture`).
 */
export const analogy: Command = {
  definition: {
    name: 'analogy',
    description: 'a − b + c: /analogy king man woman → queen',
    options: [
      wordOption('a', 'The word to start from (king)'),
      wordOption('b', 'The word to take away (man)'),
      wordOption('c', 'The word to add (woman)'),
      { ...countOption, description: 'How many answers to show (1–25, default 5)', default: 5 },
      {
        type: 'string',
        name: 'method',
        description: 'add: 3CosAdd (default); mul: 3CosMul (Levy & Goldberg 2014)',
        choices: ['add', 'mul'],
      },
      modelOption,
      { type: 'boolean', name: 'plot', description: 'Also draw it: the offsets b → a and c → a − b + c' },
    ],
    needsVectors: true,
  },
  async handle(options, context): Promise<Reply> {
    const model = pickModel(options, context);
    const typed = [String(options.a), String(options.b), String(options.c)];
    const terms = resolveTerms(model, typed, context.oov ?? BOT_OOV_DEFAULT);
    const [a, b, c] = terms.labels;
    const [ia, ib, ic] = terms.items;
    const method = options.method === 'mul' ? 'mul' : 'add';
    const results = model.analogy(ia, ib, ic, { topn: Number(options.count), method });
    const data = { model: model.summary.name, a, b, c, method, resolutions: terms.resolutions, results };
    if (results.length === 0) {
      return {
        title: 'No answer',
        lines: [...terms.notes, 'The model has no other words to offer.'],
        footer: modelFooter(model),
        data,
      };
    }
    const [best, ...rest] = results;
    const lines = [...terms.notes, `${a} − ${b} + ${c} ≈ ${best.word} (${formatScore(best.score)})`];
    if (rest.length > 0) {
      lines.push('Runners-up:', ...rest.map((r, i) => `${i + 2}. ${r.word} — ${formatScore(r.score)}`));
    }
    let image: ReplyImage | undefined;
    if (options.plot === true) {
      if (terms.items.some((item) => typeof item !== 'string')) {
        lines.push('No picture: an estimated word has no place among the vocabulary’s vectors to draw from.');
      } else {
        await context.defer?.();
        const picture = await analogyPicture(plotSource(model), {
          a: String(ia),
          b: String(ib),
          c: String(ic),
          topn: PICTURE_ANSWERS,
          model: model.summary.name,
        });
        if (method === 'mul') lines.push('The picture shows 3CosAdd (a − b + c) and its nearest words.');
        lines.push(...picture.notes, picture.caption);
        image = await toReplyImage(
          picture,
          imageFileName('analogy', [a, b, c]),
          `Analogy ${a} − ${b} + ${c}: arrows ${b} → ${a} and ${c} → ${a} − ${b} + ${c}, nearest ${best.word}. ${picture.caption}`,
        );
      }
    }
    return {
      title: `${quoteWord(b)} is to ${quoteWord(a)} as ${quoteWord(c)} is to ${quoteWord(best.word)}${estimateMark(terms)}`,
      lines,
      footer: modelFooter(model),
      ...(image ? { image } : {}),
      data,
    };
  },
};
