import { App, HTTPReceiver, LogLevel, type Logger as SlackLogger, type SlashCommand } from '@slack/bolt';
import { BotInputError } from '../core/bot-error.js';
import type { Logger } from '../core/logger.js';
import { parseCommandLine } from '../core/parse-command-line.js';
import { errorReply, type Reply, type ReplyImage } from '../core/reply.js';
import type { CommandRunner } from '../core/runner.js';
import { escapeControls } from '../core/validate.js';
import { MAX_REQUEST_AGE_SECONDS } from './discord-signature.js';
import type { Flight, PendingReplies } from './pending-replies.js';
import { ReplayCache } from './replay-cache.js';
import type { ReplayGuard } from './shared-replay-cache.js';
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
  /** Requests already answered (default: a fresh {@link ReplayCache}; `http-main` shares one across replicas). */
  replays?: ReplayGuard;
  /** Where deferred answers in flight are kept, so another replica finishes one this process could not. */
  pending?: PendingReplies;
}

/** Slack takes answers on a command's `response_url` for 30 minutes. */
export const RESPONSE_URL_LIFE_MS = 30 * 60_000;

/** What a deferred slash command keeps to be finished elsewhere: the command as typed, and where to answer. */
export interface SlackPendingRequest {
  transport: 'slack';
  command: string;
  text: string;
  user: string;
  channel?: string;
  userName: string;
  requestId?: string;
  responseUrl?: string;
}

/**
 * Slack could not be asked or refused the bot token at start: `reason` tells which, so the message
 * blames the network or the token, not always the token.
 */
export class SlackStartError extends Error {
  readonly reason: 'unreachable' | 'refused';
  constructor(reason: 'unreachable' | 'refused', message: string) {
    super(message);
    this.name = 'SlackStartError';
    this.reason = reason;
  }
}

/**
 * Slack slash commands (`/similar`, `/analogy`, …, one per bot command) on the shared
 * {@link CommandRunner}, through `@slack/bolt` 5 in HTTP mode. Bolt's `HTTPReceiver` checks each
 * request's `v0=` HMAC-SHA256 signature and its 5-minute timestamp window (401 otherwise); its
 * {@link SlackCommands.requestListener} is mounted inside our own node:http server.
 *
 * The command text is parsed like the local chat's (`/similar pizza 5`, `/similar word:pizza model:brown`).
 * Quick answers go in the acknowledgement itself; when a model must load first (or a picture is
 * drawn) the command is acknowledged at once and the answer follows through the request's
 * `response_url`. A reply's picture is uploaded into the channel with `files.uploadV2`.
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
  readonly #replays: ReplayGuard;
  readonly #apiUrl: string;
  readonly #pendingReplies: PendingReplies | undefined;

  constructor(options: SlackCommandsOptions) {
    this.#pendingReplies = options.pending;
    this.#runner = options.runner;
    this.#logger = options.logger;
    this.#replays = options.replays ?? new ReplayCache();
    this.#apiUrl = options.apiUrl ?? 'https://slack.com/api/';
    const logger = boltLogger(options.logger);
    this.receiver = new HTTPReceiver({
      signingSecret: options.signingSecret,
      endpoints: SLACK_EVENTS_PATH,
      logger,
      bodyLimit: SLACK_BODY_LIMIT,
      // Handed to the middleware below, which sees them only after Bolt verified the signature.
      customPropertiesExtractor: (req) => ({
        requestSignature: String(req.headers['x-slack-signature'] ?? ''),
        requestTimestamp: Number(req.headers['x-slack-request-timestamp']),
      }),
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
    // A signed request seen before inside the 5-minute window is a replay (Slack does not resend
    // slash commands): acknowledged with an empty 200, which shows nothing, and nothing is run.
    this.app.use(async ({ context, ack, next }) => {
      const signature = context.requestSignature;
      const timestamp = context.requestTimestamp;
      if (typeof signature === 'string' && signature !== '' && typeof timestamp === 'number') {
        const expiresAtMs = (timestamp + MAX_REQUEST_AGE_SECONDS) * 1000;
        if (!(await this.#replays.firstSeen(signature, expiresAtMs))) {
          this.#logger?.warn('slack request refused', { reason: 'replay' });
          await (ack as (() => Promise<void>) | undefined)?.();
          return;
        }
      }
      await next();
    });
    // One listener for every command, known or not: an unknown one gets its error reply at once
    // instead of Bolt's 404 after its 3-second wait for a listener.
    this.app.command(/^\/.*/s, ({ command: body, ack, respond }) => {
      // Tracked from the start: after an early acknowledgement the HTTP exchange is over while the
      // answer is still being computed and posted, and a graceful stop must wait for it.
      const work = this.#answerCommand(body, ack, respond);
      this.#pending.add(work);
      return work.finally(() => this.#pending.delete(work));
    });
  }

  async #answerCommand(
    body: SlashCommand,
    ack: (message?: SlackMessage | { response_type: 'ephemeral'; text: string }) => Promise<void>,
    respond: (message: SlackMessage & { replace_original: boolean }) => Promise<unknown>,
  ): Promise<void> {
    let deferred = false;
    let flight: Flight | undefined;
    const request: SlackPendingRequest = {
      transport: 'slack',
      command: body.command,
      text: body.text ?? '',
      user: `slack:${body.team_id}:${body.user_id}`,
      // A game is per conversation (channel or direct message).
      channel: body.channel_id ? `slack:${body.team_id}:${body.channel_id}` : undefined,
      userName: body.user_name || body.user_id,
      requestId: body.trigger_id,
      responseUrl: body.response_url,
    };
    try {
      const reply = await this.answer(request.command, request.text, request.user, {
        requestId: request.requestId,
        channel: request.channel,
        userName: request.userName,
        onDefer: async (why) => {
          deferred = true;
          // The response_url came in Slack's signed request; it takes answers for 30 minutes.
          if (request.requestId && request.responseUrl)
            flight = await this.#pendingReplies?.hold(
              `slack:${request.requestId}`,
              request,
              Date.now() + RESPONSE_URL_LIFE_MS,
            );
          await ack({
            response_type: 'ephemeral',
            text: why === 'drawing' ? 'Drawing the picture, one moment…' : 'Loading the model, one moment…',
          });
        },
      });
      const message = toSlackMessage(reply);
      if (!deferred) {
        await ack(message);
      } else {
        // Another replica took the reply over (this one stalled past its lease): it sends the answer.
        if (flight && !flight.held()) return;
        await respond({ ...message, replace_original: false }).catch((error: Error) =>
          this.#logger?.error('slack respond failed', { requestId: body.trigger_id, error: error.message }),
        );
      }
      if (reply.image) await this.#upload(body.channel_id, body.trigger_id, reply.image, respond);
      await flight?.finish();
    } finally {
      flight?.stop();
    }
  }

  /**
   * Finishes a deferred slash command another process acknowledged and did not answer (handed over
   * by {@link PendingReplies.recover}): runs it again, not counted against the rate limit a second
   * time, and posts the answer to its `response_url` unless `held()` turned false meanwhile.
   *
   * @example
   * ```ts
   * await pending.recover({ slack: (request, held) => slack.finishRecovered(request, held) });
   * ```
   */
  async finishRecovered(request: SlackPendingRequest, held: () => boolean = () => true): Promise<void> {
    const reply = await this.answer(request.command, request.text, request.user, {
      requestId: request.requestId,
      channel: request.channel,
      userName: request.userName,
      rateCounted: true,
    });
    if (!held() || !request.responseUrl) return;
    const responseUrl = request.responseUrl;
    const respond = async (message: SlackMessage & { replace_original: boolean }) => {
      try {
        const res = await fetch(responseUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(message),
          signal: AbortSignal.timeout(10_000),
        });
        if (!res.ok)
          this.#logger?.error('slack respond failed', { requestId: request.requestId, status: res.status });
        await res.body?.cancel();
      } catch (error) {
        this.#logger?.error('slack respond failed', {
          requestId: request.requestId,
          error: (error as Error).message,
        });
      }
    };
    await respond({ ...toSlackMessage(reply), replace_original: false });
    // The channel id is the last part of `slack:<team>:<channel>`.
    const channelId = request.channel?.split(':')[2];
    if (reply.image && channelId) await this.#upload(channelId, request.requestId, reply.image, respond);
  }

  /**
   * Posts a reply's picture into the conversation with `files.uploadV2` through Bolt's client
   * (`files.getUploadURLExternal`, the bytes to the upload URL, `files.completeUploadExternal`).
   * Slack refuses when the bot is not in the channel: the asker is told so, ephemerally.
   */
  async #upload(
    channelId: string,
    requestId: string | undefined,
    image: ReplyImage,
    respond: (message: SlackMessage & { replace_original: boolean }) => Promise<unknown>,
  ): Promise<void> {
    try {
      await this.app.client.files.uploadV2({
        channel_id: channelId,
        file: image.png,
        filename: image.fileName,
        title: escapeControls(image.fileName),
        alt_text: escapeControls(image.alt),
      });
    } catch (error) {
      const code = (error as { data?: { error?: unknown } }).data?.error;
      const reason = typeof code === 'string' ? code : (error as Error).message;
      this.#logger?.warn('slack upload failed', { requestId, error: reason });
      await respond({
        ...toSlackMessage(
          errorReply('Picture not posted', [
            `Slack refused the picture (${reason}). Invite the bot to this channel (it needs the files:write scope) and ask again.`,
          ]),
        ),
        replace_original: false,
      }).catch(() => {});
    }
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
   * @throws {@link SlackStartError}: `unreachable` when the Web API could not be asked (network
   * error, HTTP error status), `refused` when Slack answered and refused the token (the token
   * itself is never in the message).
   */
  async init(): Promise<void> {
    try {
      await this.app.init();
    } catch (error) {
      throw startError(error, this.#apiUrl);
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
    hooks: {
      requestId?: string;
      onDefer?: (why: 'loading' | 'drawing') => Promise<void>;
      channel?: string;
      userName?: string;
      rateCounted?: boolean;
    } = {},
  ): Promise<Reply> {
    let parsed: ReturnType<typeof parseCommandLine>;
    try {
      parsed = parseCommandLine(`${commandName} ${text}`, this.#runner.commands);
    } catch (error) {
      if (error instanceof BotInputError) return errorReply(error.title, [error.message]);
      throw error;
    }
    if (!parsed) return errorReply('No command', ['The request named no command; try /similar king.']);
    return this.#runner.run({
      command: parsed.command,
      options: parsed.options,
      user,
      userName: hooks.userName,
      channel: hooks.channel,
      requestId: hooks.requestId,
      onDefer: hooks.onDefer,
      rateCounted: hooks.rateCounted,
    });
  }
}

/** Sorts a failed `auth.test` into the network's fault or the token's, by the Web API's error codes. */
function startError(error: unknown, apiUrl: string): SlackStartError {
  const e = error as {
    code?: string;
    data?: { error?: string };
    statusCode?: number;
    original?: { code?: string; message?: string; cause?: { code?: string } };
    message?: string;
  };
  if (e?.code === 'slack_webapi_request_error') {
    const o = e.original;
    const cause = o?.cause?.code ?? o?.code ?? o?.message ?? e.message ?? 'network error';
    return new SlackStartError(
      'unreachable',
      `Slack's Web API at ${apiUrl} is unreachable (${cause}); check the network or SLACK_API_URL, then start again`,
    );
  }
  if (e?.code === 'slack_webapi_http_error') {
    return new SlackStartError(
      'unreachable',
      `Slack's Web API at ${apiUrl} answered HTTP ${e.statusCode ?? '?'} to auth.test; try again later`,
    );
  }
  return new SlackStartError(
    'refused',
    `Slack did not accept SLACK_BOT_TOKEN (auth.test: ${e?.data?.error ?? e?.message ?? 'unknown error'})`,
  );
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
