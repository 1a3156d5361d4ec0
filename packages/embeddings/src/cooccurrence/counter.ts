/**
 * The counting kernel of co-occurrence: a dense block for frequent-word pairs plus an open-addressing hash
 * table for the rest, both in typed arrays, and the radix sort that turns them into (row, col)-sorted records.
 *
 * Layout follows Stanford GloVe's `cooccur.c` (Pennington, Socher & Manning 2014): word ids are ranked by
 * frequency, so pairs whose product of (1-based) ids is below a bound are dense enough to live in a flat
 * array indexed through a per-row offset table; all other pairs go to the hash table, which is spilled
 * when it fills. Unlike GloVe, a symmetric count stores each unordered pair once (a ≤ b) and expands it
 * on output, which halves the table work.
 */
import type { CooccurrenceMatrix } from './matrix.js';

/** Largest load of the hash table before it must be spilled; linear probing degrades past ~0.75. */
const MAX_LOAD = 0.75;
/** Fewest slots the hash table starts with; it starts no larger than the input needs. */
const INITIAL_CAPACITY = 1 << 16;
/** Dense block cap: 2^20 float64 = 8 MiB. */
const DENSE_MAX_ENTRIES = 1 << 20;

/** Home slot of pair (a, b): multiplicative hashing with Math.imul and a final avalanche. Kept in sync with {@link countPairs}. */
function slotOf(a: number, b: number, mask: number): number {
  let h = (Math.imul(a, 0x9e3779b1) + b) | 0;
  h = Math.imul(h ^ (h >>> 15), 0x85ebca77);
  return (h ^ (h >>> 13)) & mask;
}

/** Sizes chosen from a memory budget; see {@link planCounter}. */
export interface CounterPlan {
  /** Largest number of hash-table slots (a power of two); the table starts small and doubles up to it. */
  capacity: number;
  /** Entries of the dense frequent-pair block. */
  denseEntries: number;
}

/**
 * Splits a memory budget between the dense block and the hash table, leaving room for sorting a spill.
 * A spill of n stored pairs (n ≤ 0.75 · slots) becomes up to 2n sorted records of 16 bytes, so a slot costs
 * 16 bytes in the table plus up to 24 bytes of sorted output: the table gets at most 1/44 of the budget in
 * slots (rounded down to a power of two), and the dense block at most 1/16 of it in bytes.
 */
export function planCounter(vocabSize: number, memoryBudget: number): CounterPlan {
  let capacity = 1024;
  while (capacity * 2 * 44 <= memoryBudget && capacity < 2 ** 28) capacity *= 2;
  // GloVe gives most of its memory to the dense block; here it is capped at 8 MiB so it stays in cache:
  // measured on Brown, a 64 MiB block made counting ~1.7× slower than an 8 MiB one (random access misses).
  const denseEntries = Math.min(Math.floor(memoryBudget / 16 / 8), vocabSize * vocabSize, DENSE_MAX_ENTRIES);
  return { capacity, denseEntries };
}

/**
 * Mutable counting state. Plain fields over typed arrays so the kernel stays monomorphic and allocation-free.
 */
export class PairCounter {
  readonly vocabSize: number;
  readonly symmetric: boolean;
  /** Per row a: pairs (a, b) with b < denseRowEnd[a] live in the dense block. */
  readonly denseRowEnd: Int32Array;
  /** Index of (a, b) in `dense` is denseBase[a] + b. */
  readonly denseBase: Int32Array;
  /** First column stored for row a (a for symmetric, where b ≥ a, else 0). */
  readonly dense: Float64Array;
  /** Interleaved [key + 1, value] slots; key = a·V + b; 0 marks an empty slot. */
  table: Float64Array;
  mask: number;
  /** Occupied slots. */
  size = 0;
  /** Grow or spill when `size` reaches this; leaves room for one token's pairs. */
  maxSize: number;
  readonly maxCapacity: number;
  readonly #window: number;

  /**
   * @param pairsHint - how many pairs the input can produce at most (tokens × window); the table starts at
   *   about an eighth of it (Brown keeps ~15% of its pairs distinct), so it rarely has to grow.
   */
  constructor(vocabSize: number, symmetric: boolean, plan: CounterPlan, window: number, pairsHint = 0) {
    this.vocabSize = vocabSize;
    this.symmetric = symmetric;
    const { rowEnd, base, entries } = denseLayout(vocabSize, symmetric, plan.denseEntries);
    this.denseRowEnd = rowEnd;
    this.denseBase = base;
    this.dense = new Float64Array(entries);
    this.maxCapacity = plan.capacity;
    this.#window = window;
    let initial = Math.min(plan.capacity, INITIAL_CAPACITY);
    while (initial < plan.capacity && initial < pairsHint / 8) initial *= 2;
    this.table = new Float64Array(initial * 2);
    this.mask = initial - 1;
    this.maxSize = this.#threshold(initial);
  }

  #threshold(capacity: number): number {
    return Math.max(1, Math.floor(capacity * MAX_LOAD) - 2 * this.#window);
  }

  /** Whether the table may still double before it must be spilled. */
  get canGrow(): boolean {
    return this.table.length / 2 < this.maxCapacity;
  }

  /** Doubles the hash table, re-inserting every entry. */
  grow(): void {
    const old = this.table;
    const capacity = old.length; // slots double: old.length / 2 × 2
    const table = new Float64Array(capacity * 2);
    const mask = capacity - 1;
    const V = this.vocabSize;
    for (let s = 0; s < old.length; s += 2) {
      const k = old[s];
      if (k === 0) continue;
      const a = Math.floor((k - 1) / V);
      let h = slotOf(a, k - 1 - a * V, mask);
      while (table[h << 1] !== 0) h = (h + 1) & mask;
      table[h << 1] = k;
      table[(h << 1) + 1] = old[s + 1];
    }
    this.table = table;
    this.mask = mask;
    this.maxSize = this.#threshold(capacity);
  }

  /** Empties the hash table (after a spill); the dense block keeps accumulating. */
  clearTable(): void {
    this.table.fill(0);
    this.size = 0;
  }

  /** Whether the hash table must be spilled before more counting. */
  get full(): boolean {
    return this.size >= this.maxSize;
  }
}

/**
 * Picks the hyperbolic region (a+1)(b+1) ≤ P that fits `maxEntries`, as GloVe's `lookup` table does, by
 * bisection on P.
 */
function denseLayout(
  vocabSize: number,
  symmetric: boolean,
  maxEntries: number,
): { rowEnd: Int32Array; base: Int32Array; entries: number } {
  const entriesFor = (p: number): number => {
    let total = 0;
    for (let a = 0; a < vocabSize; a++) {
      const end = Math.min(vocabSize, Math.floor(p / (a + 1)));
      const start = symmetric ? a : 0;
      if (end <= start) break;
      total += end - start;
    }
    return total;
  };
  let lo = 0;
  let hi = vocabSize * vocabSize + 1;
  if (entriesFor(hi) <= maxEntries) lo = hi;
  else {
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (entriesFor(mid) <= maxEntries) lo = mid;
      else hi = mid;
    }
  }
  const rowEnd = new Int32Array(vocabSize);
  const base = new Int32Array(vocabSize);
  let offset = 0;
  for (let a = 0; a < vocabSize; a++) {
    const end = Math.min(vocabSize, Math.floor(lo / (a + 1)));
    const start = symmetric ? a : 0;
    if (end <= start) continue; // rowEnd stays 0: no column qualifies
    rowEnd[a] = end;
    base[a] = offset - start;
    offset += end - start;
  }
  return { rowEnd, base, entries: offset };
}

/**
 * Counts the pairs of tokens `from … to−1` of `ids` into `c`, stopping early (after a whole token) when the
 * hash table is full. Token p pairs with the up to `window` tokens before it in the same sentence (from
 * `sentenceStart` on), weight `weights[distance]`; the earlier token is the row, as in GloVe's `cooccur`.
 *
 * @returns the next position to count from (`to` when done).
 */
export function countPairs(
  c: PairCounter,
  ids: Int32Array,
  from: number,
  to: number,
  sentenceStart: number,
  window: number,
  weights: Float64Array,
): number {
  const V = c.vocabSize;
  const symmetric = c.symmetric;
  const rowEnd = c.denseRowEnd;
  const base = c.denseBase;
  const dense = c.dense;
  const table = c.table;
  const mask = c.mask;
  const maxSize = c.maxSize;
  let size = c.size;
  let start = sentenceStart;
  let p = from;
  for (; p < to; p++) {
    const w2 = ids[p];
    if (w2 < 0) {
      start = p + 1;
      continue;
    }
    let lo = p - window;
    if (lo < start) lo = start;
    for (let q = p - 1; q >= lo; q--) {
      const w1 = ids[q];
      const x = weights[p - q];
      let a = w1;
      let b = w2;
      if (symmetric && a > b) {
        a = w2;
        b = w1;
      }
      if (b < rowEnd[a]) {
        dense[base[a] + b] += x;
        continue;
      }
      const key = a * V + b + 1;
      // Inlined slotOf(a, b, mask): the hot path.
      let h = (Math.imul(a, 0x9e3779b1) + b) | 0;
      h = Math.imul(h ^ (h >>> 15), 0x85ebca77);
      h = (h ^ (h >>> 13)) & mask;
      for (;;) {
        const slot = h << 1;
        const k = table[slot];
        if (k === key) {
          table[slot + 1] += x;
          break;
        }
        if (k === 0) {
          table[slot] = key;
          table[slot + 1] = x;
          size++;
          break;
        }
        h = (h + 1) & mask;
      }
    }
    if (size >= maxSize) {
      p++;
      break;
    }
  }
  c.size = size;
  return p;
}

/**
 * The counts held by `c` (hash table, and the dense block when `includeDense`) as records sorted by
 * (row, col), symmetric pairs expanded to both orders (the diagonal counted twice, as GloVe adds (i, i)
 * once per direction). One counting-sort scatter by row, then each row sorted by column: insertion sort for
 * short rows, the native typed-array sort on packed (column, position) keys for long ones.
 */
export function sortedRecords(c: PairCounter, includeDense: boolean): CooccurrenceMatrix {
  const V = c.vocabSize;
  const symmetric = c.symmetric;
  const table = c.table;
  const dense = c.dense;
  const rowEnd = c.denseRowEnd;
  const base = c.denseBase;
  const rowNext = new Float64Array(V + 1);
  // Pass 0: how many records each row gets.
  for (let s = 0; s < table.length; s += 2) {
    const k = table[s];
    if (k === 0) continue;
    const key = k - 1;
    const a = Math.floor(key / V);
    rowNext[a]++;
    if (symmetric) {
      const b = key - a * V;
      if (a !== b) rowNext[b]++;
    }
  }
  if (includeDense) {
    for (let a = 0; a < V; a++) {
      const end = rowEnd[a];
      if (end === 0) continue;
      const off = base[a];
      for (let b = symmetric ? a : 0; b < end; b++) {
        if (dense[off + b] === 0) continue;
        rowNext[a]++;
        if (symmetric && a !== b) rowNext[b]++;
      }
    }
  }
  const rowStart = new Float64Array(V + 1);
  let n = 0;
  let longest = 0;
  for (let i = 0; i < V; i++) {
    const len = rowNext[i];
    if (len > longest) longest = len;
    rowStart[i] = n;
    rowNext[i] = n;
    n += len;
  }
  rowStart[V] = n;
  const rows = new Uint32Array(n);
  const cols = new Uint32Array(n);
  const values = new Float64Array(n);
  // Pass 1: scatter by row. (Written out for the table and the dense block: no closure in this O(nnz) loop.)
  for (let s = 0; s < table.length; s += 2) {
    const k = table[s];
    if (k === 0) continue;
    const key = k - 1;
    const a = Math.floor(key / V);
    const b = key - a * V;
    const x = table[s + 1];
    if (symmetric && a === b) {
      const pos = rowNext[a]++;
      cols[pos] = a;
      values[pos] = 2 * x;
      continue;
    }
    const pos = rowNext[a]++;
    cols[pos] = b;
    values[pos] = x;
    if (symmetric) {
      const pos2 = rowNext[b]++;
      cols[pos2] = a;
      values[pos2] = x;
    }
  }
  if (includeDense) {
    for (let a = 0; a < V; a++) {
      const end = rowEnd[a];
      if (end === 0) continue;
      const off = base[a];
      for (let b = symmetric ? a : 0; b < end; b++) {
        const x = dense[off + b];
        if (x === 0) continue;
        if (symmetric && a === b) {
          const pos = rowNext[a]++;
          cols[pos] = a;
          values[pos] = 2 * x;
          continue;
        }
        const pos = rowNext[a]++;
        cols[pos] = b;
        values[pos] = x;
        if (symmetric) {
          const pos2 = rowNext[b]++;
          cols[pos2] = a;
          values[pos2] = x;
        }
      }
    }
  }
  // Pass 2: sort each row by column.
  const keys = new Float64Array(longest);
  const scratch = new Float64Array(longest);
  for (let i = 0; i < V; i++) {
    const s0 = rowStart[i];
    const e0 = rowStart[i + 1];
    rows.fill(i, s0, e0);
    const len = e0 - s0;
    if (len <= 1) continue;
    if (len <= SHORT_ROW) {
      for (let k = s0 + 1; k < e0; k++) {
        const ck = cols[k];
        const vk = values[k];
        let m = k - 1;
        while (m >= s0 && cols[m] > ck) {
          cols[m + 1] = cols[m];
          values[m + 1] = values[m];
          m--;
        }
        cols[m + 1] = ck;
        values[m + 1] = vk;
      }
      continue;
    }
    // Key = column · 2^26 + position in the row: exact in a double since both are below 2^26.
    for (let k = 0; k < len; k++) keys[k] = cols[s0 + k] * POSITION_SPAN + k;
    const sortedKeys = keys.subarray(0, len).sort();
    for (let k = 0; k < len; k++) {
      const key = sortedKeys[k];
      const col = Math.floor(key / POSITION_SPAN);
      scratch[k] = values[s0 + (key - col * POSITION_SPAN)];
      keys[k] = col; // sortedKeys aliases keys; slot k is no longer needed
    }
    for (let k = 0; k < len; k++) {
      cols[s0 + k] = keys[k];
      values[s0 + k] = scratch[k];
    }
  }
  return { vocabSize: V, nnz: n, rows, cols, values };
}

/** Rows up to this long are insertion-sorted in place. */
const SHORT_ROW = 24;
/** Positions within a row are below the vocabulary size, at most 2^26. */
const POSITION_SPAN = 2 ** 26;
