/**
 * Other processes writing while this one reads, and a writer killed mid-import. The children run
 * the built package (dist/): run `pnpm --filter @wordvec/vector-store build` first (turbo's test
 * task does).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KeyedVectors } from '@wordvec/embeddings';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VectorStore } from '../src/index.js';
import { clusteredVectors, gloveText, tempDir } from './fixtures.js';

const child = fileURLToPath(new URL('./children/store-child.mjs', import.meta.url));
const built = existsSync(fileURLToPath(new URL('../dist/vector-store.js', import.meta.url)));
if (!built) console.warn('processes.test.ts skipped: build @wordvec/vector-store first (dist/ is missing)');

function run(args: string[]): { proc: ChildProcess; lines: string[]; exited: Promise<number | null> } {
  const proc = spawn(process.execPath, [child, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let err = '';
  proc.stdout!.on('data', (b: Buffer) => lines.push(...b.toString().trim().split('\n')));
  proc.stderr!.on('data', (b: Buffer) => {
    err += b.toString();
  });
  const exited = new Promise<number | null>((resolve) =>
    proc.on('exit', (code) => {
      if (code !== 0 && code !== null) console.error(err);
      resolve(code);
    }),
  );
  return { proc, lines, exited };
}

/** Every ready model is complete: all its words and all its vector blocks are there. */
function checkComplete(path: string): void {
  const db = new Database(path, { readonly: true });
  db.transaction(() => {
    const models = db
      .prepare("SELECT id, name, vocab_size, block_rows FROM models WHERE status = 'ready'")
      .all() as {
      id: number;
      name: string;
      vocab_size: number;
      block_rows: number;
    }[];
    for (const m of models) {
      expect(db.prepare('SELECT count(*) FROM words WHERE model_id = ?').pluck().get(m.id), m.name).toBe(
        m.vocab_size,
      );
      expect(
        db.prepare("SELECT count(*) FROM chunks WHERE model_id = ? AND kind = 'f32'").pluck().get(m.id),
        m.name,
      ).toBe(Math.ceil(m.vocab_size / m.block_rows));
    }
  })();
  db.close();
}

let dir: string;
let cleanup: () => void;
let path: string;
beforeEach(() => {
  ({ dir, cleanup } = tempDir());
  path = join(dir, 'store.db');
});
afterEach(() => cleanup());

describe.runIf(built)('several processes', () => {
  it('a writer killed with SIGKILL mid-import leaves no model and an intact store', async () => {
    const keep = clusteredVectors(200, 8);
    const store = VectorStore.open(path);
    store.putModel('keep', keep);
    store.close();
    const big = clusteredVectors(40_000, 32, 5);
    const file = join(dir, 'big.txt');
    writeFileSync(file, gloveText(big.words, big.vectors, big.dim));

    const c = run(['import-then-stall', path, file]);
    await new Promise<void>((resolve, reject) => {
      const t = setInterval(() => {
        if (c.lines.some((l) => l.startsWith('importing'))) {
          clearInterval(t);
          resolve();
        }
      }, 10);
      c.exited.then(() => reject(new Error(`child exited early: ${c.lines.join(' | ')}`)));
    });
    c.proc.kill('SIGKILL');
    expect(await c.exited).toBeNull();
    expect(c.lines).not.toContain('finished');
    expect(existsSync(`${path}-wal`)).toBe(true);

    const ro = VectorStore.open(path, { readonly: true });
    expect(ro.models().map((m) => m.name)).toEqual(['keep']);
    ro.close();
    const rw = VectorStore.open(path);
    expect(rw.models().map((m) => m.name)).toEqual(['keep']);
    const kv = new KeyedVectors(keep);
    expect(
      rw
        .model('keep')
        .mostSimilar({ positive: ['w3'], topn: 5 })
        .map((s) => s.word),
    ).toEqual(kv.mostSimilar({ positive: ['w3'], topn: 5 }).map((s) => s.word));
    // The same name imports cleanly afterwards.
    const info = await rw.importFile(file, { name: 'killed', limit: 1000 });
    expect(info.vocabSize).toBe(1000);
    rw.close();
    const db = new Database(path, { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.prepare("SELECT count(*) FROM models WHERE status = 'importing'").pluck().get()).toBe(0);
    db.close();
    checkComplete(path);
  });

  it('a reader keeps answering while another process imports, replaces and deletes models', async () => {
    const stable = clusteredVectors(2000, 16, 9);
    const writer = VectorStore.open(path);
    writer.putModel('stable', stable);
    writer.putModel('victim', clusteredVectors(100, 4));
    writer.close();
    const kv = new KeyedVectors(stable);
    const expected = kv.mostSimilar({ positive: ['w10'], topn: 10 }).map((s) => s.word);

    const store = VectorStore.open(path, { readonly: true });
    const model = store.model('stable');
    await model.load();
    const c = run(['churn', path]);
    let done = false;
    c.exited.then(() => {
      done = true;
    });
    let rounds = 0;
    const swapSizes = new Set<number>();
    while (!done) {
      expect(model.mostSimilar({ positive: ['w10'], topn: 10 }).map((s) => s.word)).toEqual(expected);
      expect(model.has('w1999')).toBe(true);
      expect(model.complete('w199', 3)).toEqual(['w199', 'w1990', 'w1991']);
      const names = store.models().map((m) => m.name);
      expect(names).toContain('stable');
      const swap = store.models().find((m) => m.name === 'swap');
      if (swap) {
        swapSizes.add(swap.vocabSize);
        // Whatever version is visible is complete, and its vectors point along one version's axis.
        const m = store.model('swap');
        m.loadSync();
        const v = m.get('w0');
        expect(Math.max(v[1], v[2])).toBeCloseTo(1, 5);
        expect(Math.min(v[1], v[2])).toBeCloseTo(0, 5);
        // The last word of the version seen is there, unless a replacement landed in between (then
        // the model answers for the new version, whose size differs): never a half-written one.
        const seen = m.size;
        const present = m.has(seen === 3000 ? 'w2999' : 'w4999');
        expect(present || m.size !== seen).toBe(true);
      }
      if (rounds % 5 === 0) checkComplete(path);
      rounds++;
      await new Promise((r) => setTimeout(r, 1));
    }
    expect(await c.exited).toBe(0);
    expect(rounds).toBeGreaterThan(3);
    expect([...swapSizes].every((s) => s === 3000 || s === 5000)).toBe(true);
    expect(store.models().map((m) => m.name)).toEqual(['other', 'stable', 'swap']);
    expect(() => store.model('victim')).toThrow(/no model named "victim"/);
    store.close();
  });
});
