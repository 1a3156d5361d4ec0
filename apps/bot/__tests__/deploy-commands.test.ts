import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { APP_ID, FakeDiscord, GUILD_ID } from './support/fake-discord.js';

const script = fileURLToPath(new URL('../dist/deploy-commands.js', import.meta.url));

function run(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const { DISCORD_TOKEN: _t, DISCORD_GUILD_ID: _g, ...rest } = process.env;
  // An empty working directory, so a developer's .env cannot leak in.
  const cwd = mkdtempSync(join(tmpdir(), 'wordvec-cwd-'));
  const child = spawn(process.execPath, [script], { cwd, env: { ...rest, INIT_CWD: cwd, ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (b) => (stdout += b));
  child.stderr.on('data', (b) => (stderr += b));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
}

describe.skipIf(!existsSync(script))('`pnpm deploy-commands` (built dist/deploy-commands.js)', () => {
  it('registers every command in the guild through DISCORD_API_BASE', async () => {
    const fake = await new FakeDiscord().listen();
    try {
      const token = 'deploy-token.abcdefghijklmnop';
      const ok = await run({
        DISCORD_TOKEN: token,
        DISCORD_APP_ID: APP_ID,
        DISCORD_GUILD_ID: GUILD_ID,
        DISCORD_API_BASE: fake.apiBase,
      });
      expect(ok.stderr).toBe('');
      expect(ok.code).toBe(0);
      expect(ok.stdout).toBe(
        `Registered 16 commands (guild ${GUILD_ID}): /similar /analogy /math /similarity /compare /oov /doesntmatch /pmi /cooccur /plot /lens /models /game /guess /hint /giveup\n`,
      );
      expect(fake.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
        `PUT /api/v10/applications/${APP_ID}/guilds/${GUILD_ID}/commands`,
      ]);
    } finally {
      await fake.close();
    }
  });
});
