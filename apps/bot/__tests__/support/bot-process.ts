import { type ChildProcess, spawn } from 'node:child_process';
import type { KeyObject } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import type { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { discordHeaders, type Posted, post } from './http-signing.js';

export const httpMain = fileURLToPath(new URL('../../dist/http-main.js', import.meta.url));
export const APP_ID = '123456789012345678';

/** The environment of a child: ours without any bot settings a developer may have exported. */
export function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!/^(DISCORD_|SLACK_|WORDVEC_|REDIS_|PORT$)/.test(k)) env[k] = v;
  }
  // An empty working directory, so a developer's .env (read from INIT_CWD and cwd) cannot leak in.
  const cwd = mkdtempSync(join(tmpdir(), 'wordvec-cwd-'));
  return { ...env, INIT_CWD: cwd, ...extra };
}

let interactionId = 0;

/** One `node dist/http-main.js` (a replica behind a load balancer), answering signed Discord interactions. */
export class BotProcess {
  child!: ChildProcess;
  port = 0;
  stdout = '';
  stderr = '';

  /**
   * @param agent - when given, commands go over its kept-alive connections (`node:http`) instead of
   *   `fetch` (see `post`): what a load generator uses.
   */
  constructor(
    readonly env: Record<string, string>,
    readonly privateKey: KeyObject,
    readonly agent?: Agent,
  ) {}

  async start(): Promise<this> {
    this.stdout = '';
    this.child = spawn(process.execPath, [httpMain], {
      env: cleanEnv({ PORT: '0', DISCORD_APP_ID: APP_ID, ...this.env }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout!.setEncoding('utf8');
    this.child.stderr!.setEncoding('utf8');
    this.child.stderr!.on('data', (c: string) => {
      this.stderr += c;
    });
    this.port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no "http listening" line; ${this.stdout} ${this.stderr}`)),
        20_000,
      );
      this.child.once('exit', (code) => reject(new Error(`exited with ${code}: ${this.stderr}`)));
      this.child.stdout!.on('data', (c: string) => {
        this.stdout += c;
        const m = /"msg":"http listening","port":(\d+)/.exec(this.stdout);
        if (m) {
          clearTimeout(timer);
          resolve(Number(m[1]));
        }
      });
    });
    return this;
  }

  /** SIGKILL: the process dies mid-game without any chance to clean up. */
  async kill(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.kill('SIGKILL');
    await exited;
  }

  /**
   * Sends a signed slash-command interaction from `user` in `channel`; `sub` is a subcommand
   * (`/game start`) holding the options.
   */
  async command(
    name: string,
    options: Record<string, string>,
    user: string,
    channel: string,
    sub?: string,
  ): Promise<Posted & { title: string; text: string; ephemeral: boolean }> {
    const opts = Object.entries(options).map(([k, v]) => ({ name: k, type: 3, value: v }));
    const body = JSON.stringify({
      id: `${Date.now()}${++interactionId}`,
      type: 2,
      token: `tok-${interactionId}`,
      application_id: APP_ID,
      channel_id: channel,
      member: { user: { id: user, username: `user${user}` } },
      data: { name, options: sub ? [{ name: sub, type: 1, options: opts }] : opts },
    });
    const r = await post(
      `http://127.0.0.1:${this.port}/discord/interactions`,
      body,
      {
        'content-type': 'application/json',
        ...discordHeaders(this.privateKey, body, Math.floor(Date.now() / 1000)),
      },
      this.agent,
    );
    const embed = r.json?.data?.embeds?.[0] ?? {};
    return {
      ...r,
      title: String(embed.title ?? ''),
      text: `${embed.title ?? ''}\n${embed.description ?? ''}`,
      ephemeral: r.json?.data?.flags === 64,
    };
  }
}
