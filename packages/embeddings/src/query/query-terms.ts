/**
 * The terms of a query, checked and looked up: bare items as lists, `topn` and `restrictVocab`
 * validated (gensim's rules), vectors checked for length and finiteness, every word looked up once with
 * all missing words named together, and gensim's unit mean of ±unit terms. Used by {@link WordQueries}.
 */
import { InvalidArgumentError, OovError } from '../errors.js';
import type { RowSource } from './row-source.js';
import type { QueryItem } from './word-queries.js';

const DEFAULT_TOPN = 10;

/** A bare word or vector as a one-term list; undefined as none. */
export function asList(items: QueryItem | readonly QueryItem[] | undefined): readonly QueryItem[] {
  if (items === undefined) return [];
  if (typeof items === 'string' || items instanceof Float32Array || items instanceof Float64Array)
    return [items];
  if (!Array.isArray(items))
    throw new InvalidArgumentError('positive/negative must be a word, a vector or a list of them');
  return items;
}

/** `topn` checked: 10 when absent, else a non-negative integer (gensim answers `[]` for 0). */
export function checkTopn(topn: number | undefined): number {
  if (topn === undefined) return DEFAULT_TOPN;
  if (!Number.isInteger(topn) || topn < 0)
    throw new InvalidArgumentError(`topn must be a non-negative integer, got ${topn}`);
  return topn;
}

/** gensim: `if restrict_vocab: clip_end = restrict_vocab`, so 0 (falsy) means every row, as undefined does. */
export function restrictEnd(restrictVocab: number | undefined, size: number): number {
  if (restrictVocab === undefined || restrictVocab === 0) return size;
  if (!Number.isInteger(restrictVocab) || restrictVocab < 0) {
    throw new InvalidArgumentError(`restrictVocab must be a non-negative integer, got ${restrictVocab}`);
  }
  return Math.min(restrictVocab, size);
}

/** A query vector of `dim` finite values, else an {@link InvalidArgumentError} saying what is wrong. */
export function checkVector(v: Float32Array | Float64Array, dim: number): void {
  if (v.length !== dim) {
    throw new InvalidArgumentError(`query vector has ${v.length} values, expected dim = ${dim}`);
  }
  for (let j = 0; j < v.length; j++) {
    if (!Number.isFinite(v[j]))
      throw new InvalidArgumentError('query vector contains a non-finite value (NaN or ±Infinity)');
  }
}

/**
 * Checks every term and looks each distinct word up once: the map gives its row. Vectors are
 * checked for length and finiteness; every missing word is named in one {@link OovError}.
 */
export function lookUp(source: RowSource<object>, items: readonly QueryItem[]): Map<string, number> {
  const rows = new Map<string, number>();
  const missing: string[] = [];
  for (const item of items) {
    if (typeof item === 'string') {
      if (rows.has(item) || missing.includes(item)) continue;
      const r = source.rowOf(item);
      if (r < 0) missing.push(item);
      else rows.set(item, r);
    } else if (item instanceof Float32Array || item instanceof Float64Array) {
      checkVector(item, source.dim);
    } else {
      throw new InvalidArgumentError(
        `query terms must be words or Float32Array/Float64Array vectors, got ${typeof item}`,
      );
    }
  }
  if (missing.length > 0) throw new OovError(missing);
  return rows;
}

/** Rows of the word terms (vectors exclude nothing). */
export function inputRows(rows: Map<string, number>): Int32Array {
  return Int32Array.from(rows.values());
}

/** Unit vector of a checked term: a word's unit row, or a normalised copy of a vector. */
export function unitOfItem(
  source: RowSource<object>,
  rows: Map<string, number>,
  item: QueryItem,
): Float32Array {
  return typeof item === 'string' ? source.unitRow(rows.get(item) as number) : unitOf(item);
}

/** gensim `get_mean_vector(pre_normalize=True, post_normalize=True)` with weights +1 / −1. */
export function combine(
  source: RowSource<object>,
  positive: readonly QueryItem[],
  negative: readonly QueryItem[],
): { query: Float32Array; exclude: Int32Array } {
  const rows = lookUp(source, [...positive, ...negative]);
  if (positive.length + negative.length === 0) {
    throw new InvalidArgumentError('a similarity query needs at least one positive or negative term');
  }
  const acc = new Float64Array(source.dim);
  for (const [items, weight] of [
    [positive, 1],
    [negative, -1],
  ] as const) {
    for (const item of items) {
      const u = unitOfItem(source, rows, item);
      for (let j = 0; j < acc.length; j++) acc[j] += weight * u[j];
    }
  }
  // Dividing by the total weight (gensim's mean) does not change the direction; unitOf does the rest.
  return { query: unitOf(acc), exclude: inputRows(rows) };
}

/** Python's `str` order (code points), which is what gensim's sort uses; JS `<` compares UTF-16 units. */
export function codePointLess(a: string, b: string): boolean {
  const x = Array.from(a);
  const y = Array.from(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] !== y[i]) return (x[i].codePointAt(0) as number) < (y[i].codePointAt(0) as number);
  }
  return x.length < y.length;
}

/**
 * `v / ‖v‖` as float32 (gensim `matutils.unitvec`); the zero vector stays zero. The squared norm is
 * summed here rather than by `dot`, because `v` is often the float64 accumulator: `dot` only ever
 * sees float32 rows on the query path, so the engine keeps it specialised for them (the store's
 * HNSW walk inlines it per visited row; fed float64 too, that walk measured ~9 % slower).
 */
export function unitOf(v: ArrayLike<number>): Float32Array {
  let ss = 0;
  for (let j = 0; j < v.length; j++) ss += v[j] * v[j];
  const n = Math.sqrt(ss);
  const out = new Float32Array(v.length);
  if (n > 0) for (let j = 0; j < v.length; j++) out[j] = v[j] / n;
  return out;
}
