/**
 * Deferred replies in flight, kept in the bot state so they outlive the process that deferred them.
 * A transport that acknowledges a command before its answer is ready (Discord's "thinking…", Slack's
 * early ack) holds the request here under a lease it renews while it works; when that process stops,
 * another one claims the request after the lease, runs it again and sends the answer. One
 * implementation for every transport: each only says how to finish its own kind.
 */
import type { Logger } from '../core/logger.js';
import type { BotState, PendingReply } from '../state/bot-state.js';

/** How long a deferred reply's owner holds it between renewals before others may take it over. */
export const PENDING_LEASE_MS = 30_000;

/** A deferred reply being worked on: its lease renewal, and whether this process still holds it. */
export interface Flight {
  /** False once another process took the reply over (this one stalled past its lease): do not send. */
  held(): boolean;
  /** Stops renewing (the reply stays recorded: another process will finish it). */
  stop(): void;
  /** The answer was sent: stop renewing and forget the reply. */
  finish(): Promise<void>;
}

/** What a transport records: its name (to route a recovered reply back to it) and what it needs. */
export interface PendingRequest {
  transport: string;
}

export interface PendingRepliesOptions {
  state: BotState;
  /** This process, unique among the replicas (host, pid, random). */
  owner: string;
  leaseMs?: number;
  logger?: Logger;
  now?: () => number;
}

/**
 * The deferred replies of one process on the shared state.
 *
 * @example
 * ```ts
 * const pending = new PendingReplies({ state, owner: `${hostname()}:${process.pid}` });
 * const flight = await pending.hold('interaction-id', { transport: 'discord', token }, Date.now() + 900_000);
 * // … answer sent …
 * await flight?.finish();
 * await pending.recover({ discord: (request, held) => discord.finishRecovered(request, held) });
 * ```
 */
export class PendingReplies {
  readonly #state: BotState;
  readonly #owner: string;
  readonly #leaseMs: number;
  readonly #logger: Logger | undefined;
  readonly #now: () => number;

  constructor(options: PendingRepliesOptions) {
    this.#state = options.state;
    this.#owner = options.owner;
    this.#leaseMs = options.leaseMs ?? PENDING_LEASE_MS;
    this.#logger = options.logger;
    this.#now = options.now ?? Date.now;
  }

  /**
   * Records `request` as in flight until `expiresAtMs` (when its transport's token dies) and renews
   * the lease until the flight is stopped or finished. Undefined when the state cannot be reached:
   * the reply is still sent by this process, it only cannot be recovered elsewhere.
   */
  async hold(id: string, request: PendingRequest, expiresAtMs: number): Promise<Flight | undefined> {
    const item: PendingReply = { id, payload: JSON.stringify(request), expiresAtMs };
    try {
      await this.#state.holdPending(item, this.#owner, this.#now() + this.#leaseMs);
    } catch (error) {
      this.#logger?.warn('deferred reply not recorded', { requestId: id, error: (error as Error).message });
      return undefined;
    }
    return this.#flight(item);
  }

  /**
   * Finishes the deferred replies other processes acknowledged and did not answer: each is claimed by
   * one process only and handed to the finisher of its transport, which runs it again and sends the
   * answer unless `held()` has turned false meanwhile. A reply of a transport this process does not serve is left for one that does. Returns how
   * many were finished. Never throws: an unreachable state is logged and tried again next time.
   */
  async recover(
    finishers: Record<string, ((request: never, held: () => boolean) => Promise<void>) | undefined>,
    limit = 10,
  ): Promise<number> {
    let claimed: PendingReply[];
    try {
      claimed = await this.#state.claimPending(this.#owner, this.#now(), this.#leaseMs, limit);
    } catch (error) {
      this.#logger?.warn('deferred replies not recovered', { error: (error as Error).message });
      return 0;
    }
    let done = 0;
    for (const item of claimed) {
      let request: PendingRequest | undefined;
      try {
        request = JSON.parse(item.payload) as PendingRequest;
      } catch {
        request = undefined;
      }
      const finisher = request ? finishers[request.transport] : undefined;
      if (!request || typeof request.transport !== 'string') {
        // Not written by this code: nothing can finish it.
        await this.#state.finishPending(item.id).catch(() => {});
        continue;
      }
      if (!finisher) {
        // Another transport's reply: hand it back at once (lease ended now) for a replica that serves it.
        await this.#state.holdPending(item, this.#owner, this.#now()).catch(() => {});
        continue;
      }
      const flight = this.#flight(item);
      try {
        this.#logger?.info('deferred reply recovered', { requestId: item.id, transport: request.transport });
        await finisher(request as never, flight.held);
        if (flight.held()) await flight.finish();
        done++;
      } catch (error) {
        this.#logger?.error('deferred reply not finished', { requestId: item.id, error });
      } finally {
        flight.stop();
      }
    }
    return done;
  }

  #flight(item: PendingReply): Flight {
    let held = true;
    const timer = setInterval(
      () => {
        this.#state.holdPending(item, this.#owner, this.#now() + this.#leaseMs).then(
          (ok) => {
            if (!ok) held = false;
          },
          // Unreachable for a moment: keep working; the answer is sent either way.
          () => {},
        );
      },
      Math.max(10, Math.floor(this.#leaseMs / 3)),
    );
    timer.unref();
    return {
      held: () => held,
      stop: () => clearInterval(timer),
      finish: async () => {
        clearInterval(timer);
        await this.#state
          .finishPending(item.id)
          .catch((error: Error) =>
            this.#logger?.warn('deferred reply not cleared', { requestId: item.id, error: error.message }),
          );
      },
    };
  }
}
