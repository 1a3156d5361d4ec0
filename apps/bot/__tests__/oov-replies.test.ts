/**
 * The bot answers words missing from the vocabulary through the library's OOV pipeline (its default
 * policy: estimate) and says how every time: another spelling, the lemma, an estimate from the
 * word's pieces (labelled as such in the title and the text), or a plain refusal. Also the bad
 * inputs of issue 13, and that every transport shows the labels escaped.
 */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/core/config.js';
import { renderText } from '../src/core/render-text.js';
import type { Reply } from '../src/core/reply.js';
import { CommandRunner } from '../src/core/runner.js';
import { toDiscordReply } from '../src/discord/embed.js';
import { toSlackMessage } from '../src/http/slack-blocks.js';
import { worldCatalog } from './support/memory-catalog.js';

const ask = (
  command: string,
  options: Record<string, string | number>,
  setup: { subwords?: boolean; oov?: ReturnType<typeof loadConfig>['oov'] } = {},
) =>
  new CommandRunner({ catalog: worldCatalog({ subwords: setup.subwords }), oov: setup.oov }).run({
    command,
    options,
    user: 'u1',
  });

type Resolved = { resolutions: { word: string; how: string; resolvedAs?: string; pieces?: string[] }[] };
const text = (reply: Reply) =>
  [reply.title, ...reply.lines, ...(reply.fields ?? []).map((f) => f.value)].join('\n');

describe('the bot answers OOV words and says how', () => {
  it('/similar pizzas is answered for pizza, the lemma, and says so', async () => {
    const reply = await ask('similar', { word: 'pizzas', count: 3 });
    expect(reply.error).toBeFalsy();
    expect(reply.title).toBe('Words similar to “pizza”');
    expect(reply.lines[0]).toBe('answered for “pizza” (the lemma of “pizzas”)');
    const data = reply.data as Resolved & { results: { word: string }[] };
    expect(data.resolutions).toEqual([{ word: 'pizzas', how: 'lemma', resolvedAs: 'pizza' }]);
    expect(data.results.map((r) => r.word)).not.toContain('pizza');
  });

  it('/similar pizzaiolo: an estimate from its pieces, labelled in the title and the text', async () => {
    const reply = await ask('similar', { word: 'pizzaiolo', count: 3 }, { subwords: true });
    expect(reply.error).toBeFalsy();
    expect(reply.title).toBe('Words similar to “pizzaiolo” (estimated)');
    expect(reply.lines[0]).toMatch(
      /^“pizzaiolo” is not in the vocabulary; its vector is estimated from its pieces ⟨<pi, <piz, .*⟩, blended with the vectors of “pizza.*\(an estimate, not a trained vector\)$/,
    );
    const data = reply.data as Resolved & { results: { word: string }[] };
    expect(data.resolutions[0].how).toBe('subword');
    expect(data.resolutions[0].pieces).toContain('izz');
    // The estimate lands among the food words it shares pieces with.
    const food = ['pizza', 'pasta', 'pizzeria', 'breakfast', 'lunch', 'dinner', 'café'];
    for (const r of data.results) expect(food).toContain(r.word);
  });

  it('a model without a subword model says the estimate is unavailable, and refuses', async () => {
    const reply = await ask('similar', { word: 'pizzaiolo' });
    expect(reply.error).toBe(true);
    expect(reply.title).toBe('Unknown word');
    expect(text(reply)).toMatch(/“pizzaiolo” is not in the vocabulary of model world/);
    expect(text(reply)).toMatch(/this model has no subword model/);
  });

  it('/analogy, /similarity and /doesntmatch take estimated words and label them', async () => {
    const analogy = await ask('analogy', { a: 'kingg', b: 'man', c: 'woman' }, { subwords: true });
    expect(analogy.error).toBeFalsy();
    expect(analogy.title).toMatch(/is to “kingg” as “woman” is to .* \(estimated\)$/);
    expect(analogy.lines[0]).toMatch(/^“kingg” is not in the vocabulary; its vector is estimated/);
    const sim = await ask('similarity', { a: 'PIZZA', b: 'pasta' });
    expect(sim.title).toBe('Similarity of “pizza” and “pasta”');
    expect(sim.lines[0]).toBe('answered for “pizza” (“PIZZA” with other capitals)');
    const exact = await ask('similarity', { a: 'pizza', b: 'pasta' });
    expect((sim.data as { similarity: number }).similarity).toBe(
      (exact.data as { similarity: number }).similarity,
    );
    const odd = await ask('doesntmatch', { words: 'breakfast lunch dinner catt' }, { subwords: true });
    expect(odd.error).toBeFalsy();
    expect(odd.title).toBe('The odd one out: “catt” (estimated)');
    expect(
      odd.lines.some((l) => l.startsWith('“catt” is not in the vocabulary; its vector is estimated')),
    ).toBe(true);
  });

  it('/oov lists what each strategy gives, from the library’s surface forms', async () => {
    const plain = await ask('oov', { word: 'pizzas' });
    const field = plain.fields?.[0].value ?? '';
    expect(field).toMatch(/^Case, accents, punctuation: no other spelling/m);
    expect(field).toMatch(/^Lemma: answered for “pizza” \(the lemma of “pizzas”\)$/m);
    expect(field).toMatch(/^Subword estimate: not available, this model has no subword model/m);
    expect(field).toMatch(/^Stand-in vector: none/m);
    expect(field).toMatch(/first that applies: the lemma\.$/m);
    const withTable = await ask('oov', { word: 'pizzza' }, { subwords: true });
    const f2 = withTable.fields?.[0].value ?? '';
    expect(f2).toMatch(
      /^Subword estimate: “pizzza” is not in the vocabulary; its vector is estimated .* it lands nearest to \w+/m,
    );
    expect(f2).toMatch(/first that applies: the estimate\.$/m);
    const cafe = await ask('oov', { word: 'CAFÉ' });
    expect(cafe.title).toBe('“CAFÉ” is in the vocabulary as “café”');
  });

  it('WORDVEC_OOV=exact turns the pipeline off: the bot answers only vocabulary words', async () => {
    const oov = loadConfig({ WORDVEC_STORE: '/tmp/x.db', WORDVEC_OOV: 'exact' }).oov;
    const reply = await ask('similar', { word: 'pizzas' }, { oov });
    expect(reply.title).toBe('Unknown word');
    expect(() => loadConfig({ WORDVEC_STORE: '/tmp/x.db', WORDVEC_OOV: 'guess' })).toThrow(
      /WORDVEC_OOV\/WORDVEC_UNK: unknown OOV policy or step "guess"/,
    );
    expect(() => loadConfig({ WORDVEC_STORE: '/tmp/x.db', WORDVEC_UNK: 'avg' })).toThrow(
      /unknown UNK policy "avg"/,
    );
  });
});

describe('bad input gets a clear reply: a labelled estimate or a plain refusal', () => {
  const sub = { subwords: true };

  it('one character: no n-gram of it is known, so a refusal saying so', async () => {
    const reply = await ask('similar', { word: 'x' }, sub);
    expect(reply.error).toBe(true);
    expect(text(reply)).toMatch(/“x” is not in the vocabulary .*\n.*none of its character n-grams is known/);
  });

  it('100 characters: estimated and labelled; 101: refused by the option limit', async () => {
    const long = `pizza${'z'.repeat(95)}`;
    const reply = await ask('similar', { word: long }, sub);
    expect(reply.error).toBeFalsy();
    expect(reply.title).toMatch(/\(estimated\)$/);
    expect(reply.lines[0]).toMatch(
      /its vector is estimated from its pieces ⟨<pi, .*⟩, blended with the vectors of “pizza”/,
    );
    const tooLong = await ask('similar', { word: `${long}z` }, sub);
    expect(tooLong.title).toBe('Option too long');
    expect(tooLong.lines[0]).toBe('Option “word” is 101 characters long; the limit is 100.');
  });

  it('punctuation only and digits only: refused, naming the word', async () => {
    for (const word of ['!!!', '12345']) {
      const reply = await ask('similar', { word }, sub);
      expect(reply.error).toBe(true);
      expect(reply.lines[0]).toBe(`“${word}” is not in the vocabulary of model world.`);
    }
  });

  it('mixed scripts: estimated from the pieces it shares, and labelled', async () => {
    const reply = await ask('similar', { word: 'piззa' }, sub); // Cyrillic з inside a Latin word
    expect(reply.error).toBeFalsy();
    expect(reply.title).toBe('Words similar to “piззa” (estimated)');
    expect(reply.lines[0]).toMatch(
      /^“piззa” is not in the vocabulary; its vector is estimated from its pieces ⟨<pi/,
    );
  });

  it('a word made only of n-grams no model has: a refusal, never a made-up vector', async () => {
    const reply = await ask('similarity', { a: 'qqxqqxq', b: 'pizza' }, sub);
    expect(reply.error).toBe(true);
    expect(text(reply)).toMatch(/none of its character n-grams is known to this model/);
  });
});

describe('every transport shows the OOV labels, escaped', () => {
  it('Discord embeds, Slack blocks and the local chat', async () => {
    const reply = await ask('similar', { word: '*pizzza*' }, { subwords: true });
    expect(reply.title).toMatch(/\(estimated\)$/);
    const chat = renderText(reply);
    expect(chat).toMatch(/“\*pizzza\*” is not in the vocabulary; its vector is estimated/);
    const embed = toDiscordReply(reply).embeds[0].toJSON();
    expect(embed.title).toContain('“\\*pizzza\\*” (estimated)');
    expect(embed.description).toMatch(/“\\\*pizzza\\\*” is not in the vocabulary; its vector is estimated/);
    const slack = JSON.stringify(toSlackMessage(reply).blocks);
    expect(slack).toContain('(estimated)');
    expect(slack).toMatch(/is not in the vocabulary; its vector is estimated from its pieces/);
    // In mrkdwn (the section) every * is neutralised by a zero-width space; the header is plain text.
    const section = toSlackMessage(reply).blocks.find((b) => b.type === 'section') as {
      text: { text: string };
    };
    expect(section.text.text).toContain('\u200b*pizzza\u200b*');
    expect(section.text.text).not.toMatch(/[^\u200b]\*pizzza/);
  });
});
