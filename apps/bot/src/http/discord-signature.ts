import { createPublicKey, type KeyObject, verify } from 'node:crypto';

/** Discord signs every interaction; requests older (or newer) than this are refused as replays. */
export const MAX_REQUEST_AGE_SECONDS = 300;

/**
 * The application's Ed25519 public key (64 hex characters, as the developer portal shows it) as a
 * node:crypto key object, built from its raw 32 bytes as a JWK (RFC 8037 §2: `kty: OKP`, `crv: Ed25519`).
 *
 * @throws Error naming what is wrong with the text (never echoing it: it is configuration).
 * @example
 * ```ts
 * const key = discordPublicKey(process.env.DISCORD_PUBLIC_KEY!);
 * ```
 */
export function discordPublicKey(hex: string): KeyObject {
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) {
    throw new Error(`must be 64 hexadecimal characters (32 bytes), got ${hex.length} characters`);
  }
  const x = Buffer.from(hex, 'hex').toString('base64url');
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x }, format: 'jwk' });
}

/** Why a request was refused; `ok` when its signature and age are fine. */
export type SignatureCheck =
  | { ok: true }
  | { ok: false; reason: 'missing-headers' | 'bad-timestamp' | 'stale' | 'bad-signature' };

export interface SignedRequest {
  /** `X-Signature-Ed25519`: 128 hex characters. */
  signature: string | undefined;
  /** `X-Signature-Timestamp`: Unix seconds. */
  timestamp: string | undefined;
  /** The body exactly as received. */
  body: Buffer;
}

/**
 * Checks a Discord interaction the way Discord's security docs ask: an Ed25519 signature over
 * `timestamp + raw body` with the application's public key. Also refuses timestamps more than
 * {@link MAX_REQUEST_AGE_SECONDS} away from `nowSeconds`, which the signature alone does not
 * prevent (a captured request would otherwise replay forever).
 *
 * @example
 * ```ts
 * const check = checkDiscordSignature(key, { signature, timestamp, body }, Date.now() / 1000);
 * if (!check.ok) return reply(401);
 * ```
 */
export function checkDiscordSignature(
  key: KeyObject,
  request: SignedRequest,
  nowSeconds: number,
): SignatureCheck {
  const { signature, timestamp, body } = request;
  if (!signature || !timestamp) return { ok: false, reason: 'missing-headers' };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'bad-timestamp' };
  if (Math.abs(nowSeconds - Number(timestamp)) > MAX_REQUEST_AGE_SECONDS)
    return { ok: false, reason: 'stale' };
  if (!/^[0-9a-fA-F]{128}$/.test(signature)) return { ok: false, reason: 'bad-signature' };
  const signed = Buffer.concat([Buffer.from(timestamp, 'utf8'), body]);
  // Ed25519 hashes internally, so the digest argument is null (node:crypto one-shot verify).
  const valid = verify(null, signed, key, Buffer.from(signature, 'hex'));
  return valid ? { ok: true } : { ok: false, reason: 'bad-signature' };
}
