import { describe, expect, it } from 'vitest';
import { toDiscordReply } from '../src/discord/embed.js';

describe('toDiscordReply', () => {
  it('keeps within Discord embed limits and disables every mention', () => {
    const payload = toDiscordReply({
      title: 't'.repeat(300),
      lines: Array.from({ length: 500 }, (_, i) => `line ${i} ${'x'.repeat(20)}`),
      fields: Array.from({ length: 30 }, (_, i) => ({ name: `f${i}`, value: 'v'.repeat(2000) })),
      footer: 'model m',
    });
    const embed = payload.embeds[0].toJSON();
    expect(embed.title).toHaveLength(256);
    expect(embed.description!.length).toBeLessThanOrEqual(4096);
    expect(embed.description!.endsWith('…')).toBe(true);
    expect(embed.fields).toHaveLength(25);
    expect(embed.fields![0].value).toHaveLength(1024);
    expect(embed.footer?.text).toBe('model m');
    expect(payload.allowedMentions).toEqual({ parse: [] });
    expect(payload.flags).toBeUndefined();
  });

  it('marks errors ephemeral and red, and escapes markdown in the footer-free parts only', () => {
    const payload = toDiscordReply({
      title: '*x*',
      lines: ['a_b'],
      ephemeral: true,
      error: true,
      footer: 'a_b',
    });
    const embed = payload.embeds[0].toJSON();
    expect(payload.flags).toBe(64);
    expect(embed.color).toBe(0xd9534f);
    expect(embed.title).toBe('\\*x\\*');
    expect(embed.description).toBe('a\\_b');
    expect(embed.footer?.text).toBe('a_b');
  });
});
