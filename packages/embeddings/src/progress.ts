/**
 * Progress reports of long work (reading, counting, training, importing). The library never prints:
 * callers pass `onProgress` and decide how to show it (a bar on a TTY, plain lines otherwise).
 *
 * @example
 * ```ts
 * await trainCbow(corpus, {
 *   onProgress: (p: Progress) => console.error(p.stage, p.epoch ?? '', `${p.done}/${p.total ?? '?'} ${p.unit ?? ''}`),
 * });
 * ```
 */
export interface Progress {
  /** What is being done, e.g. `vocabulary`, `cooccurrence`, `training`, `import`. */
  stage: string;
  /** Units done so far in this stage (words, records, rows, bytes: see `unit`). */
  done: number;
  /** Units expected in this stage, when known. */
  total?: number;
  /** What `done` and `total` count. */
  unit?: string;
  /** 1-based epoch or iteration, for trainers. */
  epoch?: number;
  epochs?: number;
  /** Units per second over the stage so far. */
  rate?: number;
  /** Seconds left, when it can be estimated. */
  etaSeconds?: number;
  /** Current learning rate, for trainers. */
  alpha?: number;
  /** Current loss or cost, for trainers that compute one. */
  loss?: number;
}

/**
 * Callback that receives {@link Progress} reports. Must be cheap: it may be called many times a second.
 *
 * @example
 * ```ts
 * const onProgress: OnProgress = (p) => process.stderr.write(`\r${p.stage} ${p.done}/${p.total ?? '?'}`);
 * await trainGlove(openCorpus('brown'), { onProgress });
 * ```
 */
export type OnProgress = (progress: Progress) => void;
