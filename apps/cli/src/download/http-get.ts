/**
 * One HTTP(S) GET on node:http / node:https, redirects followed. Used instead of the global `fetch`:
 * its undici stack (loaded and compiled on first use, WHATWG streams, 64 kB chunks) made `wordvec
 * download` of a 20 MB gzip from 127.0.0.1 cost ~0.4 s (~24 %) more CPU than `wordvec import` of the
 * same file; on node:http the two cost the same (`pnpm bench download`). The response is a plain
 * Readable whose buffered bytes are read in one piece when the importer falls behind.
 */
import { request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';

/** What {@link httpGet} resolves to: the final response (after redirects). */
export interface HttpResponse {
  status: number;
  /** A header's value (lower-case name), undefined when absent. */
  header(name: string): string | undefined;
  /** The body as Buffers. Ends early (or throws) when the connection breaks. */
  body: AsyncIterable<Buffer>;
  /** Drops the rest of the body and the connection. */
  cancel(): void;
}

/** Redirects followed before giving up (as many as browsers and `fetch` allow). */
const MAX_REDIRECTS = 20;
/** A connection silent this long is given up (undici's default header and body timeouts). */
const IDLE_TIMEOUT_MS = 300_000;
/** Up to this many received bytes wait in the response while the importer is busy, read as one chunk. */
const BODY_BUFFER = 1 << 20;

/**
 * GETs `url` with `headers`, following 301/302/303/307/308 to http(s) locations.
 * @throws the request's error (a Node system error with `code`, e.g. `ECONNREFUSED`; an `AbortError`
 *   when `signal` fires; `ETIMEDOUT` after {@link IDLE_TIMEOUT_MS} of silence), or an Error for a
 *   redirect loop or a redirect to another protocol.
 */
export async function httpGet(
  url: string,
  headers: Record<string, string>,
  signal?: AbortSignal,
): Promise<HttpResponse> {
  let current = new URL(url);
  for (let redirects = 0; ; redirects++) {
    const res = await once(current, headers, signal);
    const status = res.statusCode ?? 0;
    const location = res.headers.location;
    if ([301, 302, 303, 307, 308].includes(status) && location) {
      res.resume();
      if (redirects >= MAX_REDIRECTS) throw new Error(`more than ${MAX_REDIRECTS} redirects`);
      current = new URL(location, current);
      if (current.protocol !== 'http:' && current.protocol !== 'https:')
        throw new Error(`redirected to a ${current.protocol} URL`);
      continue;
    }
    return {
      status,
      header: (name) => {
        const value = res.headers[name];
        return Array.isArray(value) ? value.join(', ') : value;
      },
      body: res,
      cancel: () => {
        res.destroy();
      },
    };
  }
}

function once(url: URL, headers: Record<string, string>, signal?: AbortSignal): Promise<IncomingMessage> {
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    // highWaterMark sizes the socket's and the response's buffers (Node ≥ 15; missing from @types/node).
    const options: RequestOptions & { highWaterMark: number } = {
      headers,
      signal,
      highWaterMark: BODY_BUFFER,
    };
    const req = request(url, options, resolve);
    req.setTimeout(IDLE_TIMEOUT_MS, () => {
      req.destroy(Object.assign(new Error('no data for 300 s'), { code: 'ETIMEDOUT' }));
    });
    req.on('error', reject);
    req.end();
  });
}
