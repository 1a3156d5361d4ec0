/**
 * Parsers stay linear on hostile input (issue 18): each case is parsed at sizes n and 2n, … and the
 * time of the largest over the time at half its size is reported. A linear parser doubles (ratio ≈ 2);
 * the quadratic `/[ \r]+$/` trim that this replaced quadrupled (64 KB of spaces 7.9 s, 256 KB 87 s).
 * Bar: every ratio ≤ 3 (noise allows more than 2, quadratic gives 4).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadVectors, openCorpus } from '@wordvec/embeddings';
import { type BenchRow, median, printTable } from '../table.js';

// From 2 MB up, so both sizes compared take the same path (the corpus reader reads files ≤ 1 MB in one call).
const SIZES = [1 << 20, 1 << 21, 1 << 22];

/** Hostile inputs of about `n` bytes each. */
const CASES: { name: string; make: (n: number) => Buffer; corpus?: boolean }[] = [
  {
    name: 'GloVe row: spaces between word and value',
    make: (n) => Buffer.concat([Buffer.from('w'), Buffer.alloc(n, 32), Buffer.from('0.1\n')]),
  },
  {
    name: 'word2vec row: trailing spaces and \\r',
    make: (n) => Buffer.concat([Buffer.from('1 1\nw 0.5'), Buffer.alloc(n, 32), Buffer.from('\r\n')]),
  },
  { name: 'digit run that is not a number', make: (n) => Buffer.from(`w ${'1'.repeat(n)}x\n`) },
  {
    name: 'over-long word (refused)',
    make: (n) => Buffer.concat([Buffer.from('1 4\n'), Buffer.alloc(n, 97)]),
  },
  {
    name: 'corpus: one line, no newline',
    make: (n) => Buffer.from('ab '.repeat(Math.ceil(n / 3))),
    corpus: true,
  },
  { name: 'corpus: spaces only', make: (n) => Buffer.alloc(n, 32), corpus: true },
];

async function parse(path: string, corpus: boolean): Promise<void> {
  if (corpus) {
    for await (const _ of openCorpus(path).sentences()) {
      // drain
    }
    return;
  }
  try {
    await loadVectors(path);
  } catch {
    // refusing is the expected answer for some cases; only the time matters here
  }
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'wordvec-bench-parsers-'));
  const rows: BenchRow[] = [];
  try {
    for (const c of CASES) {
      const times: number[] = [];
      for (const n of SIZES) {
        const path = join(dir, `${times.length}.txt`);
        writeFileSync(path, c.make(n));
        const runs: number[] = [];
        for (let i = 0; i < 3; i++) {
          const t0 = performance.now();
          await parse(path, Boolean(c.corpus));
          runs.push(performance.now() - t0);
        }
        times.push(median(runs));
      }
      const last = times.length - 1;
      const ratio = times[last] / Math.max(times[last - 1], 0.01);
      rows.push({
        metric: `${c.name}: ${SIZES[last] >> 10} KB`,
        ours: times[last],
        unit: 'ms',
        peer: ratio.toFixed(2),
        peerName: `× the ${SIZES[last - 1] >> 10} KB time`,
        bar: 'doubling ≤ 3×',
        pass: ratio <= 3,
      });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  printTable('parsers on hostile input: time at 4 MB, and its ratio to the time at 2 MB (linear ≈ 2)', rows);
}
