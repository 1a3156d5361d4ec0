import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Shard, ShardingManager } from 'discord.js';
import { afterAll, describe, expect, it } from 'vitest';
import { APP_ID, FakeDiscord, interaction } from './support/fake-discord.js';
import { worldStore } from './support/world-store.js';

const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const TOKEN = 'shard-test-token.abcdefghijklmnop';

describe.skipIf(!existsSync(main))('the built bot under discord.js ShardingManager', () => {
  let fake: FakeDiscord | undefined;
  const saved = { ...process.env };
  afterAll(async () => {
    process.env = saved;
    await fake?.close();
  });

  it('runs two shards that each answer their own interactions, then stop on SIGTERM with exit code 0', async () => {
    fake = await new FakeDiscord().listen();
    // The manager forks shards with a copy of this process's environment.
    Object.assign(process.env, {
      DISCORD_API_BASE: fake.apiBase,
      DISCORD_APP_ID: APP_ID,
      WORDVEC_STORE: worldStore(),
    });
    const manager = new ShardingManager(main, {
      totalShards: 2,
      token: TOKEN,
      respawn: false,
      silent: true,
      execArgv: [],
    });
    const logs: string[] = [];
    const errors: string[] = [];
    manager.on('shardCreate', (shard: Shard) => {
      shard.on('spawn', (child) => {
        child.stdout?.on('data', (b: Buffer) => logs.push(String(b)));
        child.stderr?.on('data', (b: Buffer) => errors.push(String(b)));
      });
    });
    await manager.spawn({ amount: 2, delay: 0, timeout: 20_000 }).catch((e) => {
      throw new Error(`${e.message}\n${errors.join('')}\n${logs.join('')}`);
    });
    await fake.waitForSessions(2);
    expect(fake.sessions.map((s) => s.shard).sort()).toEqual([
      [0, 2],
      [1, 2],
    ]);

    for (const shardId of [0, 1]) {
      const i = interaction(
        2,
        'similar',
        [{ name: 'word', type: 3, value: 'king' }],
        `70000000000000000${shardId}`,
      );
      fake.sendInteraction(i.payload, shardId);
      const first = await fake.waitFor(
        (r) => r.path === `/api/v10/interactions/${i.id}/${i.token}/callback`,
        10_000,
      );
      // Answered at once (type 4) or deferred while the shard loads its matrix, then edited.
      const body =
        (first.body as { type: number; data?: { embeds: { title: string }[] } }).type === 4
          ? (first.body as { data: { embeds: { title: string }[] } }).data
          : ((
              await fake.waitFor(
                (r) =>
                  r.method === 'PATCH' &&
                  r.path === `/api/v10/webhooks/${APP_ID}/${i.token}/messages/@original`,
              )
            ).body as { embeds: { title: string }[] });
      expect(body.embeds[0].title).toBe('Words similar to “king”');
    }

    const exits = [...manager.shards.values()].map(
      (shard) =>
        new Promise<number | null>((resolve) => shard.process!.once('exit', (code) => resolve(code))),
    );
    for (const shard of manager.shards.values()) shard.process!.kill('SIGTERM');
    expect(await Promise.all(exits)).toEqual([0, 0]);

    const lines = logs
      .join('')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.filter((l) => l.msg === 'command').map((l) => l.outcome)).toEqual(['ok', 'ok']);
    expect(lines.filter((l) => l.msg === 'stopped')).toHaveLength(2);
    expect(logs.join('')).not.toContain(TOKEN);
  });
});
