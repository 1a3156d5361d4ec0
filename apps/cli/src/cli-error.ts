/**
 * The CLI's one error type: a problem the user can fix (bad argument, missing file, unknown model).
 * Printed as one line; `exitCode` chooses the process exit status.
 */
export class CliError extends Error {
  readonly exitCode: number;

  constructor(message: string, exitCode = 1) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}

/** Exit status of a run stopped by Ctrl-C (128 + SIGINT), as shells report it. */
export const EXIT_INTERRUPTED = 130;

/**
 * Turns any thrown value into the one line shown to the user. Errors of our layers carry a
 * message written for users; anything else is an internal error, shown with its message and a
 * hint to re-run with --verbose for the stack.
 */
export function describeError(error: unknown): string {
  if (error instanceof CliError) return error.message;
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    const ours = error.name.endsWith('Error') && typeof code === 'string';
    const sys = typeof code === 'string' && /^E[A-Z]+$/.test(code);
    if (ours && !sys) return error.message;
    if (sys) {
      const path = (error as { path?: string }).path;
      if (code === 'ENOENT') return `no such file or directory: ${path ?? error.message}`;
      if (code === 'EACCES') return `permission denied: ${path ?? error.message}`;
      if (code === 'EISDIR') return `is a directory: ${path ?? error.message}`;
      return error.message;
    }
    return `internal error: ${error.message} (run again with --verbose for details)`;
  }
  return `internal error: ${String(error)}`;
}
