import type { Reply } from '../core/reply.js';
import { escapeControls } from '../core/validate.js';

// Block Kit limits (Slack docs, "Blocks" reference): header text 150, section text 3000,
// at most 10 fields of 2000 each, context element text 2000, 50 blocks per message.
const HEADER_MAX = 150;
const SECTION_MAX = 3000;
const FIELD_MAX = 2000;
const FIELDS_MAX = 10;
const CONTEXT_MAX = 2000;

const ZWSP = '\u200b';

// mrkdwn has no backslash escape. Its emphasis markers (`*bold*`, `_italic_`, `~strike~`,
// `` `code` ``) only open after whitespace or punctuation, and a zero-width space is neither, so
// one before each marker keeps it literal while the text reads the same.
const MRKDWN_MARKERS = /[*_~`]/g;

/**
 * Makes text safe inside Slack `mrkdwn` (and the `text` fallback): control characters shown escaped
 * ({@link escapeControls}); `&`, `<`, `>` become entities as Slack's formatting docs require, so
 * `<!channel>`, `<!here>`, `<@U123>` and `<http://x|y>` show literally instead of pinging or
 * linking; a zero-width space after `@` keeps `@channel` and `@everyone` from being linked by
 * clients that resolve bare names; one before `*`, `_`, `~`, `` ` `` and before a `>` (`&gt;`) that
 * starts a line keeps words from turning into bold, italics, strike-through, code or a quote.
 *
 * @example
 * ```ts
 * escapeSlack('<!channel> & @here'); // '&lt;!channel&gt; &amp; @\u200bhere'
 * escapeSlack('*bold*'); // '\u200b*bold\u200b*'
 * ```
 */
export function escapeSlack(text: string, options: { keepNewlines?: boolean } = {}): string {
  return escapeControls(text, options)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/@/g, `@${ZWSP}`)
    .replace(MRKDWN_MARKERS, (c) => `${ZWSP}${c}`)
    .replace(/^&gt;/gm, `${ZWSP}&gt;`);
}

/**
 * Text for Slack `plain_text` objects, which show entities literally: control characters shown
 * escaped, a zero-width space after every `<` and `@` means no client or integration that does
 * parse it can find a mention there.
 */
export function plainSlack(text: string): string {
  return escapeControls(text).replace(/</g, `<${ZWSP}`).replace(/@/g, `@${ZWSP}`);
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** A Slack message as a slash-command response: Block Kit blocks plus the notification text. */
export interface SlackMessage {
  response_type: 'ephemeral' | 'in_channel';
  text: string;
  blocks: SlackBlock[];
}

export type SlackBlock =
  | { type: 'header'; text: { type: 'plain_text'; text: string; emoji: false } }
  | {
      type: 'section';
      text?: { type: 'mrkdwn'; text: string; verbatim: true };
      fields?: { type: 'mrkdwn'; text: string; verbatim: true }[];
    }
  | { type: 'context'; elements: { type: 'mrkdwn'; text: string; verbatim: true }[] };

const mrkdwn = (text: string) => ({ type: 'mrkdwn' as const, text, verbatim: true as const });

/**
 * Renders a {@link Reply} as Block Kit: a header (plain text), the lines in a section, fields as
 * section fields, the footer as context. Every piece of reply text is escaped with
 * {@link escapeSlack}; `verbatim` stops Slack from turning bare URLs and channel names into links.
 * Ephemeral replies (errors, rate-limit notices) are shown to the asker only.
 *
 * @example
 * ```ts
 * toSlackMessage({ title: 'Words similar to “pizza”', lines: ['1. pasta — 0.912'] }).blocks[0];
 * // { type: 'header', text: { type: 'plain_text', text: 'Words similar to “pizza”', emoji: false } }
 * ```
 */
export function toSlackMessage(reply: Reply): SlackMessage {
  const title = reply.error ? `⚠ ${reply.title}` : reply.title;
  const blocks: SlackBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: clip(plainSlack(title), HEADER_MAX), emoji: false } },
  ];
  const body = reply.lines.map((line) => escapeSlack(line)).join('\n');
  if (body.trim() !== '') blocks.push({ type: 'section', text: mrkdwn(clip(body, SECTION_MAX)) });
  const fields = (reply.fields ?? []).slice(0, FIELDS_MAX);
  if (fields.length > 0) {
    blocks.push({
      type: 'section',
      fields: fields.map((f) =>
        mrkdwn(clip(`*${escapeSlack(f.name)}*\n${escapeSlack(f.value, { keepNewlines: true })}`, FIELD_MAX)),
      ),
    });
  }
  if (reply.footer)
    blocks.push({ type: 'context', elements: [mrkdwn(clip(escapeSlack(reply.footer), CONTEXT_MAX))] });
  return {
    response_type: reply.ephemeral ? 'ephemeral' : 'in_channel',
    text: clip(escapeSlack(reply.title), HEADER_MAX),
    blocks,
  };
}
