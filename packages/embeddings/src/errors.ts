/**
 * Errors raised by `@wordvec/embeddings`. Every error of this layer is a {@link EmbeddingsError}
 * with a stable `code`, so callers (CLI, bot, store) can turn it into a one-line message
 * without showing a stack trace.
 */

import { quoteForMessage } from './text/quote.js';

/**
 * Stable codes of {@link EmbeddingsError}.
 *
 * @example
 * ```ts
 * try { await trainCbow(openCorpus('brown'), { signal }); }
 * catch (e) { if (e instanceof EmbeddingsError && e.code === 'ABORTED') process.exitCode = 130; else throw e; }
 * ```
 */
export type EmbeddingsErrorCode =
  /** A query word is not in the vocabulary ({@link OovError}). */
  | 'OOV'
  /** A vector, corpus or evaluation file is malformed ({@link FormatError}). */
  | 'FORMAT'
  /** An argument is out of range or of the wrong kind ({@link InvalidArgumentError}). */
  | 'INVALID_ARGUMENT'
  /** Long work was stopped through its AbortSignal ({@link AbortedError}). */
  | 'ABORTED'
  /** A worker thread died (killed, out of memory) while it trained. */
  | 'WORKER_FAILED'
  /** A worker thread's built JavaScript is missing: run `pnpm build`. */
  | 'NOT_BUILT';

/**
 * Base class of every error thrown by `@wordvec/embeddings`.
 *
 * @example
 * ```ts
 * try { kv.similarity('cat', 'dgo'); }
 * catch (e) { if (e instanceof EmbeddingsError && e.code === 'OOV') console.log(e.message); }
 * // word "dgo" is not in the vocabulary
 * ```
 */
export class EmbeddingsError extends Error {
  /** Stable machine-readable code. */
  readonly code: EmbeddingsErrorCode;

  constructor(code: EmbeddingsErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/**
 * One or more query words are not in the vocabulary.
 *
 * @example
 * ```ts
 * try { kv.mostSimilar({ positive: ['pizzza'] }); }
 * catch (e) { if (e instanceof OovError) console.log(e.words); } // ['pizzza']
 * ```
 */
export class OovError extends EmbeddingsError {
  /** Every missing word, in the order given. */
  readonly words: readonly string[];

  constructor(words: readonly string[]) {
    const list = words.map((w) => quoteForMessage(w)).join(', ');
    super(
      'OOV',
      words.length === 1
        ? `word ${list} is not in the vocabulary`
        : `words ${list} are not in the vocabulary`,
    );
    this.words = [...words];
  }
}

/**
 * A vector or corpus file is malformed. Names the file, the 1-based line (or byte offset) and what was wrong.
 *
 * @example
 * ```ts
 * try { await loadVectors('vectors.txt'); }
 * catch (e) { if (e instanceof FormatError) console.log(e.file, e.line ?? e.offset, e.detail); }
 * ```
 */
export class FormatError extends EmbeddingsError {
  readonly file: string;
  /** 1-based line number for text formats, or undefined when `offset` is given. */
  readonly line: number | undefined;
  /** Byte offset for binary formats. */
  readonly offset: number | undefined;
  readonly detail: string;

  constructor(file: string, where: { line?: number; offset?: number }, detail: string) {
    const at =
      where.line !== undefined
        ? `line ${where.line}`
        : where.offset !== undefined
          ? `byte ${where.offset}`
          : '';
    super('FORMAT', `${file}${at ? `, ${at}` : ''}: ${detail}`);
    this.file = file;
    this.line = where.line;
    this.offset = where.offset;
    this.detail = detail;
  }
}

/**
 * An argument is out of range or of the wrong kind. The message names the argument and the bad value.
 *
 * @example
 * ```ts
 * try { kv.mostSimilar({ positive: ['king'], topn: -1 }); }
 * catch (e) { if (e instanceof InvalidArgumentError) console.log(e.message); } // names topn and -1
 * ```
 */
export class InvalidArgumentError extends EmbeddingsError {
  constructor(message: string) {
    super('INVALID_ARGUMENT', message);
  }
}

/**
 * Long work was stopped through its AbortSignal.
 *
 * @example
 * ```ts
 * const signal = AbortSignal.timeout(60_000);
 * try { await trainGlove(openCorpus('brown'), { signal }); }
 * catch (e) { if (e instanceof AbortedError) console.log(e.message); } // '… was aborted'
 * ```
 */
export class AbortedError extends EmbeddingsError {
  constructor(what = 'operation') {
    super('ABORTED', `${what} was aborted`);
  }
}
