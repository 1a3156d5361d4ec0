/**
 * A model file fetched over HTTP as one stream of bytes for the importer: its parts concatenated in
 * order (gensim-data's layout), each part's md5 (and, when given, the whole file's md5 or sha256)
 * computed on the way and checked before the stream ends, so a mismatch fails the import before the
 * model becomes visible.
 *
 * Resuming: a connection that breaks mid-way is re-opened with an HTTP Range request from the byte it
 * stopped at (up to `retries` times), the bytes continuing into the same decompressor. To resume after
 * the process itself stopped (Ctrl-C, a network down for longer), the compressed bytes are also kept in
 * a spool file beside the store while downloading (not with `spool: undefined`): the next run replays
 * them and asks the server only for the rest. The spool is removed once the model is stored, or when
 * its bytes turn out wrong (checksum mismatch, a file that changed on the server).
 */
import { createHash } from 'node:crypto';
import {
  closeSync,
  existsSync,
  openSync,
  readFileSync,
  readSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import {
  AbortedError,
  escapeUnsafeCharacters,
  type OnProgress,
  quoteForMessage,
  type VectorSource,
} from '@wordvec/embeddings';
import { CliError } from '../cli-error.js';
import { type HttpResponse, httpGet } from './http-get.js';

/** One part of the file: where it is and the md5 it must have, when known. */
export interface DownloadPart {
  url: string;
  md5?: string;
}

/** Options of {@link HttpDownload}. */
export interface HttpDownloadOptions {
  /** Expected total compressed size (progress and the reader's sizing), when known. */
  size?: number;
  /** A checksum of the whole (concatenated) file, from `--md5` / `--sha256`. */
  whole?: { algorithm: 'md5' | 'sha256'; hex: string };
  /** Where to keep the bytes for a later resume; undefined keeps none. */
  spool?: string;
  /** Times a broken connection is re-opened with a Range request. Default 3. */
  retries?: number;
  /** First wait before a retry, doubled each time. Default 500 ms. */
  retryDelayMs?: number;
  signal?: AbortSignal;
  onProgress?: OnProgress;
}

interface SpoolMeta {
  version: 1;
  urls: string[];
  /** Per part: the server's validator (ETag, else Last-Modified, else size) and, once done, its length. */
  parts: { validator?: string; length?: number }[];
}

const READ_CHUNK = 1 << 20;
const PROGRESS_MS = 100;

/** Thrown when the bytes are not the ones published: nothing is stored and the spool is dropped. */
export class ChecksumError extends CliError {}

/** The download: `source` for the importer, `finish()` before the import commits. */
export class HttpDownload {
  readonly #parts: readonly DownloadPart[];
  readonly #options: HttpDownloadOptions;
  readonly #bytes: AsyncGenerator<Buffer>;
  #verified = false;
  #received = 0;
  #resumedFrom = 0;
  #startedAt = Date.now();
  #lastReport = 0;

  constructor(parts: readonly DownloadPart[], options: HttpDownloadOptions = {}) {
    if (parts.length === 0) throw new CliError('nothing to download');
    this.#parts = parts;
    this.#options = options;
    this.#bytes = this.#generate();
  }

  /** Bytes taken from a spool of an earlier run (0 when none was resumed). */
  get resumedFrom(): number {
    return this.#resumedFrom;
  }

  /** Compressed bytes delivered so far (spooled and downloaded). */
  get received(): number {
    return this.#received;
  }

  /** Whether every checksum was checked and matched (false while bytes remain, or with `--limit`). */
  get verified(): boolean {
    return this.#verified;
  }

  /**
   * The bytes as a {@link VectorSource}. The reader may stop before the end (a header's row count
   * reached): stopping does not end the download, {@link HttpDownload.finish} reads the rest.
   */
  get source(): VectorSource {
    const bytes = this.#bytes;
    return {
      name: this.#parts[0].url,
      size: this.#options.size,
      chunks: {
        [Symbol.asyncIterator]: () => ({
          next: () => bytes.next(),
          return: async () => ({ done: true, value: undefined }),
        }),
      },
    };
  }

  /** Reads whatever the reader left and checks the checksums. @throws {@link ChecksumError} on a mismatch. */
  async finish(): Promise<void> {
    for (;;) {
      const next = await this.#bytes.next();
      if (next.done) break;
    }
    if (!this.#verified) throw new CliError('the download ended before every part was checked');
  }

  /** Removes the spool (after the model is stored, or when its bytes are known bad). */
  discardSpool(): void {
    const { spool } = this.#options;
    if (!spool) return;
    rmSync(spool, { force: true });
    rmSync(`${spool}.json`, { force: true });
  }

  async *#generate(): AsyncGenerator<Buffer> {
    const { spool, whole } = this.#options;
    const urls = this.#parts.map((p) => p.url);
    let meta = spool ? readMeta(spool, urls) : undefined;
    if (spool && !meta) this.discardSpool();
    meta ??= { version: 1, urls, parts: urls.map(() => ({})) };
    const spooled = spool && existsSync(spool) ? statSync(spool).size : 0;
    const fd = spool ? openSync(spool, spooled > 0 ? 'r+' : 'w+') : undefined;
    const wholeHash = whole && createHash(whole.algorithm);
    let position = 0; // offset in the spool of the part being read
    try {
      for (let p = 0; p < this.#parts.length; p++) {
        const part = this.#parts[p];
        const hash = part.md5 ? createHash('md5') : undefined;
        const feed = (chunk: Buffer) => {
          hash?.update(chunk);
          wholeHash?.update(chunk);
          this.#received += chunk.length;
          this.#report();
        };
        const doneLength = meta.parts[p].length;
        let have = doneLength ?? Math.max(0, spooled - position);
        let response: Opened | undefined;
        if (doneLength === undefined) {
          response = await this.#open(part.url, have);
          const validator = meta.parts[p].validator;
          if (have > 0 && validator !== undefined && validator !== response.validator) {
            response.cancel();
            this.discardSpool();
            throw new CliError(
              `${quoteForMessage(part.url, 200)} changed on the server since the interrupted download; run the command again to start over`,
            );
          }
          if (have > 0 && response.total !== undefined && have > response.total) have = 0;
          meta.parts[p].validator = response.validator;
          if (spool) writeMeta(spool, meta);
        }
        // Replay what an earlier run kept of this part.
        if (fd !== undefined && have > 0) {
          this.#resumedFrom += have;
          for (const chunk of readSpool(fd, position, have)) {
            feed(chunk);
            yield chunk;
          }
        }
        if (response) {
          let attempt = 0;
          for (;;) {
            try {
              for await (const chunk of response.body) {
                if (fd !== undefined) writeSync(fd, chunk, 0, chunk.length, position + have);
                have += chunk.length;
                feed(chunk);
                yield chunk;
              }
              break;
            } catch (err) {
              if (this.#options.signal?.aborted) throw new AbortedError('download');
              if (err instanceof CliError) throw err;
              attempt++;
              if (attempt > (this.#options.retries ?? 3)) {
                throw new CliError(
                  `the download of ${quoteForMessage(part.url, 200)} broke off after ${this.#received} bytes (${describeNetworkError(err)})` +
                    (spool
                      ? '; nothing was stored: run the same command again to resume'
                      : '; nothing was stored'),
                );
              }
              await delay((this.#options.retryDelayMs ?? 500) * 2 ** (attempt - 1), this.#options.signal);
              response = await this.#open(part.url, have);
            }
          }
          if (response.total !== undefined && have !== response.total) {
            throw new CliError(
              `${quoteForMessage(part.url, 200)} ended after ${have} of ${response.total} bytes; run the command again to resume`,
            );
          }
        }
        if (hash && part.md5) {
          const got = hash.digest('hex');
          if (got !== part.md5.toLowerCase()) {
            this.discardSpool();
            throw new ChecksumError(
              `checksum mismatch for ${quoteForMessage(part.url, 200)}: md5 ${got}, expected ${part.md5.toLowerCase()}; nothing was stored`,
            );
          }
        }
        meta.parts[p].length = have;
        if (spool) writeMeta(spool, meta);
        position += have;
      }
      if (wholeHash && whole) {
        const got = wholeHash.digest('hex');
        if (got !== whole.hex.toLowerCase()) {
          this.discardSpool();
          throw new ChecksumError(
            `checksum mismatch: ${whole.algorithm} ${got}, expected ${whole.hex.toLowerCase()}; nothing was stored`,
          );
        }
      }
      this.#verified = true;
      this.#report(true);
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }

  async #open(url: string, offset: number): Promise<Opened> {
    const { signal } = this.#options;
    let res: HttpResponse;
    try {
      res = await httpGet(url, offset > 0 ? { range: `bytes=${offset}-` } : {}, signal);
    } catch (err) {
      if (signal?.aborted) throw new AbortedError('download');
      throw new CliError(`cannot reach ${quoteForMessage(url, 200)}: ${describeNetworkError(err)}`);
    }
    const validator = res.header('etag') ?? res.header('last-modified') ?? undefined;
    const cancel = res.cancel;
    if (res.status === 416 && offset > 0) {
      const total = Number(/\/(\d+)$/.exec(res.header('content-range') ?? '')?.[1]);
      cancel();
      if (total === offset)
        return { body: emptyBody(), total, validator: validator ?? `size:${total}`, cancel };
      throw new CliError(`${quoteForMessage(url, 200)} refused to resume at byte ${offset} (HTTP 416)`);
    }
    if (res.status !== 200 && res.status !== 206) {
      cancel();
      throw new CliError(
        `${quoteForMessage(url, 200)}: HTTP ${res.status}${res.status === 404 ? ' (not found: check the name, --from or WORDVEC_DOWNLOAD_MIRROR)' : ''}`,
      );
    }
    const length = Number(res.header('content-length') ?? Number.NaN);
    if (res.status === 206) {
      const range = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(res.header('content-range') ?? '');
      if (!range || Number(range[1]) !== offset) {
        cancel();
        throw new CliError(`${quoteForMessage(url, 200)} answered a Range request with the wrong bytes`);
      }
      const total = range[3] === '*' ? undefined : Number(range[3]);
      return { body: res.body, total, validator: validator ?? `size:${total}`, cancel };
    }
    // 200: the whole file, from its start (the server ignores Range): skip what we already have.
    const total = Number.isFinite(length) ? length : undefined;
    return {
      body: offset > 0 ? skipBytes(res.body, offset) : res.body,
      total,
      validator: validator ?? `size:${total}`,
      cancel,
    };
  }

  #report(final = false): void {
    const now = Date.now();
    if (!final && now - this.#lastReport < PROGRESS_MS) return;
    this.#lastReport = now;
    const seconds = Math.max(1e-3, (now - this.#startedAt) / 1000);
    const rate = (this.#received - this.#resumedFrom) / seconds;
    const total = this.#options.size;
    this.#options.onProgress?.({
      stage: 'download',
      done: this.#received,
      total,
      unit: 'bytes',
      rate,
      etaSeconds: total !== undefined && rate > 0 ? (total - this.#received) / rate : undefined,
    });
  }
}

interface Opened {
  body: AsyncIterable<Buffer>;
  total: number | undefined;
  validator: string;
  cancel(): void;
}

async function* skipBytes(body: AsyncIterable<Buffer>, skip: number): AsyncGenerator<Buffer> {
  let left = skip;
  for await (const chunk of body) {
    if (left >= chunk.length) {
      left -= chunk.length;
      continue;
    }
    yield left > 0 ? chunk.subarray(left) : chunk;
    left = 0;
  }
}

async function* emptyBody(): AsyncGenerator<Buffer> {}

function* readSpool(fd: number, start: number, length: number): Generator<Buffer> {
  for (let done = 0; done < length; ) {
    const buf = Buffer.allocUnsafe(Math.min(READ_CHUNK, length - done));
    const n = readSync(fd, buf, 0, buf.length, start + done);
    if (n === 0) throw new CliError('the kept part of an interrupted download is shorter than recorded');
    done += n;
    yield n === buf.length ? buf : buf.subarray(0, n);
  }
}

function readMeta(spool: string, urls: string[]): SpoolMeta | undefined {
  try {
    if (!existsSync(spool)) return undefined;
    const meta = JSON.parse(readFileSync(`${spool}.json`, 'utf8')) as SpoolMeta;
    if (meta.version !== 1 || JSON.stringify(meta.urls) !== JSON.stringify(urls)) return undefined;
    if (!Array.isArray(meta.parts) || meta.parts.length !== urls.length) return undefined;
    return meta;
  } catch {
    return undefined;
  }
}

function writeMeta(spool: string, meta: SpoolMeta): void {
  writeFileSync(`${spool}.json`, JSON.stringify(meta));
}

function describeNetworkError(err: unknown): string {
  const e = err as { code?: string; message?: string; cause?: { code?: string; message?: string } };
  const text = e.code ?? e.cause?.code ?? e.cause?.message ?? e.message ?? String(err);
  return escapeUnsafeCharacters(String(text).slice(0, 120));
}

function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(new AbortedError('download'));
      },
      { once: true },
    );
  });
}
