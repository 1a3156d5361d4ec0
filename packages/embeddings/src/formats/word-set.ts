/**
 * The set of words seen so far in a vector file, for dropping duplicates. An open-addressing table of
 * row numbers keyed by a 32-bit FNV-1a hash that the parsers compute while they scan a word's bytes
 * anyway: far less memory traffic than a `Set<string>` of hundreds of thousands of words, which hashes
 * every string again and scatters its entries over a large heap table.
 */

import type { WordIndex } from '../query/keyed-vectors.js';

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
  #slots: Int32Array; // 0 = empty, otherwise index + 1 into #words
  #mask: number;
  #hashes: Int32Array;
  #words: string[] = [];

  /** @param expected - words expected, to size the table once instead of rehashing as it fills. */
  constructor(expected = 0) {
    const want = Math.min(Math.max(expected, 1 << 15), 1 << 26);
    let size = 1 << 16;
    while (size < want * 2 + 2) size *= 2;
    this.#slots = new Int32Array(size);
    this.#mask = size - 1;
    this.#hashes = new Int32Array(size >> 1);
  }

  get size(): number {
    return this.#words.length;
  }

  /**
   * Adds `word` (whose {@link hashWord} is `hash`).
   * @returns false when the word was already in the set.
   */
  add(word: string, hash: number): boolean {
    const slots = this.#slots;
    const mask = this.#mask;
    let i = (hash ^ (hash >>> 15)) & mask;
    for (let s = slots[i]; s !== 0; s = slots[i]) {
      if (this.#hashes[s - 1] === hash && this.#words[s - 1] === word) return false;
      i = (i + 1) & mask;
    }
    const id = this.#words.length;
    this.#words.push(word);
    if (id >= this.#hashes.length) {
      const grown = new Int32Array(this.#hashes.length * 2);
      grown.set(this.#hashes);
      this.#hashes = grown;
    }
    this.#hashes[id] = hash;
    slots[i] = id + 1;
    // Keep the load factor under 1/2 so probe runs stay short.
    if ((id + 1) * 2 > mask) this.#rehash();
    return true;
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
    const slots = this.#slots;
    const mask = this.#mask;
    for (let i = (hash ^ (hash >>> 15)) & mask, s = slots[i]; s !== 0; i = (i + 1) & mask, s = slots[i]) {
      if (this.#hashes[s - 1] === hash && this.#words[s - 1] === word) return s - 1;
    }
    return -1;
  }

  #rehash(): void {
    const size = this.#slots.length * 2;
    const mask = size - 1;
    const slots = new Int32Array(size);
    const hashes = this.#hashes;
    for (let id = 0; id < this.#words.length; id++) {
      const h = hashes[id];
      let i = (h ^ (h >>> 15)) & mask;
      while (slots[i] !== 0) i = (i + 1) & mask;
      slots[i] = id + 1;
    }
    this.#slots = slots;
    this.#mask = mask;
  }
}
