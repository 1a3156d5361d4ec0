import {
  type APIApplicationCommandBasicOption,
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
  const sub = def.options.find((o) => o.type === 'string' && o.subcommand);
  if (sub?.type === 'string' && sub.choices) {
    // `/game start [model]`: each choice becomes a subcommand holding the options that belong to it.
    const rest = def.options.filter((o) => o !== sub);
    return {
      type: ApplicationCommandType.ChatInput,
      name: def.name,
      description: def.description,
      options: sub.choices.map((choice) => ({
        type: ApplicationCommandOptionType.Subcommand,
        name: choice,
        description: `${def.description}: ${choice}`.slice(0, 100),
        options: discordOptions(rest.filter((o) => !o.for || o.for.includes(choice))),
      })),
    };
  }
  return {
    type: ApplicationCommandType.ChatInput,
    name: def.name,
    description: def.description,
    options: discordOptions(def.options),
  };
}

/** Options as Discord's JSON, required ones first (as Discord demands). */
function discordOptions(options: CommandDefinition['options']): APIApplicationCommandBasicOption[] {
  const ordered = [...options].sort((a, b) => Number(!!b.required) - Number(!!a.required));
  return ordered.map((o) =>
    o.type === 'string'
      ? ({
          type: ApplicationCommandOptionType.String,
          name: o.name,
          description: o.description,
          required: !!o.required,
          ...(o.maxLength !== undefined ? { max_length: o.maxLength } : {}),
          ...(o.autocomplete ? { autocomplete: true } : {}),
          ...(o.choices && !o.subcommand ? { choices: o.choices.map((c) => ({ name: c, value: c })) } : {}),
        } as APIApplicationCommandBasicOption)
      : o.type === 'boolean'
        ? {
            type: ApplicationCommandOptionType.Boolean,
            name: o.name,
            description: o.description,
            required: !!o.required,
          }
        : {
            type: ApplicationCommandOptionType.Integer,
            name: o.name,
            description: o.description,
            required: !!o.required,
            min_value: o.min,
            max_value: o.max,
          },
  );
}
