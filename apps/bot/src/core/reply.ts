/**
 * The transport-neutral answer of a command. Each transport renders it its own way: a Discord
 * embed, plain text in the local chat, Slack Block Kit, JSON for the web explorer. All text here is plain (no markup);
 * it may echo what a person typed, so every transport escapes it for its own markup when rendering
 * (Discord: `escapeChat` in escape.ts).
 */
export interface ReplyField {
  name: string;
  value: string;
  /** Side by side with the neighbouring inline fields, where the transport can. */
  inline?: boolean;
}

/**
 * A picture attached to a reply (`/plot`, `/lens`, `/analogy plot:true`): the PNG every chat transport
 * sends as a file, and the SVG it was rasterised from (the web explorer draws that one).
 */
export interface ReplyImage {
  /** PNG bytes: signature checked and size bounded by `toReplyImage` (picture-reply.ts). */
  png: Buffer;
  /** The SVG document the PNG was rendered from. */
  svg: string;
  /** A safe file name (`[a-z0-9-]` + `.png`), e.g. `plot-king.png`. */
  fileName: string;
  /** Alt text and caption: what the picture shows, in plain text. */
  alt: string;
  width: number;
  height: number;
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
  /** A picture to send with the text (as an attachment, an uploaded file, a written file or inline SVG). */
  image?: ReplyImage;
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
