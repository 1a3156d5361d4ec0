/**
 * `pnpm start`: the Discord bot when `DISCORD_TOKEN` is set (also as a shard under discord.js's
 * `ShardingManager`), otherwise the local chat on stdin/stdout. On first start with an empty store
 * it builds the default model from the starter corpus.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { type BotConfig, ConfigError, loadConfig, loadDotEnv, requireDiscord } from './core/config.js';
import { createLogger, type Logger } from './core/logger.js';
import { RateLimiter } from './core/rate-limiter.js';
import { CommandRunner } from './core/runner.js';
import { stopOnSignal } from './core/stop-on-signal.js';
import { type EnsureResult, ensureDefaultModel, type WritableStoreLike } from './ensure-default-model.js';
import { runLocalChat } from './local-chat.js';
import { ProgressBar } from './progress-bar.js';
import { openBotState } from './state/open-state.js';
import { StoreCatalog, type StoreLike } from './store-catalog.js';

async function openStore(path: string, readonly: boolean): Promise<StoreLike & WritableStoreLike> {
  const { VectorStore } = await import('@wordvec/vector-store');
  return VectorStore.open(path, { readonly }) as unknown as StoreLike & WritableStoreLike;
}

/** Builds the default model when the store is empty (or missing), saying so on stderr. */
async function firstStart(config: BotConfig): Promise<void> {
  // Look read-only first: a writable open may migrate the file or clean up after an import that
  // another process (the CLI) is running right now. Only an empty or missing store is opened to write.
  if (existsSync(config.storePath)) {
    const reader = await openStore(config.storePath, true);
    const empty = reader.models().length === 0;
    reader.close();
    if (!empty) return;
  }
  mkdirSync(dirname(config.storePath), { recursive: true });
  const store = await openStore(config.storePath, false);
  try {
    if (store.models().length > 0) return;
    process.stderr.write(
      `First start: the store ${config.storePath} has no model yet, so I am training the default model on the ${config.firstCorpus} corpus. This takes a few minutes, once. (To start from a published model instead, stop me and run \`pnpm wordvec download glove-wiki-gigaword-50 --default\`; \`pnpm wordvec download --list\` shows the others.)\n`,
    );
    const bar = new ProgressBar(process.stderr);
    const started = Date.now();
    const result = await ensureDefaultModel(store, {
      corpus: config.firstCorpus,
      onProgress: (p) => bar.update(p),
    });
    bar.done();
    process.stderr.write(
      `Built model ${result.name} (${result.algorithm}) in ${((Date.now() - started) / 1000).toFixed(0)} s${describeScores(result.evaluation)}; later starts answer at once.\n`,
    );
  } finally {
    store.close();
  }
}

/** ", analogy accuracy 13.6 %, WS353 Spearman 0.50" when the model was evaluated. */
function describeScores(scores: EnsureResult['evaluation']): string {
  if (!scores) return '';
  const parts: string[] = [];
  if (scores.analogyAccuracy !== undefined)
    parts.push(`analogy accuracy ${(100 * scores.analogyAccuracy).toFixed(1)} %`);
  if (scores.wordPairsSpearman !== undefined)
    parts.push(`WS353 Spearman ${scores.wordPairsSpearman.toFixed(2)}`);
  return parts.length > 0 ? `, ${parts.join(', ')}` : '';
}

/** Fails early, with the model names, when `WORDVEC_MODEL` names a model the store lacks. */
function checkModel(catalog: StoreCatalog, config: BotConfig): string {
  const names = catalog.models().map((m) => m.name);
  if (config.model !== undefined && !names.includes(config.model)) {
    throw new ConfigError(
      `WORDVEC_MODEL is ${JSON.stringify(config.model)}, but ${config.storePath} has no such model; models: ${names.join(', ') || 'none'}`,
    );
  }
  return catalog.model(config.model).summary.name;
}

async function runLocal(config: BotConfig): Promise<number> {
  await firstStart(config);
  const catalog = new StoreCatalog(await openStore(config.storePath, true));
  try {
    const model = checkModel(catalog, config);
    const logger = process.env.WORDVEC_LOG
      ? createLogger({ write: (l) => process.stderr.write(l) })
      : undefined;
    const state = await openBotState({ sqlitePath: config.statePath, redisUrl: config.redisUrl });
    const runner = new CommandRunner({
      catalog,
      defaultModel: config.model,
      oov: config.oov,
      logger,
      state,
      gameIdleMs: config.gameIdleMs,
    });
    try {
      await runLocalChat({
        runner,
        input: process.stdin,
        output: process.stdout,
        interactive: !!process.stdin.isTTY,
        banner: `answering from model ${model}`,
        picturesDir: config.picturesDir,
      });
    } finally {
      await state.close();
    }
    return 0;
  } finally {
    catalog.close();
  }
}

async function runDiscord(config: BotConfig): Promise<number> {
  const { discordToken } = requireDiscord(config);
  const logger: Logger = createLogger({ write: (l) => process.stdout.write(l), secrets: [discordToken] });
  const sharded = process.env.SHARDING_MANAGER === 'true';
  // Shards share one file read-only; only a lone process may create the first model.
  if (!sharded) await firstStart(config);
  const catalog = new StoreCatalog(await openStore(config.storePath, true));
  const model = checkModel(catalog, config);
  // Games and rate limits are shared by every shard: one SQLite file on this host, or Redis.
  const state = await openBotState({ sqlitePath: config.statePath, redisUrl: config.redisUrl });
  const runner = new CommandRunner({
    catalog,
    defaultModel: config.model,
    oov: config.oov,
    logger,
    limiter: new RateLimiter({ limit: config.rateLimit, windowMs: config.rateWindowMs, state }),
    gameIdleMs: config.gameIdleMs,
  });
  // Loaded only here: the local chat starts faster without discord.js.
  const { DiscordBot } = await import('./discord/discord-bot.js');
  const bot = new DiscordBot({ token: discordToken, apiBase: config.discordApiBase, runner, logger });
  const stopped = stopOnSignal({
    stop: () => bot.stop(),
    close: async () => {
      catalog.close();
      await state.close();
    },
    logger,
  });
  // The store reads the matrix synchronously; doing it before connecting means no interaction waits
  // behind it. Other models load on first use, behind a deferred reply.
  const loadStarted = performance.now();
  await catalog.model(config.model).load();
  logger.info('model loaded', { model, ms: Math.round(performance.now() - loadStarted) });
  await bot.start();
  return stopped;
}

async function main(): Promise<number> {
  try {
    loadDotEnv();
    const config = loadConfig();
    return config.discordToken ? await runDiscord(config) : await runLocal(config);
  } catch (error) {
    const e = error as Error;
    const known =
      e instanceof ConfigError ||
      e?.name === 'StoreError' ||
      e?.name === 'EmbeddingsError' ||
      e?.name === 'StateUnavailableError';
    process.stderr.write(`wordvec bot: ${known ? e.message : `${e?.message ?? e}`}\n`);
    if (process.env.WORDVEC_VERBOSE && e?.stack) process.stderr.write(`${e.stack}\n`);
    return 1;
  }
}

const code = await main();
// A shard's IPC channel to its ShardingManager (and any handle discord.js leaves behind) would keep
// the process alive after a graceful stop; everything is closed and logs are written by now.
if (process.env.SHARDING_MANAGER === 'true' || process.env.DISCORD_TOKEN) process.exit(code);
process.exitCode = code;
