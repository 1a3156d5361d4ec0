import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Logger } from '../core/logger.js';
import type { DiscordInteractions, HttpAnswer } from './discord-interactions.js';
import { MAX_REQUEST_AGE_SECONDS } from './discord-signature.js';
import { SLACK_EVENTS_PATH, type SlackCommands } from './slack-commands.js';

/** Discord's path for the Interactions Endpoint URL. */
export const DISCORD_INTERACTIONS_PATH = '/discord/interactions';

/** Largest request body read; interactions are a few KiB (Discord caps options at 6000 characters). */
export const MAX_BODY_BYTES = 64 * 1024;

/** How long an idle keep-alive connection stays open. */
export const KEEP_ALIVE_MS = 65_000;

export interface HttpServerOptions {
  discord?: DiscordInteractions;
  slack?: SlackCommands;
  logger?: Logger;
  /** Extra facts for `GET /healthz` (e.g. whether the default model is in memory). */
  health?: () => Record<string, unknown>;
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
 * `POST /slack/events` (Bolt's listener), `GET /healthz`. Bodies are capped at
 * {@link MAX_BODY_BYTES} (413) before any signature work.
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
  const inFlight = new Set<Promise<void>>();
  let stopping = false;
  const track = (work: Promise<void>) => {
    // A failure here is a bug, not bad input: log it rather than let an unhandled rejection end the process.
    const settled = work.catch((error) => options.logger?.error('request failed', { error }));
    inFlight.add(settled);
    void settled.finally(() => inFlight.delete(settled));
  };

  const server = createServer((req, res) => {
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
    sendJson(res, { status: 404, body: { error: 'not found' } });
  });
  // Behind a reverse proxy (TLS ends there) connections are reused: an idle timeout shorter than the
  // proxy's (60 s is common) lets the server close a socket just as the proxy sends on it, which the
  // caller sees as a reset. Node's default is 5 s.
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  server.headersTimeout = KEEP_ALIVE_MS + 1000;
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
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
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
      await options.slack?.drain();
      server.closeIdleConnections();
      await closed;
    },
  };
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
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks, size)));
    req.once('error', reject);
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
