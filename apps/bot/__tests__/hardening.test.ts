import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../src/core/logger.js';
import { renderText } from '../src/core/render-text.js';
import type { Reply } from '../src/core/reply.js';
import { CommandRunner } from '../src/core/runner.js';
import { escapeControls } from '../src/core/validate.js';
import { toDiscordReply } from '../src/discord/embed.js';
import { DiscordInteractions, toDiscordMessageJson } from '../src/http/discord-interactions.js';
import { discordPublicKey } from '../src/http/discord-signature.js';
import { DEFAULT_HOST, loadHttpConfig } from '../src/http/http-config.js';
import { type HttpService, startHttpServer } from '../src/http/http-server.js';
import { escapeSlack, toSlackMessage } from '../src/http/slack-blocks.js';
import { SlackCommands, SlackStartError } from '../src/http/slack-commands.js';
import { runLocalChat } from '../src/local-chat.js';
import { APP_ID } from './support/fake-discord.js';
import { FakeSlack } from './support/fake-slack.js';
import { discordHeaders, ed25519Pair, post, slackHeaders } from './support/http-signing.js';
import { MemoryCatalog, MemoryModel, WORLD, worldCatalog } from './support/memory-catalog.js';

const ZWSP = '\u200b';
// Every character of the bot's control rule must leave the bot escaped; the ZWSP the escapers add
// themselves after `@` / `<` and before mrkdwn markers is the one allowed exception.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const RAW_CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u180e\u200c-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/u;

const keys = ed25519Pair();
const SECRET = 'abcdef0123456789abcdef0123456789';
const TOKEN = 'xoxb-1-2-hardeningtoken';

let seq = 0;
function interaction(name: string, options: Record<string, string | number>, id?: string): string {
  seq++;
  return JSON.stringify({
    id: id ?? `9100000000000${String(seq).padStart(5, '0')}`,
    application_id: APP_ID,
    type: 2,
    token: `tok-${seq}`,
    data: { name, options: Object.entries(options).map(([n, value]) => ({ name: n, type: 3, value })) },
    user: { id: '42' },
  });
}

function discordFor(catalog: MemoryCatalog, logs: string[] = []) {
  return new DiscordInteractions({
    publicKey: discordPublicKey(keys.publicHex),
    appId: APP_ID,
    apiBase: 'http://127.0.0.1:9',
    runner: new CommandRunner({
      catalog,
      logger: createLogger({ write: (l) => logs.push(JSON.parse(l).msg) }),
    }),
  });
}

async function handle(discord: DiscordInteractions, body: string, headers?: Record<string, string>) {
  let answer: { status: number; body?: unknown } | undefined;
  await discord.handle(
    {
      headers: headers ?? discordHeaders(keys.privateKey, body, Math.floor(Date.now() / 1000)),
      body: Buffer.from(body),
    },
    (a) => {
      answer = a;
    },
  );
  return answer!;
}

describe('item 6: several words where one is expected', () => {
  const runner = new CommandRunner({ catalog: worldCatalog() });
  it.each([
    ['oov', { word: 'cat dog' }],
    ['similar', { word: 'king queen' }],
    ['similar', { word: 'king,queen' }],
    ['similarity', { a: 'pizza', b: 'pasta dog' }],
    ['analogy', { a: 'king', b: 'man', c: 'woman queen' }],
  ])('/%s %j says one word was expected', async (command, options) => {
    const reply = await runner.run({ command, options, user: 'u' });
    expect(reply.error).toBe(true);
    expect(reply.title).toBe('One word expected');
    expect(reply.lines[0]).toMatch(/is 2 words/);
  });

  it('still answers a single word with punctuation, and /doesntmatch lists', async () => {
    expect((await runner.run({ command: 'oov', options: { word: 'Cat!' }, user: 'u' })).title).toContain(
      'is in the vocabulary',
    );
    const odd = await runner.run({ command: 'doesntmatch', options: { words: 'cat dog pizza' }, user: 'u' });
    expect(odd.error).toBeFalsy();
  });

  it('over Discord, "king queen" is not answered for king', async () => {
    const a = await handle(discordFor(worldCatalog()), interaction('similar', { word: 'king queen' }));
    const text = JSON.stringify(a.body);
    expect(text).toContain('One word expected');
    expect(text).not.toContain('prince');
  });
});

describe('item 4: output escaping', () => {
  const weird = ['esc\u001b[31mred', 'cr\rx', 'nul\u0000x', 'rlo\u202eabc', 'zw\u200bsp'];
  const reply: Reply = {
    title: `Words similar to ${weird[0]}`,
    lines: weird.map((w, i) => `${i + 1}. ${w} — 0.5`),
    fields: [{ name: weird[3], value: `${weird[1]}\n${weird[2]}` }],
    footer: weird[4],
  };

  it('escapeControls shows every control, bidi and zero-width character visibly', () => {
    expect(escapeControls('a\u001bb\r\u0000\u202e\u200b')).toBe('a\\u{1B}b\\u{D}\\u{0}\\u{202E}\\u{200B}');
    expect(escapeControls('a\nb', { keepNewlines: true })).toBe('a\nb');
  });

  it('no raw control character in Discord embeds, Discord JSON, Slack blocks or the local chat', () => {
    const discord = JSON.stringify(toDiscordReply(reply).embeds.map((e) => e.toJSON()));
    const json = JSON.parse(JSON.stringify(toDiscordMessageJson(reply)));
    const slack = toSlackMessage(reply);
    const text = renderText(reply);
    const allStrings = (v: unknown): string[] =>
      typeof v === 'string' ? [v] : v && typeof v === 'object' ? Object.values(v).flatMap(allStrings) : [];
    for (const s of [...allStrings(JSON.parse(discord)), ...allStrings(json), ...allStrings(slack)]) {
      // Line breaks between reply lines are the renderers' own.
      expect(RAW_CONTROL.test(s.replace(/\n/g, ' ')), JSON.stringify(s)).toBe(false);
    }
    expect(RAW_CONTROL.test(text.replace(/\n/g, ' '))).toBe(false);
    expect(text).toContain('esc\\u{1B}[31mred');
    expect(JSON.stringify(slack)).toContain('\\\\u{202E}');
  });

  it('a stored word with ESC reaches no transport raw (a "Did you mean" line, a neighbour list)', async () => {
    const catalog = new MemoryCatalog([
      new MemoryModel('old', { ...WORLD, 'kin\u001bg': { vector: [1, 1, 0, 0, 0, 0.11], count: 3 } }),
    ]);
    const runner = new CommandRunner({ catalog });
    const neighbours = await runner.run({ command: 'similar', options: { word: 'king' }, user: 'u' });
    const oov = await runner.run({ command: 'similar', options: { word: 'kinng' }, user: 'u' });
    for (const r of [neighbours, oov]) {
      expect(JSON.stringify(r)).toContain('\\u001b');
      for (const out of [
        renderText(r),
        JSON.stringify(toSlackMessage(r)),
        JSON.stringify(toDiscordMessageJson(r)),
      ])
        expect(out.includes('\u001b'), out).toBe(false);
    }
    expect(renderText(oov)).toContain('kin\\u{1B}g');
  });

  it('mrkdwn markers and a leading quote cannot reformat a Slack reply', () => {
    expect(escapeSlack('*bold* _it_ ~gone~ `code`')).toBe(
      `${ZWSP}*bold${ZWSP}* ${ZWSP}_it${ZWSP}_ ${ZWSP}~gone${ZWSP}~ ${ZWSP}\`code${ZWSP}\``,
    );
    expect(escapeSlack('> quoted')).toBe(`${ZWSP}&gt; quoted`);
    expect(escapeSlack('a\n> b', { keepNewlines: true })).toBe(`a\n${ZWSP}&gt; b`);
    // No marker is left at a word start (where mrkdwn would open emphasis).
    expect(/(^|\s)[*_~`]/.test(escapeSlack('*x* _y_ ~z~ `w`'))).toBe(false);
  });
});

describe('replay cache', () => {
  it('Discord: a replayed command gets 409 and runs once', async () => {
    const logs: string[] = [];
    const discord = discordFor(worldCatalog(), logs);
    const body = interaction('similar', { word: 'pizza' });
    const headers = discordHeaders(keys.privateKey, body, Math.floor(Date.now() / 1000));
    expect((await handle(discord, body, headers)).status).toBe(200);
    const replay = await handle(discord, body, headers);
    expect(replay).toEqual({ status: 409, body: { error: 'interaction already received' } });
    // The same id re-signed later is the same interaction too.
    const later = discordHeaders(keys.privateKey, body, Math.floor(Date.now() / 1000) + 5);
    expect((await handle(discord, body, later)).status).toBe(409);
    expect(logs.filter((m) => m === 'command')).toHaveLength(1);
    // PINGs are answered every time (nothing runs).
    const ping = JSON.stringify({ id: '1', type: 1 });
    const ph = discordHeaders(keys.privateKey, ping, Math.floor(Date.now() / 1000));
    expect((await handle(discord, ping, ph)).status).toBe(200);
    expect((await handle(discord, ping, ph)).status).toBe(200);
  });

  it('Discord: forged requests do not enter the cache', async () => {
    const discord = discordFor(worldCatalog());
    const body = interaction('similar', { word: 'pizza' });
    const forged = discordHeaders(ed25519Pair().privateKey, body, Math.floor(Date.now() / 1000));
    expect((await handle(discord, body, forged)).status).toBe(401);
    expect((await handle(discord, body)).status).toBe(200);
  });
});

describe('Slack over HTTP: replays, unknown commands, start-up errors', () => {
  let fake: FakeSlack;
  let service: HttpService;
  let url = '';
  let commandLines = 0;

  beforeAll(async () => {
    fake = await new FakeSlack().listen();
    const runner = new CommandRunner({
      catalog: worldCatalog(),
      logger: createLogger({
        write: (l) => {
          if (JSON.parse(l).msg === 'command') commandLines++;
        },
      }),
    });
    const slack = new SlackCommands({ signingSecret: SECRET, token: TOKEN, apiUrl: fake.apiUrl, runner });
    await slack.init();
    service = await startHttpServer({ slack }, 0, '127.0.0.1');
    url = `http://127.0.0.1:${service.port}/slack/events`;
  });
  afterAll(async () => {
    await service?.stop();
    await fake?.close();
  });

  const form = (command: string, text: string) =>
    new URLSearchParams({
      command,
      text,
      user_id: 'U1',
      team_id: 'T1',
      response_url: fake.responseUrl(String(++seq)),
      trigger_id: `t${seq}`,
    }).toString();
  const send = (body: string, headers = slackHeaders(SECRET, body, Math.floor(Date.now() / 1000))) =>
    post(url, body, { 'content-type': 'application/x-www-form-urlencoded', ...headers });

  it('a replayed slash command is acknowledged empty and runs once', async () => {
    const body = form('/similar', 'pizza');
    const headers = slackHeaders(SECRET, body, Math.floor(Date.now() / 1000));
    const before = commandLines;
    const first = await send(body, headers);
    expect(JSON.stringify(first.json)).toContain('pasta');
    const again = await send(body, headers);
    expect(again.status).toBe(200);
    expect(again.text).toBe('');
    expect(commandLines - before).toBe(1);
  });

  it('an unknown command is answered at once with an ephemeral error, not a 404 after 3 s', async () => {
    const began = performance.now();
    // The old path answered only after Bolt's 3 s acknowledgement timeout; under CI load 2.5 s still tells them apart.
    const r = await send(form('/nosuch', 'pizza'));
    expect(performance.now() - began).toBeLessThan(2500);
    expect(r.status).toBe(200);
    expect(r.json.response_type).toBe('ephemeral');
    expect(JSON.stringify(r.json.blocks)).toContain('Unknown command');
  });

  it('start-up: an unreachable API is blamed, not the token; a refused token is', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', () => r()));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const runner = new CommandRunner({ catalog: worldCatalog() });
    const unreachable = new SlackCommands({
      signingSecret: SECRET,
      token: TOKEN,
      apiUrl: `http://127.0.0.1:${port}/api/`,
      runner,
    });
    const e1 = await unreachable.init().catch((e: unknown) => e);
    expect(e1).toBeInstanceOf(SlackStartError);
    expect((e1 as SlackStartError).reason).toBe('unreachable');
    expect((e1 as Error).message).toMatch(/unreachable \(ECONNREFUSED\)/);
    expect((e1 as Error).message).not.toContain('did not accept SLACK_BOT_TOKEN');

    const refusing = createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ ok: false, error: 'invalid_auth' }));
    });
    await new Promise<void>((r) => refusing.listen(0, '127.0.0.1', () => r()));
    try {
      const e2 = await new SlackCommands({
        signingSecret: SECRET,
        token: TOKEN,
        apiUrl: `http://127.0.0.1:${(refusing.address() as AddressInfo).port}/api/`,
        runner,
      })
        .init()
        .catch((e: unknown) => e);
      expect((e2 as SlackStartError).reason).toBe('refused');
      expect((e2 as Error).message).toContain('did not accept SLACK_BOT_TOKEN (auth.test: invalid_auth)');
    } finally {
      await new Promise<void>((r) => refusing.close(() => r()));
    }
  });
});

describe('HOST', () => {
  const env = { DISCORD_PUBLIC_KEY: 'a'.repeat(64), DISCORD_APP_ID: '1234567890123456789' };
  it('defaults to loopback, takes an address, refuses anything else by name', () => {
    let publicHex = '';
    publicHex = ed25519Pair().publicHex;
    const base = { ...env, DISCORD_PUBLIC_KEY: publicHex };
    expect(loadHttpConfig(base).host).toBe('127.0.0.1');
    expect(DEFAULT_HOST).toBe('127.0.0.1');
    expect(loadHttpConfig({ ...base, HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
    expect(loadHttpConfig({ ...base, HOST: '::' }).host).toBe('::');
    expect(() => loadHttpConfig({ ...base, HOST: 'every interface' })).toThrow(
      /HOST must be an IP address .* got "every interface"/,
    );
    expect(() => loadHttpConfig({ ...base, WORDVEC_HTTP_MAX_CONNECTIONS: '0' })).toThrow(
      /WORDVEC_HTTP_MAX_CONNECTIONS must be a whole number from 1/,
    );
    expect(loadHttpConfig({ ...base, WORDVEC_HTTP_REQUEST_TIMEOUT: '2.5' }).limits.requestTimeoutMs).toBe(
      2500,
    );
  });
});

describe('local chat: a line without a slash', () => {
  async function chat(line: string): Promise<string> {
    const input = new PassThrough();
    const output = new PassThrough();
    let text = '';
    output.on('data', (c) => {
      text += c;
    });
    input.end(`${line}\n`);
    await runLocalChat({
      runner: new CommandRunner({ catalog: worldCatalog() }),
      input,
      output,
      interactive: false,
    });
    return text;
  }
  it('suggests the line as a command, or /similar with the word typed, never "/similar similar"', async () => {
    expect(await chat('similar king')).toContain('did you mean /similar king?');
    expect(await chat('similar king')).not.toContain('/similar similar');
    expect(await chat('pizza')).toContain('did you mean /similar pizza?');
    const odd = await chat('what is \u001b this');
    expect(odd).toContain('e.g. /similar king');
    expect(odd).not.toContain('\u001b');
  });
});
