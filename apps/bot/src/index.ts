/**
 * `@wordvec/bot`: the transport-neutral command core and its transports, for running the bot inside
 * another program. Entry points are `dist/main.js` (`pnpm start`), `dist/http-main.js`
 * (`pnpm start:http`) and `dist/deploy-commands.js` (`pnpm deploy-commands`).
 */

// The commands and the runner every transport calls.
export { commands, findCommand } from './commands/index.js';
export { BotInputError } from './core/bot-error.js';
export { type BotConfig, ConfigError, loadConfig, loadDotEnv, requireDiscord } from './core/config.js';
export { createLogger, type Logger, type LoggerOptions, type LogLevel } from './core/logger.js';
// Where answers come from: the catalog of models and the first model of an empty store.
export type {
  ContextStat,
  CooccurrenceSource,
  ModelCatalog,
  ModelSummary,
  Neighbour,
  QueryModel,
  StoredCooccurrence,
} from './core/model-source.js';
export { type ParsedLine, parseCommandLine } from './core/parse-command-line.js';
export { type RateDecision, RateLimiter, type RateLimiterOptions } from './core/rate-limiter.js';
// Transports and how each renders a Reply.
export { renderText } from './core/render-text.js';
export { errorReply, type Reply, type ReplyField } from './core/reply.js';
export {
  type Choice,
  type CommandRequest,
  CommandRunner,
  type CommandRunnerOptions,
  MAX_CHOICES,
  type RawOptions,
} from './core/runner.js';
export { DiscordBot, type DiscordBotOptions } from './discord/discord-bot.js';
export { type DiscordReplyPayload, toDiscordReply } from './discord/embed.js';
export { type RegisterOptions, registerCommands } from './discord/register-commands.js';
export {
  type EnsureDefaultModelOptions,
  type EnsureResult,
  ensureDefaultModel,
  type WritableStoreLike,
} from './ensure-default-model.js';
export { DiscordInteractions, type DiscordInteractionsOptions } from './http/discord-interactions.js';
export { type HttpConfig, loadHttpConfig } from './http/http-config.js';
export { type HttpServerOptions, type HttpService, startHttpServer } from './http/http-server.js';
export { type ReplayGuard, SharedReplayCache } from './http/shared-replay-cache.js';
export { type SlackMessage, toSlackMessage } from './http/slack-blocks.js';
export { SlackCommands, type SlackCommandsOptions } from './http/slack-commands.js';
export { helpText, type LocalChatOptions, runLocalChat } from './local-chat.js';
// The bot's state (games, scores, rate limits, replay keys): SQLite on one host, Redis across hosts.
export {
  type BotState,
  type Difficulty,
  type GameRecord,
  type GuessRecord,
  type GuessResult,
  type NewGuess,
  type StartResult,
  StateUnavailableError,
  type WinCount,
} from './state/bot-state.js';
export { openBotState, type StateLocation } from './state/open-state.js';
export { describeRedisUrl, RedisState, type RedisStateOptions } from './state/redis-state.js';
export { SQLITE_BUSY_TIMEOUT_MS, SqliteState } from './state/sqlite-state.js';
export { openStoreCatalog, StoreCatalog, type StoreLike } from './store-catalog.js';
