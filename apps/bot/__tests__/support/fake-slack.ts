import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A call the fake Slack received. */
export interface SlackCall {
  path: string;
  body: string;
  /** The body as received (a file upload's bytes). */
  bytes: Buffer;
  contentType: string;
  authorization: string;
}

/** A file uploaded through `files.uploadV2`'s three steps, once completed into a channel. */
export interface SlackUpload {
  fileId: string;
  filename: string;
  /** The length announced to `files.getUploadURLExternal`. */
  length: number;
  altText?: string;
  bytes: Buffer;
  channelId: string;
  title?: string;
}

/**
 * A fake Slack on 127.0.0.1 (random port): `auth.test` for Bolt's token check, a `response_url`
 * endpoint (`/respond/…`) that records what the app posts there, and the three steps of
 * `files.uploadV2` (`files.getUploadURLExternal`, the upload URL, `files.completeUploadExternal`),
 * which it checks as Slack does: the bytes match the announced length, the file id is known and
 * uploaded, a channel is named. Completed uploads are in {@link FakeSlack.uploads}.
 */
export class FakeSlack {
  readonly calls: SlackCall[] = [];
  readonly uploads: SlackUpload[] = [];
  /** Channels the bot is in; an upload elsewhere is refused with `not_in_channel`. */
  channels = new Set(['C1']);
  #pending = new Map<string, { filename: string; length: number; altText?: string; bytes?: Buffer }>();
  #nextFile = 0;
  #server: Server;
  #waiters: { match: (c: SlackCall) => boolean; resolve: (c: SlackCall) => void }[] = [];
  port = 0;

  constructor() {
    this.#server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const bytes = Buffer.concat(chunks);
        const call = {
          path: req.url ?? '/',
          body: bytes.toString('utf8'),
          bytes,
          contentType: req.headers['content-type'] ?? '',
          authorization: req.headers.authorization ?? '',
        };
        this.calls.push(call);
        void this.#answer(call).then(([status, data]) => {
          res.statusCode = status;
          res.setHeader('content-type', 'application/json');
          res.end(JSON.stringify(data));
          const ready = this.#waiters.filter((w) => w.match(call));
          this.#waiters = this.#waiters.filter((w) => !ready.includes(w));
          for (const w of ready) w.resolve(call);
        });
      });
    });
  }

  async #answer(call: SlackCall): Promise<[number, unknown]> {
    const form = () => new URLSearchParams(call.body);
    if (call.path === '/api/auth.test') {
      return [
        200,
        {
          ok: true,
          url: 'https://t.slack.com/',
          team: 'T',
          user: 'bot',
          team_id: 'T1',
          user_id: 'UBOT',
          bot_id: 'BBOT',
        },
      ];
    }
    if (call.path.startsWith('/respond/')) return [200, { ok: true }];
    if (call.path === '/api/files.getUploadURLExternal') {
      const args = form();
      const filename = args.get('filename') ?? '';
      const length = Number(args.get('length'));
      if (!filename || !Number.isInteger(length) || length <= 0)
        return [200, { ok: false, error: 'invalid_arguments' }];
      const fileId = `F${++this.#nextFile}`;
      this.#pending.set(fileId, { filename, length, altText: args.get('alt_text') ?? undefined });
      return [
        200,
        { ok: true, file_id: fileId, upload_url: `http://127.0.0.1:${this.port}/upload/${fileId}` },
      ];
    }
    if (call.path.startsWith('/upload/')) {
      const pending = this.#pending.get(call.path.slice('/upload/'.length));
      if (!pending) return [404, { ok: false }];
      let bytes = call.bytes;
      if (call.contentType.startsWith('multipart/form-data')) {
        const parsed = await new Response(call.bytes, {
          headers: { 'content-type': call.contentType },
        }).formData();
        const file = [...parsed.values()].find((v) => typeof v !== 'string');
        bytes = file ? Buffer.from(await file.arrayBuffer()) : Buffer.alloc(0);
      }
      if (bytes.length !== pending.length) return [400, { ok: false, error: 'length_mismatch' }];
      pending.bytes = bytes;
      return [200, { ok: true }];
    }
    if (call.path === '/api/files.completeUploadExternal') {
      const args = form();
      const channelId = args.get('channel_id') ?? '';
      let files: { id: string; title?: string }[] = [];
      try {
        files = JSON.parse(args.get('files') ?? '[]');
      } catch {
        return [200, { ok: false, error: 'invalid_arguments' }];
      }
      if (!this.channels.has(channelId)) return [200, { ok: false, error: 'not_in_channel' }];
      for (const f of files) {
        const pending = this.#pending.get(f.id);
        if (!pending?.bytes) return [200, { ok: false, error: 'file_not_found' }];
        this.uploads.push({
          fileId: f.id,
          filename: pending.filename,
          length: pending.length,
          altText: pending.altText,
          bytes: pending.bytes,
          channelId,
          title: f.title,
        });
      }
      return [200, { ok: true, files: files.map((f) => ({ id: f.id, title: f.title ?? '' })) }];
    }
    return [404, { ok: false, error: 'unknown_method' }];
  }

  async listen(): Promise<this> {
    this.#server.listen(0, '127.0.0.1');
    await once(this.#server, 'listening');
    this.port = (this.#server.address() as AddressInfo).port;
    return this;
  }

  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api/`;
  }

  responseUrl(id: string): string {
    return `http://127.0.0.1:${this.port}/respond/${id}`;
  }

  waitFor(match: (c: SlackCall) => boolean, timeoutMs = 5000): Promise<SlackCall> {
    const seen = this.calls.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error('fake Slack: timed out waiting for a call')),
        timeoutMs,
      );
      this.#waiters.push({
        match,
        resolve: (c) => {
          clearTimeout(timer);
          resolve(c);
        },
      });
    });
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
