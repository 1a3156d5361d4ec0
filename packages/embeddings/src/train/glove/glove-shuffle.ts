/**
 * The `shuffle` step of GloVe: records are put in a seeded random order once, before training, so that
 * each worker's slice mixes frequent and rare pairs (the co-occurrence counts come sorted by (i, j), and
 * SGD over sorted records converges badly). In memory this is one Fisher–Yates pass; larger-than-memory
 * record sets are shuffled the way glove.c's `shuffle` does it: shuffle chunks into temporary files, then
 * merge by repeatedly taking an equal share from every file and shuffling that block again.
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AbortedError } from '../../errors.js';
import { nextUint32 } from '../../random.js';
import { allocGloveRecords, GLOVE_RECORD_BYTES, type GloveRecords } from './glove-kernel.js';

/** Uniform integer in [0, n) from xoshiro state `s`, by Lemire's multiply-shift with rejection (unbiased). */
function below(s: Uint32Array, n: number): number {
  // 32-bit draws suffice: record counts stay below 2^32 (they are indexed by u32 elsewhere too).
  for (;;) {
    const x = nextUint32(s);
    const m = x * n; // exact in a double: both factors < 2^32
    const lo = m % 4294967296;
    if (lo >= 4294967296 % n) return Math.floor(m / 4294967296);
  }
}

/**
 * Shuffles `records[0, length)` in place (Fisher–Yates), drawing from xoshiro state `state`.
 *
 * @example
 * ```ts
 * shuffleGloveRecords(records, seedState(1));
 * ```
 */
export function shuffleGloveRecords(
  records: GloveRecords,
  state: Uint32Array,
  length = records.length,
): void {
  const a = records.ids; // the four words of a record are moved as raw bits, floats included
  for (let i = length - 1; i > 0; i--) {
    const j = below(state, i + 1);
    if (j === i) continue;
    const p = i << 2;
    const q = j << 2;
    let t = a[p];
    a[p] = a[q];
    a[q] = t;
    t = a[p + 1];
    a[p + 1] = a[q + 1];
    a[q + 1] = t;
    t = a[p + 2];
    a[p + 2] = a[q + 2];
    a[q + 2] = t;
    t = a[p + 3];
    a[p + 3] = a[q + 3];
    a[q + 3] = t;
  }
}

/** Options of {@link shuffleGloveRecordChunks}. */
export interface ChunkedShuffleOptions {
  /** Records held in memory at once (both passes). */
  chunkRecords: number;
  /** xoshiro state to draw from (advanced in place). */
  state: Uint32Array;
  /** Directory for the temporary chunk files; a fresh one under the OS temp dir by default. */
  tmpDir?: string;
  signal?: AbortSignal;
}

function writeAll(fd: number, bytes: Uint8Array): void {
  let off = 0;
  while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
}

function readFull(fd: number, bytes: Uint8Array, length: number, position: number): number {
  let got = 0;
  while (got < length) {
    const n = readSync(fd, bytes, got, length - got, position + got);
    if (n === 0) break;
    got += n;
  }
  return got;
}

/**
 * Writes every record produced by `fill` to `output` in a seeded random order, holding at most
 * `chunkRecords` records in memory (glove.c's chunked shuffle: shuffled temporary chunks, then a merge that
 * takes an equal share of every chunk per block and shuffles the block).
 *
 * @param fill - called with an empty buffer of `chunkRecords` records; writes the next records into it and
 *   returns how many it wrote, 0 at the end.
 * @param output - path of the record file to write ({@link GLOVE_RECORD_BYTES} bytes per record).
 * @returns the number of records written.
 */
export async function shuffleGloveRecordChunks(
  fill: (buffer: GloveRecords) => Promise<number> | number,
  output: string,
  options: ChunkedShuffleOptions,
): Promise<number> {
  const { chunkRecords, state, signal } = options;
  const dir = options.tmpDir ?? mkdtempSync(join(tmpdir(), 'wordvec-glove-shuffle-'));
  const buffer = allocGloveRecords(chunkRecords);
  const bytes = new Uint8Array(buffer.ids.buffer);
  const chunks: { path: string; length: number; read: number }[] = [];
  try {
    // Pass 1: shuffled chunks.
    for (;;) {
      if (signal?.aborted) throw new AbortedError('GloVe shuffle');
      const n = await fill(buffer);
      if (n === 0) break;
      shuffleGloveRecords(buffer, state, n);
      const path = join(dir, `chunk-${chunks.length}.bin`);
      const fd = openSync(path, 'w');
      try {
        writeAll(fd, bytes.subarray(0, n * GLOVE_RECORD_BYTES));
      } finally {
        closeSync(fd);
      }
      chunks.push({ path, length: n, read: 0 });
    }
    // Pass 2: merge. Each block takes the same fraction of every chunk, so the output's local mix matches
    // the global one; the block is shuffled again before it is written.
    const out = openSync(output, 'w');
    let total = 0;
    const fds = chunks.map((c) => openSync(c.path, 'r'));
    try {
      const share = Math.max(1, Math.floor(chunkRecords / Math.max(1, chunks.length)));
      for (;;) {
        if (signal?.aborted) throw new AbortedError('GloVe shuffle');
        let n = 0;
        for (let c = 0; c < chunks.length; c++) {
          const chunk = chunks[c];
          const take = Math.min(share, chunk.length - chunk.read, chunkRecords - n);
          if (take <= 0) continue;
          const got = readFull(
            fds[c],
            bytes.subarray(n * GLOVE_RECORD_BYTES),
            take * GLOVE_RECORD_BYTES,
            chunk.read * GLOVE_RECORD_BYTES,
          );
          chunk.read += take;
          n += Math.floor(got / GLOVE_RECORD_BYTES);
        }
        if (n === 0) break;
        shuffleGloveRecords(buffer, state, n);
        writeAll(out, bytes.subarray(0, n * GLOVE_RECORD_BYTES));
        total += n;
        // Let an abort or other work through between blocks.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    } finally {
      for (const fd of fds) closeSync(fd);
      closeSync(out);
    }
    return total;
  } finally {
    if (options.tmpDir === undefined) rmSync(dir, { recursive: true, force: true });
    else for (const c of chunks) rmSync(c.path, { force: true });
  }
}

/**
 * Reads records `[start, start + length)` of a record file into `into` (which must hold `length` records).
 * Returns the records read (fewer at the end of the file).
 */
export function readGloveRecords(fd: number, into: GloveRecords, start: number, length: number): number {
  const bytes = new Uint8Array(into.ids.buffer, into.ids.byteOffset, length * GLOVE_RECORD_BYTES);
  const got = readFull(fd, bytes, length * GLOVE_RECORD_BYTES, start * GLOVE_RECORD_BYTES);
  return Math.floor(got / GLOVE_RECORD_BYTES);
}
