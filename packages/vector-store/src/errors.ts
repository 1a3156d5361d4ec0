/**
 * The one error class of the store layer. Every failure carries a stable `code`, so the CLI and the
 * bot can print a one-line message without a stack trace.
 */

/**
 * Stable codes of {@link StoreError}.
 *
 * @example
 * ```ts
 * try { store.putModel('tiny', kv); }
 * catch (e) { if (e instanceof StoreError && e.code === 'MODEL_EXISTS') store.putModel('tiny', kv, {}, { replace: true }); }
 * ```
 */
export type StoreErrorCode =
  /** The path does not exist and `create` was false (or the store was opened read-only). */
  | 'NOT_FOUND'
  /** The file is not an SQLite database, or an SQLite database that is not a wordvec store. */
  | 'NOT_A_STORE'
  /** The store was written by a newer wordvec (schema version above the one this code knows). */
  | 'NEWER_SCHEMA'
  /** No ready model has that name. */
  | 'UNKNOWN_MODEL'
  /** A model of that name exists and `replace` was not set. */
  | 'MODEL_EXISTS'
  /** A write was attempted on a store opened read-only. */
  | 'READONLY'
  /** An argument is malformed (empty name, word with a newline, dimension mismatch, …). */
  | 'INVALID_ARGUMENT'
  /** The operation needs something the model does not have (e.g. the float32 matrix in int8 mode). */
  | 'NOT_SUPPORTED'
  /** This store object is in the middle of an import; other writes wait for it to finish. */
  | 'BUSY'
  /** The store was closed. */
  | 'CLOSED'
  /** An import was stopped through its AbortSignal; nothing was written. */
  | 'ABORTED'
  /** SQLite reported an error (disk full, locked beyond the busy timeout, corrupt page, …). */
  | 'SQLITE';

/**
 * Error thrown by `@wordvec/vector-store`.
 *
 * @example
 * ```ts
 * try { store.model('glove-6B'); }
 * catch (e) { if (e instanceof StoreError && e.code === 'UNKNOWN_MODEL') console.log(e.message); }
 * // no model named "glove-6B" in store.db; models: "brown-cbow", "brown-glove"
 * ```
 */
export class StoreError extends Error {
  readonly code: StoreErrorCode;

  constructor(code: StoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreError';
    this.code = code;
  }
}

/** Wraps an SQLite failure into a {@link StoreError} naming the store file; passes StoreErrors through. */
export function asStoreError(err: unknown, path: string): StoreError {
  if (err instanceof StoreError) return err;
  const message = err instanceof Error ? err.message : String(err);
  if ((err as { code?: unknown }).code === 'SQLITE_FULL') {
    return new StoreError(
      'SQLITE',
      `${path}: the disk or the store is full (SQLITE_FULL: ${message}); the write was rolled back and the store is as it was`,
      { cause: err },
    );
  }
  return new StoreError('SQLITE', `${path}: ${message}`, { cause: err });
}
