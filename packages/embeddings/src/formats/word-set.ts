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

/** Bytes of pending words held before they are decoded: bounds the scratch buffer and the string made from it. */
const PENDING_BYTES = 1 << 20;

/**
 * A set of strings whose hashes are given by the caller (see {@link hashWord}), numbered in the order
 * they were added: once a reader has filled it, it is also the word → row look-up of the rows it kept
 * (a {@link WordIndex}), so loading builds one index, not two.
 */
export class WordSet implements WordIndex {
  /** Pairs per slot: `[2i]` = id + 1 (0 = empty), `[2i + 1]` = the hash, so a probe reads one cache line. */
  #table: Int32Array;
  #mask: number;
  #words: string[] = [];
  /** Joined bytes of the words added by {@link WordSet.addAscii} and not yet decoded, each followed by a space. */
  #pending: Buffer = Buffer.allocUnsafe(4096);
  #pendingLength = 0;
  /** First id still pending; ids from it on have `#pendingStart[id - #pendingFrom]` (-1 when added as a string). */
  #pendingFrom = 0;
  #pendingStart = new Int32Array(1024);

  /** @param expected - words expected, to size the table once instead of rehashing as it fills. */
  constructor(expected = 0) {
    const want = Math.min(Math.max(expected, 1 << 15), 1 << 26);
    let size = 1 << 16;
    while (size < want * 2 + 2) size *= 2;
    this.#table = new Int32Array(2 * size);
    this.#mask = size - 1;
  }

  get size(): number {
    return this.#words.length;
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
    const id = this.#words.length;
    this.#words.push(word);
    if (this.#pendingLength > 0) this.#markPending(id, -1);
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
    if (this.#pendingLength + length + 1 > this.#pending.length) {
      if (this.#pendingLength + length + 1 > PENDING_BYTES) this.flush();
      if (length + 1 > this.#pending.length - this.#pendingLength) {
        const grown = Buffer.allocUnsafe(
          Math.max(this.#pending.length * 2, this.#pendingLength + length + 1),
        );
        this.#pending.copy(grown, 0, 0, this.#pendingLength);
        this.#pending = grown;
      }
    }
    const id = this.#words.length;
    this.#words.push('');
    this.#markPending(id, this.#pendingLength);
    const pending = this.#pending;
    let w = this.#pendingLength;
    for (let p = start; p < end; p++) pending[w++] = buf[p];
    pending[w++] = 32;
    this.#pendingLength = w;
    this.#insert(i, id, hash);
    return true;
  }

  /** Turns the pending ASCII words into strings: one latin1 decode and one split. */
  flush(): void {
    if (this.#pendingLength === 0) return;
    const parts = latin1(this.#pending, 0, this.#pendingLength - 1).split(' ');
    const words = this.#words;
    const from = this.#pendingFrom;
    const starts = this.#pendingStart;
    let k = 0;
    for (let id = from; id < words.length; id++) if (starts[id - from] >= 0) words[id] = parts[k++];
    this.#pendingLength = 0;
    this.#pendingFrom = words.length;
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

  /** Records where pending word `id` starts in the joined bytes (-1: added as a string). */
  #markPending(id: number, start: number): void {
    if (this.#pendingLength === 0 && start >= 0) this.#pendingFrom = id;
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
    if (start < 0) return this.#words[id] === word;
    const pending = this.#pending;
    if (this.#pendingEnd(start) - start !== word.length) return false;
    for (let k = 0; k < word.length; k++) if (pending[start + k] !== word.charCodeAt(k)) return false;
    return true;
  }

  /** Whether word `id` has the bytes `buf[start, end)` (an ASCII word). */
  #equalsBytes(id: number, buf: Uint8Array, start: number, end: number): boolean {
    const at = this.#pendingStartOf(id);
    if (at < 0) {
      const word = this.#words[id];
      if (word.length !== end - start) return false;
      for (let k = 0; k < word.length; k++) if (word.charCodeAt(k) !== buf[start + k]) return false;
      return true;
    }
    const pending = this.#pending;
    if (this.#pendingEnd(at) - at !== end - start) return false;
    for (let k = 0; k < end - start; k++) if (pending[at + k] !== buf[start + k]) return false;
    return true;
  }

  /** End of the pending word that starts at `start` (its separating space). */
  #pendingEnd(start: number): number {
    let e = start;
    while (this.#pending[e] !== 32) e++;
    return e;
  }

  /** Where pending word `id` starts in the joined bytes, or -1 when it is a string. */
  #pendingStartOf(id: number): number {
    if (this.#pendingLength === 0 || id < this.#pendingFrom) return -1;
    return this.#pendingStart[id - this.#pendingFrom];
  }

  #insert(i: number, id: number, hash: number): void {
    this.#table[2 * i] = id + 1;
    this.#table[2 * i + 1] = hash;
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
