import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Logger } from '../core/logger.js';
import type { ModelCatalog } from '../core/model-source.js';
import type { WebApi } from '../web/web-api.js';
import type { DiscordInteractions, HttpAnswer } from './discord-interactions.js';
import { MAX_REQUEST_AGE_SECONDS } from './discord-signature.js';
import { SLACK_EVENTS_PATH, type SlackCommands } from './slack-commands.js';

/** Discord's path for the Interactions Endpoint URL. */
export const DISCORD_INTERACTIONS_PATH = '/discord/interactions';

/** Largest request body read; interactions are a few KiB (Discord caps options at 6000 characters). */
export const MAX_BODY_BYTES = 64 * 1024;

/** How long an idle keep-alive connection stays open. */
export const KEEP_ALIVE_MS = 65_000;

/** Limits of the server against slow or many clients; every field has a default. */
export interface HttpLimits {
  /**
   * Longest time to receive a whole request, headers and body (`server.requestTimeout`): a client
   * trickling its body is answered 408 and disconnected. Default 10 s: Discord wants an answer
   * within 3 s and Slack sends a few hundred bytes at once.
   */
  requestTimeoutMs: number;
  /** Open connections at most (`server.maxConnections`); past it a new one is closed at once. Default 256. */
  maxConnections: number;
  /**
   * Longest a graceful stop waits for requests in flight (and Slack answers still being posted)
   * before it closes every connection. Default 10 s.
   */
  stopTimeoutMs: number;
}

export const DEFAULT_HTTP_LIMITS: HttpLimits = {
  requestTimeoutMs: 10_000,
  maxConnections: 256,
  stopTimeoutMs: 10_000,
};

export interface HttpServerOptions {
  discord?: DiscordInteractions;
  slack?: SlackCommands;
  /** The web explorer (`GET /` and `/api/…`); absent when switched off (`WORDVEC_WEB=0`). */
  web?: WebApi;
  logger?: Logger;
  /** Extra facts for `GET /healthz` (e.g. whether the default model is in memory). */
  health?: () => Record<string, unknown>;
  /** Defaults: {@link DEFAULT_HTTP_LIMITS}. */
  limits?: Partial<HttpLimits>;
}

/** A running server: its port and a graceful stop that waits for interactions in flight. */
export interface HttpService {
  server: Server;
  port: number;
  /** Number of interactions being answered (a deferred Discord edit included). */
  readonly inFlight: number;
  stop(): Promise<void>;
}

/**
 * One node:http server for both HTTP transports: `POST /discord/interactions`,
 * `POST /slack/events` (Bolt's listener), `GET /healthz`, and the web explorer (`GET /`, `/api/…`) when
 * given. Bodies are capped at
 * {@link MAX_BODY_BYTES} (413) before any signature work; a request must arrive whole within
 * `limits.requestTimeoutMs` (408), connections are capped at `limits.maxConnections`, and `stop()`
 * waits at most `limits.stopTimeoutMs` for work in flight before closing every connection.
 *
 * @example
 * ```ts
 * const service = await startHttpServer({ discord, slack, logger }, 3000);
 * process.once('SIGTERM', () => service.stop());
 * ```
 */
export async function startHttpServer(
  options: HttpServerOptions,
  port: number,
  host?: string,
): Promise<HttpService> {
  const limits = { ...DEFAULT_HTTP_LIMITS, ...options.limits };
  const inFlight = new Set<Promise<void>>();
  let stopping = false;
  const track = (work: Promise<void>) => {
    // A failure here is a bug, not bad input: log it rather than let an unhandled rejection end the process.
    const settled = work.catch((error) => options.logger?.error('request failed', { error }));
    inFlight.add(settled);
    void settled.finally(() => inFlight.delete(settled));
  };

  const server = createServer(
    {
      requestTimeout: limits.requestTimeoutMs,
      // Behind a reverse proxy (TLS ends there) connections are reused: an idle timeout shorter than
      // the proxy's (60 s is common) lets the server close a socket just as the proxy sends on it,
      // which the caller sees as a reset. Node's default is 5 s. (Idle keep-alive sockets are not
      // subject to the header and request timeouts, which only run while a request arrives.)
      keepAliveTimeout: KEEP_ALIVE_MS,
      headersTimeout: limits.requestTimeoutMs,
      // Node checks the two timeouts every 30 s by default: a 10 s limit could hold for 40 s.
      connectionsCheckingInterval: Math.max(10, Math.min(1000, Math.floor(limits.requestTimeoutMs / 4))),
    },
    (req, res) => {
      const path = (req.url ?? '/').split('?')[0];
      if (path === '/healthz') {
        if (req.method !== 'GET' && req.method !== 'HEAD')
          return sendJson(res, { status: 405, body: { error: 'use GET' } });
        return sendJson(res, {
          status: stopping ? 503 : 200,
          body: {
            status: stopping ? 'stopping' : 'ok',
            discord: !!options.discord,
            slack: !!options.slack,
            web: !!options.web,
            ...options.health?.(),
          },
        });
      }
      if (path === DISCORD_INTERACTIONS_PATH && options.discord) {
        if (req.method !== 'POST') return sendJson(res, { status: 405, body: { error: 'use POST' } });
        if (stopping) return sendJson(res, { status: 503, body: { error: 'shutting down' } });
        const discord = options.discord;
        track(
          readBody(req, MAX_BODY_BYTES).then(
            (body) => {
              if (body === undefined) return tooLarge(req, res);
              return discord.handle({ headers: req.headers, body }, (answer) => sendJson(res, answer));
            },
            () => {
              if (!res.headersSent)
                sendJson(res, { status: 400, body: { error: 'request body could not be read' } });
            },
          ),
        );
        return;
      }
      if (path === SLACK_EVENTS_PATH && options.slack) {
        if (req.method !== 'POST') return sendJson(res, { status: 405, body: { error: 'use POST' } });
        if (stopping) return sendJson(res, { status: 503, body: { error: 'shutting down' } });
        // Bolt refuses timestamps over 5 minutes old but not ones from the future; refuse those too.
        const ts = Number(req.headers['x-slack-request-timestamp']);
        if (ts > Date.now() / 1000 + MAX_REQUEST_AGE_SECONDS) {
          options.logger?.warn('slack request refused', { reason: 'future timestamp' });
          return sendJson(res, { status: 401, body: { error: 'invalid request timestamp' } });
        }
        // Bolt reads, verifies and answers the request itself.
        track(
          new Promise<void>((resolve) => {
            res.once('close', resolve);
            options.slack!.requestListener(req, res);
          }),
        );
        return;
      }
      if (options.web) {
        if (stopping && options.web.serves(path))
          return sendJson(res, { status: 503, body: { error: 'shutting down' } });
        const work = options.web.handle(req, res);
        if (work) return track(work);
      }
      sendJson(res, { status: 404, body: { error: 'not found' } });
    },
  );
  server.maxConnections = limits.maxConnections;
  let dropped = 0;
  server.on('drop', () => {
    // One line per burst, not per socket: a flood must not become a flood of log lines.
    if (dropped++ === 0) {
      setTimeout(() => {
        options.logger?.warn('http connections refused', { count: dropped, max: limits.maxConnections });
        dropped = 0;
      }, 1000).unref();
    }
  });
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    // Node's own handling: answer if nothing was written yet, then destroy the socket (ending it
    // would leave a client that keeps sending attached).
    const status = error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? '408 Request Timeout' : '400 Bad Request';
    if (socket.writable && (socket as Socket).bytesWritten === 0)
      socket.write(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  options.logger?.info('http listening', {
    port: actualPort,
    host: host ?? null,
    discord: options.discord ? DISCORD_INTERACTIONS_PATH : undefined,
    slack: options.slack ? SLACK_EVENTS_PATH : undefined,
  });
  return {
    server,
    port: actualPort,
    get inFlight() {
      return inFlight.size;
    },
    async stop() {
      stopping = true;
      let allClosed = false;
      const closed = new Promise<void>((resolve) => server.close(() => resolve())).then(() => {
        allClosed = true;
      });
      const finished = (async () => {
        while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
        await options.slack?.drain();
      })();
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, limits.stopTimeoutMs);
      });
      // Work in flight first, then the connections (a request still arriving holds one), both within
      // the one deadline; past it every connection is closed, whatever it was doing.
      await Promise.race([finished, deadline]);
      server.closeIdleConnections();
      await Promise.race([closed, deadline]);
      clearTimeout(timer);
      if (!allClosed) {
        options.logger?.warn('http stop deadline passed', {
          stopTimeoutMs: limits.stopTimeoutMs,
          inFlight: inFlight.size,
        });
        server.closeAllConnections();
        await closed;
      }
    },
  };
}

/**
 * The default model as the store has it now (for `GET /healthz`): asked of the catalog at each call,
 * so a default model deleted or replaced after start shows, rather than the one seen at start.
 *
 * @returns `{ model, modelLoaded }`, `model` null (and `modelError`) when there is none.
 */
export function modelHealth(catalog: ModelCatalog, name?: string): Record<string, unknown> {
  try {
    const model = catalog.model(name);
    return { model: model.summary.name, modelLoaded: model.isLoaded };
  } catch (error) {
    return { model: null, modelLoaded: false, modelError: (error as Error).message };
  }
}

/** Reads the whole body, or resolves `undefined` as soon as it exceeds `limit` bytes. */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.off('data', onData);
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    };
    let ended = false;
    req.on('data', onData);
    req.once('end', () => {
      ended = true;
      resolve(Buffer.concat(chunks, size));
    });
    req.once('error', reject);
    // A connection cut before the body ended (request timeout, stop deadline) settles the read, so
    // the request leaves the in-flight set.
    req.once('close', () => {
      if (!ended) reject(new Error('connection closed before the body ended'));
    });
  });
}

/** 413, then the connection is closed rather than reading the rest of an oversized body. */
function tooLarge(_req: IncomingMessage, res: ServerResponse): void {
  res.setHeader('connection', 'close');
  sendJson(res, { status: 413, body: { error: `request body is larger than ${MAX_BODY_BYTES} bytes` } });
}

function sendJson(res: ServerResponse, answer: HttpAnswer): void {
  if (res.headersSent) return;
  const body = answer.body === undefined ? '' : JSON.stringify(answer.body);
  res.writeHead(answer.status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}
