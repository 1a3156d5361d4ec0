/**
 * Decimal numbers in vector text files, read straight from bytes.
 *
 * The fast path is Clinger's (1990, "How to read floating point numbers accurately"): when the digits
 * form an integer m < 2^53 and the scale is 10^k with k ≤ 22, both are exact doubles, so the one IEEE
 * division m / 10^k is the correctly rounded double, the same double `Number.parseFloat` returns. Rounding
 * that to float32 then gives exactly `Math.fround(Number.parseFloat(text))`. Everything else (exponents,
 * more than 15 digits, `nan`, `inf`) goes through {@link parseDecimalText}.
 */

/** 10^k for k = 0…22, all exact in a double. */
export const POW10 = Float64Array.from({ length: 23 }, (_, k) => 10 ** k);

/** Most significant digits the fast path takes: 10^15 < 2^53, so the digit integer stays exact. */
export const FAST_DIGITS = 15;

// `\d+(?:\.\d*)?`, not `\d+\.?\d*`: in the latter `\d+` and `\d*` can split a run of digits in every way,
// so a long digit run that fails at its end backtracked quadratically (issue 18). Here each digit has one
// place to go. The same pattern reads numbers in evaluation files.
export const DECIMAL_NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const SPECIAL = /^([+-]?)(nan|inf|infinity)$/i;

/**
 * Parses one decimal token the way Python's `float()` and C's `strtod` accept it in vector files:
 * `-1.25`, `.5`, `3.`, `1e-05`, `nan`, `-inf`, `Infinity`.
 * @returns the value, or undefined when `text` is not a number.
 * @example
 * ```ts
 * parseDecimalText('1e-05'); // 0.00001
 * parseDecimalText('abc');   // undefined
 * ```
 */
export function parseDecimalText(text: string): number | undefined {
  if (DECIMAL_NUMBER.test(text)) return Number.parseFloat(text);
  const special = SPECIAL.exec(text);
  if (!special) return undefined;
  if (special[2].toLowerCase() === 'nan') return Number.NaN;
  return special[1] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
}

/**
 * Parses the decimal token in `bytes[start, end)` (no spaces inside), fast path first.
 * Used by tests and by callers outside the hot loop; the row parsers inline the same steps.
 * @returns the value, or undefined when the token is not a number.
 * @example
 * ```ts
 * parseDecimalBytes(Buffer.from('-0.125'), 0, 6); // -0.125
 * ```
 */
export function parseDecimalBytes(bytes: Uint8Array, start: number, end: number): number | undefined {
  let p = start;
  let neg = false;
  if (p < end && bytes[p] === 45) {
    neg = true;
    p++;
  }
  let m = 0;
  let digits = 0;
  let frac = 0;
  while (p < end && bytes[p] >= 48 && bytes[p] <= 57) {
    m = m * 10 + bytes[p++] - 48;
    digits++;
  }
  if (p < end && bytes[p] === 46) {
    p++;
    while (p < end && bytes[p] >= 48 && bytes[p] <= 57) {
      m = m * 10 + bytes[p++] - 48;
      digits++;
      frac++;
    }
  }
  if (p === end && digits > 0 && digits <= FAST_DIGITS) {
    const v = frac === 0 ? m : m / POW10[frac];
    return neg ? -v : v;
  }
  return parseDecimalText(
    Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('latin1'),
  );
}

/**
 * Formats `value` with `decimals` digits after the point the way C's `printf("%.*f")` does, which is
 * what word2vec.c (`%lf`, 6 decimals) and GloVe's glove.c (`%lf`) write: `-0.000000` keeps its sign,
 * NaN and infinities are `nan`, `inf`, `-inf`.
 * @example
 * ```ts
 * formatFixed(-0, 6);      // '-0.000000'
 * formatFixed(0.1234567, 6); // '0.123457'
 * ```
 */
export function formatFixed(value: number, decimals: number): string {
  if (Number.isFinite(value)) {
    const s = value.toFixed(decimals);
    // toFixed drops the sign of -0 but keeps it for tiny negatives ("-0.000000"); C keeps both.
    return value === 0 && Object.is(value, -0) ? `-${s}` : s;
  }
  if (Number.isNaN(value)) return 'nan';
  return value > 0 ? 'inf' : '-inf';
}

/**
 * The shortest decimal that reads back as the same float32 (like numpy's `repr` of a float32, which
 * gensim's `save_word2vec_format` writes): lossless text at the cost of ragged widths.
 * @example
 * ```ts
 * formatShortestFloat32(Math.fround(0.1)); // '0.1'
 * ```
 */
export function formatShortestFloat32(value: number): string {
  if (!Number.isFinite(value)) return formatFixed(value, 0);
  if (value === 0) return Object.is(value, -0) ? '-0' : '0';
  const f = Math.fround(value);
  for (let p = 1; p <= 9; p++) {
    const s = f.toPrecision(p);
    if (Math.fround(Number(s)) === f) return Number(s).toString();
  }
  return f.toString();
}
