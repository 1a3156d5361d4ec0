/**
 * The transport-neutral answer of a command. Each transport renders it its own way: a Discord
 * embed, plain text in the local chat, Slack Block Kit later. All text here is plain (no markup);
 * it may echo what a person typed, so every transport escapes it for its own markup when rendering
 * (Discord: `escapeChat` in escape.ts).
 */
export interface ReplyField {
  name: string;
  value: string;
  /** Side by side with the neighbouring inline fields, where the transport can. */
  inline?: boolean;
}

export interface Reply {
  title: string;
  /** Body text, one entry per line. */
  lines: string[];
  fields?: ReplyField[];
  /** Small print under the answer, e.g. which model answered. */
  footer?: string;
  /** Only the person who asked sees it (errors, rate-limit notices). */
  ephemeral?: boolean;
  /** The command failed (bad input, unknown word, unknown model); transports may colour it. */
  error?: boolean;
  /** Machine-readable result (neighbours, scores…) for transports or tests that want the numbers. */
  data?: unknown;
}

/**
 * An ephemeral error reply.
 *
 * @example
 * ```ts
 * errorReply('Unknown word', ['“pizzza” is not in the vocabulary.']);
 * ```
 */
export function errorReply(title: string, lines: string[], data?: unknown): Reply {
  return { title, lines, ephemeral: true, error: true, data };
}
