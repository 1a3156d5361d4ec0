/**
 * Reads a file (plain or gzip) as a sliding window of bytes, so that parsers work on Buffers directly
 * and a record cut by a chunk boundary is finished after the next read without string concatenation.
 * Gzip is recognised by its magic bytes (1f 8b, RFC 1952 §2.3.1), not by the file name.
 */
import { createReadStream } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { createGunzip, type Gunzip } from 'node:zlib';
import { FormatError } from '../errors.js';

/**
 * Bytes that come from elsewhere than a file (a download): read once, in order. An error the chunks
 * throw (a network failure, a checksum that does not match) reaches the reader's caller as it is.
 *
 * @example
 * ```ts
 * const source: VectorSource = { name: 'glove.gz', chunks: response.body, size: 69182535 };
 * await store.importFile(source, { name: 'glove' });
 * ```
 */
export interface VectorSource {
  /** What error messages call it (a URL or file name). */
  name: string;
  /** The bytes, plain or gzip (recognised by its magic bytes). */
  chunks: AsyncIterable<Uint8Array>;
  /** Total bytes the chunks will give (compressed size for gzip), when known: sizes progress and the matrix. */
  size?: number;
}

/** Default window size: large enough that the per-read overhead vanishes, small enough to stay in cache-friendly sizes. */
const DEFAULT_WINDOW = 4 << 20;

/**
 * Room kept before the bytes read ahead, where the unconsumed end of the current window (a record cut by
 * the window's end) is copied so the two join without moving the new bytes.
 */
const READ_AHEAD_RESERVE = 64 << 10;

/** A read of the next window under way, settled with what it read or why it failed (never rejected). */
interface ReadAhead {
  done: Promise<{ got: number; error?: unknown }>;
}

/**
 * A window over the bytes of a file. Parsers read `buf[start, end)`, advance `start` past what they
 * consumed, and call {@link ByteChunks.fill} for more. `buf` always keeps one spare byte after `end`,
 * so a parser may plant a sentinel there.
 */
export class ByteChunks {
  /** The window; replaced (grown) when one record does not fit. */
  buf: Buffer;
  /** First byte not yet consumed. */
  start = 0;
  /** End of valid bytes. */
  end = 0;
  /** Offset in the (decompressed) file of `buf[0]`. */
  base = 0;
  /** True once the whole file has been read into the window. */
  eof = false;
  /** Whether the file is gzip-compressed. */
  readonly gzip: boolean;
  /** Size of the file on disk (compressed size for gzip). */
  readonly fileSize: number;

  readonly #path: string;
  readonly #fh: FileHandle | undefined;
  #position = 0;
  /** Plain files: the second window, read into while the parser works on `buf`. */
  #spare: Buffer | undefined;
  /** Length of the read-ahead buffers (the reserve and a window), fixed at the first read ahead. */
  #aheadSize = 0;
  #ahead: ReadAhead | undefined;
  readonly #raw: Readable | undefined;
  /** Set when the source itself failed, so its error is passed on rather than called corrupt gzip. */
  #sourceError: unknown;
  #sourceBytes = 0;
  readonly #fromSource: boolean;
  readonly #gunzip: Gunzip | undefined;
  readonly #chunks: AsyncIterator<Buffer> | undefined;
  #pending: Buffer | undefined;

  private constructor(
    path: string,
    fh: FileHandle | undefined,
    fileSize: number,
    gzip: boolean,
    window: number,
    raw?: Readable,
  ) {
    this.#path = path;
    this.fileSize = fileSize;
    this.gzip = gzip;
    this.buf = Buffer.allocUnsafe(window);
    this.#fromSource = raw !== undefined;
    if (raw) {
      // A source: gzip goes through gunzip, plain bytes are read as they come.
      raw.on('data', (c: Buffer) => {
        this.#sourceBytes += c.length;
      });
      raw.on('error', (err) => {
        this.#sourceError ??= err;
      });
      this.#raw = raw;
      if (gzip) {
        this.#gunzip = createGunzip({ chunkSize: 1 << 20 });
        raw.pipe(this.#gunzip);
        raw.on('error', (err) => this.#gunzip?.destroy(err));
        this.#chunks = this.#gunzip[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
      } else {
        this.#chunks = raw[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
      }
    } else if (gzip) {
      this.#raw = createReadStream(path, { highWaterMark: 1 << 20 });
      this.#gunzip = createGunzip({ chunkSize: 1 << 20 });
      this.#raw.pipe(this.#gunzip);
      this.#raw.on('error', (err) => this.#gunzip?.destroy(err));
      this.#chunks = this.#gunzip[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
    } else {
      this.#fh = fh;
    }
  }

  /**
   * Reads a {@link VectorSource}. Its first bytes decide gzip or plain; they are not read twice.
   * @throws the source's own error when its first chunk fails.
   */
  static async fromSource(source: VectorSource, window = DEFAULT_WINDOW): Promise<ByteChunks> {
    const iterator = source.chunks[Symbol.asyncIterator]();
    let first = await iterator.next();
    while (!first.done && first.value.length < 2) {
      const next = await iterator.next();
      first = next.done
        ? { done: false, value: first.value }
        : { done: false, value: Buffer.concat([first.value, next.value]) };
      if (next.done) break;
    }
    const head = first.done
      ? Buffer.alloc(0)
      : Buffer.from(first.value.buffer, first.value.byteOffset, first.value.length);
    const gzip = head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
    async function* all(): AsyncGenerator<Buffer> {
      if (head.length > 0) yield head;
      for (;;) {
        const next = await iterator.next();
        if (next.done) return;
        yield Buffer.from(next.value.buffer, next.value.byteOffset, next.value.length);
      }
    }
    const raw = Readable.from(all(), { objectMode: false, highWaterMark: 1 << 20 });
    const size = source.size ?? 0;
    return new ByteChunks(source.name, undefined, size, gzip, Math.max(window, 16), raw);
  }

  /**
   * Opens `path` for reading.
   * @throws {@link FormatError} when the file cannot be opened.
   */
  static async open(path: string, window = DEFAULT_WINDOW): Promise<ByteChunks> {
    let fh: FileHandle;
    try {
      fh = await open(path, 'r');
    } catch (err) {
      throw new FormatError(path, {}, `cannot open: ${(err as Error).message}`);
    }
    const { size } = await fh.stat();
    const magic = Buffer.alloc(2);
    await fh.read(magic, 0, 2, 0);
    const gzip = size >= 2 && magic[0] === 0x1f && magic[1] === 0x8b;
    if (gzip) await fh.close();
    return new ByteChunks(path, gzip ? undefined : fh, size, gzip, Math.max(window, 16));
  }

  /** Bytes of the file on disk read so far (compressed bytes for gzip), for progress reports. */
  get bytesRead(): number {
    if (this.#fromSource) return this.#sourceBytes;
    return this.gzip ? ((this.#raw as { bytesRead?: number } | undefined)?.bytesRead ?? 0) : this.#position;
  }

  /**
   * Moves the unconsumed bytes to the front of the window and reads more after them. Grows the
   * window when it is already full of unconsumed bytes (one record longer than the window).
   * @returns false when the file has no more bytes (and sets `eof`).
   */
  async fill(): Promise<boolean> {
    if (this.eof) return false;
    if (this.#fh && this.#ahead) return this.#fillFromAhead();
    const keep = this.end - this.start;
    if (this.start > 0) {
      this.buf.copy(this.buf, 0, this.start, this.end);
      this.base += this.start;
      this.start = 0;
      this.end = keep;
    }
    if (this.buf.length - 1 - this.end < this.buf.length >> 2) {
      const bigger = Buffer.allocUnsafe(this.buf.length * 2);
      this.buf.copy(bigger, 0, 0, this.end);
      this.buf = bigger;
    }
    const room = this.buf.length - 1 - this.end;
    const got = this.#chunks ? await this.#readGzip(room) : await this.#readPlain(room);
    if (got === 0) {
      this.eof = true;
      return false;
    }
    this.end += got;
    if (this.#fh && this.#position < this.fileSize) this.#readAhead();
    return true;
  }

  /**
   * Plain files read one window ahead: while the parser works on `buf`, the next bytes are read into a
   * second buffer, so the wall time of a load is the parsing's rather than the parsing's plus the reads'.
   */
  #readAhead(): void {
    this.#aheadSize ||= READ_AHEAD_RESERVE + this.buf.length;
    const spare = (this.#spare ??= Buffer.allocUnsafe(this.#aheadSize));
    const at = this.#position;
    const done = this.#fh!.read(spare, READ_AHEAD_RESERVE, spare.length - 1 - READ_AHEAD_RESERVE, at).then(
      ({ bytesRead }) => ({ got: bytesRead }),
      (error: unknown) => ({ got: 0, error }),
    );
    this.#ahead = { done };
  }

  /** {@link ByteChunks.fill} from the read ahead: the unconsumed bytes go in front of it and the buffers swap. */
  async #fillFromAhead(): Promise<boolean> {
    const { got, error } = await this.#ahead!.done;
    this.#ahead = undefined;
    if (error !== undefined) throw error;
    if (got === 0) {
      this.eof = true;
      return false;
    }
    this.#position += got;
    const spare = this.#spare!;
    const keep = this.end - this.start;
    if (keep <= READ_AHEAD_RESERVE) {
      this.buf.copy(spare, READ_AHEAD_RESERVE - keep, this.start, this.end);
      this.#spare = this.buf.length === this.#aheadSize ? this.buf : undefined;
      this.base += this.end - READ_AHEAD_RESERVE;
      this.buf = spare;
      this.start = READ_AHEAD_RESERVE - keep;
      this.end = READ_AHEAD_RESERVE + got;
    } else {
      // A record longer than the reserve (rare): the new bytes join it in `buf`, grown by doubling.
      if (this.buf.length - 1 < keep + got) {
        const bigger = Buffer.allocUnsafe(Math.max(2 * this.buf.length, keep + got + 1));
        this.buf.copy(bigger, 0, this.start, this.end);
        this.buf = bigger;
      } else {
        this.buf.copy(this.buf, 0, this.start, this.end);
      }
      spare.copy(this.buf, keep, READ_AHEAD_RESERVE, READ_AHEAD_RESERVE + got);
      this.base += this.start;
      this.start = 0;
      this.end = keep + got;
    }
    if (this.#position < this.fileSize) this.#readAhead();
    return true;
  }

  async #readPlain(room: number): Promise<number> {
    const { bytesRead } = await this.#fh!.read(this.buf, this.end, room, this.#position);
    this.#position += bytesRead;
    return bytesRead;
  }

  async #readGzip(room: number): Promise<number> {
    let got = 0;
    while (got < room) {
      if (!this.#pending || this.#pending.length === 0) {
        let next: IteratorResult<Buffer>;
        try {
          next = await this.#chunks!.next();
        } catch (err) {
          if (this.#sourceError !== undefined) throw this.#sourceError;
          if (!this.gzip) throw err;
          throw new FormatError(
            this.#path,
            { offset: this.base + this.end + got },
            `gzip data is corrupt: ${(err as Error).message}`,
          );
        }
        if (next.done) break;
        this.#pending = next.value;
        if (got > 0) break; // return what we have rather than waiting to fill the whole window
      }
      const n = Math.min(room - got, this.#pending.length);
      this.#pending.copy(this.buf, this.end + got, 0, n);
      this.#pending = this.#pending.subarray(n);
      got += n;
    }
    return got;
  }

  /** Releases the file; safe to call twice. */
  async close(): Promise<void> {
    if (this.#ahead) await this.#ahead.done;
    this.#ahead = undefined;
    if (this.#fh) await this.#fh.close().catch(() => {});
    this.#raw?.destroy();
    this.#gunzip?.destroy();
  }
}

type Latin1Slice = (this: Buffer, start: number, end: number) => string;
const nativeLatin1Slice = (Buffer.prototype as unknown as { latin1Slice?: Latin1Slice }).latin1Slice;

/**
 * `buf[start, end)` as a latin1 string: exact for ASCII, and the cheapest way from bytes to a string
 * (Node's own `latin1Slice`, which `toString('latin1')` calls after checking its arguments).
 */
export const latin1: (buf: Buffer, start: number, end: number) => string = nativeLatin1Slice
  ? (buf, start, end) => nativeLatin1Slice.call(buf, start, end)
  : (buf, start, end) => buf.toString('latin1', start, end);
