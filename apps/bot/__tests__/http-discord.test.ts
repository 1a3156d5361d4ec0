import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../src/core/logger.js';
import { RateLimiter } from '../src/core/rate-limiter.js';
import { CommandRunner } from '../src/core/runner.js';
import { DiscordInteractions } from '../src/http/discord-interactions.js';
import { discordPublicKey, MAX_REQUEST_AGE_SECONDS } from '../src/http/discord-signature.js';
import { type HttpService, MAX_BODY_BYTES, startHttpServer } from '../src/http/http-server.js';
import { APP_ID, FakeDiscord } from './support/fake-discord.js';
import { couldPing, discordHeaders, ed25519Pair, post } from './support/http-signing.js';
import { worldCatalog } from './support/memory-catalog.js';
import { expectPng } from './support/png-check.js';

const keys = ed25519Pair();
const intruder = ed25519Pair();
let clockMs = Date.UTC(2026, 10, 26, 12, 0, 0);
const nowSeconds = () => Math.floor(clockMs / 1000);

let fake: FakeDiscord;
let service: HttpService;
let url = '';
let logLines: Record<string, unknown>[] = [];
let catalog = worldCatalog();

let seq = 0;
function commandBody(
  name: string,
  options: Record<string, string | number>,
  user = '555555555555555555',
): string {
  seq++;
  return JSON.stringify({
    id: `70000000000000${String(seq).padStart(4, '0')}`,
    application_id: APP_ID,
    type: 2,
    token: `interaction-token-${seq}`,
    data: {
      name,
      type: 1,
      options: Object.entries(options).map(([n, value]) => ({
        name: n,
        type: typeof value === 'number' ? 4 : 3,
        value,
      })),
    },
    member: { user: { id: user } },
  });
}

function send(body: string, headers = discordHeaders(keys.privateKey, body, nowSeconds())) {
  return post(url, body, { 'content-type': 'application/json', ...headers });
}

/**
 * Whether a response could ping: its mention policy must be empty and the parts Discord renders as
 * markdown (title, description, fields) must hold no live mention. Footers are plain text in
 * Discord (no mentions, no markdown), so the gateway renderer leaves them unescaped.
 */
function pings(response: {
  data: { allowed_mentions?: { parse: unknown[] }; embeds?: { footer?: unknown }[] };
}): boolean {
  if (response.data.allowed_mentions?.parse.length !== 0) return true;
  const rendered = (response.data.embeds ?? []).map(({ footer: _plain, ...rest }) => rest);
  return couldPing(JSON.stringify(rendered));
}

const commandsRun = () => logLines.filter((l) => l.msg === 'command').length;

beforeAll(async () => {
  fake = await new FakeDiscord().listen();
  const logger = createLogger({ write: (l) => logLines.push(JSON.parse(l)) });
  const runner = new CommandRunner({
    // The model is read through a getter so a test can swap in one that still has to load.
    catalog: {
      models: () => catalog.models(),
      model: (name?: string) => catalog.model(name),
      close: () => {},
    },
    logger,
    limiter: new RateLimiter({ limit: 4, windowMs: 60_000, now: () => clockMs }),
  });
  const discord = new DiscordInteractions({
    publicKey: discordPublicKey(keys.publicHex),
    appId: APP_ID,
    apiBase: fake.apiBase,
    runner,
    logger,
    now: () => clockMs,
  });
  service = await startHttpServer({ discord, logger }, 0, '127.0.0.1');
  url = `http://127.0.0.1:${service.port}/discord/interactions`;
});

afterAll(async () => {
  await service?.stop();
  await fake?.close();
});

beforeEach(() => {
  logLines = [];
  catalog = worldCatalog();
  // A minute later each test, so the rate limit (4 a minute) starts afresh.
  clockMs += 61_000;
});

describe('Discord interactions endpoint: answers', () => {
  it('answers PING with type 1', async () => {
    const body = JSON.stringify({ id: '1', type: 1, application_id: APP_ID });
    const r = await send(body);
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ type: 1 });
  });

  it('answers a command with type 4: an embed, no mention allowed', async () => {
    const r = await send(commandBody('similar', { word: 'pizza', count: 3 }));
    expect(r.status).toBe(200);
    expect(r.json.type).toBe(4);
    expect(r.json.data.allowed_mentions).toEqual({ parse: [] });
    const embed = r.json.data.embeds[0];
    expect(embed.title).toContain('pizza');
    expect(embed.description.split('\n')).toHaveLength(3);
    expect(embed.description).toContain('pasta');
    expect(r.json.data.flags).toBeUndefined();
    expect(commandsRun()).toBe(1);
  });

  it('answers autocomplete with type 8 and vocabulary choices', async () => {
    const body = JSON.stringify({
      id: '2',
      type: 4,
      token: 'tok',
      data: { name: 'similar', options: [{ name: 'word', type: 3, value: 'pi', focused: true }] },
      user: { id: '5' },
    });
    const r = await send(body);
    expect(r.json).toEqual({
      type: 8,
      data: {
        choices: [
          { name: 'pizza', value: 'pizza' },
          { name: 'pizzeria', value: 'pizzeria' },
        ],
      },
    });
  });

  it('defers with type 5 while the model loads, then edits the original response through the webhook', async () => {
    catalog = worldCatalog({ loaded: false, loadDelayMs: 50 });
    const body = commandBody('similar', { word: 'king', count: 2 });
    const token = JSON.parse(body).token as string;
    const r = await send(body);
    expect(r.json).toEqual({ type: 5 });
    const edit = await fake.waitFor(
      (q) => q.method === 'PATCH' && q.path === `/api/v10/webhooks/${APP_ID}/${token}/messages/@original`,
    );
    const data = edit.body as {
      embeds: { title: string; description: string }[];
      allowed_mentions: unknown;
      flags?: number;
    };
    expect(data.allowed_mentions).toEqual({ parse: [] });
    expect(data.embeds[0].title).toContain('king');
    expect(data.embeds[0].description).toContain('prince');
    expect(data.flags).toBeUndefined();
  });

  it('draws /plot behind type 5, then sends the follow-up as multipart: payload_json and the PNG as files[0]', async () => {
    const body = commandBody('plot', { word: 'king', neighbours: 5 });
    const token = JSON.parse(body).token as string;
    const r = await send(body);
    expect(r.json).toEqual({ type: 5 });
    const edit = await fake.waitFor(
      (q) => q.method === 'PATCH' && q.path === `/api/v10/webhooks/${APP_ID}/${token}/messages/@original`,
    );
    expect(edit.contentType).toMatch(/^multipart\/form-data; boundary=/);
    expect(edit.files.map((f) => [f.field, f.filename, f.type])).toEqual([
      ['files[0]', 'plot-king.png', 'image/png'],
    ]);
    expect(expectPng(edit.files[0].bytes)).toMatchObject({ width: 960, height: 720 });
    const data = edit.body as {
      embeds: { title: string; image?: { url: string } }[];
      attachments: { id: number; filename: string; description: string }[];
      allowed_mentions: unknown;
    };
    expect(data.embeds[0].title).toBe('Neighbourhood of “king”');
    expect(data.embeds[0].image?.url).toBe('attachment://plot-king.png');
    expect(data.attachments).toEqual([
      {
        id: 0,
        filename: 'plot-king.png',
        description: expect.stringMatching(/^Neighbourhood of king: king, /),
      },
    ]);
    expect(data.allowed_mentions).toEqual({ parse: [] });
  });

  it('answers unknown words and bad options with an ephemeral error, not an HTTP error', async () => {
    const oov = await send(commandBody('similar', { word: 'pizzza' }));
    expect(oov.json.type).toBe(4);
    expect(oov.json.data.flags).toBe(64);
    expect(oov.json.data.embeds[0].description).toContain('Did you mean: pizza');
    const range = await send(commandBody('similar', { word: 'pizza', count: 26 }));
    expect(range.json.data.embeds[0].description).toContain('from 1 to 25, got 26');
  });
});

describe('Discord interactions endpoint: refused requests run nothing', () => {
  it('401 without signature headers', async () => {
    const body = commandBody('similar', { word: 'pizza' });
    const partial: Record<string, string>[] = [
      {},
      { 'x-signature-timestamp': String(nowSeconds()) },
      { 'x-signature-ed25519': 'ab'.repeat(64) },
    ];
    for (const headers of partial) {
      const r = await send(body, headers);
      expect(r.status).toBe(401);
    }
    expect(commandsRun()).toBe(0);
  });

  it('401 for a forged signature (another key), a malformed one, and a tampered body or timestamp', async () => {
    const body = commandBody('similar', { word: 'pizza' });
    const forged = await send(body, discordHeaders(intruder.privateKey, body, nowSeconds()));
    expect(forged.status).toBe(401);
    const garbage = await send(body, {
      'x-signature-ed25519': 'not hex',
      'x-signature-timestamp': String(nowSeconds()),
    });
    expect(garbage.status).toBe(401);
    const good = discordHeaders(keys.privateKey, body, nowSeconds());
    const tampered = await send(body.replace('pizza', 'pasta'), good);
    expect(tampered.status).toBe(401);
    const shifted = await send(body, { ...good, 'x-signature-timestamp': String(nowSeconds() - 1) });
    expect(shifted.status).toBe(401);
    expect(commandsRun()).toBe(0);
    // The same signature on the untouched body is accepted: the refusals above were the tampering.
    expect((await send(body, good)).status).toBe(200);
  });

  it('401 for a replay older than 5 minutes or a timestamp from the future', async () => {
    const body = commandBody('similar', { word: 'pizza' });
    const captured = discordHeaders(keys.privateKey, body, nowSeconds());
    expect((await send(body, captured)).status).toBe(200);
    clockMs += (MAX_REQUEST_AGE_SECONDS + 1) * 1000;
    const replay = await send(body, captured);
    expect(replay.status).toBe(401);
    const future = await send(
      body,
      discordHeaders(keys.privateKey, body, nowSeconds() + MAX_REQUEST_AGE_SECONDS + 1),
    );
    expect(future.status).toBe(401);
    expect(commandsRun()).toBe(1);
  });

  it('413 for a body over 64 KiB, declared or streamed', async () => {
    const big = JSON.stringify({ type: 1, pad: 'x'.repeat(MAX_BODY_BYTES) });
    const declared = await send(big);
    expect(declared.status).toBe(413);
    // Chunked, so the length is only known while reading.
    const stream = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 8; i++) controller.enqueue(new TextEncoder().encode('x'.repeat(16 * 1024)));
        controller.close();
      },
    });
    const res = await fetch(url, {
      method: 'POST',
      body: stream,
      duplex: 'half',
      headers: discordHeaders(keys.privateKey, 'x', nowSeconds()),
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(commandsRun()).toBe(0);
  });

  it('400 for signed bodies that are not an interaction', async () => {
    for (const body of [
      '{"type":',
      '[1,2]',
      '"ping"',
      '{"type":"2"}',
      '{"type":2,"data":{"name":"similar"}}',
      '{"type":4,"token":"t","data":{"name":"similar","options":[null]}}',
      '{"type":2,"token":"t","data":{"name":"similar","options":[{"value":"x"}]}}',
      '{"type":2,"token":"t","data":null}',
    ]) {
      const r = await send(body);
      expect(r.status, body).toBe(400);
    }
    expect(commandsRun()).toBe(0);
  });

  it('404 elsewhere, 405 for GET, and a health check', async () => {
    expect((await fetch(`http://127.0.0.1:${service.port}/nope`)).status).toBe(404);
    expect((await fetch(url)).status).toBe(405);
    const health = await fetch(`http://127.0.0.1:${service.port}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', discord: true, slack: false });
  });
});

describe('Discord interactions endpoint: abuse', () => {
  const limits: [string, string][] = [
    ['empty', ''],
    ['blank', '   '],
    ['101 characters', 'p'.repeat(101)],
    ['a control character', 'piz\u0007za'],
    ['a right-to-left override', 'piz\u202eza'],
    ['@everyone', '@everyone'],
    ['@here with text', 'hi @here'],
    ['a channel ping', '<!channel>'],
    ['a user mention', '<@123456789012345678>'],
    ['a role mention', '<@&123456789012345678>'],
    ['markdown', '**pizza** _x_ `y` ||z|| [a](http://b)'],
  ];
  it.each(limits)('answers a word that is %s with a reply that pings nobody', async (_what, value) => {
    const r = await send(commandBody('similar', { word: value, model: value }));
    expect(r.status).toBe(200);
    expect(r.json.type).toBe(4);
    expect(r.json.data.allowed_mentions).toEqual({ parse: [] });
    expect(pings(r.json), JSON.stringify(r.json)).toBe(false);
  });

  it('refuses the option values at their limits with specific messages', async () => {
    const text = async (word: string) =>
      (await send(commandBody('similar', { word }))).json.data.embeds[0].description;
    expect(await text('p'.repeat(101))).toContain('101 characters long; the limit is 100');
    expect(await text('piz\u202eza')).toContain('U+202E');
    clockMs += 61_000;
    expect(await text('p'.repeat(100))).toContain('not in the vocabulary');
  });

  it('answers every command with input from every limit without pinging', async () => {
    const values = limits.map(([, v]) => v);
    const bodies = values.flatMap((v) => [
      commandBody('analogy', { a: v, b: 'man', c: v }, `u-${v}`),
      commandBody('similarity', { a: v, b: v }, `u-${v}`),
      commandBody('oov', { word: v }, `u-${v}`),
      commandBody('doesntmatch', { words: `${v} ${v} cat` }, `u-${v}`),
    ]);
    for (const body of bodies) {
      const r = await send(body);
      expect(r.status).toBe(200);
      expect(pings(r.json), JSON.stringify(r.json)).toBe(false);
    }
  });

  it('limits a flooding user and nobody else', async () => {
    const answers = [];
    for (let i = 0; i < 7; i++)
      answers.push((await send(commandBody('similar', { word: 'pizza' }, 'flooder'))).json);
    const limited = answers.filter((a) => a.data.embeds[0].title === 'Slow down a little');
    expect(limited).toHaveLength(3);
    for (const a of limited) expect(a.data.flags).toBe(64);
    const other = await send(commandBody('similar', { word: 'pizza' }, 'patient'));
    expect(other.json.data.embeds[0].title).toContain('pizza');
  });
});
