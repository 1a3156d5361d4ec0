import { createHmac, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { type Agent, request } from 'node:http';

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

/**
 * POSTs `body` to the loopback server and returns the status and parsed JSON (or text): with `fetch`, or,
 * given an `agent`, with `node:http` over that agent's kept-alive connections (a load generator's lighter
 * client: on a 2-core machine `fetch`'s own work per request competes with the servers it measures).
 */
export async function post(
  url: string,
  body: string | Buffer,
  headers: Record<string, string>,
  agent?: Agent,
): Promise<Posted> {
  let status: number;
  let text: string;
  if (agent) {
    ({ status, text } = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request(url, { method: 'POST', headers, agent }, (res) => {
        const parts: Buffer[] = [];
        res.on('data', (b: Buffer) => parts.push(b));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(parts).toString('utf8') }),
        );
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    }));
  } else {
    const res = await fetch(url, { method: 'POST', body, headers });
    status = res.status;
    text = await res.text();
  }
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {}
  return { status, json, text };
}

/** Whether serialised reply JSON could ping anyone: raw Slack/Discord mention syntax or a live `@everyone`/`@here`. */
export function couldPing(json: string): boolean {
  return /<[@!#]/.test(json) || /@(everyone|here|channel)/.test(json);
}
