import type { KeyObject } from 'node:crypto';
import { subcommandOption } from '../commands/command.js';
import type { Logger } from '../core/logger.js';
import type { Reply, ReplyImage } from '../core/reply.js';
import type { CommandRunner, RawOptions } from '../core/runner.js';
import { toDiscordReply } from '../discord/embed.js';
import type { RateDecision } from '../state/bot-state.js';
import { checkDiscordSignature, MAX_REQUEST_AGE_SECONDS } from './discord-signature.js';
import type { Flight, PendingReplies } from './pending-replies.js';
import { ReplayCache } from './replay-cache.js';
import type { ReplayGuard } from './shared-replay-cache.js';

// Interaction and callback types (Discord docs, "Receiving and Responding", interaction object).
const PING = 1;
const APPLICATION_COMMAND = 2;
const AUTOCOMPLETE = 4;
const PONG = 1;
const CHANNEL_MESSAGE_WITH_SOURCE = 4;
const DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE = 5;
const AUTOCOMPLETE_RESULT = 8;

/** An HTTP answer: status and JSON body (none for a bare status). */
export interface HttpAnswer {
  status: number;
  body?: unknown;
}

/**
 * The message body Discord's HTTP API takes: embeds as JSON, nobody pinged, ephemeral as a flag, and
 * for a picture the attachment's metadata (its bytes go beside the JSON as `files[0]`).
 */
export interface DiscordMessageJson {
  embeds: unknown[];
  allowed_mentions: { parse: [] };
  flags?: number;
  attachments?: { id: number; filename: string; description: string }[];
}

export interface DiscordInteractionsOptions {
  publicKey: KeyObject;
  /** Application id: the follow-up webhook URL is `/webhooks/{appId}/{token}`. */
  appId: string;
  /** REST base without version, e.g. `https://discord.com/api` (as `DISCORD_API_BASE`). */
  apiBase: string;
  runner: CommandRunner;
  logger?: Logger;
  /** Clock in milliseconds (tests move it to make requests stale). */
  now?: () => number;
  /** Interactions already answered (default: a fresh {@link ReplayCache} on the same clock; `http-main` shares one across replicas). */
  replays?: ReplayGuard;
  /**
   * Where deferred replies in flight are kept, so that one this process acknowledged and then could
   * not finish (it was stopped or crashed) is finished by another replica, or by this one after a
   * restart: {@link PendingReplies.recover} hands it to {@link DiscordInteractions.finishRecovered}.
   * Without it a deferred reply lives only in this process.
   */
  pending?: PendingReplies;
}

/** Discord's interaction token lives 15 minutes: after that no edit can be sent. */
export const INTERACTION_TOKEN_LIFE_MS = 15 * 60_000;

/** What a pending reply keeps to be finished elsewhere: the request as the runner takes it, and the token. */
export interface DiscordPendingRequest {
  transport: 'discord';
  command: string;
  options: RawOptions;
  user: string;
  userName: string;
  channel?: string;
  interactionId?: string;
  token: string;
}

interface InteractionOption {
  name: string;
  type: number;
  value?: string | number | boolean;
  focused?: boolean;
  /** A subcommand's own options. */
  options?: InteractionOption[];
}

/** Discord's option type of a subcommand. */
const SUBCOMMAND = 1;

interface Interaction {
  id?: string;
  type: number;
  token?: string;
  data?: { name?: string; options?: InteractionOption[] };
  member?: { user?: { id?: string; username?: string; global_name?: string | null }; nick?: string | null };
  user?: { id?: string; username?: string; global_name?: string | null };
  channel_id?: string;
  channel?: { id?: string };
}

/**
 * Renders a {@link Reply} as the JSON body of an interaction response or webhook edit (the gateway
 * transport's embed, serialised), with `allowed_mentions.parse` empty so nothing pings.
 */
export function toDiscordMessageJson(reply: Reply): DiscordMessageJson {
  const payload = toDiscordReply(reply);
  const file = payload.files?.[0];
  return {
    embeds: payload.embeds.map((e) => e.toJSON()),
    allowed_mentions: { parse: [] },
    ...(payload.flags !== undefined ? { flags: payload.flags } : {}),
    ...(file && reply.image
      ? { attachments: [{ id: 0, filename: reply.image.fileName, description: file.description ?? '' }] }
      : {}),
  };
}

/**
 * A message with a picture as Discord's multipart/form-data body ("Uploading Files"): the JSON as
 * `payload_json`, the PNG as `files[0]` (the `id` 0 of `attachments`).
 *
 * @example
 * ```ts
 * await fetch(webhookUrl, { method: 'PATCH', body: discordFormData(toDiscordMessageJson(reply), reply.image) });
 * ```
 */
export function discordFormData(message: Omit<DiscordMessageJson, 'flags'>, image: ReplyImage): FormData {
  const form = new FormData();
  form.append('payload_json', JSON.stringify(message));
  form.append('files[0]', new Blob([new Uint8Array(image.png)], { type: 'image/png' }), image.fileName);
  return form;
}

/**
 * Discord's HTTP interactions endpoint on the shared {@link CommandRunner}: checks the signature and
 * age of every request before parsing it, answers PING, commands and autocomplete in the response,
 * and when the runner has to load a model first (or a command draws a picture), answers "thinking…"
 * (type 5) at once and edits the original response through the webhook when the answer is ready: as
 * JSON, or as multipart/form-data (`payload_json` + `files[0]`) when it carries a picture.
 *
 * @example
 * ```ts
 * const discord = new DiscordInteractions({ publicKey: discordPublicKey(hex), appId, apiBase, runner });
 * await discord.handle({ headers: req.headers, body }, (answer) => sendJson(res, answer));
 * ```
 */
export class DiscordInteractions {
  readonly #options: DiscordInteractionsOptions;
  readonly #now: () => number;
  readonly #replays: ReplayGuard;

  constructor(options: DiscordInteractionsOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#replays = options.replays ?? new ReplayCache({ now: this.#now });
  }

  /**
   * Answers one POSTed interaction. `send` is called exactly once, with the HTTP answer; the promise
   * resolves when all work for the interaction (a deferred edit included) is done. Never throws.
   */
  async handle(
    request: { headers: Record<string, string | string[] | undefined>; body: Buffer },
    send: (answer: HttpAnswer) => void,
  ): Promise<void> {
    let sent = false;
    const sendOnce = (answer: HttpAnswer) => {
      if (!sent) send(answer);
      sent = true;
    };
    try {
      await this.#handle(request, sendOnce);
    } catch (error) {
      this.#options.logger?.error('discord interaction failed', { error });
      sendOnce({ status: 500, body: { error: 'internal error' } });
    }
  }

  async #handle(
    request: { headers: Record<string, string | string[] | undefined>; body: Buffer },
    send: (answer: HttpAnswer) => void,
  ): Promise<void> {
    const header = (name: string) => {
      const v = request.headers[name];
      return Array.isArray(v) ? v[0] : v;
    };
    const check = checkDiscordSignature(
      this.#options.publicKey,
      {
        signature: header('x-signature-ed25519'),
        timestamp: header('x-signature-timestamp'),
        body: request.body,
      },
      this.#now() / 1000,
    );
    if (!check.ok) {
      this.#options.logger?.warn('discord request refused', { reason: check.reason });
      return send({ status: 401, body: { error: 'invalid request signature' } });
    }
    let interaction: Interaction;
    try {
      interaction = parseInteraction(request.body);
    } catch (error) {
      this.#options.logger?.warn('discord request malformed', { reason: (error as Error).message });
      return send({ status: 400, body: { error: (error as Error).message } });
    }
    if (interaction.type === PING) return send({ status: 200, body: { type: PONG } });
    // A captured request sent again inside the signature's window would run the command twice.
    // Discord never resends an interaction, so a second copy is someone else's: 409 and nothing run.
    // (PINGs run nothing and are answered every time.)
    const key = typeof interaction.id === 'string' && interaction.id !== '' ? interaction.id : undefined;
    const expiresAtMs = (Number(header('x-signature-timestamp')) + MAX_REQUEST_AGE_SECONDS) * 1000;
    const replayKey = key ? `id:${key}` : `sig:${header('x-signature-ed25519')}`;
    // A command's rate-limit hit goes with its replay check: one step (one round trip) on the state.
    const limiter = interaction.type === APPLICATION_COMMAND ? this.#options.runner.limiter : undefined;
    let admitted: { rate?: RateDecision } | undefined;
    let firstSeen: boolean;
    if (limiter && this.#replays.admit) {
      const admission = await this.#replays.admit(replayKey, expiresAtMs, limiter, discordUser(interaction));
      firstSeen = admission.firstSeen;
      admitted = { rate: admission.rate };
    } else firstSeen = await this.#replays.firstSeen(replayKey, expiresAtMs);
    if (!firstSeen) {
      this.#options.logger?.warn('discord request refused', { reason: 'replay', requestId: key });
      return send({ status: 409, body: { error: 'interaction already received' } });
    }
    const name = interaction.data?.name;
    if (typeof name !== 'string')
      return send({ status: 400, body: { error: 'interaction without a command name' } });
    const sub = subcommandOption(this.#options.runner.find(name)?.definition);
    const options = optionValues(interaction.data?.options, sub);
    if (interaction.type === AUTOCOMPLETE) {
      const focused = flatOptions(interaction.data?.options, sub).find((o) => o.focused);
      const choices = focused
        ? this.#options.runner.autocomplete(
            name,
            { name: focused.name, value: String(focused.value ?? '') },
            options,
          )
        : [];
      return send({ status: 200, body: { type: AUTOCOMPLETE_RESULT, data: { choices } } });
    }
    if (interaction.type !== APPLICATION_COMMAND) {
      return send({ status: 400, body: { error: `interaction type ${interaction.type} is not handled` } });
    }
    await this.#command(interaction, name, options, admitted, send);
  }

  /** `admitted`: the rate limit was applied with the replay check (its decision, if one was made). */
  async #command(
    interaction: Interaction,
    name: string,
    options: RawOptions,
    admitted: { rate?: RateDecision } | undefined,
    send: (a: HttpAnswer) => void,
  ) {
    const who = interaction.member?.user ?? interaction.user;
    const channel = interaction.channel_id ?? interaction.channel?.id;
    const request: DiscordPendingRequest = {
      transport: 'discord',
      command: name,
      options,
      user: discordUser(interaction),
      userName: stringOr(
        interaction.member?.nick,
        stringOr(who?.global_name, stringOr(who?.username, who?.id ?? 'unknown')),
      ),
      channel: typeof channel === 'string' ? `discord:${channel}` : undefined,
      interactionId: interaction.id,
      token: interaction.token ?? '',
    };
    let deferred = false;
    let flight: Flight | undefined;
    const { transport: _discord, token: _token, interactionId: _id, ...run } = request;
    try {
      const defer = async () => {
        deferred = true;
        if (interaction.id)
          flight = await this.#options.pending?.hold(
            interaction.id,
            request,
            this.#now() + INTERACTION_TOKEN_LIFE_MS,
          );
        send({ status: 200, body: { type: DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE } });
      };
      const reply = await this.#options.runner.run({
        ...run,
        requestId: interaction.id,
        onDefer: defer,
        ...(admitted ? { rateCounted: true, rate: admitted.rate } : {}),
      });
      const message = toDiscordMessageJson(reply);
      if (!deferred && !reply.image) {
        return send({ status: 200, body: { type: CHANNEL_MESSAGE_WITH_SOURCE, data: message } });
      }
      // A picture goes in the follow-up as multipart (the commands that draw defer first anyway).
      if (!deferred) await defer();
      // Another replica took the reply over (this one stalled past its lease): it sends the answer.
      if (flight && !flight.held()) return;
      // Ephemerality is fixed by the deferral; an edit cannot change it.
      const { flags: _fixedAtDefer, ...edit } = message;
      await this.#editOriginal(request, edit, reply.image);
      await flight?.finish();
    } finally {
      flight?.stop();
    }
  }

  /**
   * Finishes a deferred reply another process acknowledged and did not answer (handed over by
   * {@link PendingReplies.recover}): runs the command again, not counted against the rate limit a
   * second time, and edits the original response unless `held()` turned false meanwhile.
   *
   * @example
   * ```ts
   * await pending.recover({ discord: (request, held) => discord.finishRecovered(request, held) });
   * ```
   */
  async finishRecovered(request: DiscordPendingRequest, held: () => boolean = () => true): Promise<void> {
    const { transport: _discord, token: _token, interactionId, ...run } = request;
    const reply = await this.#options.runner.run({ ...run, requestId: interactionId, rateCounted: true });
    if (!held()) return;
    const { flags: _fixedAtDefer, ...edit } = toDiscordMessageJson(reply);
    await this.#editOriginal(request, edit, reply.image);
  }

  async #editOriginal(
    interaction: { interactionId?: string; token: string },
    body: Omit<DiscordMessageJson, 'flags'>,
    image?: ReplyImage,
  ): Promise<void> {
    const { apiBase, appId, logger } = this.#options;
    // The interaction token is a credential for 15 minutes: it goes in the URL, never in a log line.
    const url = `${apiBase}/v10/webhooks/${appId}/${encodeURIComponent(interaction.token)}/messages/@original`;
    try {
      const res = await fetch(url, {
        method: 'PATCH',
        // fetch sets the multipart boundary itself for a FormData body.
        ...(image
          ? { body: discordFormData(body, image) }
          : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(10_000),
      });
      if (!res.ok)
        logger?.error('discord edit failed', { requestId: interaction.interactionId, status: res.status });
      await res.body?.cancel();
    } catch (error) {
      logger?.error('discord edit failed', {
        requestId: interaction.interactionId,
        error: (error as Error).message,
      });
    }
  }
}

/** Parses and shape-checks an interaction body; throws with a short reason. */
function parseInteraction(body: Buffer): Interaction {
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    throw new Error('body is not valid JSON');
  }
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw new Error('body is not a JSON object');
  const i = value as Interaction;
  if (!Number.isInteger(i.type)) throw new Error('interaction has no numeric type');
  if (i.data !== undefined && (typeof i.data !== 'object' || i.data === null))
    throw new Error('data is not an object');
  if (i.data?.options !== undefined) {
    if (!Array.isArray(i.data.options)) throw new Error('options is not a list');
    for (const o of i.data.options) {
      if (!o || typeof o !== 'object' || typeof o.name !== 'string') throw new Error('an option has no name');
    }
  }
  if (i.type === APPLICATION_COMMAND && (typeof i.token !== 'string' || !/^[\w.-]{1,500}$/.test(i.token))) {
    throw new Error('command interaction without a valid token');
  }
  return i;
}

/** Who sent an interaction, as the runner and the rate limit name them. */
function discordUser(interaction: Interaction): string {
  return `discord:${(interaction.member?.user ?? interaction.user)?.id ?? 'unknown'}`;
}

/** A string field of the payload, else `fallback` (the payload is signed, but its shape is Discord's to change). */
function stringOr(value: unknown, fallback: string): string {
  return typeof value === 'string' && value !== '' ? value : fallback;
}

/** The options, with a subcommand's own options in its place (its name then under `sub`). */
function flatOptions(options: InteractionOption[] | undefined, sub: string | undefined): InteractionOption[] {
  const out: InteractionOption[] = [];
  for (const o of options ?? []) {
    if (sub && o?.type === SUBCOMMAND && typeof o.name === 'string') {
      out.push({ name: sub, type: 3, value: o.name });
      if (Array.isArray(o.options)) out.push(...o.options);
    } else out.push(o);
  }
  return out;
}

function optionValues(options: InteractionOption[] | undefined, sub?: string): RawOptions {
  // No prototype: an option called `__proto__` stays an ordinary (and then refused) key.
  const out: RawOptions = Object.create(null);
  for (const o of flatOptions(options, sub)) {
    if (o && typeof o.name === 'string' && ['string', 'number', 'boolean'].includes(typeof o.value)) {
      out[o.name] = o.value;
    }
  }
  return out;
}
