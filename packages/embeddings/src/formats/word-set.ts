/**
 * The set of words seen so far in a vector file, for dropping duplicates. An open-addressing table of
 * row numbers keyed by a 32-bit FNV-1a hash that the parsers compute while they scan a word's bytes
 * anyway: far less memory traffic than a `Set<string>` of hundreds of thousands of words, which hashes
 * every string again and scatters its entries over a large heap table.
 *
 * Plain ASCII words (the bulk of every large vector file) are added as bytes and become strings later,
 * many at a time: one latin1 decode of their joined bytes and one `split`, instead of one native call and
 * one young-generation string per word, which cost more than the rest of the row (issue 17).
 */

import type { WordIndex } from '../query/keyed-vectors.js';
import { latin1 } from './byte-chunks.js';

/** FNV-1a 32-bit offset basis and prime (Fowler, Noll, Vo; IETF draft-eastlake-fnv). */
export const FNV_OFFSET = 0x811c9dc5 | 0;
export const FNV_PRIME = 0x01000193;

/**
 * FNV-1a over the UTF-16 code units of `word`. For an ASCII word this equals the same hash over its
 * bytes, which is what the parsers compute in their scan loops.
 */
export function hashWord(word: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < word.length; i++) h = Math.imul(h ^ word.charCodeAt(i), FNV_PRIME);
  return h;
}

/**
 * A set of strings whose hashes are given by the caller (see {@link hashWord}), numbered in the order
 * they were added: once a reader has filled it, it is also the word → row look-up of the rows it kept
 * (a {@link WordIndex}), so loading builds one index, not two.
 */
export class WordSet implements WordIndex {
  /** Pairs per slot: `[2i]` = id + 1 (0 = empty), `[2i + 1]` = the hash, so a probe reads one cache line. */
  #table: Int32Array;
  #mask: number;
  /** Words added so far. */
  #count = 0;
  /** The strings of ids below `#pendingFrom`; ids from it to `#count` are pending. */
  #words: string[] = [];
  #pendingFrom = 0;
  /** Joined bytes of the pending ASCII words, each followed by a space. */
  #pending: Buffer = Buffer.allocUnsafe(4096);
  #pendingLength = 0;
  /**
   * For pending id `#pendingFrom + k`: where its bytes start in `#pending`, or -(j + 1) when it was
   * added as the string `#pendingStrings[j]`.
   */
  #pendingStart: Int32Array;
  #pendingStrings: string[] = [];

  /** @param expected - words expected, to size the table once instead of rehashing as it fills. */
  constructor(expected = 0) {
    const want = Math.min(Math.max(expected, 1 << 15), 1 << 26);
    let size = 1 << 16;
    while (size < want * 2 + 2) size *= 2;
    this.#table = new Int32Array(2 * size);
    this.#mask = size - 1;
    this.#pendingStart = new Int32Array(Math.max(1024, Math.min(expected, 1 << 22)));
  }

  get size(): number {
    return this.#count;
  }

  /**
   * The words in the order they were added (the array itself, not a copy: do not change it).
   * Pending words are decoded first.
   */
  get words(): string[] {
    this.flush();
    return this.#words;
  }

  /**
   * Adds `word` (whose {@link hashWord} is `hash`).
   * @returns false when the word was already in the set.
   */
  add(word: string, hash: number): boolean {
    const table = this.#table;
    const mask = this.#mask;
    let i = (hash ^ (hash >>> 15)) & mask;
    for (let s = table[2 * i]; s !== 0; s = table[2 * i]) {
      if (table[2 * i + 1] === hash && this.#equals(s - 1, word)) return false;
      i = (i + 1) & mask;
    }
    const id = this.#count;
    if (id === this.#pendingFrom) {
      this.#words.push(word);
      this.#pendingFrom++;
    } else {
      this.#pendingStrings.push(word);
      this.#markPending(id, -this.#pendingStrings.length);
    }
    this.#insert(i, id, hash);
    return true;
  }

  /**
   * Adds the word in `buf[start, end)`, which the caller guarantees is printable ASCII (bytes 0x21–0x7e)
   * and whose FNV-1a hash over its bytes is `hash`. Its string is made later, with its neighbours'.
   * @returns false when the word was already in the set.
   */
  addAscii(buf: Uint8Array, start: number, end: number, hash: number): boolean {
    const table = this.#table;
    const mask = this.#mask;
    let i = (hash ^ (hash >>> 15)) & mask;
    for (let s = table[2 * i]; s !== 0; s = table[2 * i]) {
      if (table[2 * i + 1] === hash && this.#equalsBytes(s - 1, buf, start, end)) return false;
      i = (i + 1) & mask;
    }
    const length = end - start;
    let w = this.#pendingLength;
    if (w + length + 1 > this.#pending.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.#pending.length * 2, w + length + 1));
      this.#pending.copy(grown, 0, 0, w);
      this.#pending = grown;
    }
    const id = this.#count;
    this.#markPending(id, w);
    const pending = this.#pending;
    for (let p = start; p < end; p++) pending[w++] = buf[p];
    pending[w++] = 32;
    this.#pendingLength = w;
    this.#insert(i, id, hash);
    return true;
  }

  /**
   * Reads the table slots of `count` hashes, `records[at + stride·k + 2]` (the kernel's word records),
   * before they are added: the reads do not depend on one another, so the processor overlaps their
   * cache misses, and the adds that follow find their slots in cache. Speed only; returns a value
   * only so that the reads are not optimised away.
   */
  warm(records: Int32Array, at: number, count: number, stride: number): number {
    const table = this.#table;
    const mask = this.#mask;
    let touched = 0;
    for (let k = 0, r = at + 2; k < count; k++, r += stride) {
      const hash = records[r];
      touched |= table[2 * ((hash ^ (hash >>> 15)) & mask)];
    }
    return touched;
  }

  /** Turns the pending ASCII words into strings: one latin1 decode and one split. */
  flush(): void {
    if (this.#count === this.#pendingFrom) return;
    const parts = this.#pendingLength > 0 ? latin1(this.#pending, 0, this.#pendingLength - 1).split(' ') : [];
    const strings = this.#pendingStrings;
    if (strings.length === 0 && this.#words.length === 0) {
      this.#words = parts; // the common case, a whole file of ASCII words: the split's array is the list
    } else {
      const words = this.#words;
      const starts = this.#pendingStart;
      const from = this.#pendingFrom;
      for (let id = from, k = 0; id < this.#count; id++) {
        const at = starts[id - from];
        words.push(at >= 0 ? parts[k++] : strings[-at - 1]);
      }
    }
    this.#pendingLength = 0;
    this.#pendingStrings = [];
    this.#pendingFrom = this.#count;
    if (this.#pendingStart.length > 1 << 16) this.#pendingStart = new Int32Array(1 << 16); // the index outlives the load
    if (this.#pending.length > 1 << 20) this.#pending = Buffer.allocUnsafe(1 << 16);
  }

  /** The number the word got when it was added (its row, for a reader's set), or undefined. */
  get(word: string): number | undefined {
    const id = this.#find(word, hashWord(word));
    return id < 0 ? undefined : id;
  }

  /** Whether the set holds `word`. */
  has(word: string): boolean {
    return this.#find(word, hashWord(word)) >= 0;
  }

  #find(word: string, hash: number): number {
    this.flush();
    const table = this.#table;
    const mask = this.#mask;
    for (
      let i = (hash ^ (hash >>> 15)) & mask, s = table[2 * i];
      s !== 0;
      i = (i + 1) & mask, s = table[2 * i]
    ) {
      if (table[2 * i + 1] === hash && this.#words[s - 1] === word) return s - 1;
    }
    return -1;
  }

  /** Records where pending word `id` starts in the joined bytes, or which pending string it is. */
  #markPending(id: number, start: number): void {
    const at = id - this.#pendingFrom;
    if (at >= this.#pendingStart.length) {
      const grown = new Int32Array(Math.max(this.#pendingStart.length * 2, at + 1));
      grown.set(this.#pendingStart);
      this.#pendingStart = grown;
    }
    this.#pendingStart[at] = start;
  }

  /** Whether word `id` is `word`, whether it is a string yet or still pending bytes. */
  #equals(id: number, word: string): boolean {
    const start = this.#pendingStartOf(id);
    if (start < 0) return this.#stringOf(id, start) === word;
    const pending = this.#pending;
    if (this.#pendingEnd(start) - start !== word.length) return false;
    for (let k = 0; k < word.length; k++) if (pending[start + k] !== word.charCodeAt(k)) return false;
    return true;
  }

  /** Whether word `id` has the bytes `buf[start, end)` (an ASCII word). */
  #equalsBytes(id: number, buf: Uint8Array, start: number, end: number): boolean {
    const at = this.#pendingStartOf(id);
    if (at < 0) {
      const word = this.#stringOf(id, at);
      if (word.length !== end - start) return false;
      for (let k = 0; k < word.length; k++) if (word.charCodeAt(k) !== buf[start + k]) return false;
      return true;
    }
    const pending = this.#pending;
    if (this.#pendingEnd(at) - at !== end - start) return false;
    for (let k = 0; k < end - start; k++) if (pending[at + k] !== buf[start + k]) return false;
    return true;
  }

  /** The string of word `id`, `at` being its {@link WordSet.#pendingStartOf} (negative: it has one). */
  #stringOf(id: number, at: number): string {
    return id < this.#pendingFrom ? this.#words[id] : this.#pendingStrings[-at - 1];
  }

  /** End of the pending word that starts at `start` (its separating space). */
  #pendingEnd(start: number): number {
    let e = start;
    while (this.#pending[e] !== 32) e++;
    return e;
  }

  /** Where pending word `id` starts in the joined bytes; negative when it has a string. */
  #pendingStartOf(id: number): number {
    return id < this.#pendingFrom ? -1 : this.#pendingStart[id - this.#pendingFrom];
  }

  #insert(i: number, id: number, hash: number): void {
    this.#table[2 * i] = id + 1;
    this.#table[2 * i + 1] = hash;
    this.#count = id + 1;
    // Keep the load factor under 1/2 so probe runs stay short.
    if ((id + 1) * 2 > this.#mask) this.#rehash();
  }

  #rehash(): void {
    const old = this.#table;
    const size = (this.#mask + 1) * 2;
    const mask = size - 1;
    const table = new Int32Array(2 * size);
    for (let j = 0; j < old.length; j += 2) {
      const s = old[j];
      if (s === 0) continue;
      const h = old[j + 1];
      let i = (h ^ (h >>> 15)) & mask;
      while (table[2 * i] !== 0) i = (i + 1) & mask;
      table[2 * i] = s;
      table[2 * i + 1] = h;
    }
    this.#table = table;
    this.#mask = mask;
  }
}
