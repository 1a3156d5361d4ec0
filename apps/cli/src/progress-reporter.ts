import type { OnProgress, Progress } from '@wordvec/embeddings';
import cliProgress from 'cli-progress';

/** How progress is shown: a bar on a TTY, a plain line every few seconds otherwise, or nothing. */
export interface ProgressReporter {
  onProgress: OnProgress;
  /** Ends the current bar, if any. Call before printing results or errors. */
  stop(): void;
}

const PLAIN_INTERVAL_MS = 5000;

function human(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)}G`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e4) return `${(n / 1e3).toFixed(1)}k`;
  return Number.isInteger(n) ? String(n) : n.toFixed(2);
}

function details(p: Progress): string {
  const parts: string[] = [];
  if (p.epoch !== undefined) parts.push(`epoch ${p.epoch}${p.epochs ? `/${p.epochs}` : ''}`);
  if (p.rate !== undefined) parts.push(`${human(p.rate)} ${p.unit ?? 'items'}/s`);
  if (p.etaSeconds !== undefined && Number.isFinite(p.etaSeconds))
    parts.push(`ETA ${Math.ceil(p.etaSeconds)}s`);
  if (p.alpha !== undefined) parts.push(`alpha ${p.alpha.toPrecision(3)}`);
  if (p.loss !== undefined) parts.push(`loss ${p.loss.toPrecision(4)}`);
  return parts.join('  ');
}

/**
 * Creates the reporter for a command.
 *
 * @param options.quiet - show nothing (`--quiet`, and `--json` so stdout stays machine-readable;
 *   progress goes to stderr either way).
 * @param options.stream - where progress goes; a TTY gets a bar.
 */
export function createProgressReporter(options: {
  quiet: boolean;
  stream?: NodeJS.WriteStream;
}): ProgressReporter {
  const stream = options.stream ?? process.stderr;
  if (options.quiet) return { onProgress: () => {}, stop: () => {} };

  if (!stream.isTTY) {
    let lastStage = '';
    let lastAt = 0;
    return {
      onProgress(p) {
        const now = Date.now();
        const finished = p.total !== undefined && p.done >= p.total;
        if (p.stage === lastStage && now - lastAt < PLAIN_INTERVAL_MS && !finished) return;
        lastStage = p.stage;
        lastAt = now;
        const pct = p.total ? ` ${Math.min(100, (100 * p.done) / p.total).toFixed(0)}%` : '';
        const count = `${human(p.done)}${p.total ? `/${human(p.total)}` : ''} ${p.unit ?? ''}`.trim();
        stream.write(`${p.stage}:${pct} ${count}  ${details(p)}`.trimEnd() + '\n');
      },
      stop() {},
    };
  }

  let bar: cliProgress.SingleBar | undefined;
  let stage = '';
  const stop = () => {
    bar?.stop();
    bar = undefined;
  };
  return {
    onProgress(p) {
      if (p.stage !== stage || !bar) {
        stop();
        stage = p.stage;
        bar = new cliProgress.SingleBar(
          {
            stream,
            format: `${p.stage.padEnd(12)} [{bar}] {percentage}% | {count} | {details}`,
            barsize: 24,
            hideCursor: true,
            clearOnComplete: false,
            fps: 10,
          },
          cliProgress.Presets.shades_classic,
        );
        bar.start(p.total ?? 0, p.done, { count: '', details: '' });
      }
      if (p.total !== undefined) bar.setTotal(p.total);
      bar.update(p.done, {
        count: `${human(p.done)}${p.total ? `/${human(p.total)}` : ''} ${p.unit ?? ''}`.trim(),
        details: details(p),
      });
    },
    stop,
  };
}
