import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';

/** A file uploaded with a multipart/form-data request (Discord's "Uploading Files"). */
export interface RecordedFile {
  /** The form field, `files[0]`. */
  field: string;
  filename: string;
  type: string;
  bytes: Buffer;
}

/** A REST call the fake received. */
export interface RecordedRequest {
  method: string;
  path: string;
  /** JSON (a multipart request's `payload_json`), else the text. */
  body: unknown;
  /** The request's content type (`multipart/form-data; boundary=…` for uploads). */
  contentType: string;
  /** Files of a multipart request, in form order. */
  files: RecordedFile[];
}

export const APP_ID = '111111111111111111';
export const GUILD_ID = '222222222222222222';
export const BOT_USER_ID = '333333333333333333';

let nextSnowflake = 900000000000000000n;
export function snowflake(): string {
  nextSnowflake += 1n;
  return String(nextSnowflake);
}

interface Session {
  socket: WebSocket;
  shard: [number, number];
  seq: number;
}

/**
 * A fake Discord on 127.0.0.1 (random port): enough REST and gateway for discord.js 14 to log in,
 * receive INTERACTION_CREATE and answer. Every REST call is recorded; tests wait for the ones they
 * expect with {@link FakeDiscord.waitFor}.
 */
export class FakeDiscord {
  readonly requests: RecordedRequest[] = [];
  readonly sessions: Session[] = [];
  #server: Server;
  #wss: WebSocketServer;
  #waiters: { match: (r: RecordedRequest) => boolean; resolve: (r: RecordedRequest) => void }[] = [];
  #sessionWaiters: (() => void)[] = [];
  port = 0;

  constructor() {
    this.#server = createServer((req, res) => void this.#onHttp(req, res));
    this.#wss = new WebSocketServer({ server: this.#server, path: '/gateway' });
    this.#wss.on('connection', (socket) => this.#onGateway(socket));
  }

  async listen(): Promise<this> {
    this.#server.listen(0, '127.0.0.1');
    await once(this.#server, 'listening');
    this.port = (this.#server.address() as AddressInfo).port;
    return this;
  }

  get apiBase(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }

  async close(): Promise<void> {
    for (const client of this.#wss.clients) client.terminate();
    this.#wss.close();
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  /** Resolves with the first recorded request (past or future) that matches. */
  waitFor(match: (r: RecordedRequest) => boolean, timeoutMs = 5000): Promise<RecordedRequest> {
    const seen = this.requests.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error('fake Discord: timed out waiting for a request')),
        timeoutMs,
      );
      this.#waiters.push({
        match,
        resolve: (r) => {
          clearTimeout(timer);
          resolve(r);
        },
      });
    });
  }

  /** Resolves once `count` gateway sessions have identified. */
  async waitForSessions(count: number, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.sessions.length < count) {
      if (Date.now() > deadline)
        throw new Error(`fake Discord: ${this.sessions.length} of ${count} sessions`);
      await new Promise<void>((resolve) => {
        this.#sessionWaiters.push(resolve);
        setTimeout(resolve, 100);
      });
    }
  }

  /**
   * Sends an INTERACTION_CREATE to a session (the shard owning the guild when sharded:
   * shard_id = (guild_id >> 22) % num_shards, Discord's documented sharding formula).
   */
  sendInteraction(interaction: Record<string, unknown>, shardId?: number): void {
    const session =
      shardId === undefined
        ? this.sessions[this.sessions.length - 1]
        : this.sessions.find((s) => s.shard[0] === shardId);
    if (!session) throw new Error(`fake Discord: no session for shard ${shardId}`);
    session.seq += 1;
    session.socket.send(JSON.stringify({ op: 0, t: 'INTERACTION_CREATE', s: session.seq, d: interaction }));
  }

  async #onHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const text = raw.toString('utf8');
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const contentType = req.headers['content-type'] ?? '';
    let body: unknown = text;
    const files: RecordedFile[] = [];
    if (contentType.includes('application/json') && text) body = JSON.parse(text);
    if (contentType.startsWith('multipart/form-data')) {
      // Parsed by undici's own multipart reader, as a server would: a malformed body throws here.
      const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
      for (const [field, value] of form.entries()) {
        if (typeof value === 'string') {
          if (field === 'payload_json') body = JSON.parse(value);
        } else {
          files.push({
            field,
            filename: value.name,
            type: value.type,
            bytes: Buffer.from(await value.arrayBuffer()),
          });
        }
      }
    }
    const record: RecordedRequest = { method: req.method ?? 'GET', path, body, contentType, files };
    this.requests.push(record);
    const json = (status: number, data?: unknown) => {
      res.writeHead(status, data === undefined ? {} : { 'content-type': 'application/json' });
      res.end(data === undefined ? undefined : JSON.stringify(data));
    };

    if (path === '/api/v10/gateway/bot' || path === '/api/v10/gateway') {
      json(200, {
        url: `ws://127.0.0.1:${this.port}/gateway`,
        shards: 1,
        session_start_limit: { total: 1000, remaining: 1000, reset_after: 0, max_concurrency: 16 },
      });
    } else if (
      /^\/api\/v10\/applications\/\d+(\/guilds\/\d+)?\/commands$/.test(path) &&
      req.method === 'PUT'
    ) {
      const list = Array.isArray(body) ? body : [];
      json(
        200,
        list.map((c: Record<string, unknown>) => ({
          ...c,
          id: snowflake(),
          application_id: APP_ID,
          version: snowflake(),
        })),
      );
    } else if (/^\/api\/v10\/interactions\/\d+\/[^/]+\/callback$/.test(path)) {
      json(204);
    } else if (/^\/api\/v10\/webhooks\/\d+\/[^/]+\/messages\/@original$/.test(path)) {
      const data = (body ?? {}) as Record<string, unknown>;
      json(200, {
        id: snowflake(),
        type: 20,
        channel_id: '444444444444444444',
        content: data.content ?? '',
        embeds: data.embeds ?? [],
        attachments: files.map((f, i) => ({
          id: snowflake(),
          filename: f.filename,
          size: f.bytes.length,
          url: `https://cdn.example/attachments/${i}/${f.filename}`,
          proxy_url: `https://cdn.example/attachments/${i}/${f.filename}`,
          content_type: f.type,
        })),
        author: { id: BOT_USER_ID, username: 'wordvec', discriminator: '0', bot: true, avatar: null },
        mentions: [],
        mention_roles: [],
        mention_everyone: false,
        pinned: false,
        tts: false,
        timestamp: new Date().toISOString(),
        edited_timestamp: null,
        flags: 0,
        components: [],
      });
    } else {
      json(404, { message: 'Unknown route in fake Discord', code: 0 });
    }
    for (const w of this.#waiters.filter((x) => x.match(record))) {
      this.#waiters.splice(this.#waiters.indexOf(w), 1);
      w.resolve(record);
    }
  }

  #onGateway(socket: WebSocket): void {
    socket.send(JSON.stringify({ op: 10, d: { heartbeat_interval: 45_000 } }));
    socket.on('message', (raw) => {
      const msg = JSON.parse(String(raw)) as { op: number; d: Record<string, unknown> };
      if (msg.op === 1) socket.send(JSON.stringify({ op: 11 }));
      if (msg.op === 2) {
        const shard = (msg.d.shard as [number, number] | undefined) ?? [0, 1];
        const session: Session = { socket, shard, seq: 1 };
        this.sessions.push(session);
        socket.on('close', () => this.sessions.splice(this.sessions.indexOf(session), 1));
        socket.send(
          JSON.stringify({
            op: 0,
            t: 'READY',
            s: 1,
            d: {
              v: 10,
              user: { id: BOT_USER_ID, username: 'wordvec', discriminator: '0', bot: true, avatar: null },
              guilds: [],
              session_id: `session-${snowflake()}`,
              resume_gateway_url: `ws://127.0.0.1:${this.port}/gateway`,
              shard,
              application: { id: APP_ID, flags: 0 },
            },
          }),
        );
        for (const wake of this.#sessionWaiters.splice(0)) wake();
      }
    });
  }
}

/** An INTERACTION_CREATE payload: a slash command (type 2) or an autocomplete request (type 4). */
export function interaction(
  type: 2 | 4,
  name: string,
  options: { name: string; type: 3 | 4; value: string | number; focused?: boolean }[],
  user = '555555555555555555',
): { id: string; token: string; payload: Record<string, unknown> } {
  const id = snowflake();
  const token = `tok-${id}`;
  return {
    id,
    token,
    payload: {
      id,
      application_id: APP_ID,
      type,
      token,
      version: 1,
      guild_id: GUILD_ID,
      channel_id: '444444444444444444',
      channel: { id: '444444444444444444', type: 0 },
      data: { id: snowflake(), name, type: 1, options },
      member: {
        user: { id: user, username: `user${user.slice(-3)}`, discriminator: '0', avatar: null },
        roles: [],
        permissions: '0',
        joined_at: new Date(0).toISOString(),
        deaf: false,
        mute: false,
        flags: 0,
      },
      app_permissions: '0',
      locale: 'en-US',
      guild_locale: 'en-US',
      entitlements: [],
      authorizing_integration_owners: {},
      context: 0,
    },
  };
}
