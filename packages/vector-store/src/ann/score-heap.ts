/**
 * A binary min-heap of (id, score) pairs on typed arrays, growing by doubling. Used for the
 * candidate and result lists of the HNSW search; a max-heap is the same heap over negated scores.
 */
export class ScoreHeap {
  ids: Uint32Array;
  keys: Float64Array;
  size = 0;

  constructor(capacity = 64) {
    this.ids = new Uint32Array(capacity);
    this.keys = new Float64Array(capacity);
  }

  clear(): void {
    this.size = 0;
  }

  /** Smallest key (the worst result, or the best candidate when keys are negated). */
  get topKey(): number {
    return this.keys[0];
  }

  get topId(): number {
    return this.ids[0];
  }

  push(id: number, key: number): void {
    if (this.size === this.ids.length) {
      const ids = new Uint32Array(this.size * 2);
      ids.set(this.ids);
      const keys = new Float64Array(this.size * 2);
      keys.set(this.keys);
      this.ids = ids;
      this.keys = keys;
    }
    let i = this.size++;
    const ids = this.ids;
    const keys = this.keys;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (keys[p] <= key) break;
      ids[i] = ids[p];
      keys[i] = keys[p];
      i = p;
    }
    ids[i] = id;
    keys[i] = key;
  }

  /** Removes the smallest entry and returns its id. */
  pop(): number {
    const ids = this.ids;
    const keys = this.keys;
    const top = ids[0];
    const n = --this.size;
    if (n === 0) return top;
    const id = ids[n];
    const key = keys[n];
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      if (c + 1 < n && keys[c + 1] < keys[c]) c++;
      if (keys[c] >= key) break;
      ids[i] = ids[c];
      keys[i] = keys[c];
      i = c;
    }
    ids[i] = id;
    keys[i] = key;
    return top;
  }
}
