import type { Logger } from './logger.js';

/**
 * Resolves to the exit status once SIGINT or SIGTERM has stopped the service: `stop()` stops
 * accepting work and finishes what is in flight, then `close()` releases the store. 0 when both
 * succeed, 1 when stopping failed (logged).
 *
 * @example
 * ```ts
 * process.exitCode = await stopOnSignal({ stop: () => bot.stop(), close: () => catalog.close(), logger });
 * ```
 */
export function stopOnSignal(options: {
  stop: () => Promise<void>;
  close: () => void | Promise<void>;
  logger: Logger;
  /** Extra fields for the 'signal' log line (e.g. requests in flight). */
  details?: () => Record<string, unknown>;
}): Promise<number> {
  const { stop, close, logger, details } = options;
  return new Promise<number>((resolve) => {
    const onSignal = (signal: string) => {
      logger.info('signal', { signal, ...details?.() });
      stop()
        .then(() => close())
        .then(() => {
          logger.info('stopped', { signal });
          resolve(0);
        })
        .catch((error) => {
          logger.error('stop failed', { error });
          resolve(1);
        });
    };
    process.once('SIGINT', () => onSignal('SIGINT'));
    process.once('SIGTERM', () => onSignal('SIGTERM'));
  });
}
