import {
  DEFAULT_ALIGNMENT_WORDS,
  escapeUnsafeCharacters,
  neighbourOverlap,
  quoteForMessage,
} from '@wordvec/embeddings';
import type { Command } from 'commander';
import { positiveInt } from '../arguments.js';
import { CliError } from '../cli-error.js';
import { type CommandContext, emit, type GlobalOptions } from '../context.js';
import { withStore } from '../store-access.js';

interface Options extends GlobalOptions {
  topn: number;
  maxWords: number;
}

/**
 * `wordvec compare WORD MODEL_A MODEL_B`: the word's nearest neighbours in each model and how many
 * they share (Jaccard), and its cosine across the two after an orthogonal Procrustes rotation of
 * MODEL_B onto MODEL_A fitted on their shared words (the embeddings layer's `alignOnto`, as the
 * bot's /compare).
 */
export function register(
  program: Command,
  run: (fn: (ctx: CommandContext) => Promise<void>) => Promise<void>,
): void {
  program
    .command('compare')
    .description(
      'how WORD differs between MODEL_A and MODEL_B: shared nearest neighbours, and its cosine after aligning MODEL_B onto MODEL_A (orthogonal Procrustes on their shared words)',
    )
    .argument('<word>', 'a word both models hold (as stored: estimates are not aligned)')
    .argument('<model_a>', 'the model MODEL_B is aligned onto')
    .argument('<model_b>', 'the other model')
    .option('-n, --topn <n>', 'neighbours compared in each model', positiveInt('--topn'), 10)
    .option(
      '--max-words <n>',
      `fit the rotation on at most this many shared words, the first in MODEL_A's row order (its most frequent)`,
      positiveInt('--max-words'),
      DEFAULT_ALIGNMENT_WORDS,
    )
    .action((word: string, nameA: string, nameB: string, options: Options) =>
      run(async (ctx) => {
        await withStore(options, ctx, { readonly: true }, async (store) => {
          const a = store.model(nameA);
          const b = store.model(nameB);
          if (a.name === b.name)
            throw new CliError(
              `MODEL_A and MODEL_B are both ${quoteForMessage(a.name)}: compare needs two models`,
            );
          const missing = [a, b].filter((m) => !m.has(word)).map((m) => m.name);
          if (missing.length > 0) {
            throw new CliError(
              `${quoteForMessage(word)} is not in the vocabulary of ${missing.join(' and ')}; compare needs a word both models hold (an estimated vector is not aligned with either model)`,
            );
          }
          await Promise.all([a.load(), b.load()]);
          const inA = a.mostSimilar({ positive: [word], topn: options.topn });
          const inB = b.mostSimilar({ positive: [word], topn: options.topn });
          const overlap = neighbourOverlap(inA, inB);
          let shift: Record<string, unknown> | undefined;
          if (a.dim === b.dim && options.maxWords < a.dim)
            throw new CliError(
              `--max-words must be at least the dimension (${a.dim}), got ${options.maxWords}`,
            );
          if (a.dim === b.dim) {
            const alignment = await b.alignOnto(a, { maxWords: options.maxWords, signal: ctx.signal });
            const cosine = b.alignedSimilarity(a, word, alignment);
            // The fit's figures, without the dim × dim rotation.
            const { rotation: _rotation, dim: _dim, ...fit } = alignment;
            shift = { cosine, shift: 1 - cosine, alignment: fit };
          }
          const result = {
            word,
            modelA: a.name,
            modelB: b.name,
            neighboursA: inA,
            neighboursB: inB,
            ...overlap,
            ...shift,
          };
          emit(options, ctx, result, () => {
            const shared = new Set(overlap.shared);
            const only = (list: { word: string }[]) =>
              list
                .filter((n) => !shared.has(n.word))
                .map((n) => escapeUnsafeCharacters(n.word))
                .join(', ') || 'none';
            const lines = [
              `shared neighbours: ${overlap.shared.length} of ${options.topn} (Jaccard ${overlap.jaccard.toFixed(3)})${overlap.shared.length > 0 ? `: ${overlap.shared.map(escapeUnsafeCharacters).join(', ')}` : ''}`,
              `only in ${a.name}: ${only(inA)}`,
              `only in ${b.name}: ${only(inB)}`,
            ];
            if (!shift) {
              lines.push(
                `no cosine shift: an alignment needs the same dimension (${a.name} ${a.dim}, ${b.name} ${b.dim})`,
              );
            } else {
              const al = shift.alignment as { words: number; targetRows: number; meanCosineAfter: number };
              lines.push(
                `cosine after aligning ${b.name} onto ${a.name}: ${(shift.cosine as number).toFixed(4)} (shift ${(shift.shift as number).toFixed(4)}; the aligned words average ${al.meanCosineAfter.toFixed(4)})`,
                `alignment: orthogonal Procrustes on ${al.words} shared words, the first in ${a.name}'s row order (of its first ${al.targetRows} rows)`,
              );
            }
            return lines.join('\n');
          });
        });
      }),
    );
}
