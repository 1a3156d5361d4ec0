import { AbortedError } from '../errors.js';
import type { OnProgress } from '../progress.js';

/** Tokens between two progress reports (and abort checks) of a pass over a corpus. */
const EVERY_TOKENS = 1 << 20;

/**
 * Progress and abort checks of one pass over a corpus, counted in tokens: a report (with the rate)
 * and an abort check every 2^20 tokens, and a final report at 100 %. Keeps the passes that read
 * text (vocabulary counting, encoding) reporting alike.
 *
 * @example
 * ```ts
 * const progress = new TokenProgress('vocabulary', 'vocabulary counting', onProgress, signal);
 * for await (const s of corpus.sentences()) { tokens += s.length; progress.tick(tokens); }
 * progress.finish(tokens);
 * ```
 * @internal
 */
export class TokenProgress {
  readonly #stage: string;
  readonly #what: string;
  readonly #onProgress: OnProgress | undefined;
  readonly #signal: AbortSignal | undefined;
  readonly #started = performance.now();
  #next = EVERY_TOKENS;

  /**
   * @param stage - the `stage` of the reports (`vocabulary`, `encode`).
   * @param what - what the AbortedError says was aborted.
   */
  constructor(
    stage: string,
    what: string,
    onProgress: OnProgress | undefined,
    signal: AbortSignal | undefined,
  ) {
    this.#stage = stage;
    this.#what = what;
    this.#onProgress = onProgress;
    this.#signal = signal;
    if (signal?.aborted) throw new AbortedError(what);
  }

  /** Call after each sentence with the tokens read so far; cheap until the next report is due. */
  tick(tokens: number): void {
    if (tokens < this.#next) return;
    if (this.#signal?.aborted) throw new AbortedError(this.#what);
    this.#next = tokens + EVERY_TOKENS;
    const seconds = (performance.now() - this.#started) / 1000;
    this.#onProgress?.({
      stage: this.#stage,
      done: tokens,
      unit: 'words',
      rate: seconds > 0 ? tokens / seconds : undefined,
    });
  }

  /** The last abort check and the 100 % report. */
  finish(tokens: number): void {
    if (this.#signal?.aborted) throw new AbortedError(this.#what);
    this.#onProgress?.({ stage: this.#stage, done: tokens, total: tokens, unit: 'words' });
  }
}
