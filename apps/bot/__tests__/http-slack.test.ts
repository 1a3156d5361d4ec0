import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../src/core/logger.js';
import { RateLimiter } from '../src/core/rate-limiter.js';
import { CommandRunner } from '../src/core/runner.js';
import { type HttpService, startHttpServer } from '../src/http/http-server.js';
import { escapeSlack, toSlackMessage } from '../src/http/slack-blocks.js';
import { SlackCommands } from '../src/http/slack-commands.js';
import { FakeSlack } from './support/fake-slack.js';
import { couldPing, post, slackHeaders } from './support/http-signing.js';
import { worldCatalog } from './support/memory-catalog.js';
import { expectPng } from './support/png-check.js';

const SECRET = '8f742231b10e8888abcd99yyyzzz85a5'.replace(/[yz]/g, 'e');
const TOKEN = 'xoxb-1234-5678-testtokenvalue';

let fake: FakeSlack;
let service: HttpService;
let url = '';
let logText = '';
let catalog = worldCatalog();
let limiterClock = 0;
let seq = 0;

/** A slash command as Slack POSTs it (form-encoded). */
function commandBody(command: string, text: string, user = 'U111'): string {
  seq++;
  return new URLSearchParams({
    token: 'deprecated-verification-token',
    team_id: 'T1',
    team_domain: 'test',
    channel_id: 'C1',
    channel_name: 'general',
    user_id: user,
    user_name: 'someone',
    command,
    text,
    api_app_id: 'A1',
    is_enterprise_install: 'false',
    response_url: fake.responseUrl(String(seq)),
    trigger_id: `trigger-${seq}`,
  }).toString();
}

function send(body: string, headers = slackHeaders(SECRET, body, Math.floor(Date.now() / 1000))) {
  return post(url, body, { 'content-type': 'application/x-www-form-urlencoded', ...headers });
}

const commandsRun = () => logText.split('\n').filter((l) => l.includes('"msg":"command"')).length;

beforeAll(async () => {
  fake = await new FakeSlack().listen();
  const logger = createLogger({
    write: (l) => {
      logText += l;
    },
    secrets: [SECRET, TOKEN],
  });
  const runner = new CommandRunner({
    catalog: { models: () => catalog.models(), model: (n?: string) => catalog.model(n), close: () => {} },
    logger,
    limiter: new RateLimiter({ limit: 4, windowMs: 60_000, now: () => limiterClock }),
  });
  const slack = new SlackCommands({
    signingSecret: SECRET,
    token: TOKEN,
    apiUrl: fake.apiUrl,
    runner,
    logger,
  });
  await slack.init();
  service = await startHttpServer({ slack, logger }, 0, '127.0.0.1');
  url = `http://127.0.0.1:${service.port}/slack/events`;
});

afterAll(async () => {
  await service?.stop();
  await fake?.close();
});

beforeEach(() => {
  catalog = worldCatalog();
  limiterClock += 61_000;
  logText = '';
});

describe('Slack slash commands: answers', () => {
  it('checked the bot token with auth.test on the configured API URL', () => {
    const auth = fake.calls.find((c) => c.path === '/api/auth.test');
    expect(auth).toBeDefined();
    expect(new URLSearchParams(auth!.body).get('token')).toBe(TOKEN);
  });

  it('answers /similar in the acknowledgement with Block Kit', async () => {
    const r = await send(commandBody('/similar', 'pizza 3'));
    expect(r.status).toBe(200);
    expect(r.json.response_type).toBe('in_channel');
    expect(r.json.blocks[0]).toMatchObject({ type: 'header', text: { type: 'plain_text' } });
    expect(r.json.blocks[0].text.text).toContain('pizza');
    const section = r.json.blocks[1].text.text as string;
    expect(section.split('\n')).toHaveLength(3);
    expect(section).toContain('pasta');
    expect(r.json.blocks.at(-1).type).toBe('context');
    expect(commandsRun()).toBe(1);
  });

  it('answers every command, named options included', async () => {
    const cases: [string, string, string][] = [
      ['/analogy', 'king man woman', 'queen'],
      ['/similarity', 'pizza pasta', '0.'],
      ['/oov', 'pizzaiolo', 'pizzaiolo'],
      ['/doesntmatch', 'breakfast lunch dinner cat', 'cat'],
      ['/models', '', 'world'],
      ['/similar', 'word:king count:1 model:world', 'prince'],
    ];
    for (const [command, text, expected] of cases) {
      const r = await send(commandBody(command, text, `U-${command}`));
      expect(r.status, command).toBe(200);
      expect(JSON.stringify(r.json.blocks), command).toContain(expected);
    }
  });

  it('acknowledges at once while the model loads, then answers through response_url', async () => {
    catalog = worldCatalog({ loaded: false, loadDelayMs: 50 });
    const body = commandBody('/similar', 'king 2');
    const id = new URLSearchParams(body).get('response_url')!.split('/').pop();
    const r = await send(body);
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ response_type: 'ephemeral' });
    const later = await fake.waitFor((c) => c.path === `/respond/${id}`);
    const message = JSON.parse(later.body);
    expect(message.response_type).toBe('in_channel');
    expect(JSON.stringify(message.blocks)).toContain('prince');
  });

  it('draws /plot: acknowledges, answers through response_url, and uploads the PNG into the channel with files.uploadV2', async () => {
    const body = commandBody('/plot', 'king queen man woman projection:umap');
    const id = new URLSearchParams(body).get('response_url')!.split('/').pop();
    const before = fake.uploads.length;
    const r = await send(body);
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ response_type: 'ephemeral', text: 'Drawing the picture, one moment…' });
    const later = JSON.parse((await fake.waitFor((c) => c.path === `/respond/${id}`)).body);
    expect(later.response_type).toBe('in_channel');
    expect(later.blocks[0].text.text).toBe('Map of 4 words');
    await fake.waitFor((c) => c.path === '/api/files.completeUploadExternal');
    const upload = fake.uploads[before];
    expect(upload).toMatchObject({ channelId: 'C1', filename: 'plot-king-queen-man-woman.png' });
    expect(upload.altText).toContain('king, queen, man, woman');
    expect(upload.bytes.length).toBe(upload.length);
    expect(expectPng(upload.bytes)).toMatchObject({ width: 960, height: 720 });
    // The upload was authorised with the bot token.
    const step = fake.calls.find((c) => c.path === '/api/files.getUploadURLExternal')!;
    expect(step.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('tells the asker when Slack refuses the picture (bot not in the channel)', async () => {
    fake.channels.delete('C1');
    try {
      const body = commandBody('/analogy', 'king man woman plot:true', 'U-refused');
      const id = new URLSearchParams(body).get('response_url')!.split('/').pop();
      await send(body);
      await vi.waitFor(() => expect(fake.calls.filter((c) => c.path === `/respond/${id}`)).toHaveLength(2), {
        timeout: 5000,
      });
      const [answer, refusal] = fake.calls
        .filter((c) => c.path === `/respond/${id}`)
        .map((c) => JSON.parse(c.body));
      expect(answer.blocks[0].text.text).toContain('queen');
      expect(refusal.response_type).toBe('ephemeral');
      expect(refusal.blocks[1].text.text).toContain(
        escapeSlack('Slack refused the picture (not_in_channel).'),
      );
    } finally {
      fake.channels.add('C1');
    }
  });

  it('answers bad input with an ephemeral error', async () => {
    const oov = await send(commandBody('/similar', 'pizzza'));
    expect(oov.json.response_type).toBe('ephemeral');
    expect(JSON.stringify(oov.json.blocks)).toContain('Did you mean: pizza');
    const extra = await send(commandBody('/similarity', 'a b c d'));
    expect(extra.json.response_type).toBe('ephemeral');
    const missing = await send(commandBody('/analogy', ''));
    expect(JSON.stringify(missing.json.blocks)).toContain('needs “a”');
  });
});

describe('Slack slash commands: refused requests run nothing', () => {
  it('401 for a forged signature, a tampered body, missing headers and a stale or future timestamp', async () => {
    const body = commandBody('/similar', 'pizza');
    const now = Math.floor(Date.now() / 1000);
    const forged = await send(body, slackHeaders('0123456789abcdef0123456789abcdef', body, now));
    expect(forged.status).toBe(401);
    const good = slackHeaders(SECRET, body, now);
    expect((await send(body.replace('pizza', 'pasta'), good)).status).toBe(401);
    expect((await send(body, { ...good, 'x-slack-request-timestamp': String(now - 1) })).status).toBe(401);
    expect((await send(body, {})).status).toBe(401);
    expect((await send(body, slackHeaders(SECRET, body, now - 6 * 60))).status).toBe(401);
    expect((await send(body, slackHeaders(SECRET, body, now + 6 * 60))).status).toBe(401);
    expect(commandsRun()).toBe(0);
    expect((await send(body, good)).status).toBe(200);
    expect(commandsRun()).toBe(1);
  });

  it('413 for a body over 64 KiB', async () => {
    const body = commandBody('/similar', 'x'.repeat(70 * 1024));
    const r = await send(body);
    expect(r.status).toBe(413);
    expect(commandsRun()).toBe(0);
  });

  it('never logs the signing secret or the bot token', async () => {
    await send(commandBody('/similar', 'pizza'), slackHeaders(SECRET.replace('8', '9'), 'x', 1));
    await send(commandBody('/similar', `${SECRET} ${TOKEN}`));
    expect(logText).not.toContain(SECRET);
    expect(logText).not.toContain(TOKEN);
  });
});

describe('Slack slash commands: abuse', () => {
  const limits: [string, string][] = [
    ['empty', ''],
    ['101 characters', 'p'.repeat(101)],
    ['a control character', 'piz\u0007za'],
    ['a right-to-left override', 'piz\u202eza'],
    ['@everyone', '@everyone'],
    ['@channel', '@channel'],
    ['<!channel>', '<!channel>'],
    ['<!here>', '<!here|here>'],
    ['a user mention', '<@U024BE7LH>'],
    ['a link', '<https://evil.example|click>'],
    ['an entity', '&lt;!channel&gt;'],
    ['markdown', '*pizza* _x_ ~y~ `z` > q'],
  ];
  it.each(limits)('answers text that is %s without anything that pings', async (_what, value) => {
    for (const text of [value, `word:${value}`, `pizza model:"${value}"`]) {
      const r = await send(commandBody('/similar', text, `U-${value}`));
      expect(r.status).toBe(200);
      const json = JSON.stringify(r.json);
      expect(couldPing(json), json).toBe(false);
    }
  });

  it('names what is wrong with option values at their limits', async () => {
    const text = async (t: string) =>
      JSON.stringify((await send(commandBody('/similar', t, `U-${t}`))).json.blocks);
    expect(await text('p'.repeat(101))).toContain('101 characters long; the limit is 100');
    expect(await text('piz\u202eza')).toContain('U+202E');
    expect(await text('pizza 0')).toContain('from 1 to 25, got 0');
  });

  it('limits a flooding user and nobody else', async () => {
    const titles: string[] = [];
    for (let i = 0; i < 6; i++) {
      const r = await send(commandBody('/similar', 'pizza', 'UFLOOD'));
      titles.push(r.json.blocks[0].text.text);
    }
    expect(titles.filter((t) => t.includes('Slow down'))).toHaveLength(2);
    const other = await send(commandBody('/similar', 'pizza', 'UCALM'));
    expect(other.json.blocks[0].text.text).toContain('pizza');
  });
});

describe('Block Kit rendering', () => {
  it('escapes &, < and > in mrkdwn and breaks bare mentions', () => {
    expect(escapeSlack('<!channel> & <@U1> @here')).toBe(
      '&lt;!channel&gt; &amp; &lt;@\u200bU1&gt; @\u200bhere',
    );
    const m = toSlackMessage({
      title: '<!here>',
      lines: ['a <b> & c'],
      footer: '@everyone',
      fields: [{ name: '<@U1>', value: '>' }],
      ephemeral: true,
      error: true,
    });
    expect(m.response_type).toBe('ephemeral');
    expect(couldPing(JSON.stringify(m))).toBe(false);
    expect(m.blocks[1]).toEqual({
      type: 'section',
      text: { type: 'mrkdwn', text: 'a &lt;b&gt; &amp; c', verbatim: true },
    });
  });

  it('keeps within Block Kit limits', () => {
    const m = toSlackMessage({
      title: 't'.repeat(500),
      lines: Array.from({ length: 400 }, () => 'x'.repeat(20)),
      fields: Array.from({ length: 30 }, (_, i) => ({ name: `f${i}`, value: 'v' })),
    });
    const header = m.blocks[0] as { text: { text: string } };
    expect(header.text.text.length).toBeLessThanOrEqual(150);
    const section = m.blocks[1] as { text: { text: string } };
    expect(section.text.text.length).toBeLessThanOrEqual(3000);
    expect((m.blocks[2] as { fields: unknown[] }).fields).toHaveLength(10);
  });
});

describe('graceful stop', () => {
  it('waits for an answer still being posted to response_url, then refuses new requests', async () => {
    catalog = worldCatalog({ loaded: false, loadDelayMs: 300 });
    const body = commandBody('/similar', 'king 2');
    const id = new URLSearchParams(body).get('response_url')!.split('/').pop();
    const ack = await send(body);
    expect(ack.json.text).toContain('Loading the model');
    await service.stop();
    // Stopped only after the answer reached Slack.
    expect(fake.calls.some((c) => c.path === `/respond/${id}`)).toBe(true);
    await expect(send(commandBody('/similar', 'pizza'))).rejects.toThrow();
  });
});
