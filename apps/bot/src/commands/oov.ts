import {
  describeResolution,
  type OovOptions,
  type OovStepOutcome,
  type Resolution,
  surfaceForms,
} from '@wordvec/embeddings';
import { BOT_OOV_DEFAULT } from '../core/config.js';
import { quoteWord } from '../core/escape.js';
import type { QueryModel } from '../core/model-source.js';
import type { Reply } from '../core/reply.js';
import { normalizeWord, resolveWord } from '../core/words.js';
import { type Command, modelFooter, modelOption, pickModel, wordOption } from './command.js';

/**
 * Spellings of `typed` that differ only in case, accents or punctuation and are in the model, in the
 * library's order (`surfaceForms`, the OOV pipeline's forms step), without `typed` itself.
 *
 * @example
 * ```ts
 * presentForms(model, 'Café!'); // ['café', 'cafe'] when both are in the vocabulary
 * ```
 */
export function presentForms(model: QueryModel, typed: string): string[] {
  return surfaceForms(typed)
    .map((f) => f.form)
    .filter((w) => model.has(w));
}

/** One line per strategy of the OOV pipeline: what it gives for the word (the field of `/oov`). */
function strategyLines(model: QueryModel, outcomes: readonly OovStepOutcome[], oov: OovOptions): string[] {
  const enabled = { forms: oov.forms, lemma: oov.lemma, subword: oov.subword };
  const lines: string[] = [];
  let first: string | undefined;
  for (const step of outcomes) {
    const r = step.answer?.resolution;
    const off = step.step !== 'exact' && step.step !== 'unk' && !enabled[step.step];
    const suffix = off ? ' (not used by this bot)' : '';
    let text: string | undefined;
    switch (step.step) {
      case 'exact':
        continue;
      case 'forms':
        text = r
          ? `Case, accents, punctuation: ${describeResolution(r, quoteWord)}`
          : 'Case, accents, punctuation: no other spelling of it is in the vocabulary';
        break;
      case 'lemma':
        text = r
          ? `Lemma: ${describeResolution(r, quoteWord)}`
          : 'Lemma: no English lemma of it is in the vocabulary';
        break;
      case 'subword':
        if (step.status === 'unavailable')
          text =
            'Subword estimate: not available, this model has no subword model (an admin can build one with `wordvec oov-index`)';
        else if (!r) text = 'Subword estimate: none of its character n-grams is known to this model';
        else text = `Subword estimate: ${subwordLine(model, r, step.answer?.vector)}`;
        break;
      case 'unk':
        text = r
          ? `Stand-in (UNK policy ${r.unk}): ${describeResolution(r, quoteWord)}`
          : 'Stand-in vector: none; the bot says it does not know the word rather than invent a vector';
        break;
    }
    if (r && !off && first === undefined) first = step.step;
    lines.push(`${text}${suffix}`);
  }
  lines.push(
    first === undefined
      ? 'So this bot cannot answer questions about it.'
      : `So this bot answers with the first that applies: ${first === 'forms' ? 'the other spelling' : first === 'lemma' ? 'the lemma' : first === 'subword' ? 'the estimate' : 'the stand-in'}.`,
  );
  return lines;
}

/** The estimate's pieces, and its nearest words when the vectors are loaded. */
function subwordLine(model: QueryModel, r: Resolution, vector: Float32Array | undefined): string {
  const text = describeResolution(r, quoteWord) ?? '';
  if (!vector || !model.isLoaded) return text;
  const near = model.mostSimilar({ positive: [vector], topn: 3 }).map((n) => n.word);
  return near.length > 0 ? `${text}; it lands nearest to ${near.join(', ')}` : text;
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
    const policy = context.oov ?? BOT_OOV_DEFAULT;
    // Every strategy is run, whether or not the bot's policy enables it, so people see what exists.
    const strategies = model.explainResolution(typed, { ...policy, forms: true, lemma: true, subword: true });
    return {
      title: `${quoteWord(typed)} is not in the vocabulary`,
      lines,
      fields: [
        { name: 'What each strategy gives', value: strategyLines(model, strategies, policy).join('\n') },
      ],
      footer: modelFooter(model),
      data: {
        model: model.summary.name,
        word: typed,
        inVocabulary: false,
        seen,
        forms,
        suggestions,
        strategies: strategies.map((s) => ({
          step: s.step,
          status: s.status,
          resolution: s.answer?.resolution,
        })),
      },
    };
  },
};
