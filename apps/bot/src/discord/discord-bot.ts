import {
  ApplicationCommandOptionType,
  type AutocompleteInteraction,
  type ChatInputCommandInteraction,
  Client,
  Events,
  GatewayIntentBits,
  type Interaction,
} from 'discord.js';
import { subcommandOption } from '../commands/command.js';
import type { Logger } from '../core/logger.js';
import type { CommandRunner, RawOptions } from '../core/runner.js';
import { toDiscordReply } from './embed.js';

export interface DiscordBotOptions {
  token: string;
  /** REST base, e.g. `https://discord.com/api` (discord.js appends `/v10`). */
  apiBase: string;
  runner: CommandRunner;
  logger?: Logger;
}

/**
 * The Discord gateway transport: a discord.js `Client` that answers slash commands and
 * autocomplete through a {@link CommandRunner}. Under a `ShardingManager` the client picks its
 * shard from the environment the manager sets, so the same code runs sharded or not.
 *
 * @example
 * ```ts
 * const bot = new DiscordBot({ token, apiBase: config.discordApiBase, runner });
 * await bot.start();
 * process.once('SIGTERM', () => bot.stop());
 * ```
 */
export class DiscordBot {
  readonly client: Client;
  readonly #token: string;
  readonly #runner: CommandRunner;
  readonly #logger: Logger | undefined;
  readonly #inFlight = new Set<Promise<void>>();
  #stopping = false;

  constructor(options: DiscordBotOptions) {
    this.#token = options.token;
    this.#runner = options.runner;
    this.#logger = options.logger;
    this.client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: options.apiBase } });
    this.client.on(Events.InteractionCreate, this.#onInteraction);
    this.client.on(Events.Error, (error) => this.#logger?.error('discord client error', { error }));
  }

  /** Logs in and resolves once the gateway session is ready. */
  async start(): Promise<void> {
    const ready = new Promise<void>((resolve) => this.client.once(Events.ClientReady, () => resolve()));
    await this.client.login(this.#token);
    await ready;
    this.#logger?.info('ready', { user: this.client.user?.tag, shards: this.client.shard?.ids ?? [0] });
  }

  /** Number of interactions being answered right now. */
  get inFlight(): number {
    return this.#inFlight.size;
  }

  /**
   * Stops accepting interactions, waits for the ones in flight to be answered, then disconnects.
   * Safe to call twice.
   */
  async stop(): Promise<void> {
    if (!this.#stopping) {
      this.#stopping = true;
      this.#logger?.info('stopping', { inFlight: this.#inFlight.size });
    }
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
    this.client.off(Events.InteractionCreate, this.#onInteraction);
    await this.client.destroy();
  }

  #onInteraction = (interaction: Interaction): void => {
    if (this.#stopping) return;
    const work = this.#handle(interaction).catch((error) =>
      this.#logger?.error('interaction failed', { interactionId: interaction.id, error }),
    );
    this.#inFlight.add(work);
    void work.finally(() => this.#inFlight.delete(work));
  };

  async #handle(interaction: Interaction): Promise<void> {
    if (interaction.isAutocomplete()) return this.#autocomplete(interaction);
    if (interaction.isChatInputCommand()) return this.#command(interaction);
  }

  async #autocomplete(interaction: AutocompleteInteraction): Promise<void> {
    const focused = interaction.options.getFocused(true);
    const choices = this.#runner.autocomplete(
      interaction.commandName,
      { name: focused.name, value: String(focused.value) },
      optionValues(interaction, this.#runner),
    );
    await interaction.respond(choices);
  }

  async #command(interaction: ChatInputCommandInteraction): Promise<void> {
    let deferred = false;
    const reply = await this.#runner.run({
      command: interaction.commandName,
      options: optionValues(interaction, this.#runner),
      user: interaction.user.id,
      userName: interaction.user.globalName ?? interaction.user.username,
      channel: `discord:${interaction.channelId}`,
      requestId: interaction.id,
      onDefer: async () => {
        await interaction.deferReply();
        deferred = true;
      },
    });
    const payload = toDiscordReply(reply);
    if (deferred) {
      const { flags: _ephemeralOnlyAtDefer, ...edit } = payload;
      await interaction.editReply(edit);
    } else {
      await interaction.reply(payload);
    }
  }
}

function optionValues(
  interaction: ChatInputCommandInteraction | AutocompleteInteraction,
  runner: CommandRunner,
): RawOptions {
  const out: RawOptions = {};
  const add = (options: typeof interaction.options.data) => {
    for (const o of options) {
      if (typeof o.value === 'string' || typeof o.value === 'number' || typeof o.value === 'boolean')
        out[o.name] = o.value;
    }
  };
  for (const o of interaction.options.data) {
    // A subcommand (`/game start`) carries its own options; its name is the subcommand option's value.
    const sub =
      o.type === ApplicationCommandOptionType.Subcommand &&
      subcommandOption(runner.find(interaction.commandName)?.definition);
    if (sub) {
      out[sub] = o.name;
      add(o.options ?? []);
    } else add([o]);
  }
  return out;
}
