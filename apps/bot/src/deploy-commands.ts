/**
 * `pnpm deploy-commands`: registers the bot's slash commands with Discord, in the guild
 * `DISCORD_GUILD_ID` when set (instant) or globally (may take up to an hour to show).
 */
import { commands } from './commands/index.js';
import { loadConfig, loadDotEnv, requireDiscord } from './core/config.js';
import { registerCommands } from './discord/register-commands.js';

try {
  loadDotEnv();
  const config = loadConfig();
  const { discordToken, discordAppId } = requireDiscord(config);
  const { scope, names } = await registerCommands({
    token: discordToken,
    appId: discordAppId,
    guildId: config.discordGuildId,
    apiBase: config.discordApiBase,
    commands,
  });
  console.log(`Registered ${names.length} commands (${scope}): ${names.map((n) => `/${n}`).join(' ')}`);
} catch (error) {
  console.error(`deploy-commands: ${(error as Error).message}`);
  process.exitCode = 1;
}
