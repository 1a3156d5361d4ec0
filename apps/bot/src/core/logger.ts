/**
 * Structured logs: one JSON object per line (time, level, msg, and fields such as request id,
 * command, latency and outcome). Secrets given at creation are replaced by `[redacted]` in every
 * line, so a token that slips into an error message never reaches the log.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  log(level: LogLevel, msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

export interface LoggerOptions {
  /** Where lines go; `undefined` drops them (local chat without `WORDVEC_LOG`). */
  write?: (line: string) => void;
  secrets?: (string | undefined)[];
  now?: () => Date;
}

/**
 * @example
 * ```ts
 * const log = createLogger({ write: (l) => process.stdout.write(l), secrets: [token] });
 * log.info('command', { requestId: 'r1', command: 'similar', latencyMs: 3, outcome: 'ok' });
 * ```
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const { write } = options;
  const now = options.now ?? (() => new Date());
  // Very short secrets would redact ordinary text; real tokens are ~70 characters.
  const secrets = (options.secrets ?? []).filter((s): s is string => !!s && s.length >= 8);
  const log = (level: LogLevel, msg: string, fields: Record<string, unknown> = {}) => {
    if (!write) return;
    let line = JSON.stringify({ time: now().toISOString(), level, msg, ...fields }, errorReplacer);
    for (const s of secrets) line = line.split(s).join('[redacted]');
    write(`${line}\n`);
  };
  return {
    log,
    info: (msg, fields) => log('info', msg, fields),
    warn: (msg, fields) => log('warn', msg, fields),
    error: (msg, fields) => log('error', msg, fields),
  };
}

function errorReplacer(_key: string, value: unknown): unknown {
  if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack };
  return value;
}
