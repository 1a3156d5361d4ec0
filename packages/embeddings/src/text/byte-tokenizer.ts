/**
 * The tokenizer's fast path: ASCII text cut into tokens on its UTF-8 bytes, with no string made per token.
 * On ASCII the rules of tokenizer.ts reduce to byte classes: NFKC changes no ASCII character, none of
 * the folded separators is ASCII, lower-casing is A–Z → a–z, and the only ASCII letters and digits are
 * `[A-Za-z0-9]`. So a token is a run of those bytes, joined by single internal `'` or `-` — exactly what the
 * token regex matches on such text. Text holding any other byte goes through {@link tokenize} (byte-scan.ts
 * decides per line), and its tokens are handed on as UTF-8 bytes too, so both paths feed one sink.
 *
 * Each token comes with its 32-bit FNV-1a hash (computed while scanning), for byte-keyed word tables.
 */

/** FNV-1a offset basis (32-bit). */
export const FNV_OFFSET = 0x811c9dc5 | 0;
/** FNV-1a prime (32-bit). */
export const FNV_PRIME = 0x01000193;

/**
 * Where tokens go: each one as UTF-8 bytes `bytes[start, end)` (normalised: lower-cased when asked) with its
 * FNV-1a hash, and the end of each non-empty sentence. The bytes are only valid during the call.
 * @internal
 */
export interface TokenSink {
  token(bytes: Uint8Array, start: number, end: number, hash: number): void;
  endSentence(): void;
}

/** 1 for the ASCII letters and digits, the bytes a token is made of. */
const WORD_BYTE = new Uint8Array(256);
for (let b = 0; b < 128; b++) {
  const c = String.fromCharCode(b);
  if (/[\p{L}\p{M}\p{N}]/u.test(c)) WORD_BYTE[b] = 1;
}
/** Byte → byte lower-cased (A–Z → a–z), and the identity. */
const LOWER = new Uint8Array(256);
const SAME = new Uint8Array(256);
for (let b = 0; b < 256; b++) {
  SAME[b] = b;
  LOWER[b] = b >= 65 && b <= 90 ? b + 32 : b;
}
const APOSTROPHE = 0x27;
const HYPHEN = 0x2d;

/**
 * Calls `tokens(start, end)` for each token of the ASCII bytes `bytes[start, end)`, lower-casing them in
 * place when `lowercase`. The caller guarantees the range holds no byte ≥ 0x80.
 *
 * @returns the number of tokens found.
 * @internal
 * @example
 * ```ts
 * const bytes = new TextEncoder().encode("Don't stop-now!");
 * tokenizeAsciiBytes(bytes, 0, bytes.length, true, sink); // sink gets "don't", "stop-now"
 * ```
 */
export function tokenizeAsciiBytes(
  bytes: Uint8Array,
  start: number,
  end: number,
  lowercase: boolean,
  sink: TokenSink,
): number {
  const fold = lowercase ? LOWER : SAME;
  let count = 0;
  let i = start;
  while (i < end) {
    if (WORD_BYTE[bytes[i]] === 0) {
      i++;
      continue;
    }
    const first = i;
    let hash = FNV_OFFSET;
    for (;;) {
      while (i < end) {
        const b = bytes[i];
        if (WORD_BYTE[b] === 0) break;
        const f = fold[b];
        bytes[i] = f;
        hash = Math.imul(hash ^ f, FNV_PRIME);
        i++;
      }
      // A single ' or - followed by a letter or digit joins the next run to this token.
      if (i + 1 < end) {
        const b = bytes[i];
        if ((b === APOSTROPHE || b === HYPHEN) && WORD_BYTE[bytes[i + 1]] === 1) {
          hash = Math.imul(hash ^ b, FNV_PRIME);
          i++;
          continue;
        }
      }
      break;
    }
    sink.token(bytes, first, i, hash);
    count++;
  }
  return count;
}

/**
 * FNV-1a of `bytes[start, end)`: the hash {@link tokenizeAsciiBytes} gives a token.
 * @internal
 * @example
 * ```ts
 * fnv1a(new TextEncoder().encode('a'), 0, 1); // 0xe40c292c | 0
 * ```
 */
export function fnv1a(bytes: Uint8Array, start: number, end: number): number {
  let hash = FNV_OFFSET;
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ bytes[i], FNV_PRIME);
  return hash;
}
