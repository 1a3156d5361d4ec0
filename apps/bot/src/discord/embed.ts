import { AttachmentBuilder, EmbedBuilder, MessageFlags } from 'discord.js';
import { escapeChat } from '../core/escape.js';
import type { Reply } from '../core/reply.js';
import { escapeControls } from '../core/validate.js';

// Discord embed limits (https://discord.com/developers/docs/resources/message#embed-object-embed-limits).
const TITLE_MAX = 256;
const DESCRIPTION_MAX = 4096;
const FIELD_NAME_MAX = 256;
const FIELD_VALUE_MAX = 1024;
const FIELDS_MAX = 25;
const FOOTER_MAX = 2048;

const COLOUR_OK = 0x5865f2;
const COLOUR_ERROR = 0xd9534f;

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/**
 * The message body of a reply: one embed, no mention allowed to ping, ephemeral when asked, and the
 * picture (if any) as an attachment the embed shows (`attachment://<name>`).
 */
export interface DiscordReplyPayload {
  embeds: EmbedBuilder[];
  allowedMentions: { parse: [] };
  flags?: MessageFlags.Ephemeral;
  files?: AttachmentBuilder[];
}

/** Discord's limit on an attachment's description (its alt text). */
const ATTACHMENT_DESCRIPTION_MAX = 1024;

/**
 * Renders a {@link Reply} as a Discord embed. All reply text is escaped (it may echo user input);
 * the footer only shows control characters escaped, because Discord renders footers as plain text.
 * A reply's image becomes an attachment (discord.js sends the message as multipart/form-data) shown
 * as the embed's image; its alt text is the attachment's description (plain text, controls escaped).
 */
export function toDiscordReply(reply: Reply): DiscordReplyPayload {
  const embed = new EmbedBuilder()
    .setColor(reply.error ? COLOUR_ERROR : COLOUR_OK)
    .setTitle(clip(escapeChat(reply.title), TITLE_MAX));
  const description = reply.lines.map((line) => escapeChat(line)).join('\n');
  if (description.trim() !== '') embed.setDescription(clip(description, DESCRIPTION_MAX));
  const fields = (reply.fields ?? []).slice(0, FIELDS_MAX).map((f) => ({
    name: clip(escapeChat(f.name), FIELD_NAME_MAX),
    value: clip(escapeChat(f.value, { keepNewlines: true }), FIELD_VALUE_MAX),
    inline: f.inline ?? false,
  }));
  if (fields.length > 0) embed.addFields(fields);
  if (reply.footer) embed.setFooter({ text: clip(escapeControls(reply.footer), FOOTER_MAX) });
  const image = reply.image;
  if (image) embed.setImage(`attachment://${image.fileName}`);
  return {
    embeds: [embed],
    allowedMentions: { parse: [] },
    ...(reply.ephemeral ? { flags: MessageFlags.Ephemeral as const } : {}),
    ...(image
      ? {
          files: [
            new AttachmentBuilder(image.png, {
              name: image.fileName,
              description: clip(escapeControls(image.alt), ATTACHMENT_DESCRIPTION_MAX),
            }),
          ],
        }
      : {}),
  };
}
