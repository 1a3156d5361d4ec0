import { REST, Routes } from 'discord.js';
import type { Command } from '../commands/command.js';
import { toDiscordCommand } from './command-data.js';

export interface RegisterOptions {
  token: string;
  appId: string;
  /** Register in this guild only (updates show at once); otherwise globally. */
  guildId?: string;
  apiBase: string;
  commands: readonly Command[];
}

/**
 * Replaces the application's slash commands with `commands` (one bulk PUT, so removed commands
 * disappear too).
 *
 * @returns The names Discord acknowledged and where they were registered.
 * @example
 * ```ts
 * await registerCommands({ token, appId, guildId, apiBase: 'https://discord.com/api', commands });
 * ```
 */
export async function registerCommands(
  options: RegisterOptions,
): Promise<{ scope: string; names: string[] }> {
  const rest = new REST({ api: options.apiBase }).setToken(options.token);
  const body = options.commands.map((c) => toDiscordCommand(c.definition));
  const route = options.guildId
    ? Routes.applicationGuildCommands(options.appId, options.guildId)
    : Routes.applicationCommands(options.appId);
  const result = (await rest.put(route, { body })) as { name: string }[];
  return { scope: options.guildId ? `guild ${options.guildId}` : 'global', names: result.map((c) => c.name) };
}
