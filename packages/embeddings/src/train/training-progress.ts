/**
 * The `training` progress of a trainer whose workers count the tokens they have trained in one shared
 * 64-bit counter and publish their learning rate as float bits in a shared control slot (word2vec CBOW
 * and skip-gram, fastText): one reading of those, every 250 ms and once more at the end.
 */
import type { OnProgress } from '../progress.js';

/** What {@link trainingProgress} reads. @internal */
export interface TrainingProgressSource {
  onProgress: OnProgress | undefined;
  /** Tokens trained so far, summed over the workers (one shared slot). */
  done: BigInt64Array;
  /** The shared control slots and the one holding the current learning rate's float32 bits. */
  control: Int32Array;
  rateSlot: number;
  /** Tokens of the whole run (epochs × tokens of one epoch) and of one epoch. */
  planned: number;
  perEpoch: number;
  epochs: number;
  /** The scheduled learning rate after `done` tokens, shown until a worker has published one. */
  scheduledRate: (done: number) => number;
}

/**
 * Starts reporting; `report()` reports at once (call it when training ends), `stop()` ends the timer.
 * Without `onProgress` both do nothing.
 *
 * @internal
 * @example
 * ```ts
 * const progress = trainingProgress({ onProgress, done, control, rateSlot: CONTROL_ALPHA_BITS,
 *   planned, perEpoch, epochs, scheduledRate: (d) => learningRate(alpha, minAlpha, d, planned) });
 * try { await train(); progress.report(); } finally { progress.stop(); }
 * ```
 */
export function trainingProgress(s: TrainingProgressSource): { report: () => void; stop: () => void } {
  const { onProgress } = s;
  if (!onProgress) return { report: () => {}, stop: () => {} };
  const started = performance.now();
  const bits = new Int32Array(1);
  const rateOf = new Float32Array(bits.buffer);
  const report = () => {
    const done = Math.min(Number(Atomics.load(s.done, 0)), s.planned);
    const seconds = (performance.now() - started) / 1000;
    const rate = seconds > 0 ? done / seconds : 0;
    bits[0] = Atomics.load(s.control, s.rateSlot);
    onProgress({
      stage: 'training',
      done,
      total: s.planned,
      unit: 'words',
      epoch: Math.min(s.epochs, Math.floor(done / Math.max(1, s.perEpoch)) + 1),
      epochs: s.epochs,
      rate,
      etaSeconds: rate > 0 ? Math.max(0, s.planned - done) / rate : undefined,
      alpha: rateOf[0] || s.scheduledRate(done),
    });
  };
  const timer = setInterval(report, 250);
  return { report, stop: () => clearInterval(timer) };
}
