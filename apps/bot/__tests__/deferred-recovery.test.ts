/**
 * Deferred replies in flight live in the bot state: when the replica that acknowledged a command
 * ("thinking…") stops before answering, another replica finishes it through the same webhook, once.
 * Two DiscordInteractions on one SQLite state file stand for two replicas; closing one's state
 * connection and server is what a killed process leaves behind (its lease is no longer renewed).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../src/core/logger.js';
import { RateLimiter } from '../src/core/rate-limiter.js';
import { CommandRunner } from '../src/core/runner.js';
import { DiscordInteractions, type DiscordPendingRequest } from '../src/http/discord-interactions.js';
import { discordPublicKey } from '../src/http/discord-signature.js';
import { type HttpService, startHttpServer } from '../src/http/http-server.js';
import { PendingReplies } from '../src/http/pending-replies.js';
import { SlackCommands, type SlackPendingRequest } from '../src/http/slack-commands.js';
import { SqliteState } from '../src/state/sqlite-state.js';
import { APP_ID, FakeDiscord } from './support/fake-discord.js';
import { FakeSlack } from './support/fake-slack.js';
import { discordHeaders, ed25519Pair, post, slackHeaders } from './support/http-signing.js';
import { worldCatalog } from './support/memory-catalog.js';

const keys = ed25519Pair();
const LEASE_MS = 150;
let dir = '';
let fake: FakeDiscord;
let fakeSlack: FakeSlack;
const SLACK_SECRET = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
const opened: { service: HttpService; state: SqliteState }[] = [];

interface Replica {
  discord: DiscordInteractions;
  slack: SlackCommands;
  state: SqliteState;
  service: HttpService;
  url: string;
  slackUrl: string;
  commands: () => number;
  /** What http-main runs every 10 s: finish what stopped replicas left. */
  recover: () => Promise<number>;
}

async function replica(name: string, loadDelayMs: number, rateLimit = 10): Promise<Replica> {
  const state = SqliteState.open(join(dir, 'bot-state.db'));
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({ write: (l) => lines.push(JSON.parse(l)) });
  const runner = new CommandRunner({
    catalog: worldCatalog({ loaded: false, loadDelayMs }),
    logger,
    limiter: new RateLimiter({ limit: rateLimit, windowMs: 60_000, state }),
  });
  const pending = new PendingReplies({ state, owner: name, leaseMs: LEASE_MS, logger });
  const discord = new DiscordInteractions({
    publicKey: discordPublicKey(keys.publicHex),
    appId: APP_ID,
    apiBase: fake.apiBase,
    runner,
    logger,
    pending,
  });
  const slack = new SlackCommands({
    signingSecret: SLACK_SECRET,
    token: 'xoxb-1-2-recovery',
    apiUrl: fakeSlack.apiUrl,
    runner,
    logger,
    pending,
  });
  await slack.init();
  const service = await startHttpServer({ discord, slack, logger }, 0, '127.0.0.1');
  opened.push({ service, state });
  return {
    discord,
    slack,
    state,
    service,
    url: `http://127.0.0.1:${service.port}/discord/interactions`,
    slackUrl: `http://127.0.0.1:${service.port}/slack/events`,
    commands: () => lines.filter((l) => l.msg === 'command').length,
    recover: () =>
      pending.recover({
        discord: (request: DiscordPendingRequest, held) => discord.finishRecovered(request, held),
        slack: (request: SlackPendingRequest, held) => slack.finishRecovered(request, held),
      }),
  };
}

let seq = 0;
function similarBody(word: string, user = '424242424242424242') {
  seq++;
  const token = `recovery-token-${seq}`;
  const body = JSON.stringify({
    id: `80000000000000${String(seq).padStart(4, '0')}`,
    application_id: APP_ID,
    type: 2,
    token,
    data: { name: 'similar', type: 1, options: [{ name: 'word', type: 3, value: word }] },
    member: { user: { id: user } },
  });
  return { body, token };
}

function slackSimilar(word: string) {
  seq++;
  const id = `recovery-${seq}`;
  const body = new URLSearchParams({
    team_id: 'T1',
    channel_id: 'C1',
    user_id: 'U777',
    user_name: 'someone',
    command: '/similar',
    text: word,
    response_url: fakeSlack.responseUrl(id),
    trigger_id: `trigger-recovery-${seq}`,
  }).toString();
  return { body, id };
}

function sendSlack(r: Replica, body: string) {
  const headers = slackHeaders(SLACK_SECRET, body, Math.floor(Date.now() / 1000));
  return post(r.slackUrl, body, { 'content-type': 'application/x-www-form-urlencoded', ...headers });
}

function send(r: Replica, body: string) {
  const headers = discordHeaders(keys.privateKey, body, Math.floor(Date.now() / 1000));
  return post(r.url, body, { 'content-type': 'application/json', ...headers });
}

const editOf = (token: string) => (q: { method: string; path: string }) =>
  q.method === 'PATCH' && q.path === `/api/v10/webhooks/${APP_ID}/${token}/messages/@original`;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wordvec-deferred-'));
  fake = await new FakeDiscord().listen();
  fakeSlack = await new FakeSlack().listen();
});

afterAll(async () => {
  for (const { service, state } of opened) {
    // The dead replica's abandoned request would hold its server's drain: do not wait for it.
    await Promise.race([service.stop().catch(() => {}), sleep(200)]);
    await state.close();
  }
  await fake?.close();
  await fakeSlack?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('deferred replies in flight survive the replica that deferred them', () => {
  it('a live replica keeps its reply: no other takes it over while it renews the lease', async () => {
    const a = await replica('a-live', 4 * LEASE_MS);
    const b = await replica('b-live', 0);
    const { body, token } = similarBody('king');
    expect((await send(a, body)).json).toEqual({ type: 5 });
    // Several leases pass while A still loads; B finds nothing to take.
    for (let i = 0; i < 3; i++) {
      await sleep(LEASE_MS);
      expect(await b.recover()).toBe(0);
    }
    const edit = await fake.waitFor(editOf(token));
    expect((edit.body as { embeds: { description: string }[] }).embeds[0].description).toContain('prince');
    await sleep(2 * LEASE_MS);
    // Answered and cleared: nothing left for anyone, and B ran no command.
    expect(await b.recover()).toBe(0);
    expect(b.commands()).toBe(0);
    expect(fake.requests.filter(editOf(token))).toHaveLength(1);
  });

  it('a replica stopped after "thinking…" has its answer sent by another, once, not charged twice', async () => {
    // A never gets its model loaded in time; its process then goes (state connection and server closed).
    const a = await replica('a-dies', 60_000);
    const b = await replica('b-finishes', 0, 2);
    const user = '515151515151515151';
    const { body, token } = similarBody('king', user);
    expect((await send(a, body)).json).toEqual({ type: 5 });
    // (Its server stops taking requests; the one in flight is abandoned, as a killed process's is.)
    void a.service.stop().catch(() => {});
    await a.state.close();
    // Before the lease runs out the reply is still A's.
    expect(await b.recover()).toBe(0);
    await sleep(2 * LEASE_MS);
    expect(await b.recover()).toBe(1);
    const edit = await fake.waitFor(editOf(token));
    const data = edit.body as { embeds: { title: string; description: string }[]; allowed_mentions: unknown };
    expect(data.embeds[0].title).toContain('king');
    expect(data.embeds[0].description).toContain('prince');
    expect(data.allowed_mentions).toEqual({ parse: [] });
    // Finished: a later sweep finds nothing, and the edit went out once.
    await sleep(2 * LEASE_MS);
    expect(await b.recover()).toBe(0);
    expect(fake.requests.filter(editOf(token))).toHaveLength(1);
    // A's rate-limit hit was the only one for that request: B (limit 2 a minute, one used by A) still answers the user.
    // (The recovery loaded B's model, so B answers at once.)
    const reply = await send(b, similarBody('queen', user).body);
    expect(reply.json.type).toBe(4);
    expect(reply.json.data.embeds[0].title).toContain('queen');
    // One more is over the limit: the shared limiter does count this user's requests.
    const over = await send(b, similarBody('queen', user).body);
    expect(over.json.data.embeds[0].title).toContain('Slow down');
  });

  it('Slack: a command acknowledged by a stopped replica is answered on its response_url by another, once', async () => {
    const a = await replica('a-slack-dies', 60_000);
    const b = await replica('b-slack', 0);
    const { body, id } = slackSimilar('king');
    const ack = await sendSlack(a, body);
    expect(ack.status).toBe(200);
    expect(ack.json).toMatchObject({ response_type: 'ephemeral' });
    void a.service.stop().catch(() => {});
    await a.state.close();
    expect(await b.recover()).toBe(0);
    await sleep(2 * LEASE_MS);
    expect(await b.recover()).toBe(1);
    const answer = await fakeSlack.waitFor((c) => c.path === `/respond/${id}`);
    const message = JSON.parse(answer.body);
    expect(message.response_type).toBe('in_channel');
    expect(JSON.stringify(message.blocks)).toContain('prince');
    await sleep(2 * LEASE_MS);
    expect(await b.recover()).toBe(0);
    expect(fakeSlack.calls.filter((c) => c.path === `/respond/${id}`)).toHaveLength(1);
  });

  it('a reply of a transport a replica does not serve goes straight back to the others, not held for a lease', async () => {
    const state = SqliteState.open(join(dir, 'hand-back.db'));
    try {
      let now = 1_000_000;
      const clock = () => now;
      const request: DiscordPendingRequest = {
        transport: 'discord',
        command: 'similar',
        options: { word: 'king' },
        user: 'discord:1',
        userName: 'one',
        token: 'tok-hand-back',
      };
      // Deferred by a replica that died: its lease has run out.
      const reply = { id: 'hand-back-1', payload: JSON.stringify(request), expiresAtMs: now + 900_000 };
      expect(await state.holdPending(reply, 'dead', now - 1)).toBe(true);
      const slackOnly = new PendingReplies({ state, owner: 'slack-only', leaseMs: 30_000, now: clock });
      const both = new PendingReplies({ state, owner: 'both', leaseMs: 30_000, now: clock });
      const slackRuns: unknown[] = [];
      const discordRuns: DiscordPendingRequest[] = [];
      const finishers = {
        slack: async (r: SlackPendingRequest) => void slackRuns.push(r),
        discord: async (r: DiscordPendingRequest) => void discordRuns.push(r),
      };

      // The Slack-only replica claims it, cannot finish it, and hands it back at once.
      expect(await slackOnly.recover({ slack: finishers.slack })).toBe(0);
      expect(slackRuns).toEqual([]);
      // The same moment, not a 30 s lease later: a replica that serves Discord takes it and finishes it.
      now += 1;
      expect(await both.recover(finishers)).toBe(1);
      expect(discordRuns).toEqual([request]);
      // Finished: nobody gets it again.
      now += 60_000;
      expect(await both.recover(finishers)).toBe(0);
      expect(await slackOnly.recover({ slack: finishers.slack })).toBe(0);
      expect(await state.claimPending('anyone', now, 30_000, 10)).toEqual([]);
    } finally {
      await state.close();
    }
  });
});
