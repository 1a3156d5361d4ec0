/**
 * k-way merge of sorted co-occurrence runs (record files) into one sorted stream, summing equal (i, j)
 * across runs. A binary min-heap over the runs' current keys; each run is read in chunks.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { AbortedError } from '../errors.js';
import type { CooccurrenceMatrix } from './matrix.js';
import { RECORD_BYTES, RecordReader } from './record-file.js';

/** Receives merged records in (i, j) order. */
export interface RecordSink {
  push(row: number, col: number, value: number): void;
}

/** Collects records into growing typed arrays. */
export class MatrixSink implements RecordSink {
  readonly vocabSize: number;
  nnz = 0;
  rows: Uint32Array;
  cols: Uint32Array;
  values: Float64Array;

  constructor(vocabSize: number, initialCapacity = 1 << 16) {
    this.vocabSize = vocabSize;
    this.rows = new Uint32Array(initialCapacity);
    this.cols = new Uint32Array(initialCapacity);
    this.values = new Float64Array(initialCapacity);
  }

  push(row: number, col: number, value: number): void {
    if (this.nnz === this.rows.length) this.#grow();
    const k = this.nnz++;
    this.rows[k] = row;
    this.cols[k] = col;
    this.values[k] = value;
  }

  #grow(): void {
    const cap = Math.max(16, Math.ceil(this.rows.length * 1.5));
    const rows = new Uint32Array(cap);
    rows.set(this.rows);
    const cols = new Uint32Array(cap);
    cols.set(this.cols);
    const values = new Float64Array(cap);
    values.set(this.values);
    this.rows = rows;
    this.cols = cols;
    this.values = values;
  }

  /** The collected records, trimmed to nnz. */
  matrix(): CooccurrenceMatrix {
    const n = this.nnz;
    return {
      vocabSize: this.vocabSize,
      nnz: n,
      rows: this.rows.slice(0, n),
      cols: this.cols.slice(0, n),
      values: this.values.slice(0, n),
    };
  }
}

/** Writes records to a record file through a buffer. Call {@link FileSink.close} to flush. */
export class FileSink implements RecordSink {
  nnz = 0;
  #fd: number;
  readonly #u32: Uint32Array;
  readonly #f64: Float64Array;
  readonly #bytes: Uint8Array;
  #n = 0;
  readonly #cap: number;

  constructor(path: string, chunkRecords = 1 << 16) {
    this.#fd = openSync(path, 'w');
    const buf = new ArrayBuffer(chunkRecords * RECORD_BYTES);
    this.#u32 = new Uint32Array(buf);
    this.#f64 = new Float64Array(buf);
    this.#bytes = new Uint8Array(buf);
    this.#cap = chunkRecords;
  }

  push(row: number, col: number, value: number): void {
    const r = this.#n++;
    this.#u32[4 * r] = row;
    this.#u32[4 * r + 1] = col;
    this.#f64[2 * r + 1] = value;
    this.nnz++;
    if (this.#n === this.#cap) this.flush();
  }

  flush(): void {
    const len = this.#n * RECORD_BYTES;
    let off = 0;
    while (off < len) off += writeSync(this.#fd, this.#bytes, off, len - off);
    this.#n = 0;
  }

  close(): void {
    if (this.#fd < 0) return;
    try {
      this.flush();
    } finally {
      closeSync(this.#fd);
      this.#fd = -1;
    }
  }
}

/**
 * Merges sorted record files into `sink`, summing records with the same (i, j).
 * Yields to the event loop now and then so an abort can be noticed.
 *
 * @returns the number of merged records.
 */
export async function mergeRecordFiles(
  paths: readonly string[],
  vocabSize: number,
  sink: RecordSink,
  {
    chunkRecords = 1 << 15,
    signal,
    onRecords,
  }: {
    chunkRecords?: number;
    signal?: AbortSignal;
    onRecords?: (done: number) => void;
  } = {},
): Promise<number> {
  const readers: RecordReader[] = [];
  try {
    for (const p of paths) readers.push(new RecordReader(p, chunkRecords));
    const k = readers.length;
    const pos = new Int32Array(k);
    // Heap of run indices ordered by the key row·V + col of each run's current record (exact below 2^53).
    const heap = new Int32Array(k);
    const key = new Float64Array(k);
    let size = 0;
    const keyOf = (r: number): number => readers[r].rows[pos[r]] * vocabSize + readers[r].cols[pos[r]];
    const siftDown = (i: number): void => {
      const run = heap[i];
      const kv = key[run];
      for (;;) {
        let c = 2 * i + 1;
        if (c >= size) break;
        if (c + 1 < size && key[heap[c + 1]] < key[heap[c]]) c++;
        if (key[heap[c]] >= kv) break;
        heap[i] = heap[c];
        i = c;
      }
      heap[i] = run;
    };
    for (let r = 0; r < k; r++) {
      if (readers[r].next() > 0) {
        key[r] = keyOf(r);
        heap[size++] = r;
      }
    }
    for (let i = (size >> 1) - 1; i >= 0; i--) siftDown(i);
    let merged = 0;
    let curKey = -1;
    let curRow = 0;
    let curCol = 0;
    let curVal = 0;
    let sinceYield = 0;
    while (size > 0) {
      const r = heap[0];
      const rd = readers[r];
      const kk = key[r];
      if (kk === curKey) curVal += rd.values[pos[r]];
      else {
        if (curKey >= 0) {
          sink.push(curRow, curCol, curVal);
          merged++;
        }
        curKey = kk;
        curRow = rd.rows[pos[r]];
        curCol = rd.cols[pos[r]];
        curVal = rd.values[pos[r]];
      }
      pos[r]++;
      if (pos[r] === rd.length) {
        pos[r] = 0;
        if (rd.next() === 0) {
          heap[0] = heap[--size];
          if (size > 0) siftDown(0);
          continue;
        }
      }
      key[r] = keyOf(r);
      siftDown(0);
      if (++sinceYield === 1 << 20) {
        sinceYield = 0;
        onRecords?.(merged);
        await new Promise<void>((resolve) => setImmediate(resolve));
        if (signal?.aborted) throw new AbortedError('co-occurrence merge');
      }
    }
    if (curKey >= 0) {
      sink.push(curRow, curCol, curVal);
      merged++;
    }
    onRecords?.(merged);
    return merged;
  } finally {
    for (const rd of readers) rd.close();
  }
}
