/**
 * `@wordvec/bot`: the transport-neutral command core and its transports. Entry points are
 * `dist/main.js` (`pnpm start`), `dist/http-main.js` (`pnpm start:http`) and `dist/deploy-commands.js` (`pnpm deploy-commands`).
 */
export * from './commands/index.js';
export * from './core/bot-error.js';
export * from './core/config.js';
export * from './core/escape.js';
export * from './core/logger.js';
export * from './core/model-source.js';
export * from './core/parse-command-line.js';
export * from './core/rate-limiter.js';
export * from './core/render-text.js';
export * from './core/reply.js';
export * from './core/runner.js';
export * from './core/validate.js';
export * from './core/words.js';
export * from './discord/command-data.js';
export * from './discord/discord-bot.js';
export * from './discord/embed.js';
export * from './discord/register-commands.js';
export * from './ensure-default-model.js';
export * from './http/discord-interactions.js';
export * from './http/discord-signature.js';
export * from './http/http-config.js';
export * from './http/http-server.js';
export * from './http/slack-blocks.js';
export * from './http/slack-commands.js';
export * from './local-chat.js';
export * from './store-catalog.js';
