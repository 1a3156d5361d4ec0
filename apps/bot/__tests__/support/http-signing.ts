import { createHmac, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';

/** A fresh Ed25519 key pair, the public half as the 64 hex characters Discord's portal shows. */
export function ed25519Pair(): { publicHex: string; privateKey: KeyObject } {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const x = publicKey.export({ format: 'jwk' }).x!;
  return { publicHex: Buffer.from(x, 'base64url').toString('hex'), privateKey };
}

/** Discord's interaction signature headers for `body` at `timestamp` (Unix seconds). */
export function discordHeaders(
  privateKey: KeyObject,
  body: string,
  timestamp: number,
): Record<string, string> {
  const ts = String(timestamp);
  return {
    'x-signature-ed25519': sign(null, Buffer.from(ts + body), privateKey).toString('hex'),
    'x-signature-timestamp': ts,
  };
}

/** Slack's request signature headers (`v0=` HMAC-SHA256 of `v0:{timestamp}:{body}`). */
export function slackHeaders(secret: string, body: string, timestamp: number): Record<string, string> {
  const digest = createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex');
  return { 'x-slack-signature': `v0=${digest}`, 'x-slack-request-timestamp': String(timestamp) };
}

/** A response as tests read it: JSON is inspected by the shape each test expects. */
// biome-ignore lint/suspicious/noExplicitAny: tests read response JSON by the shape they expect.
export type Posted = { status: number; json: any; text: string };

/** POSTs `body` to the loopback server and returns the status and parsed JSON (or text). */
export async function post(
  url: string,
  body: string | Buffer,
  headers: Record<string, string>,
): Promise<Posted> {
  const res = await fetch(url, { method: 'POST', body, headers });
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {}
  return { status: res.status, json, text };
}

/** Whether serialised reply JSON could ping anyone: raw Slack/Discord mention syntax or a live `@everyone`/`@here`. */
export function couldPing(json: string): boolean {
  return /<[@!#]/.test(json) || /@(everyone|here|channel)/.test(json);
}
