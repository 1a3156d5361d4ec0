import { App, HTTPReceiver, LogLevel, type Logger as SlackLogger, type SlashCommand } from '@slack/bolt';
import { BotInputError } from '../core/bot-error.js';
import type { Logger } from '../core/logger.js';
import { parseCommandLine } from '../core/parse-command-line.js';
import { errorReply, type Reply } from '../core/reply.js';
import type { CommandRunner } from '../core/runner.js';
import { type SlackMessage, toSlackMessage } from './slack-blocks.js';

/** Bolt's default path for events, commands and actions (one Request URL in the app's settings). */
export const SLACK_EVENTS_PATH = '/slack/events';

/** Same cap as the Discord endpoint: a slash command body is well under 4 KiB. */
export const SLACK_BODY_LIMIT = 64 * 1024;

export interface SlackCommandsOptions {
  signingSecret: string;
  /** Bot token (`xoxb-…`); Bolt checks it once with `auth.test` in {@link SlackCommands.init}. */
  token: string;
  /** Web API base (default `https://slack.com/api/`); tests point it at a fake Slack. */
  apiUrl?: string;
  runner: CommandRunner;
  logger?: Logger;
}

/**
 * Slack slash commands (`/similar`, `/analogy`, …, one per bot command) on the shared
 * {@link CommandRunner}, through `@slack/bolt` 5 in HTTP mode. Bolt's `HTTPReceiver` checks each
 * request's `v0=` HMAC-SHA256 signature and its 5-minute timestamp window (401 otherwise); its
 * {@link SlackCommands.requestListener} is mounted inside our own node:http server.
 *
 * The command text is parsed like the local chat's (`/similar pizza 5`, `/similar word:pizza model:brown`).
 * Quick answers go in the acknowledgement itself; when a model must load first the command is
 * acknowledged at once and the answer follows through the request's `response_url`.
 *
 * @example
 * ```ts
 * const slack = new SlackCommands({ signingSecret, token, runner });
 * await slack.init();
 * createServer((req, res) => slack.requestListener(req, res));
 * ```
 */
export class SlackCommands {
  readonly app: App;
  readonly receiver: HTTPReceiver;
  readonly #runner: CommandRunner;
  readonly #logger: Logger | undefined;
  readonly #pending = new Set<Promise<void>>();

  constructor(options: SlackCommandsOptions) {
    this.#runner = options.runner;
    this.#logger = options.logger;
    const logger = boltLogger(options.logger);
    this.receiver = new HTTPReceiver({
      signingSecret: options.signingSecret,
      endpoints: SLACK_EVENTS_PATH,
      logger,
      bodyLimit: SLACK_BODY_LIMIT,
    });
    this.app = new App({
      token: options.token,
      receiver: this.receiver,
      logger,
      deferInitialization: true,
      clientOptions: {
        ...(options.apiUrl ? { slackApiUrl: withTrailingSlash(options.apiUrl) } : {}),
        // The default retries for half an hour; a start-up check should fail in seconds.
        retryConfig: { retries: 1, factor: 1, minTimeout: 200 },
      },
    });
    for (const command of this.#runner.commands) {
      this.app.command(`/${command.definition.name}`, ({ command: body, ack, respond }) => {
        // Tracked from the start: after an early acknowledgement the HTTP exchange is over while the
        // answer is still being computed and posted, and a graceful stop must wait for it.
        const work = this.#answerCommand(body, ack, respond);
        this.#pending.add(work);
        return work.finally(() => this.#pending.delete(work));
      });
    }
  }

  async #answerCommand(
    body: SlashCommand,
    ack: (message?: SlackMessage | { response_type: 'ephemeral'; text: string }) => Promise<void>,
    respond: (message: SlackMessage & { replace_original: boolean }) => Promise<unknown>,
  ): Promise<void> {
    let deferred = false;
    const reply = await this.answer(body.command, body.text ?? '', `slack:${body.team_id}:${body.user_id}`, {
      requestId: body.trigger_id,
      onDefer: async () => {
        deferred = true;
        await ack({ response_type: 'ephemeral', text: 'Loading the model, one moment…' });
      },
    });
    const message = toSlackMessage(reply);
    if (!deferred) return ack(message);
    await respond({ ...message, replace_original: false }).catch((error: Error) =>
      this.#logger?.error('slack respond failed', { requestId: body.trigger_id, error: error.message }),
    );
  }

  /** Resolves when every slash command received has been answered (through `response_url` too). */
  async drain(): Promise<void> {
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
  }

  /** Bolt's request listener for `POST /slack/events`; throws for other paths (Bolt's convention). */
  get requestListener(): HTTPReceiver['requestListener'] {
    return this.receiver.requestListener;
  }

  /**
   * Checks the bot token with Slack's `auth.test` (Bolt's deferred initialisation).
   *
   * @throws Error saying Slack refused the token (the token itself is never in the message).
   */
  async init(): Promise<void> {
    try {
      await this.app.init();
    } catch (error) {
      const e = error as { data?: { error?: string }; message?: string };
      throw new Error(
        `Slack did not accept SLACK_BOT_TOKEN (auth.test: ${e.data?.error ?? e.message ?? 'unknown error'})`,
      );
    }
  }

  /**
   * Runs one slash command as typed: `commandName` is Slack's `/similar`, `text` what follows it.
   * Never throws: parse errors become error replies like every other bad input.
   */
  async answer(
    commandName: string,
    text: string,
    user: string,
    hooks: { requestId?: string; onDefer?: () => Promise<void> } = {},
  ): Promise<Reply> {
    let parsed: ReturnType<typeof parseCommandLine>;
    try {
      parsed = parseCommandLine(`${commandName} ${text}`, this.#runner.commands);
    } catch (error) {
      if (error instanceof BotInputError) return errorReply(error.title, [error.message]);
      throw error;
    }
    return this.#runner.run({
      command: parsed!.command,
      options: parsed!.options,
      user,
      requestId: hooks.requestId,
      onDefer: hooks.onDefer,
    });
  }
}

function withTrailingSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}

/** Bolt's logger interface over our structured logger (so Bolt's warnings are JSON lines too). */
function boltLogger(logger: Logger | undefined): SlackLogger {
  let level = LogLevel.INFO;
  const rank = { [LogLevel.DEBUG]: 0, [LogLevel.INFO]: 1, [LogLevel.WARN]: 2, [LogLevel.ERROR]: 3 };
  const at =
    (l: LogLevel, method: 'info' | 'warn' | 'error') =>
    (...msg: unknown[]) => {
      if (rank[l] >= rank[level]) logger?.[method](`slack: ${msg.map(String).join(' ')}`);
    };
  return {
    debug: at(LogLevel.DEBUG, 'info'),
    info: at(LogLevel.INFO, 'info'),
    warn: at(LogLevel.WARN, 'warn'),
    error: at(LogLevel.ERROR, 'error'),
    setLevel: (l) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
