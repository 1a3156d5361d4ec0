import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import type { CommandDefinition } from '../commands/command.js';

/**
 * A command definition as Discord's application-command JSON (what `pnpm deploy-commands` PUTs).
 * Required options come first, as Discord demands.
 *
 * @example
 * ```ts
 * toDiscordCommand(similar.definition).options?.[0]; // { type: 3, name: 'word', required: true, autocomplete: true, … }
 * ```
 */
export function toDiscordCommand(def: CommandDefinition): RESTPostAPIChatInputApplicationCommandsJSONBody {
  const ordered = [...def.options].sort((a, b) => Number(!!b.required) - Number(!!a.required));
  return {
    type: ApplicationCommandType.ChatInput,
    name: def.name,
    description: def.description,
    options: ordered.map((o) =>
      o.type === 'string'
        ? {
            type: ApplicationCommandOptionType.String,
            name: o.name,
            description: o.description,
            required: !!o.required,
            ...(o.maxLength !== undefined ? { max_length: o.maxLength } : {}),
            ...(o.autocomplete ? { autocomplete: true } : {}),
          }
        : {
            type: ApplicationCommandOptionType.Integer,
            name: o.name,
            description: o.description,
            required: !!o.required,
            min_value: o.min,
            max_value: o.max,
          },
    ),
  };
}
