import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../src/commands/index.js';
import { RateLimiter } from '../src/core/rate-limiter.js';
import { CommandRunner } from '../src/core/runner.js';
import { DiscordBot } from '../src/discord/discord-bot.js';
import { registerCommands } from '../src/discord/register-commands.js';
import { openStoreCatalog, type StoreCatalog } from '../src/store-catalog.js';
import { APP_ID, FakeDiscord, GUILD_ID, interaction, type RecordedRequest } from './support/fake-discord.js';
import { worldCatalog } from './support/memory-catalog.js';
import { expectPng } from './support/png-check.js';
import { worldCooccurrence } from './support/world-cooccurrence.js';
import { worldStore } from './support/world-store.js';

const TOKEN = 'fake-token.for-tests.0123456789';

interface Embed {
  title: string;
  description?: string;
  fields?: { name: string; value: string }[];
  footer?: { text: string };
}
interface Callback {
  type: number;
  data: {
    embeds?: Embed[];
    allowed_mentions?: { parse: string[] };
    flags?: number;
    choices?: { name: string; value: string }[];
  };
}

let fake: FakeDiscord;
let bot: DiscordBot;
let catalog: StoreCatalog;

/** Sends a slash command and returns the interaction callback the bot posted. */
async function command(
  name: string,
  options: Record<string, string | number>,
  user?: string,
): Promise<Callback> {
  const opts = Object.entries(options).map(([n, value]) => ({
    name: n,
    type: (typeof value === 'number' ? 4 : 3) as 3 | 4,
    value,
  }));
  const i = interaction(2, name, opts, user);
  fake.sendInteraction(i.payload);
  const req = await fake.waitFor((r) => r.path === `/api/v10/interactions/${i.id}/${i.token}/callback`);
  return req.body as Callback;
}

beforeAll(async () => {
  fake = await new FakeDiscord().listen();
  // The real store, read-only as the bot opens it; its matrix loads on the first similarity query.
  catalog = await openStoreCatalog(worldStore());
  const runner = new CommandRunner({
    catalog,
    limiter: new RateLimiter({ limit: 3, windowMs: 60_000 }),
  });
  bot = new DiscordBot({ token: TOKEN, apiBase: fake.apiBase, runner });
  await bot.start();
});

afterAll(async () => {
  await bot?.stop();
  catalog?.close();
  await fake?.close();
});

describe('discord.js bot against a fake Discord', () => {
  it('registers every command in the guild with options, limits and autocomplete flags', async () => {
    const { scope, names } = await registerCommands({
      token: TOKEN,
      appId: APP_ID,
      guildId: GUILD_ID,
      apiBase: fake.apiBase,
      commands,
    });
    expect(scope).toBe(`guild ${GUILD_ID}`);
    expect(names).toEqual([
      'similar',
      'analogy',
      'math',
      'similarity',
      'compare',
      'oov',
      'doesntmatch',
      'pmi',
      'cooccur',
      'plot',
      'lens',
      'models',
      'game',
      'guess',
      'hint',
      'giveup',
    ]);
    const put = await fake.waitFor(
      (r) => r.method === 'PUT' && r.path === `/api/v10/applications/${APP_ID}/guilds/${GUILD_ID}/commands`,
    );
    const similar = (put.body as { name: string; options: Record<string, unknown>[] }[])[0];
    expect(similar.options).toEqual([
      expect.objectContaining({ name: 'word', type: 3, required: true, autocomplete: true, max_length: 100 }),
      expect.objectContaining({ name: 'count', type: 4, min_value: 1, max_value: 25 }),
      expect.objectContaining({ name: 'model', type: 3, autocomplete: true }),
    ]);
    // `/analogy … plot:true`: a boolean option (type 5), Discord's True/False picker.
    const analogy = (put.body as { name: string; options: Record<string, unknown>[] }[]).find(
      (c) => c.name === 'analogy',
    )!;
    expect(analogy.options.find((o) => o.name === 'plot')).toEqual(
      expect.objectContaining({ type: 5, required: false }),
    );
    // `/game start [model] [difficulty]`, `/game status`, `/game top`: Discord subcommands (type 1).
    const game = (put.body as { name: string; options: Record<string, unknown>[] }[]).find(
      (c) => c.name === 'game',
    )!;
    expect(game.options.map((o) => [o.type, o.name])).toEqual([
      [1, 'start'],
      [1, 'status'],
      [1, 'top'],
    ]);
    expect(game.options[0].options).toEqual([
      expect.objectContaining({ name: 'model', type: 3, autocomplete: true }),
      expect.objectContaining({
        name: 'difficulty',
        type: 3,
        choices: [
          { name: 'easy', value: 'easy' },
          { name: 'medium', value: 'medium' },
          { name: 'hard', value: 'hard' },
        ],
      }),
    ]);
    expect(game.options[1].options).toEqual([]);
  });

  it('defers while the model loads, then edits the reply with the answer', async () => {
    const i = interaction(2, 'similar', [{ name: 'word', type: 3, value: 'pizza' }], '600000000000000001');
    fake.sendInteraction(i.payload);
    const callback = await fake.waitFor(
      (r) => r.path === `/api/v10/interactions/${i.id}/${i.token}/callback`,
    );
    expect((callback.body as Callback).type).toBe(5); // DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE
    const edit = await fake.waitFor(
      (r) => r.method === 'PATCH' && r.path === `/api/v10/webhooks/${APP_ID}/${i.token}/messages/@original`,
    );
    const body = edit.body as Callback['data'];
    expect(body.embeds?.[0].title).toBe('Words similar to “pizza”');
    expect(body.embeds?.[0].description?.split('\n')[0]).toMatch(/^1\. pasta — 0\.\d{3}$/);
    expect(body.allowed_mentions).toEqual({ parse: [] });
    expect(catalog.model().isLoaded).toBe(true);
  });

  it('answers each command with an embed once the model is loaded', async () => {
    const user = '600000000000000002';
    const analogy = await command('analogy', { a: 'king', b: 'man', c: 'woman' }, user);
    expect(analogy.type).toBe(4);
    expect(analogy.data.embeds?.[0].title).toBe('“man” is to “king” as “woman” is to “queen”');
    const sim = await command('similarity', { a: 'cat', b: 'dog' }, user);
    expect(sim.data.embeds?.[0].description).toMatch(/^cosine 0\.\d{3}: very similar/);
    const odd = await command('doesntmatch', { words: 'breakfast lunch dinner cat' }, user);
    expect(odd.data.embeds?.[0].title).toBe('The odd one out: “cat”');
    const user2 = '600000000000000003';
    const oov = await command('oov', { word: 'dog' }, user2);
    expect(oov.data.embeds?.[0].description).toMatch(/seen 70 times.*\nFrequency rank 3 of 15/);
    const models = await command('models', {}, user2);
    expect(models.data.embeds?.[0].fields?.map((f) => f.name)).toEqual(['tiny', 'world (default)']);
    for (const reply of [analogy, sim, odd, oov, models])
      expect(reply.data.allowed_mentions).toEqual({ parse: [] });
  });

  it('answers an OOV word with an ephemeral error naming it and suggesting spellings', async () => {
    const reply = await command('similar', { word: 'pizzza' }, '600000000000000004');
    expect(reply.data.flags).toBe(64);
    expect(reply.data.embeds?.[0].title).toBe('Unknown word');
    expect(reply.data.embeds?.[0].description).toMatch(
      /“pizzza” is not in the vocabulary of model world\. Did you mean: pizza/,
    );
    const unknownModel = await command('similar', { word: 'pizza', model: 'nope' }, '600000000000000004');
    expect(unknownModel.data.flags).toBe(64);
    expect(unknownModel.data.embeds?.[0].description).toBe('There is no model “nope”. Models: tiny, world.');
    const notIn = await command('oov', { word: 'pizzaiolo' }, '600000000000000004');
    expect(notIn.data.embeds?.[0].description).toMatch(/seen 3 times/);
  });

  it('answers /pmi from the statistics stored with the model, and says when a model has none', async () => {
    const user = '600000000000000042';
    const reply = await command('pmi', { a: 'pizza', b: 'pasta' }, user);
    const stats = worldCooccurrence();
    const ratio = stats.ratio('pizza', 'pasta');
    expect(reply.type).toBe(4);
    expect(reply.data.embeds?.[0].title).toBe('PMI of “pizza” and “pasta”');
    expect(reply.data.embeds?.[0].description?.split('\n')[0]).toBe(
      `“pizza” and “pasta” co-occur ${ratio.toFixed(1)}× more often than chance, PMI ${Math.log(ratio).toFixed(2)}.`,
    );
    expect(reply.data.allowed_mentions).toEqual({ parse: [] });
    const none = await command('pmi', { a: 'a', b: 'b', model: 'tiny' }, user);
    expect(none.data.flags).toBe(64);
    expect(none.data.embeds?.[0].title).toBe('No co-occurrence statistics');
  });

  it('sends /plot’s picture as an attachment of the deferred reply, shown as the embed’s image', async () => {
    const i = interaction(
      2,
      'plot',
      [{ name: 'words', type: 3, value: 'king queen man woman' }],
      '600000000000000043',
    );
    fake.sendInteraction(i.payload);
    const callback = await fake.waitFor(
      (r) => r.path === `/api/v10/interactions/${i.id}/${i.token}/callback`,
    );
    expect((callback.body as Callback).type).toBe(5); // "thinking…" while it draws
    const edit = await fake.waitFor(
      (r) => r.method === 'PATCH' && r.path === `/api/v10/webhooks/${APP_ID}/${i.token}/messages/@original`,
    );
    expect(edit.contentType).toMatch(/^multipart\/form-data; boundary=/);
    expect(edit.files.map((f) => [f.field, f.filename])).toEqual([
      ['files[0]', 'plot-king-queen-man-woman.png'],
    ]);
    expect(expectPng(edit.files[0].bytes)).toMatchObject({ width: 960, height: 720 });
    const body = edit.body as Callback['data'] & {
      embeds: (Embed & { image?: { url: string } })[];
      attachments: { id: number | string; filename: string; description?: string }[];
    };
    expect(body.embeds[0].title).toBe('Map of 4 words');
    expect(body.embeds[0].image?.url).toBe('attachment://plot-king-queen-man-woman.png');
    // discord.js names the attachment by the file part (files[0]); the JSON gives its id and alt text.
    expect(body.attachments).toEqual([
      expect.objectContaining({ id: '0', description: expect.stringContaining('king, queen, man, woman') }),
    ]);
    expect(body.allowed_mentions).toEqual({ parse: [] });
    // Bad input is a plain embed, no attachment.
    const bad = interaction(2, 'plot', [{ name: 'words', type: 3, value: 'qqqqzz' }], '600000000000000043');
    fake.sendInteraction(bad.payload);
    const refused = await fake.waitFor(
      (r) => r.path === `/api/v10/interactions/${bad.id}/${bad.token}/callback`,
    );
    expect(refused.files).toEqual([]);
    expect((refused.body as Callback).data.embeds?.[0].title).toBe('Unknown word');
  });

  it('autocompletes words most frequent first, and model names', async () => {
    const i = interaction(4, 'similar', [{ name: 'word', type: 3, value: 'p', focused: true }]);
    fake.sendInteraction(i.payload);
    const started = Date.now();
    const res = (await fake.waitFor((r) => r.path === `/api/v10/interactions/${i.id}/${i.token}/callback`))
      .body as Callback;
    expect(Date.now() - started).toBeLessThan(3000);
    expect(res.type).toBe(8);
    expect(res.data.choices?.map((c) => c.value)).toEqual(['pizza', 'pasta', 'prince', 'paris', 'pizzeria']);
    const m = interaction(4, 'analogy', [
      { name: 'a', type: 3, value: 'ki' },
      { name: 'model', type: 3, value: 'ti', focused: true },
    ]);
    fake.sendInteraction(m.payload);
    const res2 = (await fake.waitFor((r) => r.path === `/api/v10/interactions/${m.id}/${m.token}/callback`))
      .body as Callback;
    expect(res2.data.choices).toEqual([{ name: 'tiny', value: 'tiny' }]);
  });

  it('rate-limits a user with an ephemeral notice, other users unaffected', async () => {
    const user = '600000000000000005';
    for (let k = 0; k < 3; k++) expect((await command('models', {}, user)).data.flags).toBeUndefined();
    const limited = await command('models', {}, user);
    expect(limited.data.flags).toBe(64);
    expect(limited.data.embeds?.[0].title).toBe('Slow down a little');
    expect((await command('models', {}, '600000000000000006')).data.embeds?.[0].title).toBe('2 models');
  });

  it('never pings: @everyone, user mentions and markdown in an option are escaped and mentions disabled', async () => {
    const reply = await command('oov', { word: '@everyone **<@123456789012345678>**' }, '600000000000000007');
    const embed = reply.data.embeds![0];
    const text = `${embed.title}\n${embed.description}`;
    expect(text).not.toMatch(/@everyone|<@\d|\*\*/);
    expect(text).toContain('@\u200beveryone');
    expect(reply.data.allowed_mentions).toEqual({ parse: [] });
    const ctrl = await command('similar', { word: 'a\u202ebc' }, '600000000000000007');
    expect(ctrl.data.embeds?.[0].description).toMatch(/control character \(U\+202E\)/);
  });
});

describe('graceful shutdown', () => {
  it('finishes the reply in flight before disconnecting', async () => {
    // An in-memory model whose load takes 400 ms keeps the interaction in flight while stop() is called.
    const slowCatalog = worldCatalog({ loaded: false, loadDelayMs: 400 });
    const local = new DiscordBot({
      token: TOKEN,
      apiBase: fake.apiBase,
      runner: new CommandRunner({ catalog: slowCatalog }),
    });
    await local.start();
    const i = interaction(2, 'similarity', [
      { name: 'a', type: 3, value: 'king' },
      { name: 'b', type: 3, value: 'queen' },
    ]);
    fake.sendInteraction(i.payload);
    await fake.waitFor((r) => r.path === `/api/v10/interactions/${i.id}/${i.token}/callback`);
    expect(local.inFlight).toBe(1);
    await local.stop();
    const edited = fake.requests.find(
      (r: RecordedRequest) => r.method === 'PATCH' && r.path.includes(i.token),
    );
    expect(edited).toBeDefined();
    expect((edited!.body as Callback['data']).embeds?.[0].title).toBe('Similarity of “king” and “queen”');
    expect(local.client.isReady()).toBe(false);
  });
});
