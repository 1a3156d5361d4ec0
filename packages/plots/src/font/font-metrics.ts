/**
 * Advance widths of a TrueType font, read from its `cmap` (formats 4 and 12) and `hmtx` tables
 * (OpenType spec, "cmap — Character to Glyph Index Mapping Table" and "hmtx — Horizontal Metrics
 * Table"), so labels can be measured exactly as resvg will draw them. Kerning is ignored: label
 * boxes get a small margin instead.
 */
import { InvalidArgumentError } from '@wordvec/embeddings';

/** Advance widths of one font, in units of the em. */
export interface FontMetrics {
  /** Width of `text` at `size` pixels (sum of the glyphs' advances; missing glyphs use `.notdef`). */
  width(text: string, size: number): number;
  /** Whether the font has a glyph for every code point of `text` (others render as boxes). */
  covers(text: string): boolean;
}

/**
 * Reads the metrics of a TTF/OTF file's bytes.
 *
 * @throws {@link InvalidArgumentError} when the bytes are not a font with `cmap`, `head`, `hhea` and `hmtx`.
 * @example
 * ```ts
 * const metrics = readFontMetrics(readFileSync('DejaVuSans.ttf'));
 * metrics.width('king', 14); // ≈ 28.5
 * ```
 */
export function readFontMetrics(bytes: Uint8Array): FontMetrics {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tables = new Map<string, number>();
  const numTables = view.getUint16(4);
  for (let i = 0; i < numTables; i++) {
    const rec = 12 + 16 * i;
    const tag = String.fromCharCode(
      view.getUint8(rec),
      view.getUint8(rec + 1),
      view.getUint8(rec + 2),
      view.getUint8(rec + 3),
    );
    tables.set(tag, view.getUint32(rec + 8));
  }
  const need = (tag: string): number => {
    const at = tables.get(tag);
    if (at === undefined) throw new InvalidArgumentError(`not a usable font: no '${tag}' table`);
    return at;
  };
  const head = need('head');
  const unitsPerEm = view.getUint16(head + 18);
  const hhea = need('hhea');
  const numberOfHMetrics = view.getUint16(hhea + 34);
  const hmtx = need('hmtx');
  const advances = new Uint16Array(numberOfHMetrics);
  for (let g = 0; g < numberOfHMetrics; g++) advances[g] = view.getUint16(hmtx + 4 * g);
  const glyphOf = readCmap(view, need('cmap'));
  const advanceOf = (glyph: number): number => advances[Math.min(glyph, numberOfHMetrics - 1)] ?? advances[0];

  return {
    width(text, size) {
      let units = 0;
      for (const ch of text) units += advanceOf(glyphOf(ch.codePointAt(0) as number));
      return (units / unitsPerEm) * size;
    },
    covers(text) {
      for (const ch of text) if (glyphOf(ch.codePointAt(0) as number) === 0) return false;
      return true;
    },
  };
}

/** The code point → glyph function of the best Unicode subtable: format 12 (full range) else 4 (BMP). */
function readCmap(view: DataView, cmap: number): (codePoint: number) => number {
  const count = view.getUint16(cmap + 2);
  let format4 = -1;
  let format12 = -1;
  for (let i = 0; i < count; i++) {
    const rec = cmap + 4 + 8 * i;
    const platform = view.getUint16(rec);
    const encoding = view.getUint16(rec + 2);
    const at = cmap + view.getUint32(rec + 4);
    const unicode = platform === 0 || (platform === 3 && (encoding === 1 || encoding === 10));
    if (!unicode) continue;
    const format = view.getUint16(at);
    if (format === 12) format12 = at;
    else if (format === 4) format4 = at;
  }
  if (format12 >= 0) {
    const groups = view.getUint32(format12 + 12);
    const starts = new Uint32Array(groups);
    const ends = new Uint32Array(groups);
    const glyphs = new Uint32Array(groups);
    for (let g = 0; g < groups; g++) {
      const rec = format12 + 16 + 12 * g;
      starts[g] = view.getUint32(rec);
      ends[g] = view.getUint32(rec + 4);
      glyphs[g] = view.getUint32(rec + 8);
    }
    return (cp) => {
      const g = searchRanges(ends, cp);
      return g < groups && starts[g] <= cp ? glyphs[g] + (cp - starts[g]) : 0;
    };
  }
  if (format4 < 0) throw new InvalidArgumentError('not a usable font: no Unicode cmap subtable');
  const segments = view.getUint16(format4 + 6) / 2;
  const endAt = format4 + 14;
  const startAt = endAt + 2 * segments + 2;
  const deltaAt = startAt + 2 * segments;
  const rangeAt = deltaAt + 2 * segments;
  const ends = new Uint32Array(segments);
  for (let s = 0; s < segments; s++) ends[s] = view.getUint16(endAt + 2 * s);
  return (cp) => {
    if (cp > 0xffff) return 0;
    const s = searchRanges(ends, cp);
    if (s >= segments) return 0;
    const start = view.getUint16(startAt + 2 * s);
    if (start > cp) return 0;
    const delta = view.getInt16(deltaAt + 2 * s);
    const rangeOffset = view.getUint16(rangeAt + 2 * s);
    if (rangeOffset === 0) return (cp + delta) & 0xffff;
    const glyph = view.getUint16(rangeAt + 2 * s + rangeOffset + 2 * (cp - start));
    return glyph === 0 ? 0 : (glyph + delta) & 0xffff;
  };
}

/** The first index whose range end is ≥ `cp` (binary search; ends ascending). */
function searchRanges(ends: Uint32Array, cp: number): number {
  let lo = 0;
  let hi = ends.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ends[mid] < cp) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
