import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { commands } from '../src/commands/index.js';
import { BotInputError } from '../src/core/bot-error.js';
import { createLogger } from '../src/core/logger.js';
import { parseCommandLine } from '../src/core/parse-command-line.js';
import { renderText } from '../src/core/render-text.js';
import type { Reply } from '../src/core/reply.js';
import { CommandRunner, type RawOptions, validateOptions } from '../src/core/runner.js';
import { checkInteger, checkText } from '../src/core/validate.js';
import { DiscordInteractions, toDiscordMessageJson } from '../src/http/discord-interactions.js';
import { discordPublicKey } from '../src/http/discord-signature.js';
import { toSlackMessage } from '../src/http/slack-blocks.js';
import { SlackCommands } from '../src/http/slack-commands.js';
import { APP_ID } from './support/fake-discord.js';
import { discordHeaders, ed25519Pair } from './support/http-signing.js';
import { MemoryCatalog, MemoryModel, WORLD } from './support/memory-catalog.js';

// Fixed seed and bounded runs: the same cases every run, a few hundred milliseconds in all.
const RUNS = { seed: 18, numRuns: 150 };

const RAW_CONTROL =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
  /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/u;
/** The zero-width spaces the escapers insert on purpose (after `@`/`<`, before mrkdwn markers). */
const OWN_ZWSP = /(?<=[@<])\u200b|\u200b(?=[*_~`]|&gt;)/g;
const hasRawControl = (text: string) => RAW_CONTROL.test(text.replace(OWN_ZWSP, ''));

function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

/** Every rendering of a reply is free of raw control characters. */
function expectClean(reply: Reply): void {
  const outputs = [
    renderText(reply),
    ...strings(toSlackMessage(reply)),
    ...strings(toDiscordMessageJson(reply)),
  ];
  for (const out of outputs) expect(hasRawControl(out), JSON.stringify(out)).toBe(false);
}

// Words stored in old models may hold anything: one model of the world plus hostile words.
const HOSTILE = ['esc\u001b[2J', 'cr\rlf', 'nul\u0000', 'rlo\u202eevil', 'zw\u200bsp', '*bold*', '@everyone'];
const catalog = new MemoryCatalog([
  new MemoryModel('world', {
    ...WORLD,
    ...Object.fromEntries(HOSTILE.map((w, i) => [w, { vector: [0.5, 0.5, 0, 0.1 * i, 0, 0.2], count: 7 }])),
  }),
]);
const runner = new CommandRunner({ catalog, logger: createLogger({ write: () => {} }) });

const anyText = fc.string({ unit: 'binary', maxLength: 120 });
const wordish = fc.oneof(
  fc.constantFrom(...Object.keys(WORLD), ...HOSTILE, 'cat dog', '"king queen"', 'model:world', 'count:3'),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.integer({ min: -5, max: 40 }).map(String),
);
const commandLine = fc
  .tuple(
    fc.constantFrom(...commands.map((c) => `/${c.definition.name}`), '/nosuch', '', 'similar'),
    fc.array(wordish, { maxLength: 6 }),
  )
  .map(([head, rest]) => [head, ...rest].join(' '));

function onlyBotErrors(run: () => unknown): void {
  try {
    run();
  } catch (error) {
    if (!(error instanceof BotInputError)) throw error;
  }
}

describe('property: the local chat command-line parser', () => {
  it('returns a command or throws BotInputError, for any line', () => {
    fc.assert(
      fc.property(fc.oneof(commandLine, anyText), (line) =>
        onlyBotErrors(() => parseCommandLine(line, commands)),
      ),
      RUNS,
    );
  });
});

describe('property: option validation', () => {
  const rawValue = fc.oneof(
    anyText,
    wordish,
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(undefined),
    fc.constant(''),
  );
  const names = fc.constantFrom(
    'word',
    'a',
    'b',
    'c',
    'count',
    'model',
    'words',
    '__proto__',
    'constructor',
    'x',
  );

  it('validateOptions accepts or throws BotInputError, for any command and values', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...commands),
        fc.dictionary(names, rawValue, { maxKeys: 5 }),
        (command, raw) => onlyBotErrors(() => validateOptions(command, raw as RawOptions)),
      ),
      RUNS,
    );
  });

  it('checkText returns trimmed text without controls, or throws BotInputError', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        try {
          const out = checkText('word', text);
          expect(out).toBe(out.trim());
          expect(hasRawControl(out)).toBe(false);
        } catch (error) {
          if (!(error instanceof BotInputError)) throw error;
          expect(hasRawControl(error.message)).toBe(false);
        }
      }),
      RUNS,
    );
  });

  it('checkInteger returns a value in range, or throws BotInputError', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer(), fc.double()), fc.integer({ min: -10, max: 10 }), (n, min) => {
        try {
          const v = checkInteger('count', n, min, min + 20);
          expect(v >= min && v <= min + 20).toBe(true);
        } catch (error) {
          if (!(error instanceof BotInputError)) throw error;
        }
      }),
      RUNS,
    );
  });

  it('every reply of every command, whatever the options, renders without raw control characters', async () => {
    await fc.assert(
      fc.asyncProperty(commandLine, async (line) => {
        let parsed: ReturnType<typeof parseCommandLine>;
        try {
          parsed = parseCommandLine(line, commands);
        } catch (error) {
          if (error instanceof BotInputError) return;
          throw error;
        }
        if (!parsed) return;
        const reply = await runner.run({ ...parsed, user: 'fuzz' });
        expect(reply.title).not.toBe('Something went wrong');
        expectClean(reply);
      }),
      RUNS,
    );
  });
});

describe('property: the Slack slash-command decoder', () => {
  const slack = new SlackCommands({ signingSecret: 'ab'.repeat(16), token: 'xoxb-1-2-fuzz', runner });
  it('answers any command name and text with a reply (never throws) that renders clean', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.constantFrom(...commands.map((c) => `/${c.definition.name}`)), anyText),
        fc.oneof(commandLine, anyText),
        async (command, text) => {
          const reply = await slack.answer(command, text, 'slack:T:U');
          expect(reply.title).not.toBe('Something went wrong');
          expectClean(reply);
        },
      ),
      RUNS,
    );
  });
});

describe('property: the Discord interaction decoder', () => {
  const keys = ed25519Pair();
  const discord = new DiscordInteractions({
    publicKey: discordPublicKey(keys.publicHex),
    appId: APP_ID,
    apiBase: 'http://127.0.0.1:9',
    runner,
    logger: createLogger({ write: () => {} }),
  });
  const option = fc.record(
    {
      name: fc.oneof(fc.constantFrom('word', 'a', 'b', 'c', 'count', 'model', 'words'), anyText),
      type: fc.integer({ min: 0, max: 12 }),
      value: fc.oneof(wordish, fc.integer(), fc.double(), fc.boolean(), fc.constant(null)),
      focused: fc.boolean(),
    },
    { requiredKeys: [] },
  );
  let id = 0;
  const interaction = fc.record(
    {
      id: fc.oneof(fc.constant('auto'), anyText, fc.integer()),
      type: fc.oneof(fc.constantFrom(1, 2, 4), fc.integer({ min: -3, max: 12 }), fc.double()),
      token: fc.oneof(fc.constant('tok'), anyText),
      data: fc.oneof(
        fc.record(
          {
            name: fc.oneof(fc.constantFrom(...commands.map((c) => c.definition.name)), anyText, fc.integer()),
            options: fc.oneof(fc.array(option, { maxLength: 4 }), fc.string(), fc.constant(null)),
          },
          { requiredKeys: [] },
        ),
        fc.constant(null),
        fc.string(),
      ),
      user: fc.record({ id: fc.oneof(fc.string(), fc.integer()) }, { requiredKeys: [] }),
    },
    { requiredKeys: ['type'] },
  );
  const body = fc.oneof(
    interaction.map((i) => JSON.stringify(i.id === 'auto' ? { ...i, id: `fuzz-${++id}` } : i)),
    fc.json(),
    anyText,
  );

  it('answers any signed body with 200, 400 or 409, never a 500, and the JSON renders clean', async () => {
    await fc.assert(
      fc.asyncProperty(body, async (text) => {
        const headers = discordHeaders(keys.privateKey, text, Math.floor(Date.now() / 1000));
        let answer: { status: number; body?: unknown } | undefined;
        await discord.handle({ headers, body: Buffer.from(text) }, (a) => {
          answer = a;
        });
        expect([200, 400, 409]).toContain(answer!.status);
        for (const s of strings(answer!.body)) expect(hasRawControl(s), JSON.stringify(s)).toBe(false);
      }),
      RUNS,
    );
  });
});
