import type { Progress } from '@wordvec/embeddings';

/**
 * A one-line progress display for long first-start work. On a TTY it redraws a bar in place; on a
 * pipe it prints a line only when the stage changes or every 10 %, so logs stay short.
 *
 * @example
 * ```ts
 * const bar = new ProgressBar(process.stderr);
 * await trainCbow(corpus, { onProgress: (p) => bar.update(p) });
 * bar.done();
 * ```
 */
export class ProgressBar {
  readonly #out: NodeJS.WritableStream & { isTTY?: boolean };
  #lastStage = '';
  #lastDecile = -1;
  #lastDraw = 0;
  #drawn = false;

  constructor(out: NodeJS.WritableStream & { isTTY?: boolean }) {
    this.#out = out;
  }

  update(p: Progress): void {
    const fraction = p.total ? Math.min(1, p.done / p.total) : undefined;
    const label = p.epoch && p.epochs ? `${p.stage} (epoch ${p.epoch}/${p.epochs})` : p.stage;
    const eta =
      p.etaSeconds !== undefined && Number.isFinite(p.etaSeconds)
        ? `, ${Math.ceil(p.etaSeconds)} s left`
        : '';
    if (this.#out.isTTY) {
      const now = Date.now();
      if (now - this.#lastDraw < 100 && p.stage === this.#lastStage) return;
      this.#lastDraw = now;
      this.#lastStage = p.stage;
      const width = 30;
      const bar =
        fraction === undefined
          ? ''
          : `[${'#'.repeat(Math.round(fraction * width)).padEnd(width, '-')}] ${(fraction * 100).toFixed(0)}% `;
      this.#out.write(
        `\r\x1b[2K${bar}${label}${fraction === undefined ? `: ${p.done.toLocaleString('en-US')} ${p.unit ?? ''}` : ''}${eta}`,
      );
      this.#drawn = true;
      return;
    }
    const decile = fraction === undefined ? -1 : Math.floor(fraction * 10);
    if (p.stage !== this.#lastStage || decile > this.#lastDecile) {
      this.#lastStage = p.stage;
      this.#lastDecile = decile;
      this.#out.write(`${label}${fraction === undefined ? '' : `: ${(fraction * 100).toFixed(0)}%`}${eta}\n`);
    }
  }

  /** Ends the bar's line. */
  done(): void {
    if (this.#drawn) this.#out.write('\n');
    this.#drawn = false;
  }
}
