import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A call the fake Slack received. */
export interface SlackCall {
  path: string;
  body: string;
}

/**
 * A fake Slack on 127.0.0.1 (random port): `auth.test` for Bolt's token check and a `response_url`
 * endpoint (`/respond/…`) that records what the app posts there.
 */
export class FakeSlack {
  readonly calls: SlackCall[] = [];
  #server: Server;
  #waiters: { match: (c: SlackCall) => boolean; resolve: (c: SlackCall) => void }[] = [];
  port = 0;

  constructor() {
    this.#server = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (c: string) => {
        body += c;
      });
      req.on('end', () => {
        const call = { path: req.url ?? '/', body };
        this.calls.push(call);
        const ready = this.#waiters.filter((w) => w.match(call));
        this.#waiters = this.#waiters.filter((w) => !ready.includes(w));
        for (const w of ready) w.resolve(call);
        res.setHeader('content-type', 'application/json');
        if (call.path === '/api/auth.test') {
          res.end(
            JSON.stringify({
              ok: true,
              url: 'https://t.slack.com/',
              team: 'T',
              user: 'bot',
              team_id: 'T1',
              user_id: 'UBOT',
              bot_id: 'BBOT',
            }),
          );
        } else if (call.path.startsWith('/respond/')) {
          res.end(JSON.stringify({ ok: true }));
        } else {
          res.statusCode = 404;
          res.end(JSON.stringify({ ok: false, error: 'unknown_method' }));
        }
      });
    });
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
