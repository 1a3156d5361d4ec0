/**
 * Options of the fastText trainer, their defaults (fastText 0.9.2's `Args` for `fasttext cbow` /
 * `fasttext skipgram`) and their checks. The names are the ones the word2vec trainer uses (`window`,
 * `epochs`, `negative`, `alpha`, `sample`); each option says which fastText flag it is.
 */
import { availableParallelism } from 'node:os';
import { InvalidArgumentError } from '../../errors.js';
import type { OnProgress } from '../../progress.js';
import { checkNgramSpec } from '../../subword/char-ngrams.js';
import { checkKernelChoice, type KernelChoice } from '../../wasm/runtime.js';

/** Options of `trainFastText`. Every default is fastText 0.9.2's (src/args.cc). */
export interface FastTextOptions {
  /** Vector dimension, fastText `-dim` (default 100). */
  dim?: number;
  /** Context window, fastText `-ws` (default 5); the window of each token is drawn uniformly from 1..window. */
  window?: number;
  /** Passes over the corpus, fastText `-epoch` (default 5). */
  epochs?: number;
  /** Words seen fewer times are dropped, fastText `-minCount` (default 5). */
  minCount?: number;
  /** Negative samples per target, fastText `-neg` (default 5). */
  negative?: number;
  /** Initial learning rate, fastText `-lr` (default 0.05); it decays linearly to 0. */
  alpha?: number;
  /** Sub-sampling threshold, fastText `-t` (default 1e-4; 0 keeps every token). */
  sample?: number;
  /** Shortest character n-gram, fastText `-minn` (default 3). */
  minn?: number;
  /** Longest character n-gram, fastText `-maxn` (default 6; 0 turns n-grams off). */
  maxn?: number;
  /** Hash rows of the n-grams, fastText `-bucket` (default 2,000,000). */
  bucket?: number;
  /** Skip-gram instead of CBOW: `fasttext skipgram` rather than `fasttext cbow` (default false). */
  sg?: boolean;
  /** Worker threads, fastText `-thread` (default `os.availableParallelism()`). */
  workers?: number;
  /** Seed of every random choice, fastText `-seed` (default 0, as fastText). */
  seed?: number;
  /** Inner loop: `wasm-simd` (needs dim % 4 = 0), `js`, or `auto` (default: wasm-simd when usable). */
  kernel?: KernelChoice;
  /**
   * Bytes the token ids may take in memory (default 1 GiB, less when the n-gram rows leave less of the 4 GiB
   * WebAssembly memory); a larger corpus is spilled to a temporary file while it is read and streamed from
   * that file for each pass, as `trainCbow` does (the text is read once).
   */
  memoryBudget?: number;
  onProgress?: OnProgress;
  signal?: AbortSignal;
}

/** {@link FastTextOptions} with every default filled in. */
export interface ResolvedFastTextOptions {
  dim: number;
  window: number;
  epochs: number;
  minCount: number;
  negative: number;
  alpha: number;
  sample: number;
  minn: number;
  maxn: number;
  bucket: number;
  sg: boolean;
  workers: number;
  seed: number;
  kernel: KernelChoice;
  memoryBudget: number;
}

/** The most hash rows we accept: (words + bucket) × dim floats must fit one 4 GiB WebAssembly memory anyway. */
export const MAX_BUCKET = 100_000_000;

/**
 * Fills in fastText's defaults and checks every option, naming the bad value.
 *
 * @throws {@link InvalidArgumentError} for an option out of range (e.g. `minn 5 > maxn 3`, `bucket 0`, `dim 0`).
 * @example
 * ```ts
 * resolveFastTextOptions({}).bucket; // 2000000
 * resolveFastTextOptions({ minn: 5, maxn: 3 }); // throws InvalidArgumentError: minn 5 must not exceed maxn 3
 * ```
 */
export function resolveFastTextOptions(options: FastTextOptions = {}): ResolvedFastTextOptions {
  const o: ResolvedFastTextOptions = {
    dim: options.dim ?? 100,
    window: options.window ?? 5,
    epochs: options.epochs ?? 5,
    minCount: options.minCount ?? 5,
    negative: options.negative ?? 5,
    alpha: options.alpha ?? 0.05,
    sample: options.sample ?? 1e-4,
    minn: options.minn ?? 3,
    maxn: options.maxn ?? 6,
    bucket: options.bucket ?? 2_000_000,
    sg: options.sg ?? false,
    workers: options.workers ?? availableParallelism(),
    seed: options.seed ?? 0,
    kernel: checkKernelChoice(options.kernel, 'fastText option kernel'),
    memoryBudget: options.memoryBudget ?? 2 ** 30,
  };
  const integer = (name: keyof ResolvedFastTextOptions, min: number, max: number) => {
    const v = o[name] as number;
    if (!Number.isInteger(v) || v < min || v > max) {
      throw new InvalidArgumentError(
        `fastText option ${name} must be an integer from ${min} to ${max}, got ${v}`,
      );
    }
  };
  integer('dim', 1, 10_000);
  integer('window', 1, 1_000);
  integer('epochs', 1, 100_000);
  integer('minCount', 1, Number.MAX_SAFE_INTEGER);
  integer('negative', 1, 1_000);
  integer('workers', 1, 1_024);
  integer('minn', 0, 1_000);
  integer('maxn', 0, 1_000);
  integer('bucket', 0, MAX_BUCKET);
  if (typeof o.sg !== 'boolean')
    throw new InvalidArgumentError(`fastText option sg must be true or false, got ${o.sg}`);
  if (!(o.alpha > 0 && o.alpha <= 10))
    throw new InvalidArgumentError(`fastText option alpha must be in (0, 10], got ${o.alpha}`);
  if (!(o.sample >= 0 && o.sample < 1))
    throw new InvalidArgumentError(`fastText option sample must be in [0, 1), got ${o.sample}`);
  if (!Number.isInteger(o.seed) || Math.abs(o.seed) > 2 ** 31 - 1)
    throw new InvalidArgumentError(`fastText option seed must be a 32-bit integer, got ${o.seed}`);
  // fastText itself accepts -bucket 0 with -maxn > 0 and then divides by zero hashing the first n-gram.
  if (o.maxn > 0 && o.bucket === 0)
    throw new InvalidArgumentError(
      'fastText option bucket must be at least 1 when maxn > 0 (character n-grams need rows)',
    );
  if (!(o.memoryBudget > 0))
    throw new InvalidArgumentError(
      `fastText option memoryBudget must be a positive number of bytes, got ${o.memoryBudget}`,
    );
  checkNgramSpec({ minn: o.minn, maxn: o.maxn, bucket: o.bucket });
  return o;
}
