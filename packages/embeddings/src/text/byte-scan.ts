/**
 * One pass over a text file as tokens on bytes: the fast path of a file corpus for the passes that only
 * count and encode tokens (corpus-encoding.ts), where no `string[]` sentence is needed. Lines are split on
 * the bytes; a line of ASCII is tokenized on its bytes in place (byte-tokenizer.ts); any other line is
 * decoded and cut by {@link tokenize}, its tokens handed on as UTF-8. Sentences follow the rules of
 * sentence-reader.ts (`lines` / `documents`, {@link MAX_SENTENCE_TOKENS}), so the token stream is the one
 * `corpus.sentences()` yields — a test compares the two on the starter corpus's text and on hostile text.
 *
 * Where the two can differ: a line of more than a megabyte with no space, tab or carriage return is cut
 * (at a character boundary) at a different place than the string reader cuts it, which may split a token
 * differently. Such a line is not text.
 */
import { isAscii } from 'node:buffer';
import { fnv1a, type TokenSink, tokenizeAsciiBytes } from './byte-tokenizer.js';
import {
  type CorpusMode,
  invalidUtf8Error,
  MAX_SENTENCE_TOKENS,
  type ReadTextOptions,
  readByteChunks,
} from './sentence-reader.js';
import { tokenize } from './tokenizer.js';

/** A line longer than this many bytes is tokenized in pieces cut at whitespace. */
const LONG_LINE_BYTES = 1 << 20;
const NEWLINE = 0x0a;
const BLANK = /^\s*$/;

/**
 * Assembles sentences from a line's tokens as `SentenceAssembler` + `addLine` do, counting tokens
 * instead of collecting them, and passes every token on to the sink.
 */
class SentenceCounter implements TokenSink {
  /** Tokens in the current sentence. */
  length = 0;
  readonly sink: TokenSink;
  readonly encoder = new TextEncoder();
  scratch = new Uint8Array(256);

  constructor(sink: TokenSink) {
    this.sink = sink;
  }

  token(bytes: Uint8Array, start: number, end: number, hash: number): void {
    this.sink.token(bytes, start, end, hash);
    if (++this.length === MAX_SENTENCE_TOKENS) this.endSentence();
  }

  endSentence(): void {
    if (this.length > 0) {
      this.length = 0;
      this.sink.endSentence();
    }
  }

  /** The tokens of a decoded line (the string path), each handed on as UTF-8 bytes. */
  tokens(text: string, lowercase: boolean): number {
    const tokens = tokenize(text, { lowercase });
    for (const token of tokens) {
      if (this.scratch.length < token.length * 3) this.scratch = new Uint8Array(token.length * 3);
      const { written } = this.encoder.encodeInto(token, this.scratch);
      this.token(this.scratch, 0, written, fnv1a(this.scratch, 0, written));
    }
    return tokens.length;
  }
}

/**
 * Streams one text file (gunzipped when its name ends in `.gz`) into `sink` as tokens and sentence ends:
 * the same tokens and sentences as `readTextFile(file, options)` (without `lineTransform`).
 *
 * @param onChunk - called after each chunk of the file (progress and abort checks); may throw.
 * @throws {@link FormatError} for invalid UTF-8 when `invalidUtf8` is `error`, or a broken gzip stream.
 * @internal
 * @example
 * ```ts
 * await scanTextFile('corpus.txt', { lowercase: true, mode: 'lines', invalidUtf8: 'replace' }, sink, () => {});
 * ```
 */
export async function scanTextFile(
  file: string,
  options: ReadTextOptions,
  sink: TokenSink,
  onChunk: () => void,
): Promise<void> {
  const { lowercase, mode } = options;
  const fatal = options.invalidUtf8 === 'error';
  const gz = file.endsWith('.gz');
  const out = new SentenceCounter(sink);
  // A BOM is dropped at the start of each decoded line, not only of the file as the string reader does;
  // U+FEFF is a separator and blank (\s) either way, so the tokens are the same.
  const decoder = new TextDecoder('utf-8', { fatal });
  let carry: Buffer | undefined;
  let offset = 0; // bytes of the file before `work`
  // Position of the next byte ≥ 0x80 in the current buffer at or after the line being read (its length
  // when there is none): a line before it is ASCII. Advanced line by line, so each buffer is scanned once.
  let high = 0;
  const line = (work: Buffer, start: number, end: number, whole: boolean) => {
    if (high < start) {
      high = start;
      while (high < work.length && work[high] < 0x80) high++;
    }
    let tokens: number;
    if (high >= end) {
      tokens = tokenizeAsciiBytes(work, start, end, lowercase, out);
      if (whole) endLine(out, mode, tokens, work, start, end, undefined);
    } else {
      let text: string;
      try {
        text = decoder.decode(work.subarray(start, end));
      } catch {
        throw invalidUtf8Error(file, offset + start, gz);
      }
      tokens = out.tokens(text, lowercase);
      if (whole) endLine(out, mode, tokens, work, start, end, text);
    }
  };
  for await (const chunk of readByteChunks(file)) {
    const work = carry ? Buffer.concat([carry, chunk]) : chunk;
    high = isAscii(work) ? work.length : -1;
    let start = 0;
    let nl = work.indexOf(NEWLINE, carry ? carry.length : 0);
    while (nl !== -1) {
      line(work, start, nl, true);
      start = nl + 1;
      nl = work.indexOf(NEWLINE, start);
    }
    if (work.length - start > LONG_LINE_BYTES) {
      // Cut at the last whitespace so no token is split (else at a character boundary).
      let cut = Math.max(work.lastIndexOf(0x20), work.lastIndexOf(0x09), work.lastIndexOf(0x0d));
      if (cut <= start) {
        cut = work.length;
        while (cut > start && (work[cut - 1] & 0xc0) === 0x80) cut--;
        if (cut > start && work[cut - 1] >= 0xc0) cut--;
        if (cut <= start) cut = work.length;
      }
      line(work, start, cut, false);
      start = cut;
    }
    offset += start;
    carry = start < work.length ? Buffer.from(work.subarray(start)) : undefined;
    onChunk();
  }
  high = -1;
  if (carry) line(carry, 0, carry.length, true);
  out.endSentence(); // a file always ends a sentence and a document
}

/** The end of a whole line: a sentence in `lines` mode; in `documents` mode a blank line ends one. */
function endLine(
  out: SentenceCounter,
  mode: CorpusMode,
  tokens: number,
  bytes: Uint8Array,
  start: number,
  end: number,
  text: string | undefined,
): void {
  if (mode === 'lines') out.endSentence();
  else if (tokens === 0 && (text === undefined ? blankAscii(bytes, start, end) : BLANK.test(text)))
    out.endSentence();
}

/** Whether ASCII bytes hold only what `\s` matches (space, \t, \n, \v, \f, \r). */
function blankAscii(bytes: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const b = bytes[i];
    if (b !== 0x20 && (b < 0x09 || b > 0x0d)) return false;
  }
  return true;
}

/**
 * A corpus's pass over its tokens on bytes, when it has one (file corpora from `openCorpus`): calls
 * `onChunk` after each chunk read.
 * @internal
 */
export interface TokenScan {
  /** Reads the corpus into `sink`, calling `onChunk` after each chunk read. */
  run(sink: TokenSink, onChunk: () => void): Promise<void>;
  /** Bytes of the files as stored (a size hint: gzip files hold more). */
  bytes: number;
}

/** The key under which a corpus object carries its {@link TokenScan}. @internal */
export const TOKEN_SCAN: unique symbol = Symbol('wordvec.tokenScan');

/**
 * The byte pass of a corpus, or undefined when it only has `sentences()`.
 * @internal
 * @example
 * ```ts
 * const scan = tokenScanOf(openCorpus('corpus.txt')); // defined: a file corpus
 * ```
 */
export function tokenScanOf(corpus: object): TokenScan | undefined {
  const scan = (corpus as { [TOKEN_SCAN]?: TokenScan })[TOKEN_SCAN];
  return typeof scan === 'object' && scan !== null ? scan : undefined;
}

/**
 * The {@link TokenScan} of a list of files read with the same options, in order.
 * @internal
 */
export function scanFiles(files: readonly string[], options: ReadTextOptions, bytes: number): TokenScan {
  return {
    bytes,
    async run(sink, onChunk) {
      for (const file of files) await scanTextFile(file, options, sink, onChunk);
    },
  };
}

/**
 * A {@link TokenScan} over `corpus.sentences()`, for corpora without a byte pass: each token encoded to
 * UTF-8 once, so the same counting and encoding code serves every corpus.
 * @internal
 */
export function sentenceScan(corpus: { sentences(): AsyncIterable<string[]> }): TokenScan {
  return {
    bytes: 0,
    async run(sink, onChunk) {
      const encoder = new TextEncoder();
      let scratch = new Uint8Array(1024);
      let n = 0;
      for await (const sentence of corpus.sentences()) {
        if (sentence.length === 0) continue;
        for (const token of sentence) {
          if (scratch.length < token.length * 3) scratch = new Uint8Array(token.length * 3);
          const { written } = encoder.encodeInto(token, scratch);
          sink.token(scratch, 0, written, fnv1a(scratch, 0, written));
        }
        sink.endSentence();
        n += sentence.length;
        if (n >= 1 << 16) {
          n = 0;
          onChunk();
        }
      }
    },
  };
}
