/**
 * One measurement of the store benchmark, run in a fresh process so that timings start cold (no
 * module or matrix already in memory) and resident memory belongs to this measurement alone.
 * Usage: store-probe.ts <lookup|float|int8|ann> <store> <model> <queries.json> <exact.json> [warm-up.json]
 * `ann` times the default HNSW `mostSimilar` against the exact answers in `<exact.json>`, which it
 * first writes with exact scans when the file is missing; with `[warm-up.json]` it first answers
 * those other words, as a process that has served other queries before meeting these.
 * Prints one JSON line.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { VectorStore } from '@wordvec/vector-store';
import { ANN_WIDTHS } from './ann-widths.js';
import { syntheticWord } from './synthetic.js';

const [mode, path, name, queriesFile, exactFile, warmUpFile] = process.argv.slice(2);
const queries = JSON.parse(readFileSync(queriesFile, 'utf8')) as string[];
const gc = (globalThis as { gc?: () => void }).gc;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

function rssAfterGc(): number {
  gc?.();
  return process.memoryUsage().rss;
}

function recall(found: string[][], exact: string[][]): number {
  let hit = 0;
  let total = 0;
  for (let i = 0; i < found.length; i++) {
    const want = new Set(exact[i]);
    hit += found[i].filter((w) => want.has(w)).length;
    total += exact[i].length;
  }
  return hit / total;
}

/** Process CPU time (all threads) in ms: less disturbed than wall time on a machine shared with other jobs. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Median wall and CPU ms per query over `queries[1…]`, and the answers. */
function timeQueries(run: (q: string) => string[]): { medianMs: number; cpuMs: number; answers: string[][] } {
  const times: number[] = [];
  const cpu: number[] = [];
  const answers: string[][] = [];
  for (const q of queries.slice(1)) {
    const c = cpuMs();
    const t = performance.now();
    answers.push(run(q));
    times.push(performance.now() - t);
    cpu.push(cpuMs() - c);
  }
  return { medianMs: median(times), cpuMs: median(cpu), answers };
}

const out: Record<string, number> = {};
const c0 = cpuMs();
const t0 = performance.now();
const store = VectorStore.open(path, { readonly: true });
const model = store.model(name);
if (mode === 'lookup') {
  const has = model.has(queries[0]);
  const v = model.get(queries[0]);
  out.ms = performance.now() - t0;
  out.cpuMs = cpuMs() - c0;
  if (!has || v.length !== model.dim) throw new Error('lookup failed');
  const times: number[] = [];
  for (const q of queries.slice(1)) {
    const t = performance.now();
    model.has(q);
    model.get(q);
    times.push(performance.now() - t);
  }
  out.medianMs = median(times);
  const completes: number[] = [];
  const suggests: number[] = [];
  for (const q of queries.slice(1, 21)) {
    let t = performance.now();
    model.complete(q.slice(0, 2), 10);
    completes.push(performance.now() - t);
    // A misspelling: the word with its second letter doubled and last letter dropped.
    const typo = `${q[0]}${q[1] ?? ''}${q.slice(1, -1)}`;
    t = performance.now();
    model.suggest(typo, 5);
    suggests.push(performance.now() - t);
  }
  out.completeMs = median(completes);
  out.suggestMs = median(suggests);
  out.loaded = model.isLoaded ? 1 : 0;
} else if (mode === 'float') {
  model.mostSimilar({ positive: [queries[0]], topn: 10, exact: true });
  out.firstMs = performance.now() - t0;
  out.firstCpuMs = cpuMs() - c0;
  out.rss = rssAfterGc();
  const exact = timeQueries((q) =>
    model.mostSimilar({ positive: [q], topn: 10, exact: true }).map((s) => s.word),
  );
  out.exactMs = exact.medianMs;
  out.exactCpuMs = exact.cpuMs;
  writeFileSync(exactFile, JSON.stringify(exact.answers));
  if (model.info.ann) {
    const ann = timeQueries((q) => model.mostSimilar({ positive: [q], topn: 10 }).map((s) => s.word));
    out.annMs = ann.medianMs;
    out.annCpuMs = ann.cpuMs;
    out.annRecall = recall(ann.answers, exact.answers);
  }
  // The same exact queries through the int8 pre-filter: its first query builds the int8 copy.
  model.loadSync({ int8Prefilter: true });
  const b0 = performance.now();
  model.mostSimilar({ positive: [queries[0]], topn: 10, exact: true });
  out.prefilterBuildMs = performance.now() - b0;
  out.prefilterRss = rssAfterGc();
  const pre = timeQueries((q) =>
    model.mostSimilar({ positive: [q], topn: 10, exact: true }).map((s) => s.word),
  );
  out.prefilterMs = pre.medianMs;
  out.prefilterSame = pre.answers.filter((a, i) => a.join(' ') === exact.answers[i].join(' ')).length;
  out.queries = pre.answers.length;
} else if (mode === 'ann') {
  model.loadSync({ ann: true });
  if (!existsSync(exactFile)) {
    const exact = queries.map((q) =>
      model.mostSimilar({ positive: [q], topn: 10, exact: true }).map((s) => s.word),
    );
    writeFileSync(exactFile, JSON.stringify(exact));
  }
  const exact = JSON.parse(readFileSync(exactFile, 'utf8')) as string[][];
  if (warmUpFile) {
    for (const w of JSON.parse(readFileSync(warmUpFile, 'utf8')) as string[])
      model.mostSimilar({ positive: [w], topn: 10 });
  }
  model.mostSimilar({ positive: [queries[0]], topn: 10 });
  const ann = timeQueries((q) => model.mostSimilar({ positive: [q], topn: 10 }).map((s) => s.word));
  out.annMs = ann.medianMs;
  out.annCpuMs = ann.cpuMs;
  out.annRecall = recall(ann.answers, exact.slice(1));
  // As hnswlib-probe.ts times searchKnn: the query's unit vector made beforehand, 11 rows asked for,
  // the query's own row dropped, rows named only for the recall count (outside the timing). Like the
  // peer's figure (timed after its passes at narrower ef), this pass follows one over the same queries
  // (the mostSimilar pass above), so part of each walk's rows are still in the caches.
  const rowOf = new Map<string, number>();
  for (let r = 0; r < model.size; r++) rowOf.set(syntheticWord(r), r);
  const units = queries.map((q) => {
    const v = model.get(q);
    const len = Math.hypot(...v);
    return v.map((x) => x / len);
  });
  /** nearestRows of every query but the first (11 rows, the query's own dropped): median time, recall@10. */
  const timeVectors = (ef: number | undefined) => {
    const times: number[] = [];
    const found: string[][] = [];
    for (let i = 1; i < queries.length; i++) {
      const t = performance.now();
      const { rows } = model.nearestRows(units[i], { topn: 11, ef });
      times.push(performance.now() - t);
      const self = rowOf.get(queries[i]);
      found.push(
        Array.from(rows)
          .filter((r) => r !== self)
          .slice(0, 10)
          .map((r) => syntheticWord(r)),
      );
    }
    return { ms: median(times), recall: recall(found, exact.slice(1)) };
  };
  const byDefault = timeVectors(undefined);
  out.vectorMs = byDefault.ms;
  out.vectorRecall = byDefault.recall;
  // Then as hnswlib-probe.ts finds the peer's figure: widths tried narrowest first, each warmed by one
  // query and timed over the rest, until recall@10 on these queries reaches 0.99.
  for (const ef of ANN_WIDTHS) {
    model.nearestRows(units[0], { topn: 11, ef });
    const atWidth = timeVectors(ef);
    out.tunedEf = ef;
    out.tunedMs = atWidth.ms;
    out.tunedRecall = atWidth.recall;
    if (out.tunedRecall >= 0.99) break;
  }
  // mostSimilar again, its walks' rows now as warm as the peer's at its figure: the first pass is what
  // a new query meets; this one's excess over nearestRows is what the word look-ups and answer words add.
  out.annWarmMs = timeQueries((q) =>
    model.mostSimilar({ positive: [q], topn: 10 }).map((s) => s.word),
  ).medianMs;
} else if (mode === 'int8') {
  model.loadSync({ precision: 'int8' });
  out.loadMs = performance.now() - t0;
  out.rss = rssAfterGc();
  const exact = JSON.parse(readFileSync(exactFile, 'utf8')) as string[][];
  const scan = timeQueries((q) =>
    model.mostSimilar({ positive: [q], topn: 10, exact: true }).map((s) => s.word),
  );
  out.scanMs = scan.medianMs;
  out.scanRecall = recall(scan.answers, exact);
  if (model.info.ann) {
    const ann = timeQueries((q) => model.mostSimilar({ positive: [q], topn: 10 }).map((s) => s.word));
    out.annMs = ann.medianMs;
    out.annRecall = recall(ann.answers, exact);
  }
}
store.close();
console.log(JSON.stringify(out));
