/**
 * Word counting keyed by UTF-8 bytes: the fast path's replacement for `WordCounter` (a `Map` of strings), so a
 * token read on bytes is counted and given a provisional id without a string being made for it. Open
 * addressing over FNV-1a hashes; each entry's bytes live once in an append-only arena; a string is decoded
 * once per distinct word, at the end.
 *
 * Entries are numbered in the order they were created (their provisional ids). word2vec's pruning
 * (`maxVocabSize`) removes entries from the table: their counts are forgotten, as `WordCounter.prune` forgets
 * them, but their number and bytes stay, so a token stream written with provisional ids can still be
 * mapped to final ids afterwards ({@link ByteWordTable.finalIds}); a pruned word seen again gets a new
 * entry, counted from one. Live entries in creation order are `WordCounter`'s words in its order.
 */
import { Buffer } from 'node:buffer';

const EMPTY = -1;

/** @internal */
export class ByteWordTable {
  /** Entries created (live and pruned). */
  size = 0;
  /** Entries in the table (not pruned). */
  live = 0;
  #hashes = new Int32Array(1 << 12);
  #offsets = new Int32Array(1 << 12);
  #lengths = new Int32Array(1 << 12);
  /** Count of each entry; −1 once pruned. */
  counts = new Float64Array(1 << 12);
  #arena = Buffer.allocUnsafe(1 << 16);
  #arenaLength = 0;
  /** Open-addressing slots holding entry numbers (EMPTY when free). */
  #slots = new Int32Array(1 << 13).fill(EMPTY);
  #mask = (1 << 13) - 1;
  /** Whether the last {@link add} created an entry. */
  created = false;

  /** Counts one occurrence of the word `bytes[start, end)` (hash: its FNV-1a) and returns its entry number. */
  add(bytes: Uint8Array, start: number, end: number, hash: number): number {
    const length = end - start;
    const slots = this.#slots;
    const mask = this.#mask;
    let at = hash & mask;
    for (;;) {
      const e = slots[at];
      if (e === EMPTY) break;
      if (this.#hashes[e] === hash && this.#lengths[e] === length && this.#equals(e, bytes, start, length)) {
        this.counts[e]++;
        this.created = false;
        return e;
      }
      at = (at + 1) & mask;
    }
    const e = this.#create(bytes, start, length, hash);
    slots[at] = e;
    this.live++;
    this.created = true;
    if (this.live * 2 > slots.length) this.#rehash(slots.length * 2);
    return e;
  }

  #equals(e: number, bytes: Uint8Array, start: number, length: number): boolean {
    const arena = this.#arena;
    const off = this.#offsets[e];
    for (let i = 0; i < length; i++) if (arena[off + i] !== bytes[start + i]) return false;
    return true;
  }

  #create(bytes: Uint8Array, start: number, length: number, hash: number): number {
    const e = this.size++;
    if (e === this.#hashes.length) {
      const n = e * 2;
      this.#hashes = grow(this.#hashes, n);
      this.#offsets = grow(this.#offsets, n);
      this.#lengths = grow(this.#lengths, n);
      const counts = new Float64Array(n);
      counts.set(this.counts);
      this.counts = counts;
    }
    if (this.#arenaLength + length > this.#arena.length) {
      const arena = Buffer.allocUnsafe(Math.max(this.#arena.length * 2, this.#arenaLength + length));
      this.#arena.copy(arena, 0, 0, this.#arenaLength);
      this.#arena = arena;
    }
    const arena = this.#arena;
    const at = this.#arenaLength;
    for (let i = 0; i < length; i++) arena[at + i] = bytes[start + i];
    this.#hashes[e] = hash;
    this.#offsets[e] = this.#arenaLength;
    this.#lengths[e] = length;
    this.counts[e] = 1;
    this.#arenaLength += length;
    return e;
  }

  #rehash(capacity: number): void {
    const slots = new Int32Array(capacity).fill(EMPTY);
    const mask = capacity - 1;
    for (let e = 0; e < this.size; e++) {
      if (this.counts[e] < 0) continue;
      let at = this.#hashes[e] & mask;
      while (slots[at] !== EMPTY) at = (at + 1) & mask;
      slots[at] = e;
    }
    this.#slots = slots;
    this.#mask = mask;
  }

  /**
   * word2vec's pruning, as `WordCounter.prune`: drop every live word with count ≤ `threshold`, raise the
   * threshold, and repeat until at most `limit` words are live.
   * @returns the threshold for the next pruning.
   */
  prune(limit: number, threshold: number): number {
    while (this.live > limit) {
      for (let e = 0; e < this.size; e++) {
        const c = this.counts[e];
        if (c >= 0 && c <= threshold) {
          this.counts[e] = -1;
          this.live--;
        }
      }
      threshold++;
    }
    this.#rehash(this.#slots.length);
    return threshold;
  }

  /** The word of entry `e`. */
  word(e: number): string {
    const off = this.#offsets[e];
    return this.#arena.toString('utf8', off, off + this.#lengths[e]);
  }

  /** Live entries in creation order: their numbers, words and counts. */
  liveEntries(): { entries: Int32Array; words: string[]; counts: Float64Array } {
    const entries = new Int32Array(this.live);
    const words = new Array<string>(this.live);
    const counts = new Float64Array(this.live);
    let n = 0;
    for (let e = 0; e < this.size; e++) {
      if (this.counts[e] < 0) continue;
      entries[n] = e;
      words[n] = this.word(e);
      counts[n] = this.counts[e];
      n++;
    }
    return { entries, words, counts };
  }

  /**
   * Provisional → final ids for every entry: `finalOfLive[k]` is the final id (−1: dropped) of the k-th live
   * entry; a pruned entry takes the final id of the live entry with the same bytes, if any.
   */
  finalIds(entries: Int32Array, finalOfLive: Int32Array): Int32Array {
    const final = new Int32Array(this.size).fill(-1);
    for (let k = 0; k < entries.length; k++) final[entries[k]] = finalOfLive[k];
    if (this.live === this.size) return final;
    for (let e = 0; e < this.size; e++) {
      if (this.counts[e] >= 0) continue;
      const twin = this.#find(e);
      if (twin !== EMPTY) final[e] = final[twin];
    }
    return final;
  }

  /** The live entry holding the same bytes as entry `e`, or EMPTY. */
  #find(e: number): number {
    const hash = this.#hashes[e];
    const length = this.#lengths[e];
    const slots = this.#slots;
    let at = hash & this.#mask;
    for (;;) {
      const x = slots[at];
      if (x === EMPTY) return EMPTY;
      if (
        this.#hashes[x] === hash &&
        this.#lengths[x] === length &&
        this.#equals(x, this.#arena, this.#offsets[e], length)
      )
        return x;
      at = (at + 1) & this.#mask;
    }
  }
}

function grow(a: Int32Array<ArrayBuffer>, n: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(n);
  b.set(a);
  return b;
}
