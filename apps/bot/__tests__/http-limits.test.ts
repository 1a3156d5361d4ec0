import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { CommandRunner } from '../src/core/runner.js';
import { DiscordInteractions } from '../src/http/discord-interactions.js';
import { discordPublicKey } from '../src/http/discord-signature.js';
import { type HttpLimits, type HttpService, startHttpServer } from '../src/http/http-server.js';
import { APP_ID } from './support/fake-discord.js';
import { ed25519Pair } from './support/http-signing.js';
import { worldCatalog } from './support/memory-catalog.js';

const keys = ed25519Pair();
let service: HttpService | undefined;
const sockets: Socket[] = [];

async function start(limits: Partial<HttpLimits>): Promise<HttpService> {
  const discord = new DiscordInteractions({
    publicKey: discordPublicKey(keys.publicHex),
    appId: APP_ID,
    apiBase: 'http://127.0.0.1:9',
    runner: new CommandRunner({ catalog: worldCatalog() }),
  });
  service = await startHttpServer({ discord, limits }, 0, '127.0.0.1');
  return service;
}

/** A raw client: what it received, and a promise of its close (with when it happened). */
function rawClient(port: number) {
  const socket = connect(port, '127.0.0.1');
  sockets.push(socket);
  let received = '';
  socket.setEncoding('utf8');
  socket.on('data', (c: string) => {
    received += c;
  });
  socket.on('error', () => {});
  const opened = new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  const closed = new Promise<number>((resolve) => socket.once('close', () => resolve(performance.now())));
  return { socket, opened, closed, received: () => received };
}

/** Announces a 1000-byte interaction body, then sends one byte every `everyMs` (bounded). */
function trickle(socket: Socket, everyMs: number): NodeJS.Timeout {
  socket.write(
    'POST /discord/interactions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n',
  );
  let sent = 0;
  const timer = setInterval(() => {
    if (socket.destroyed || ++sent >= 1000) return clearInterval(timer);
    socket.write('x');
  }, everyMs);
  return timer;
}

const isOpen = (s: Socket) => !s.destroyed && s.readyState === 'open';

afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await service?.stop();
  service = undefined;
});

describe('HTTP server limits (raw sockets on 127.0.0.1)', () => {
  it('cuts off a client trickling its body after the request timeout, with 408', async () => {
    const { port } = await start({ requestTimeoutMs: 400 });
    const client = rawClient(port);
    await client.opened;
    const began = performance.now();
    const timer = trickle(client.socket, 50);
    const closedAt = await client.closed;
    clearInterval(timer);
    // Within the timeout plus the connection check interval (100 ms here) and some slack.
    expect(closedAt - began).toBeGreaterThanOrEqual(350);
    expect(closedAt - began).toBeLessThan(2000);
    expect(client.received()).toMatch(/^HTTP\/1\.1 408/);
    // The server forgets the request when its side of the socket closes, which can come a moment after
    // the client saw the close: wait for that, bounded.
    for (let i = 0; i < 100 && service!.inFlight !== 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(service!.inFlight).toBe(0);
  });

  it('refuses connections over the cap and accepts again once one closes', async () => {
    const { port } = await start({ maxConnections: 3, requestTimeoutMs: 30_000 });
    const held = [rawClient(port), rawClient(port), rawClient(port)];
    await Promise.all(held.map((c) => c.opened));
    // Each announces a body and never sends it.
    for (const c of held) trickle(c.socket, 60_000);
    await new Promise((r) => setTimeout(r, 50));
    const extra = rawClient(port);
    const closedAt = await Promise.race([
      extra.closed,
      new Promise<number>((r) => setTimeout(() => r(-1), 2000)),
    ]);
    expect(closedAt).toBeGreaterThan(0);
    expect(extra.received()).toBe('');
    expect(held.every((c) => isOpen(c.socket))).toBe(true);

    held[0].socket.destroy();
    await held[0].closed;
    await new Promise((r) => setTimeout(r, 50));
    const res = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(res.status).toBe(200);
  });

  it('stop() ends within its deadline while a client trickles, closing that connection', async () => {
    const { port } = await start({ requestTimeoutMs: 60_000, stopTimeoutMs: 300 });
    const client = rawClient(port);
    await client.opened;
    const timer = trickle(client.socket, 50);
    await new Promise((r) => setTimeout(r, 150));
    expect(service!.inFlight).toBe(1);
    const began = performance.now();
    await service!.stop();
    const took = performance.now() - began;
    service = undefined;
    clearInterval(timer);
    expect(took).toBeGreaterThanOrEqual(250);
    expect(took).toBeLessThan(2000);
    await client.closed;
    expect(client.socket.destroyed).toBe(true);
  });
});
