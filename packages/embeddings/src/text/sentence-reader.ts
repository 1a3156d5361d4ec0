/**
 * Turns a stream of text into sentences: reads a file in chunks (gunzipping `.gz`), splits lines,
 * tokenizes, and cuts sentences at {@link MAX_SENTENCE_TOKENS}. Shared by corpus.ts and
 * starter-corpus.ts; memory stays bounded by one chunk plus the sentences cut from it.
 */
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { FormatError } from '../errors.js';
import { tokenize } from './tokenizer.js';

/**
 * How text is cut into sentences.
 * - `lines`: one sentence per line (blank lines are skipped), like gensim's `LineSentence`.
 * - `documents`: running text; tokens flow across line breaks and a blank line or the end of a file
 *   ends a document, like word2vec.c reading `text8`.
 * In both modes a sentence longer than {@link MAX_SENTENCE_TOKENS} is cut into pieces.
 *
 * @example
 * ```ts
 * openCorpus('text8', { mode: 'documents' }); // one 17 M-token line: running text, not one sentence
 * ```
 */
export type CorpusMode = 'lines' | 'documents';

/**
 * Longest sentence a corpus yields. Longer lines and documents are cut into pieces of this many tokens.
 * Trainers keep a sentence in memory and slide a context window over it; without a cap a single-line
 * corpus such as text8 (17 M tokens on one line) would be one giant array. 10,000 is gensim's
 * `MAX_WORDS_IN_BATCH` / `max_sentence_length` (word2vec.c uses 1,000; the longer cap loses fewer
 * contexts at the cut).
 *
 * @example
 * ```ts
 * for await (const s of openCorpus('text8', { mode: 'documents' }).sentences()) {
 *   console.assert(s.length <= MAX_SENTENCE_TOKENS);
 * }
 * ```
 */
export const MAX_SENTENCE_TOKENS = 10_000;

/**
 * When a line grows past this many characters without a newline, the part up to its last whitespace
 * is tokenized and handed on, so memory stays bounded whatever the line length.
 */
const LONG_LINE_CHARS = 1 << 20;
const READ_CHUNK_BYTES = 1 << 20;

/** Options of {@link readTextFile}. */
export interface ReadTextOptions {
  lowercase: boolean;
  mode: CorpusMode;
  invalidUtf8: 'replace' | 'error';
  /**
   * Rewrites each complete line before tokenizing; `null` drops the line. When given, lines are not cut
   * at {@link LONG_LINE_CHARS} (the rewrite needs whole lines), so use it only for files with short lines.
   */
  lineTransform?: (line: string) => string | null;
}

/**
 * Streams one text file (gunzipped when its name ends in `.gz`) as sentences.
 * @internal Shared with starter-corpus.ts; not exported from the package.
 */
export async function* readTextFile(file: string, options: ReadTextOptions): AsyncGenerator<string[]> {
  const { lowercase, mode, lineTransform } = options;
  const out = new SentenceAssembler();
  let pending = '';
  for await (const chunk of readChunks(file, options.invalidUtf8)) {
    let text = pending.length > 0 ? pending + chunk : chunk;
    let start = 0;
    // pending holds no newline: search only the new text, so a long line is not rescanned per chunk.
    let nl = text.indexOf('\n', pending.length);
    while (nl !== -1) {
      const line = text.slice(start, nl);
      if (lineTransform) {
        const rewritten = lineTransform(line);
        if (rewritten !== null) addLine(out, rewritten, mode, lowercase);
      } else addLine(out, line, mode, lowercase);
      start = nl + 1;
      nl = text.indexOf('\n', start);
    }
    text = text.slice(start);
    if (!lineTransform && text.length > LONG_LINE_CHARS) {
      // Cut at the last whitespace so no token is split; a megabyte without any whitespace is not text
      // we can do better with, so then cut anywhere.
      let cut = Math.max(text.lastIndexOf(' '), text.lastIndexOf('\t'), text.lastIndexOf('\r'));
      if (cut <= 0) cut = text.length;
      out.push(tokenize(text.slice(0, cut), { lowercase }));
      text = text.slice(cut);
    }
    pending = text;
    if (out.ready.length > 0) yield* out.take();
  }
  if (pending.length > 0) {
    if (lineTransform) {
      const rewritten = lineTransform(pending);
      if (rewritten !== null) addLine(out, rewritten, mode, lowercase);
    } else addLine(out, pending, mode, lowercase);
  }
  out.end(); // a file always ends a sentence and a document
  yield* out.take();
}

const BLANK = /^\s*$/;

export function addLine(out: SentenceAssembler, line: string, mode: CorpusMode, lowercase: boolean): void {
  const tokens = tokenize(line, { lowercase });
  if (mode === 'lines') {
    if (tokens.length > 0) out.push(tokens);
    out.end();
  } else if (tokens.length > 0) out.push(tokens);
  else if (BLANK.test(line)) out.end();
}

/** Collects tokens into sentences of at most {@link MAX_SENTENCE_TOKENS}. */
export class SentenceAssembler {
  ready: string[][] = [];
  private current: string[] = [];

  push(tokens: string[]): void {
    if (this.current.length === 0 && tokens.length < MAX_SENTENCE_TOKENS) {
      this.current = tokens; // the common case: take the array as is, no copy
      return;
    }
    for (const token of tokens) {
      this.current.push(token);
      if (this.current.length === MAX_SENTENCE_TOKENS) {
        this.ready.push(this.current);
        this.current = [];
      }
    }
  }

  end(): void {
    if (this.current.length > 0) {
      this.ready.push(this.current);
      this.current = [];
    }
  }

  take(): string[][] {
    const ready = this.ready;
    this.ready = [];
    return ready;
  }
}

/** Decoded text of a file in chunks of about {@link READ_CHUNK_BYTES}. */
async function* readChunks(file: string, invalidUtf8: 'replace' | 'error'): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: invalidUtf8 === 'error' });
  const gz = file.endsWith('.gz');
  let offset = 0;
  for await (const buffer of readByteChunks(file)) {
    let text: string;
    try {
      text = decoder.decode(buffer, { stream: true });
    } catch {
      throw invalidUtf8Error(file, offset, gz);
    }
    offset += buffer.length;
    if (text.length > 0) yield text;
  }
  let rest: string;
  try {
    rest = decoder.decode();
  } catch {
    throw invalidUtf8Error(file, offset, gz);
  }
  if (rest.length > 0) yield rest;
}

/**
 * The bytes of a file (gunzipped when its name ends in `.gz`) in chunks of about {@link READ_CHUNK_BYTES}.
 * The chunks are the reader's own: a consumer may rewrite them in place.
 * @throws {@link FormatError} for a file that is not valid gzip.
 * @internal Shared with byte-scan.ts.
 */
export async function* readByteChunks(file: string): AsyncGenerator<Buffer> {
  const gz = file.endsWith('.gz');
  if (!gz) {
    // A file that fits one chunk is read with one call: a read stream costs about 0.3 ms to set up and
    // tear down, which on Brown's 500 small files was a tenth of the time of reading the corpus.
    const { size } = await stat(file);
    if (size <= READ_CHUNK_BYTES) {
      const buffer = await readFile(file);
      if (buffer.length > 0) yield buffer;
      return;
    }
  }
  const source = createReadStream(file, { highWaterMark: READ_CHUNK_BYTES });
  let stream: Readable = source;
  if (gz) {
    const gunzip = createGunzip({ chunkSize: 1 << 16 });
    source.on('error', (error) => gunzip.destroy(error));
    stream = source.pipe(gunzip);
  }
  try {
    for await (const buffer of stream as AsyncIterable<Buffer>) yield buffer;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (gz && typeof code === 'string' && code.startsWith('Z_')) {
      throw new FormatError(file, {}, `not a valid gzip file (${(error as Error).message})`);
    }
    throw error;
  } finally {
    source.destroy();
    stream.destroy();
  }
}

/** The error for invalid UTF-8 in `file` after byte `offset` (of the decompressed stream when `gz`). @internal */
export function invalidUtf8Error(file: string, offset: number, gz: boolean): FormatError {
  return new FormatError(
    file,
    {},
    `invalid UTF-8 in the ${gz ? 'decompressed ' : ''}bytes after offset ${offset} ` +
      `(open the corpus with invalidUtf8: 'replace' to read it anyway)`,
  );
}
