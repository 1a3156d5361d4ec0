import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KeyedVectors } from '@wordvec/embeddings';
import { VectorStore } from '@wordvec/vector-store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_ID, FakeDiscord } from './support/fake-discord.js';
import { FakeSlack } from './support/fake-slack.js';
import { discordHeaders, ed25519Pair, post, slackHeaders } from './support/http-signing.js';
import { worldStore } from './support/world-store.js';

const main = fileURLToPath(new URL('../dist/http-main.js', import.meta.url));
const keys = ed25519Pair();
const SLACK_SECRET = 'abcdef0123456789abcdef0123456789';
const SLACK_TOKEN = 'xoxb-11-22-e2etokenvalue';

/** The environment of a child: ours without any bot settings a developer may have exported. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!/^(DISCORD_|SLACK_|WORDVEC_|PORT$)/.test(k)) env[k] = v;
  }
  // An empty working directory, so a developer's .env (read from INIT_CWD and cwd) cannot leak in.
  const cwd = mkdtempSync(join(tmpdir(), 'wordvec-cwd-'));
  return { ...env, INIT_CWD: cwd, ...extra };
}

describe.skipIf(!existsSync(main))('`node dist/http-main.js` (pnpm start:http)', () => {
  let fake: FakeDiscord;
  let slack: FakeSlack;
  let child: ChildProcess;
  let stdout = '';
  let stderr = '';
  let port = 0;

  beforeAll(async () => {
    fake = await new FakeDiscord().listen();
    slack = await new FakeSlack().listen();
    child = spawn(process.execPath, [main], {
      env: cleanEnv({
        WORDVEC_STORE: worldStore(),
        DISCORD_PUBLIC_KEY: keys.publicHex,
        DISCORD_APP_ID: APP_ID,
        DISCORD_API_BASE: fake.apiBase,
        SLACK_SIGNING_SECRET: SLACK_SECRET,
        SLACK_BOT_TOKEN: SLACK_TOKEN,
        SLACK_API_URL: slack.apiUrl,
        PORT: '0',
      }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (c: string) => {
      stderr += c;
    });
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (c: string) => {
      stdout += c;
    });
    port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no "http listening" line; stdout: ${stdout} stderr: ${stderr}`)),
        20_000,
      );
      child.stdout!.on('data', () => {
        const m = /"msg":"http listening","port":(\d+)/.exec(stdout);
        if (m) {
          clearTimeout(timer);
          resolve(Number(m[1]));
        }
      });
    });
  });

  afterAll(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    await fake?.close();
    await slack?.close();
  });

  it('serves the health check, Discord and Slack from the store, then stops on SIGTERM', async () => {
    const health = await (await fetch(`http://127.0.0.1:${port}/healthz`)).json();
    expect(health).toMatchObject({ status: 'ok', discord: true, slack: true, model: 'world' });
    expect(slack.calls.some((c) => c.path === '/api/auth.test')).toBe(true);
    const url = `http://127.0.0.1:${port}/discord/interactions`;
    const ping = JSON.stringify({ id: '1', type: 1, application_id: APP_ID });
    const now = Math.floor(Date.now() / 1000);
    expect((await post(url, ping, discordHeaders(keys.privateKey, ping, now))).json).toEqual({ type: 1 });
    const body = JSON.stringify({
      id: '2',
      type: 2,
      token: 'tok',
      application_id: APP_ID,
      data: { name: 'similar', options: [{ name: 'word', type: 3, value: 'pizza' }] },
      user: { id: '42' },
    });
    const r = await post(url, body, discordHeaders(keys.privateKey, body, now));
    // Type 4 once the model is in memory; type 5 and a webhook edit if the request beat the load.
    const text =
      r.json.type === 4
        ? JSON.stringify(r.json.data)
        : JSON.stringify((await fake.waitFor((q) => q.method === 'PATCH')).body);
    expect(text).toContain('pasta');
    expect((await post(url, body, {})).status).toBe(401);
    const form = new URLSearchParams({
      command: '/similarity',
      text: 'pizza pasta',
      user_id: 'U1',
      team_id: 'T1',
      response_url: slack.responseUrl('1'),
      trigger_id: 't1',
    }).toString();
    const slackAnswer = await post(`http://127.0.0.1:${port}/slack/events`, form, {
      'content-type': 'application/x-www-form-urlencoded',
      ...slackHeaders(SLACK_SECRET, form, now),
    });
    expect(slackAnswer.status).toBe(200);
    // The answer itself, or (if the model was still loading) an ephemeral notice, then the answer at response_url.
    const slackMessage = slackAnswer.json.blocks
      ? slackAnswer.json
      : JSON.parse((await slack.waitFor((c) => c.path === '/respond/1')).body);
    expect(JSON.stringify(slackMessage.blocks)).toContain('pasta');
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stdout).toContain('"msg":"stopped"');
    expect(stdout).not.toContain(SLACK_SECRET);
    expect(stdout).not.toContain(SLACK_TOKEN);
  });

  it('exits 1 with specific messages when misconfigured', () => {
    const none = spawnSync(process.execPath, [main], {
      env: cleanEnv({ WORDVEC_WEB: '0' }),
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(none.status).toBe(1);
    expect(none.stderr).toContain('nothing to serve');
    const secret = 'zz-secret-value-that-must-not-show';
    const bad = spawnSync(process.execPath, [main], {
      env: cleanEnv({
        SLACK_SIGNING_SECRET: secret,
        SLACK_BOT_TOKEN: 'xoxb-1-2-3',
        WORDVEC_STORE: '/nonexistent/x.db',
      }),
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('SLACK_SIGNING_SECRET must be the hexadecimal signing secret');
    expect(bad.stderr).not.toContain(secret);
    expect(bad.stderr).not.toContain('    at ');
  });
});

describe.skipIf(!existsSync(main))('`/healthz` of a running server follows the store', () => {
  it('reports the default model as it is now: deleted, then replaced', async () => {
    const storePath = worldStore();
    const child = spawn(process.execPath, [main], {
      env: cleanEnv({
        WORDVEC_STORE: storePath,
        DISCORD_PUBLIC_KEY: keys.publicHex,
        DISCORD_APP_ID: APP_ID,
        PORT: '0',
      }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      let stdout = '';
      child.stdout!.setEncoding('utf8');
      const port = await new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no "http listening" line: ${stdout}`)), 20_000);
        child.stdout!.on('data', (c: string) => {
          stdout += c;
          const m = /"msg":"http listening","port":(\d+)/.exec(stdout);
          if (m) {
            clearTimeout(timer);
            resolve(Number(m[1]));
          }
        });
      });
      expect(stdout).toMatch(/"msg":"http listening","port":\d+,"host":"127\.0\.0\.1"/);
      const health = async () =>
        (await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()) as { model: string | null };
      expect(await health()).toMatchObject({ model: 'world' });
      const store = VectorStore.open(storePath);
      try {
        store.deleteModel('world');
        expect((await health()).model).toBe('tiny');
        store.putModel(
          'fresh',
          new KeyedVectors({ words: ['x', 'y'], vectors: new Float32Array([1, 0, 0, 1]), dim: 2 }),
        );
        store.setDefault('fresh');
        expect((await health()).model).toBe('fresh');
      } finally {
        store.close();
      }
    } finally {
      child.kill('SIGKILL');
    }
  });
});
