/**
 * Magnitude-style OOV vectors (Patel et al. 2018, "Magnitude: A Fast, Efficient Universal Vector
 * Embedding Utility Package", §4.1) for models trained without n-grams: a deterministic
 * pseudo-random vector made from the word's character n-grams (strings that share n-grams get nearby
 * vectors), blended with the mean of the vocabulary words that share the most n-grams with it (so a
 * misspelling lands next to the word it misspells). Which words are "most similar" is decided in two
 * steps: the 32 sharing the most n-grams (Jaccard overlap of the n-gram sets), then among them the
 * fewest edits (optimal string alignment: the one-edit typos count 1); each blended word weighs its
 * overlap halved per edit, so a one-edit typo's estimate is dominated by the word it misspells.
 *
 * The vocabulary's n-grams live in an inverted index of typed arrays: each distinct n-gram's 32-bit
 * fastText hash, sorted, with the rows of the words holding it (a posting list). An estimate
 * binary-searches its n-grams and counts shared n-grams per word over their posting lists, so it
 * costs the length of those lists, not the vocabulary; the lists are walked rarest first and the
 * longest ones admit no new candidate once none could reach the pool (`overlap-pool.ts`), which
 * gives the same pool as counting them all. Two different n-grams whose 32-bit hashes
 * collide share a posting list; with ~10 M distinct n-grams (a 400k-word vocabulary) about one
 * n-gram in 400 of a query does, which only adds a few candidates to the count.
 */
import { InvalidArgumentError } from '../errors.js';
import { addUniformSigned } from '../random.js';
import { checkNgramSpec, type NgramSpec, ngramHashes, ngramSpans } from './char-ngrams.js';
import { OverlapPool } from './overlap-pool.js';
import type { SubwordEstimator, SubwordExplanation, UnitRows } from './subword-estimator.js';

/** Options of {@link MagnitudeEstimator}. */
export interface MagnitudeOptions extends Partial<Omit<NgramSpec, 'bucket'>> {
  /** How many string-similar vocabulary words are averaged. Default 3. */
  neighbours?: number;
  /** Weight of the n-gram pseudo-random part; the similar words get 1 − this. Default 0.3. */
  randomWeight?: number;
}

/**
 * The index of a {@link MagnitudeEstimator} as typed arrays, to store beside a model and read back
 * with {@link MagnitudeEstimator.fromIndex} instead of rebuilding it.
 */
export interface MagnitudeIndex {
  minn: number;
  maxn: number;
  /** Distinct n-gram hashes, ascending. */
  hashes: Uint32Array;
  /** `hashes.length + 1` offsets into `postings`. */
  offsets: Uint32Array;
  /** Rows of the words holding each n-gram, ascending within a list. */
  postings: Uint32Array;
  /** Distinct n-grams of each indexed word. */
  gramCounts: Uint16Array;
}

/**
 * The vocabulary as a {@link MagnitudeEstimator} reads it when it is not in memory as one array
 * (a stored model: words and unit rows looked up by row). An estimate asks for the words of its 32
 * candidates and the unit rows of the few it blends.
 *
 * @example
 * ```ts
 * const source: MagnitudeRows = { size: 3, dim: 2, wordsAt: (rows) => Array.from(rows, (r) => ['a', 'b', 'c'][r]), unitRow: (r) => unit.subarray(r * 2, r * 2 + 2) };
 * ```
 */
export interface MagnitudeRows {
  /** Rows of the vocabulary (the first 2,097,152 are indexed). */
  size: number;
  dim: number;
  /** The words of `rows`, in that order. */
  wordsAt(rows: ArrayLike<number>): string[];
  /** The unit vector of `row`. */
  unitRow(row: number): ArrayLike<number>;
}

/** Candidates by n-gram overlap that are compared by edit distance. */
const POOL = 32;
/** Edit distances beyond this all count as this + 1. */
const MAX_EDITS = 3;

/** Rows above this are not indexed: hash × 2^21 + row must stay an exact float64 integer while sorting. */
const MAX_INDEXED_ROWS = 2 ** 21;

/**
 * Magnitude-style OOV vectors over a vocabulary (see the module note).
 *
 * @example
 * ```ts
 * const m = new MagnitudeEstimator({ words: kv.words, dim: kv.dim, unit: kv.unitVectors() });
 * m.explain('pizzza'); // near 'pizza': shares most of its n-grams; similarWords ['pizza', …]
 * ```
 */
export class MagnitudeEstimator implements SubwordEstimator {
  readonly #rows: MagnitudeRows;
  readonly #spec: NgramSpec;
  readonly #neighbours: number;
  readonly #randomWeight: number;
  #index: MagnitudeIndex;
  /** The candidate pool of the estimate in progress, reused. */
  readonly #pool: OverlapPool;
  /** Where each top-16-bit prefix of the hashes starts in `index.hashes` (65,537 offsets). */
  readonly #hashStarts: Uint32Array;
  /** The edit-distance table, reused (words past 64 code units are not aligned). */
  readonly #distanceRows = new Uint8Array(65 * 65);
  /** Index positions of the query's known distinct n-grams, reused. */
  #positions = new Uint32Array(64);

  /**
   * Builds the index over `rows` (the first 2,097,152 rows at most: the most frequent words).
   *
   * @param rows - the vocabulary's words and unit rows in memory ({@link UnitRows}), or a {@link MagnitudeRows} reader (a stored model)
   * @param index - a stored {@link MagnitudeIndex} of these rows (from {@link MagnitudeEstimator.index}), instead of building one
   * @throws {@link InvalidArgumentError} for bad options or an index of other rows.
   */
  constructor(rows: UnitRows | MagnitudeRows, options: MagnitudeOptions = {}, index?: MagnitudeIndex) {
    this.#rows = 'unit' in rows ? inMemory(rows) : rows;
    this.#spec = {
      minn: options.minn ?? index?.minn ?? 3,
      maxn: options.maxn ?? index?.maxn ?? 6,
      bucket: 1,
    };
    checkNgramSpec(this.#spec);
    this.#neighbours = options.neighbours ?? 3;
    this.#randomWeight = options.randomWeight ?? 0.3;
    if (!Number.isInteger(this.#neighbours) || this.#neighbours < 1)
      throw new InvalidArgumentError(`neighbours must be a positive integer, got ${this.#neighbours}`);
    if (!(this.#randomWeight >= 0 && this.#randomWeight <= 1))
      throw new InvalidArgumentError(`randomWeight must be in [0, 1], got ${this.#randomWeight}`);
    const indexed = Math.min(this.#rows.size, MAX_INDEXED_ROWS);
    if (index) {
      if (index.minn !== this.#spec.minn || index.maxn !== this.#spec.maxn)
        throw new InvalidArgumentError('the stored n-gram index was built with other n-gram lengths');
      if (index.gramCounts.length !== indexed || index.offsets.length !== index.hashes.length + 1)
        throw new InvalidArgumentError(
          `the stored n-gram index covers ${index.gramCounts.length} words, the model ${indexed}`,
        );
      this.#index = index;
    } else {
      const words =
        'unit' in rows ? rows.words : this.#rows.wordsAt(Uint32Array.from({ length: indexed }, (_, i) => i));
      this.#index = buildIndex(words, indexed, this.#spec);
    }
    this.#hashStarts = prefixStarts(this.#index.hashes);
    this.#pool = new OverlapPool(indexed, Math.max(POOL, this.#neighbours));
    // The posting lists move into the pool's WebAssembly memory (one copy kept, walked there).
    this.#index = { ...this.#index, postings: this.#pool.usePostings(this.#index.postings) };
  }

  /** n-gram lengths and blend settings, to store beside the index. */
  get settings(): Required<MagnitudeOptions> {
    return {
      minn: this.#spec.minn,
      maxn: this.#spec.maxn,
      neighbours: this.#neighbours,
      randomWeight: this.#randomWeight,
    };
  }

  /** The inverted n-gram index (typed arrays, by reference): what to store to skip the build. */
  get index(): MagnitudeIndex {
    return this.#index;
  }

  /** Bytes the index holds in memory (and takes on disk when stored as is). */
  get indexBytes(): number {
    const { hashes, offsets, postings, gramCounts } = this.#index;
    return hashes.byteLength + offsets.byteLength + postings.byteLength + gramCounts.byteLength;
  }

  /**
   * The estimate for `word`, the n-grams of it the vocabulary holds (`pieces`) and the vocabulary
   * words blended in (`similarWords`); undefined when no vocabulary word shares an n-gram with it.
   *
   * @example
   * ```ts
   * m.explain('qqqqqq'); // undefined: no vocabulary word has an n-gram of it
   * ```
   */
  explain(word: string): SubwordExplanation | undefined {
    const { dim } = this.#rows;
    const spans = ngramSpans(word, this.#spec.minn, this.#spec.maxn);
    const all = spans.hashes;
    if (all.length === 0) return undefined;
    const keys = this.#index.hashes;
    if (this.#positions.length < all.length) this.#positions = new Uint32Array(all.length);
    const positions = this.#positions;
    let known = 0;
    let distinct = 0;
    const pieces: string[] = [];
    // The same n-gram twice counts once: a linear look-back for ordinary words, a set for long ones.
    const seen = all.length > 64 ? new Set<number>() : undefined;
    for (let k = 0; k < all.length; k++) {
      const h = all[k];
      if (seen ? seen.has(h) || !seen.add(h) : k > 0 && all.lastIndexOf(h, k - 1) >= 0) continue;
      distinct++;
      const at = findHash(keys, this.#hashStarts, h);
      if (at < 0) continue;
      pieces.push(spans.text(k));
      positions[known++] = at;
    }
    if (known === 0) return undefined;
    // A pool of the best candidates by Jaccard overlap of n-gram sets (ties to the lower, more
    // frequent row), then the `neighbours` of it closest in edit distance: n-gram overlap finds the
    // candidates fast, edit distance tells the misspelt word from its neighbours in spelling.
    const inPool = this.#pool.collect(this.#index, positions, known, distinct);
    const poolRows = this.#pool.rows;
    const poolScores = this.#pool.scores;
    const candidates = poolRows.subarray(0, inPool);
    const spellings = this.#rows.wordsAt(candidates);
    const ranked: { row: number; word: string; jaccard: number; distance: number }[] = [];
    for (let i = 0; i < inPool; i++) {
      const w = spellings[i];
      ranked.push({
        row: candidates[i],
        word: w,
        jaccard: poolScores[i],
        distance: editDistance(word, w, MAX_EDITS, this.#distanceRows),
      });
    }
    ranked.sort((x, y) => x.distance - y.distance || y.jaccard - x.jaccard || x.row - y.row);
    const near = new Float64Array(dim);
    const similarWords: string[] = [];
    for (const { row, word: similar, jaccard, distance } of ranked.slice(0, this.#neighbours)) {
      similarWords.push(similar);
      // Closer spellings weigh more: each edit halves a neighbour's weight.
      const weight = jaccard * 2 ** -distance;
      const unit = this.#rows.unitRow(row);
      for (let d = 0; d < dim; d++) near[d] += weight * unit[d];
    }
    // The pseudo-random part: one seeded uniform vector per n-gram (all of them, known or not), summed.
    const random = new Float64Array(dim);
    for (let k = 0; k < all.length; k++) addUniformSigned(all[k], random);
    const vector = new Float32Array(dim);
    const a = this.#randomWeight / (norm(random) || 1);
    const b = (1 - this.#randomWeight) / (norm(near) || 1);
    for (let d = 0; d < dim; d++) vector[d] = a * random[d] + b * near[d];
    const len = norm(vector);
    if (len > 0) for (let d = 0; d < dim; d++) vector[d] /= len;
    return { vector, pieces, similarWords };
  }
}

/** {@link MagnitudeRows} over words and unit rows in memory. */
function inMemory(rows: UnitRows): MagnitudeRows {
  const { words, dim, unit } = rows;
  return {
    size: words.length,
    dim,
    wordsAt: (at) => Array.from(at, (r) => words[r]),
    unitRow: (r) => unit.subarray(r * dim, (r + 1) * dim),
  };
}

/**
 * Optimal-string-alignment distance (Levenshtein plus adjacent transpositions, the four one-edit
 * typos), by code unit, `max + 1` once it must exceed `max`. `d` is scratch of 65 × 65 bytes (every
 * cell read is written first in the same call).
 */
function editDistance(a: string, b: string, max: number, d: Uint8Array): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  if (a.length > 64 || b.length > 64) return a === b ? 0 : max + 1;
  const w = b.length + 1;
  for (let j = 0; j <= b.length; j++) d[j] = j;
  let prevBest = 0;
  for (let i = 1; i <= a.length; i++) {
    d[i * w] = i;
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let v = Math.min(d[(i - 1) * w + j] + 1, d[i * w + j - 1] + 1, d[(i - 1) * w + j - 1] + cost);
      if (
        i > 1 &&
        j > 1 &&
        a.charCodeAt(i - 1) === b.charCodeAt(j - 2) &&
        a.charCodeAt(i - 2) === b.charCodeAt(j - 1)
      )
        v = Math.min(v, d[(i - 2) * w + j - 2] + 1);
      d[i * w + j] = v;
      if (v < best) best = v;
    }
    // A transposition reaches back two rows, so both must be past `max` to stop early.
    if (best > max && prevBest > max) return max + 1;
    prevBest = best;
  }
  return Math.min(d[a.length * w + b.length], max + 1);
}

/** Sorts (hash, row) pairs packed in float64 (hash × 2^21 + row), then splits them into posting lists. */
function buildIndex(words: readonly string[], indexed: number, spec: NgramSpec): MagnitudeIndex {
  const perWord: Uint32Array[] = new Array(indexed);
  let total = 0;
  for (let r = 0; r < indexed; r++) {
    perWord[r] = ngramHashes(words[r], spec);
    total += perWord[r].length;
  }
  const keys = new Float64Array(total);
  let k = 0;
  for (let r = 0; r < indexed; r++) for (const h of perWord[r]) keys[k++] = h * MAX_INDEXED_ROWS + r;
  keys.sort();
  const gramCounts = new Uint16Array(indexed);
  const postings = new Uint32Array(total);
  const hashList = new Uint32Array(total);
  const offsetList = new Uint32Array(total + 1);
  let nPost = 0;
  let nHash = 0;
  let prevKey = -1;
  let prevHash = -1;
  for (let i = 0; i < total; i++) {
    const key = keys[i];
    if (key === prevKey) continue; // the same n-gram twice in one word
    prevKey = key;
    const row = key % MAX_INDEXED_ROWS;
    const hash = (key - row) / MAX_INDEXED_ROWS;
    if (hash !== prevHash) {
      hashList[nHash] = hash;
      offsetList[nHash++] = nPost;
      prevHash = hash;
    }
    postings[nPost++] = row;
    if (gramCounts[row] < 65535) gramCounts[row]++;
  }
  offsetList[nHash] = nPost;
  return {
    minn: spec.minn,
    maxn: spec.maxn,
    hashes: hashList.slice(0, nHash),
    offsets: offsetList.slice(0, nHash + 1),
    postings: postings.slice(0, nPost),
    gramCounts,
  };
}

/**
 * Where the hashes with each top-16-bit prefix start in the ascending `keys`: `starts[p]` is the
 * first position whose hash is at least `p × 2^16` (65,537 entries, the last `keys.length`), so a
 * look-up searches only its prefix's few keys instead of the whole (cache-missing) array.
 */
function prefixStarts(keys: Uint32Array): Uint32Array {
  const starts = new Uint32Array(65_537);
  let at = 0;
  for (let p = 0; p <= 65_536; p++) {
    while (at < keys.length && keys[at] >>> 16 < p) at++;
    starts[p] = at;
  }
  return starts;
}

/** Position of `h` in the ascending `keys` (with their {@link prefixStarts}), or −1. */
function findHash(keys: Uint32Array, starts: Uint32Array, h: number): number {
  const prefix = h >>> 16;
  let lo = starts[prefix];
  let hi = starts[prefix + 1] - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = keys[mid];
    if (v < h) lo = mid + 1;
    else if (v > h) hi = mid - 1;
    else return mid;
  }
  return -1;
}

function norm(v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  return Math.sqrt(s);
}
