import { isEstimate, type OovOptions, type Resolution } from '@wordvec/embeddings';
import type { ModelCatalog, QueryModel } from '../core/model-source.js';
import type { Reply } from '../core/reply.js';
import type { BotState } from '../state/bot-state.js';

/** Where an option's autocomplete choices come from. */
export type AutocompleteSource = 'word' | 'model';

export interface StringOption {
  type: 'string';
  name: string;
  description: string;
  required?: boolean;
  /** Characters (Discord enforces it in the client; the core checks again). */
  maxLength?: number;
  autocomplete?: AutocompleteSource;
  /** The only values accepted (case-insensitive; the value is passed on as listed here). */
  choices?: readonly string[];
  /**
   * The option picks a subcommand (`/game start`): Discord registers each choice as a subcommand,
   * the text transports read it as the first positional option.
   */
  subcommand?: boolean;
  /** With a subcommand option: the subcommands this option belongs to (default: every one). */
  for?: readonly string[];
}

export interface IntegerOption {
  type: 'integer';
  name: string;
  description: string;
  required?: boolean;
  min: number;
  max: number;
  default?: number;
  /** With a subcommand option: the subcommands this option belongs to (default: every one). */
  for?: readonly string[];
}

/** A yes/no option (`/analogy … plot:true`): Discord's boolean picker; typed as true/false, yes/no, on/off. */
export interface BooleanOption {
  type: 'boolean';
  name: string;
  description: string;
  required?: boolean;
  /** With a subcommand option: the subcommands this option belongs to (default: every one). */
  for?: readonly string[];
}

export type OptionDefinition = StringOption | IntegerOption | BooleanOption;

/** A slash command as every transport sees it: registered with Discord, parsed in the local chat. */
export interface CommandDefinition {
  name: string;
  description: string;
  options: OptionDefinition[];
  /** Answering needs the model's matrix in memory (so a transport may defer while it loads). */
  needsVectors: boolean;
  /**
   * The options naming the models whose matrices it needs, when not the one `model` option
   * (`/compare`'s `model_a` and `model_b`): the runner loads each before the handler runs.
   */
  modelOptions?: readonly string[];
}

/** Option values after validation: strings trimmed, integers in range, booleans as booleans, defaults applied. */
export type CommandOptions = Record<string, string | number | boolean | undefined>;

export interface CommandContext {
  catalog: ModelCatalog;
  /** Model used when the command names none (`WORDVEC_MODEL`); undefined: the store's default. */
  defaultModel?: string;
  /** The bot's shared state (games, scores); absent: the commands that need it say so. */
  state?: BotState;
  /** A game with no guess for this long ends when its channel starts another; absent: never. */
  gameIdleMs?: number;
  /** Who asked (per request). */
  user?: string;
  userName?: string;
  /** Where it was asked (per request): the game's channel. */
  channel?: string;
  /** How words missing from the vocabulary are answered (`WORDVEC_OOV`); absent: the bot's default, estimate. */
  oov?: OovOptions;
  /**
   * Tells the transport the answer will take a while (drawing a picture), so it acknowledges first
   * (Discord's "thinking…"); once per request, a no-op after the model load already deferred.
   */
  defer?: () => Promise<void>;
}

export interface Command {
  definition: CommandDefinition;
  handle(options: CommandOptions, context: CommandContext): Promise<Reply>;
}

/**
 * The name of a definition's subcommand option (`action` of `/game`), under which transports that
 * receive Discord subcommands put the subcommand's name.
 */
export function subcommandOption(definition: CommandDefinition | undefined): string | undefined {
  return definition?.options.find((o) => o.type === 'string' && o.subcommand)?.name;
}

/** The word option shared by most commands. */
export function wordOption(name: string, description: string): StringOption {
  return { type: 'string', name, description, required: true, maxLength: 100, autocomplete: 'word' };
}

/** The optional `model` option shared by every query command. */
export const modelOption: StringOption = {
  type: 'string',
  name: 'model',
  description: 'Model to ask (default: the default model)',
  maxLength: 100,
  autocomplete: 'model',
};

/** The optional `count` option of ranking commands. */
export const countOption: IntegerOption = {
  type: 'integer',
  name: 'count',
  description: 'How many words to show (1–25, default 10)',
  min: 1,
  max: 25,
  default: 10,
};

/** The model a command asks: its `model` option, else the configured default, else the store's default. */
export function pickModel(options: CommandOptions, context: CommandContext): QueryModel {
  const name = typeof options.model === 'string' ? options.model : context.defaultModel;
  return context.catalog.model(name);
}

/** Footer naming the model that answered. */
export function modelFooter(model: QueryModel): string {
  const { name, algorithm, dim } = model.summary;
  return `model ${name} (${algorithm}, ${dim} dimensions)`;
}

/**
 * A title suffix when any word of the query was estimated rather than found: " (estimated)", so the
 * heading never reads as if the model knew the word.
 */
export function estimateMark(terms: { resolutions: readonly Resolution[] }): string {
  return terms.resolutions.some(isEstimate) ? ' (estimated)' : '';
}
