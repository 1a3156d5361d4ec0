/**
 * Named OOV policies, so the CLI (`--oov estimate --unk mean`), the bot's settings and the library
 * spell the pipeline's switches one way:
 *
 * | name | steps after the exact look-up |
 * |---|---|
 * | `exact` | none: gensim's look-up, anything else an `OovError` (the library's default) |
 * | `forms` | case, accents, punctuation |
 * | `normalize` | `forms` + `lemma` |
 * | `estimate` | `forms` + `lemma` + `subword` (the bot's default) |
 *
 * or a comma-separated list of the steps `forms`, `lemma`, `subword` (`forms,subword`). The UNK
 * policy (`error | mean | zero | random`) is a separate switch and defaults to `error`, so an
 * estimate is only ever made from the word's own pieces unless a stand-in is asked for.
 */
import { InvalidArgumentError } from '../errors.js';
import type { OovOptions, UnkPolicy } from './resolve-word.js';

/** Steps that can be switched on beside the exact look-up. */
export const OOV_STEPS = ['forms', 'lemma', 'subword'] as const;

/** The named policies and the steps each switches on. */
export const OOV_POLICIES = {
  exact: [],
  forms: ['forms'],
  normalize: ['forms', 'lemma'],
  estimate: ['forms', 'lemma', 'subword'],
} as const satisfies Record<string, readonly (typeof OOV_STEPS)[number][]>;

/** A policy name of {@link OOV_POLICIES}. */
export type OovPolicyName = keyof typeof OOV_POLICIES;

/** The UNK policies, in the order help lists them. */
export const UNK_POLICIES: readonly UnkPolicy[] = ['error', 'mean', 'zero', 'random'];

/**
 * {@link OovOptions} from a policy name or step list and an UNK policy, as a user types them.
 *
 * @throws {@link InvalidArgumentError} naming the bad value and the accepted ones.
 * @example
 * ```ts
 * parseOovPolicy('estimate'); // { forms: true, lemma: true, subword: true, unk: 'error' }
 * parseOovPolicy('forms,subword', 'mean'); // { forms: true, lemma: false, subword: true, unk: 'mean' }
 * kv.resolve('pizzaiolo', parseOovPolicy('estimate'));
 * ```
 */
export function parseOovPolicy(policy: string, unk = 'error'): OovOptions {
  const text = policy.trim();
  const named = (OOV_POLICIES as Record<string, readonly string[]>)[text];
  const steps = named ?? text.split(',').map((s) => s.trim());
  for (const step of steps) {
    if (!(OOV_STEPS as readonly string[]).includes(step)) {
      throw new InvalidArgumentError(
        `unknown OOV policy or step ${JSON.stringify(step.slice(0, 40))}: use ${Object.keys(OOV_POLICIES).join(', ')}, or steps ${OOV_STEPS.join(',')} separated by commas`,
      );
    }
  }
  if (!(UNK_POLICIES as readonly string[]).includes(unk)) {
    throw new InvalidArgumentError(
      `unknown UNK policy ${JSON.stringify(unk.slice(0, 40))}: use ${UNK_POLICIES.join(', ')}`,
    );
  }
  return {
    forms: steps.includes('forms'),
    lemma: steps.includes('lemma'),
    subword: steps.includes('subword'),
    unk: unk as UnkPolicy,
  };
}

/**
 * Whether `options` lets anything but the exact word answer (so a caller must show resolutions).
 *
 * @example
 * ```ts
 * resolvesBeyondExact(parseOovPolicy('exact')); // false
 * ```
 */
export function resolvesBeyondExact(options: OovOptions): boolean {
  return Boolean(
    options.forms || options.lemma || options.subword || (options.unk && options.unk !== 'error'),
  );
}
