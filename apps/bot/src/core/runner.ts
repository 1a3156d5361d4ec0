import { randomUUID } from 'node:crypto';
import type { OovOptions } from '@wordvec/embeddings';
import type { Command, CommandContext, CommandOptions } from '../commands/command.js';
import { commands as allCommands } from '../commands/index.js';
import { type BotState, StateUnavailableError } from '../state/bot-state.js';
import { BotInputError } from './bot-error.js';
import { BOT_OOV_DEFAULT } from './config.js';
import { quoteWord } from './escape.js';
import type { Logger } from './logger.js';
import type { ModelCatalog, QueryModel } from './model-source.js';
import type { RateDecision, RateLimiter } from './rate-limiter.js';
import { errorReply, type Reply } from './reply.js';
import { checkInteger, checkText, escapeControls, MAX_OPTION_LENGTH } from './validate.js';
import { normalizeWord, resolveWord } from './words.js';

/** Option values as a transport received them (Discord sends typed values, the local chat strings). */
export type RawOptions = Record<string, string | number | boolean | undefined>;

export interface CommandRequest {
  command: string;
  options: RawOptions;
  /** Who asked: the rate limit is per user. */
  user: string;
  /** How to call the asker in a reply (a display name); default: the user id. */
  userName?: string;
  /** Where it was asked: a game is per channel (`discord:<id>`, `slack:<team>:<id>`, `local`). */
  channel?: string;
  requestId?: string;
  /**
   * Called at most once, before a slow model load or before a picture is drawn, so the transport
   * can acknowledge in time (Discord wants an answer within 3 s: `deferReply`, then the reply
   * becomes an edit). `why` lets a transport say what is taking the time.
   */
  onDefer?: (why: 'loading' | 'drawing') => Promise<void>;
  /**
   * The request was counted against the rate limit already: a deferred reply finished by another
   * process, or a transport that took the hit with its replay check (`rate` is then its decision;
   * none when the state could not be reached).
   */
  rateCounted?: boolean;
  rate?: RateDecision;
}

/** An autocomplete choice. */
export interface Choice {
  name: string;
  value: string;
}

/** Discord shows at most 25 autocomplete choices. */
export const MAX_CHOICES = 25;

/** How long the most frequent words of a model are reused for empty autocomplete queries. */
const TOP_WORDS_TTL_MS = 60_000;

export interface CommandRunnerOptions {
  catalog: ModelCatalog;
  defaultModel?: string;
  /** How words missing from the vocabulary are answered; default `BOT_OOV_DEFAULT` (estimate). */
  oov?: OovOptions;
  limiter?: RateLimiter;
  /** The bot's state (games); default: the limiter's. */
  state?: BotState;
  /** A game with no guess for this long ends when its channel starts another (`WORDVEC_GAME_IDLE_DAYS`); default: never. */
  gameIdleMs?: number;
  logger?: Logger;
  commands?: readonly Command[];
  now?: () => number;
}

/**
 * Runs commands for any transport: rate limit, option validation, model loading (with a deferral
 * hook), the handler, and the mapping of every error to a one-line reply. Logs one structured line
 * per request.
 *
 * @example
 * ```ts
 * const runner = new CommandRunner({ catalog });
 * const reply = await runner.run({ command: 'similar', options: { word: 'pizza' }, user: 'me' });
 * ```
 */
export class CommandRunner {
  readonly catalog: ModelCatalog;
  readonly commands: readonly Command[];
  readonly #context: CommandContext;
  readonly #limiter: RateLimiter | undefined;
  readonly #logger: Logger | undefined;
  readonly #now: () => number;
  readonly #topWords = new Map<string, { at: number; choices: Choice[] }>();

  constructor(options: CommandRunnerOptions) {
    this.catalog = options.catalog;
    this.commands = options.commands ?? allCommands;
    this.#context = {
      catalog: options.catalog,
      defaultModel: options.defaultModel,
      state: options.state ?? options.limiter?.state,
      gameIdleMs: options.gameIdleMs,
      oov: options.oov ?? BOT_OOV_DEFAULT,
    };
    this.#limiter = options.limiter;
    this.#logger = options.logger;
    this.#now = options.now ?? (() => performance.now());
  }

  /** The rate limit every command is held to (transports may apply it with their replay check). */
  get limiter(): RateLimiter | undefined {
    return this.#limiter;
  }

  find(name: string): Command | undefined {
    return this.commands.find((c) => c.definition.name === name);
  }

  /** Answers one command; never throws. */
  async run(request: CommandRequest): Promise<Reply> {
    const started = this.#now();
    const requestId = request.requestId ?? randomUUID();
    let outcome = 'ok';
    let deferred = false;
    let reply: Reply;
    let model: QueryModel | undefined;
    const defer = async (why: 'loading' | 'drawing') => {
      if (deferred) return;
      deferred = true;
      await request.onDefer?.(why);
    };
    try {
      const command = this.find(request.command);
      if (!command) throw new BotInputError('Unknown command', `There is no command /${request.command}.`);
      const decision = request.rateCounted ? request.rate : await this.#take(request.user, requestId);
      if (decision && !decision.allowed) {
        outcome = 'rate-limited';
        const seconds = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
        reply = {
          title: 'Slow down a little',
          lines: [
            `You can send ${this.#limiter!.limit} commands every ${Math.round(this.#limiter!.windowMs / 1000)} seconds. Try again in ${seconds} second${seconds === 1 ? '' : 's'}.`,
          ],
          ephemeral: true,
          data: { retryAfterMs: decision.retryAfterMs },
        };
      } else {
        const options = validateOptions(command, request.options);
        if (command.definition.needsVectors) {
          const names = command.definition.modelOptions;
          const needed = names
            ? names.map((name) => this.#pickModel({ model: options[name] }))
            : [this.#pickModel(options)];
          model = needed[0];
          for (const m of needed) {
            if (m.isLoaded || !wordsAnswerable(command, options, m, this.#context.oov ?? BOT_OOV_DEFAULT))
              continue;
            await defer('loading');
            await m.load();
          }
        }
        reply = await command.handle(options, {
          ...this.#context,
          user: request.user,
          userName: request.userName ?? request.user,
          channel: request.channel,
          defer: () => defer('drawing'),
        });
      }
    } catch (error) {
      outcome = isExpected(error) ? 'user-error' : 'error';
      reply = this.#errorReply(error, request, model, requestId);
      if (outcome === 'error')
        this.#logger?.error('command failed', { requestId, command: request.command, error });
    }
    this.#logger?.info('command', {
      requestId,
      command: request.command,
      user: request.user,
      latencyMs: Math.round((this.#now() - started) * 10) / 10,
      outcome,
      deferred,
    });
    return reply;
  }

  /**
   * Autocomplete choices for the focused option: model names for `model`, vocabulary words (most
   * frequent first) for word options. Returns `[]` rather than failing: a broken suggestion list
   * must not show an error while someone types.
   */
  autocomplete(commandName: string, focused: { name: string; value: string }, options: RawOptions): Choice[] {
    try {
      const option = this.find(commandName)?.definition.options.find((o) => o.name === focused.name);
      if (option?.type !== 'string' || !option.autocomplete) return [];
      const typed = focused.value;
      if (typed.length > MAX_OPTION_LENGTH || /\p{Cc}/u.test(typed)) return [];
      if (option.autocomplete === 'model') {
        const prefix = typed.trim().toLowerCase();
        return this.catalog
          .models()
          .map((m) => m.name)
          .filter((n) => n.toLowerCase().startsWith(prefix))
          .slice(0, MAX_CHOICES)
          .map((n) => ({ name: n, value: n }));
      }
      const modelName =
        typeof options.model === 'string' && options.model.trim() !== '' ? options.model.trim() : undefined;
      const model = this.#pickModel({ model: modelName });
      const prefix = typed.trim();
      // Discord asks with an empty value as soon as the option is focused, for every user: the most
      // frequent words of a model are the same each time, so keep them a while.
      const cached = prefix === '' ? this.#topWords.get(model.summary.name) : undefined;
      if (cached && this.#now() - cached.at < TOP_WORDS_TTL_MS) return cached.choices;
      const choices = model
        .complete(prefix, MAX_CHOICES)
        .slice(0, MAX_CHOICES)
        // Words imported from files may hold control characters: shown escaped, sent back as stored.
        .map((w) => ({ name: escapeControls(w), value: w }));
      if (prefix === '') this.#topWords.set(model.summary.name, { at: this.#now(), choices });
      return choices;
    } catch (error) {
      this.#logger?.warn('autocomplete failed', { command: commandName, option: focused.name, error });
      return [];
    }
  }

  /**
   * The rate-limit decision; when the shared state cannot be reached the command goes through (it
   * answers from the read-only store, or a game command says the state is unreachable), logged.
   */
  async #take(user: string, requestId: string) {
    if (!this.#limiter) return undefined;
    try {
      return await this.#limiter.take(user);
    } catch (error) {
      if (!(error instanceof StateUnavailableError)) throw error;
      this.#logger?.warn('rate limit skipped: state unreachable', { requestId, error: error.message });
      return undefined;
    }
  }

  #pickModel(options: CommandOptions): QueryModel {
    const name = typeof options.model === 'string' ? options.model : this.#context.defaultModel;
    return this.catalog.model(name);
  }

  #errorReply(
    error: unknown,
    request: CommandRequest,
    model: QueryModel | undefined,
    requestId: string,
  ): Reply {
    if (error instanceof BotInputError) return errorReply(error.title, [error.message]);
    if (error instanceof StateUnavailableError) {
      return errorReply('Game state unreachable', [
        'The bot cannot reach its shared state right now, so nothing was recorded. Try again in a moment.',
      ]);
    }
    const e = error as { code?: unknown; words?: unknown; message?: unknown; name?: unknown };
    if (e?.code === 'OOV' && Array.isArray(e.words)) {
      const words = e.words as string[];
      let m = model;
      try {
        m ??= this.#pickModel(validateOptionsLoosely(request.options));
      } catch {}
      const lines: string[] = [];
      for (const w of words) {
        const suggestions = m ? safeSuggest(m, w) : [];
        lines.push(
          `${quoteWord(w)} is not in the vocabulary${m ? ` of model ${m.summary.name}` : ''}.` +
            (suggestions.length > 0 ? ` Did you mean: ${suggestions.join(', ')}?` : ''),
        );
      }
      const oov = this.#context.oov ?? BOT_OOV_DEFAULT;
      if (m && oov.subword && !safeHasSubwords(m)) {
        lines.push(
          'No estimate either: this model has no subword model, so words it never saw cannot be estimated from their pieces.',
        );
      } else if (m && oov.subword) {
        lines.push('No estimate either: none of its character n-grams is known to this model.');
      }
      return {
        ...errorReply(words.length === 1 ? 'Unknown word' : 'Unknown words', lines, { oov: words }),
        footer: `/oov ${words[0]} explains why`,
      };
    }
    // Input the embeddings layer refused (its message names the value); store failures are not the
    // asker's to read (they name files), so they fall through to the logged generic reply.
    if (e?.name === 'InvalidArgumentError' && typeof e.message === 'string') {
      return errorReply('Cannot answer', [e.message]);
    }
    return errorReply('Something went wrong', [
      `The bot could not answer this (request ${requestId}); the error was logged.`,
    ]);
  }
}

function safeSuggest(model: QueryModel, word: string): string[] {
  try {
    return model.suggest(normalizeWord(word) || word, 5);
  } catch {
    return [];
  }
}

function safeHasSubwords(model: QueryModel): boolean {
  try {
    return model.hasSubwordModel();
  } catch {
    return false;
  }
}

function isExpected(error: unknown): boolean {
  const e = error as { code?: unknown; name?: unknown };
  return error instanceof BotInputError || e?.code === 'OOV' || e?.name === 'InvalidArgumentError';
}

/**
 * Whether loading the matrix is worth it: every word option resolves to a vocabulary word (as typed,
 * another spelling or its lemma: no vectors needed to tell), or the policy can still estimate it.
 */
function wordsAnswerable(
  command: Command,
  options: CommandOptions,
  model: QueryModel,
  oov: OovOptions,
): boolean {
  if ((oov.subword && safeHasSubwords(model)) || (oov.unk !== undefined && oov.unk !== 'error')) return true;
  const lookUp: OovOptions = { forms: oov.forms, lemma: oov.lemma };
  return command.definition.options.every((o) => {
    if (o.type !== 'string' || o.autocomplete !== 'word' || options[o.name] === undefined) return true;
    const typed = String(options[o.name]);
    if (model.has(resolveWord(model, typed))) return true;
    try {
      model.resolveTerms([typed], lookUp);
      return true;
    } catch {
      return false;
    }
  });
}

function validateOptionsLoosely(raw: RawOptions): CommandOptions {
  return { model: typeof raw.model === 'string' ? raw.model : undefined };
}

/**
 * Checks raw option values against a command's definition: required options present, text within
 * limits and free of control characters, integers in range (strings parsed, as the local chat sends
 * them), defaults applied, unknown options refused.
 *
 * @throws {@link BotInputError} naming the option.
 */
export function validateOptions(command: Command, raw: RawOptions): CommandOptions {
  const { name, options } = command.definition;
  const out: CommandOptions = {};
  for (const key of Object.keys(raw)) {
    if (raw[key] !== undefined && !options.some((o) => o.name === key)) {
      const known = options.map((o) => o.name).join(', ') || 'none';
      throw new BotInputError('Unknown option', `/${name} has no option “${key}” (options: ${known}).`);
    }
  }
  for (const option of options) {
    const value = raw[option.name];
    if (value === undefined || value === '') {
      if (option.required)
        throw new BotInputError('Missing option', `/${name} needs “${option.name}”: ${option.description}.`);
      if (option.type === 'integer' && option.default !== undefined) out[option.name] = option.default;
      continue;
    }
    if (option.type === 'boolean') {
      out[option.name] = checkBoolean(name, option.name, value);
    } else if (option.type === 'string') {
      // A word list (`/plot words`) may be longer than one word's limit; its definition says how long.
      const text = checkText(option.name, String(value), Math.max(MAX_OPTION_LENGTH, option.maxLength ?? 0));
      if (option.choices) {
        const choice = option.choices.find((c) => c.toLowerCase() === text.trim().toLowerCase());
        if (choice === undefined) {
          throw new BotInputError(
            'Not a choice',
            `Option “${option.name}” of /${name} is one of ${option.choices.join(', ')}, got ${quoteWord(text)}.`,
          );
        }
        out[option.name] = choice;
      } else out[option.name] = text;
    } else {
      const text = String(value).trim();
      const n = typeof value === 'number' ? value : /^[+-]?\d+$/.test(text) ? Number(text) : Number.NaN;
      if (Number.isNaN(n)) {
        throw new BotInputError(
          'Not a number',
          `Option “${option.name}” must be a whole number, got “${checkText(option.name, String(value))}”.`,
        );
      }
      out[option.name] = checkInteger(option.name, n, option.min, option.max);
    }
  }
  return out;
}

const TRUE_WORDS = ['true', 'yes', 'on', '1'];
const FALSE_WORDS = ['false', 'no', 'off', '0'];

/** A boolean option's value: Discord sends a boolean, text transports a word (true/false, yes/no, on/off). */
function checkBoolean(command: string, option: string, value: string | number | boolean): boolean {
  if (typeof value === 'boolean') return value;
  const text = String(value).trim().toLowerCase();
  if (TRUE_WORDS.includes(text)) return true;
  if (FALSE_WORDS.includes(text)) return false;
  throw new BotInputError(
    'Not a choice',
    `Option “${option}” of /${command} is true or false, got ${quoteWord(checkText(option, String(value)))}.`,
  );
}
