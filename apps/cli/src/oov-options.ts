/**
 * `--oov` and `--unk` for the query commands (similar, analogy, similarity, vector, eval): which
 * steps of the library's OOV pipeline may answer a word that is not in the vocabulary, and the
 * human line saying how each word was answered (the library's `describeResolution`).
 */
import {
  describeResolution,
  InvalidArgumentError,
  OOV_POLICIES,
  OOV_STEPS,
  type OovOptions,
  parseOovPolicy,
  quoteForMessage,
  type Resolution,
  UNK_POLICIES,
  type WordQueries,
} from '@wordvec/embeddings';
import type { Command } from 'commander';
import { CliError } from './cli-error.js';

/** The two flags as commander parses them. */
export interface OovFlags {
  oov: string;
  unk: string;
}

/** Help text of `--oov`, listing the policies. */
export const OOV_HELP = `how a word missing from the vocabulary is answered: ${Object.keys(OOV_POLICIES).join(' | ')} (exact = gensim, an error; forms = case/accents/punctuation; normalize = forms + English lemma; estimate = normalize + subword estimate), or steps ${OOV_STEPS.join(',')} separated by commas`;

/** Help text of `--unk`. */
export const UNK_HELP = `stand-in when no step finds the word: ${UNK_POLICIES.join(' | ')} (mean = the model's mean vector; random = a vector fixed by the word's hash)`;

/**
 * Adds `--oov POLICY` and `--unk POLICY` to `command`.
 *
 * @example
 * ```ts
 * addOovOptions(program.command('similar'), 'exact');
 * ```
 */
export function addOovOptions(command: Command, defaultPolicy: string): Command {
  return command
    .option('--oov <policy>', OOV_HELP, defaultPolicy)
    .option('--unk <policy>', UNK_HELP, 'error');
}

/** The pipeline options the flags ask for; a bad value is a one-line usage error (exit 2). */
export function oovOptions(flags: OovFlags): OovOptions {
  try {
    return parseOovPolicy(flags.oov, flags.unk);
  } catch (error) {
    if (error instanceof InvalidArgumentError) throw new CliError(`--oov/--unk: ${error.message}`, 2);
    throw error;
  }
}

/** A word quoted for CLI output: bounded, escaped. */
export const quoteCliWord = (word: string): string => quoteForMessage(word, 60);

/** The lines saying how each non-exact word was answered (none when every word was exact). */
export function resolutionLines(resolutions: readonly Resolution[]): string[] {
  return resolutions
    .map((r) => describeResolution(r, quoteCliWord))
    .filter((l): l is string => l !== undefined);
}

/**
 * Resolves `words` through the pipeline; an unresolved word becomes a message naming every missing
 * word and, when a subword estimate was asked for but the model has none, saying so.
 */
export function resolveOrExplain(
  model: WordQueries,
  words: readonly string[],
  oov: OovOptions,
): ReturnType<WordQueries['resolveTerms']> {
  try {
    return model.resolveTerms(words, oov);
  } catch (error) {
    const e = error as { code?: string; words?: string[] };
    if (e?.code === 'OOV' && Array.isArray(e.words)) {
      const missing = e.words.map(quoteCliWord).join(', ');
      const notes: string[] = [];
      if (oov.subword && !model.hasSubwordModel())
        notes.push(
          'subword estimates are unavailable: this model has no subword model (build one with `wordvec oov-index NAME`)',
        );
      else if (oov.subword)
        notes.push(
          `none of ${e.words.length === 1 ? 'its' : 'their'} character n-grams is known to this model, so there is nothing to estimate from`,
        );
      if (!oov.forms && !oov.lemma && !oov.subword)
        notes.push('pass --oov estimate to answer it from its spelling');
      throw new CliError(
        `${e.words.length === 1 ? 'word' : 'words'} ${missing} not in the vocabulary${notes.length > 0 ? `; ${notes.join('; ')}` : ''}`,
      );
    }
    throw error;
  }
}
