/**
 * Character n-grams of a word as fastText makes them (Bojanowski et al. 2017, §3.2; fastText's
 * `Dictionary::computeSubwords`): the word wrapped in `<` and `>`, every run of n to m characters of
 * it (characters are UTF-8 code points, never split), except single characters at the boundary marks,
 * each hashed with 32-bit FNV-1a into one of `bucket` rows. fastText folds each byte into the hash as a
 * *signed* char (`h ^ uint32_t(int8_t(c))`), so bytes ≥ 0x80 enter sign-extended; we do the same, or
 * the n-grams of every non-ASCII word would land in other rows than fastText's.
 */
import { InvalidArgumentError } from '../errors.js';

/** Which n-grams and how many rows: fastText's `-minn`, `-maxn`, `-bucket`. */
export interface NgramSpec {
  /** Shortest n-gram in characters (fastText default 3). 0 with `maxn` 0: no n-grams. */
  minn: number;
  /** Longest n-gram in characters (fastText default 6). */
  maxn: number;
  /** Number of hash rows (fastText default 2,000,000). */
  bucket: number;
}

const FNV_OFFSET = 2166136261;
const FNV_PRIME = 16777619;
const encoder = new TextEncoder();

/**
 * Checks an {@link NgramSpec}: integers, `0 ≤ minn ≤ maxn` and `bucket ≥ 1` whenever n-grams are made
 * (`maxn` > 0).
 *
 * @throws {@link InvalidArgumentError} naming the bad value.
 * @example
 * ```ts
 * checkNgramSpec({ minn: 3, maxn: 6, bucket: 2_000_000 }); // ok
 * checkNgramSpec({ minn: 5, maxn: 3, bucket: 10 }); // throws: minn 5 > maxn 3
 * ```
 */
export function checkNgramSpec(spec: NgramSpec): void {
  const { minn, maxn, bucket } = spec;
  for (const [name, v] of [
    ['minn', minn],
    ['maxn', maxn],
    ['bucket', bucket],
  ] as const) {
    if (!Number.isInteger(v) || v < 0 || v > 2 ** 31 - 1)
      throw new InvalidArgumentError(`${name} must be a non-negative 32-bit integer, got ${v}`);
  }
  // maxn 0 turns n-grams off whatever minn is (fastText's -maxn 0, whose minn default stays 3).
  if (maxn > 0 && minn > maxn) throw new InvalidArgumentError(`minn ${minn} must not exceed maxn ${maxn}`);
  if (maxn > 0 && bucket < 1) throw new InvalidArgumentError('bucket must be at least 1 when maxn > 0');
}

/**
 * fastText's 32-bit FNV-1a of `bytes`, each byte sign-extended as a C `int8_t` (see the module note).
 *
 * @example
 * ```ts
 * fastTextHash(new TextEncoder().encode('<wh')); // the same value as fastText's Dictionary::hash
 * ```
 */
export function fastTextHash(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let h = FNV_OFFSET;
  for (let i = start; i < end; i++) {
    const signed = (bytes[i] << 24) >> 24; // int8_t, then to uint32 through the xor
    h = Math.imul((h ^ signed) >>> 0, FNV_PRIME) >>> 0;
  }
  return h >>> 0;
}

/**
 * The n-grams of `word` (with boundary marks) in fastText's order, each with its hash row.
 *
 * @example
 * ```ts
 * charNgrams('pizza', { minn: 3, maxn: 3, bucket: 100 }).map((g) => g.ngram);
 * // ['<pi', 'piz', 'izz', 'zza', 'za>']
 * ```
 */
export function charNgrams(word: string, spec: NgramSpec): { ngram: string; row: number }[] {
  const out: { ngram: string; row: number }[] = [];
  forEachNgram(word, spec, (bytes, start, end, row) => {
    out.push({ ngram: Buffer.from(bytes.subarray(start, end)).toString('utf8'), row });
  });
  return out;
}

/**
 * The hash rows of `word`'s n-grams in fastText's order (duplicates kept, as fastText averages them).
 *
 * @example
 * ```ts
 * ngramRows('pizza', { minn: 3, maxn: 6, bucket: 2_000_000 }); // Int32Array of 14 rows
 * ```
 */
export function ngramRows(word: string, spec: NgramSpec): Int32Array {
  const rows: number[] = [];
  forEachNgram(word, spec, (_b, _s, _e, row) => {
    rows.push(row);
  });
  return Int32Array.from(rows);
}

/**
 * The full 32-bit hashes of `word`'s n-grams in fastText's order, before the `mod bucket` (`spec.bucket`
 * is ignored): what an n-gram index keys on.
 *
 * @example
 * ```ts
 * ngramHashes('pizza', { minn: 3, maxn: 3, bucket: 1 }); // Uint32Array(5): '<pi', 'piz', 'izz', 'zza', 'za>'
 * ```
 */
export function ngramHashes(word: string, spec: NgramSpec): Uint32Array {
  const hashes: number[] = [];
  forEachNgram(word, { ...spec, bucket: 2 ** 32 }, (_b, _s, _e, hash) => {
    hashes.push(hash);
  });
  return Uint32Array.from(hashes);
}

/**
 * The full 32-bit hashes of `word`'s n-grams (as {@link ngramHashes}) and each n-gram's text on
 * demand, from one walk: for an index that needs the text of the few n-grams it knows.
 *
 * @example
 * ```ts
 * const s = ngramSpans('pizza', 3, 3);
 * s.hashes.length; // 5
 * s.text(1); // 'piz'
 * ```
 */
export function ngramSpans(
  word: string,
  minn: number,
  maxn: number,
): { hashes: Uint32Array; text(k: number): string } {
  const hashes: number[] = [];
  const spans: number[] = [];
  let source: Uint8Array | undefined;
  forEachNgram(word, { minn, maxn, bucket: 2 ** 32 }, (bytes, start, end, hash) => {
    source = bytes;
    hashes.push(hash);
    spans.push(start, end);
  });
  return {
    hashes: Uint32Array.from(hashes),
    text: (k) =>
      Buffer.from((source as Uint8Array).subarray(spans[2 * k], spans[2 * k + 1])).toString('utf8'),
  };
}

/** Calls `visit` for each n-gram of `<word>`: its UTF-8 byte range and its row (hash mod bucket). */
function forEachNgram(
  word: string,
  spec: NgramSpec,
  visit: (bytes: Uint8Array, start: number, end: number, row: number) => void,
): void {
  const { minn, maxn, bucket } = spec;
  if (maxn <= 0 || bucket <= 0) return;
  const bytes = encoder.encode(`<${word}>`);
  const size = bytes.length;
  // fastText walks byte positions i that start a code point, then extends j one code point at a
  // time (continuation bytes 10xxxxxx never start one), n counting code points.
  for (let i = 0; i < size; i++) {
    if ((bytes[i] & 0xc0) === 0x80) continue;
    let j = i;
    for (let n = 1; j < size && n <= maxn; n++) {
      j++;
      while (j < size && (bytes[j] & 0xc0) === 0x80) j++;
      if (n >= minn && !(n === 1 && (i === 0 || j === size))) {
        visit(bytes, i, j, fastTextHash(bytes, i, j) % bucket);
      }
    }
  }
}
