/**
 * `pnpm start:http`: one HTTP server for Discord's interactions endpoint, Slack slash commands
 * (whichever is configured) and the web explorer (on unless `WORDVEC_WEB=0`), answering from the
 * store read-only. See the README's deployment section.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { ConfigError, loadDotEnv } from './core/config.js';
import { createLogger } from './core/logger.js';
import { RateLimiter } from './core/rate-limiter.js';
import { CommandRunner } from './core/runner.js';
import { stopOnSignal } from './core/stop-on-signal.js';
import type { DiscordPendingRequest } from './http/discord-interactions.js';
import { discordPublicKey } from './http/discord-signature.js';
import { loadHttpConfig } from './http/http-config.js';
import { modelHealth, startHttpServer } from './http/http-server.js';
import { PendingReplies } from './http/pending-replies.js';
import { SharedReplayCache } from './http/shared-replay-cache.js';
import type { SlackPendingRequest } from './http/slack-commands.js';
import { openBotState } from './state/open-state.js';
import { openStoreCatalog } from './store-catalog.js';

/** How often a replica looks for deferred replies that another one acknowledged and did not finish. */
const PENDING_RECOVERY_INTERVAL_MS = 10_000;

/**
 * Log lines gathered and written once per event-loop turn: under load one write (a system call that
 * may wake the log reader) serves many requests instead of one each. Pending lines are written
 * before the process exits, since the last immediate runs first.
 */
function batchedWriter(stream: NodeJS.WritableStream): (line: string) => void {
  let pending = '';
  return (line) => {
    if (pending === '') {
      setImmediate(() => {
        const text = pending;
        pending = '';
        stream.write(text);
      });
    }
    pending += line;
  };
}

async function main(): Promise<number> {
  try {
    loadDotEnv();
    const config = loadHttpConfig();
    const logger = createLogger({
      write: batchedWriter(process.stdout),
      secrets: [config.slack?.signingSecret, config.slack?.botToken, process.env.DISCORD_TOKEN],
    });
    const catalog = await openStoreCatalog(config.storePath);
    const names = catalog.models().map((m) => m.name);
    if (names.length === 0) {
      throw new ConfigError(
        `the store ${config.storePath} holds no model; run \`pnpm start\` once (it builds the default model) or import one with the wordvec CLI`,
      );
    }
    if (config.model !== undefined && !names.includes(config.model)) {
      throw new ConfigError(
        `WORDVEC_MODEL is ${JSON.stringify(config.model)}, but ${config.storePath} has no such model; models: ${names.join(', ')}`,
      );
    }
    const model = catalog.model(config.model);
    // Games, rate limits and replay keys are shared by every replica: SQLite on one host, or Redis.
    const state = await openBotState({ sqlitePath: config.statePath, redisUrl: config.redisUrl });
    // A reply this replica deferred and could not finish is finished by another (or by this one restarted).
    const pending = new PendingReplies({
      state,
      owner: `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
      logger,
    });
    const runner = new CommandRunner({
      catalog,
      defaultModel: config.model,
      oov: config.oov,
      logger,
      limiter: new RateLimiter({ limit: config.rateLimit, windowMs: config.rateWindowMs, state }),
      gameIdleMs: config.gameIdleMs,
    });
    // Each transport's library (discord.js for embeds, Bolt) loads only when it is configured, and
    // only after the configuration is known to be good, so a mistake is reported at once.
    const discord = config.discord
      ? new (await import('./http/discord-interactions.js')).DiscordInteractions({
          publicKey: discordPublicKey(config.discord.publicKey),
          appId: config.discord.appId,
          apiBase: config.discordApiBase,
          runner,
          logger,
          replays: new SharedReplayCache(state, 'discord', { logger }),
          pending,
        })
      : undefined;

    const slack = config.slack
      ? new (await import('./http/slack-commands.js')).SlackCommands({
          signingSecret: config.slack.signingSecret,
          token: config.slack.botToken,
          apiUrl: config.slack.apiUrl,
          runner,
          logger,
          replays: new SharedReplayCache(state, 'slack', { logger }),
          pending,
        })
      : undefined;
    await slack?.init();
    // A web-only replica defers nothing it could finish: it must not claim (and so delay) others' replies.
    const recoverPending = async () =>
      !discord && !slack
        ? 0
        : pending.recover({
            discord: discord
              ? (request: DiscordPendingRequest, held) => discord.finishRecovered(request, held)
              : undefined,
            slack: slack
              ? (request: SlackPendingRequest, held) => slack.finishRecovered(request, held)
              : undefined,
          });
    const recovery = setInterval(() => void recoverPending(), PENDING_RECOVERY_INTERVAL_MS);
    recovery.unref();
    const web = config.web
      ? new (await import('./web/web-api.js')).WebApi({ runner, logger, trustProxy: config.trustProxy })
      : undefined;
    const service = await startHttpServer(
      {
        discord,
        slack,
        web,
        logger,
        health: () => modelHealth(catalog, config.model),
        limits: config.limits,
      },
      config.port,
      config.host,
    );
    // Load the default matrix now; until it is in memory, commands defer and wait for it.
    setImmediate(() => {
      model
        .load()
        .then(() => logger.info('model loaded', { model: model.summary.name }))
        .then(() => recoverPending())
        .catch((error) => logger.error('model load failed', { model: model.summary.name, error }));
    });
    return await stopOnSignal({
      stop: () => {
        clearInterval(recovery);
        return service.stop();
      },
      close: async () => {
        catalog.close();
        await state.close();
      },
      logger,
      details: () => ({ inFlight: service.inFlight }),
    });
  } catch (error) {
    const e = error as Error;
    const known =
      e instanceof ConfigError ||
      e?.name === 'StoreError' ||
      e?.name === 'SlackStartError' ||
      e?.name === 'StateUnavailableError';
    process.stderr.write(`wordvec bot (http): ${known ? e.message : `${e?.message ?? e}`}\n`);
    if (process.env.WORDVEC_VERBOSE && e?.stack) process.stderr.write(`${e.stack}\n`);
    return 1;
  }
}

process.exitCode = await main();
