/**
 * A graph's default beam width, measured when it is built instead of fixed for every graph: how
 * wide a search must be for a given recall depends on the data (clustered rows need a narrow beam,
 * rows spread evenly in many dimensions a wide one, or no HNSW graph reaches it at all).
 *
 * A seeded sample of the model's own rows is searched as `mostSimilar` searches a word (its 10
 * nearest other rows), exactly by a scan of every row and through the graph at rising beam widths;
 * the default is the narrowest width whose recall@10 on the sample is, at 95 % confidence (the
 * Wilson score interval's lower end), at least the target, or that finds every sampled neighbour
 * (a sample of a small model is too small for that confidence even then). The sample's rows are not the queries
 * a benchmark or a user will ask, so the figure is an estimate of recall on unseen queries, not a
 * fit to them. When no width up to the last of the ladder reaches the target, there is no default
 * width: queries that do not ask for one scan every row (the graph stays for those that do).
 */
import { createRandom, quoteForMessage } from '@wordvec/embeddings';
import { GATHER_MAX, selectTopK } from '@wordvec/embeddings/kernels';
import { StoreError } from '../errors.js';
import type { GatherDots } from './gather-dots.js';
import { type BatchScorer, type HnswIndex, searchHnsw } from './hnsw.js';

/** Options of {@link calibrateEf}. */
export interface EfCalibrationOptions {
  /** Recall@10 the default width must reach (at 95 % confidence on the sample). Default 0.99. */
  targetRecall?: number;
  /** Rows searched to measure it. Default 400 (at most the model's rows). */
  queries?: number;
  /** Widest beam tried. Default 512. */
  maxEf?: number;
  /** Seed of the sample. Default 1. */
  seed?: number;
  /** Called after each exact search of the sample with (done, total). */
  onProgress?: (done: number, total: number) => void;
}

/**
 * What {@link calibrateEf} measured (stored with the graph in `models.ann`).
 *
 * @example
 * ```ts
 * const c = store.model('glove-50').info.ann?.calibration; // { ef: 40, recall: 0.995, queries: 400, targetRecall: 0.99 }
 * if (c && c.ef === null) console.log('queries without ef scan every row');
 * ```
 */
export interface EfCalibration {
  /** The default beam width, or null when no width up to `maxEf` reached the target. */
  ef: number | null;
  /** Recall@10 on the sample at `ef` (at `maxEf` when `ef` is null). */
  recall: number;
  /** Rows in the sample. */
  queries: number;
  /** The recall asked for. */
  targetRecall: number;
}

/** Neighbours per query, as `mostSimilar`'s default `topn`. */
const TOPN = 10;

/**
 * Beam widths tried, narrowest first (each is raised to TOPN + 1, the query row being one of the
 * results). Steps of 4 up to 40, where clustered models' widths fall (the bench's 400k × 50
 * clustered model reaches its target at 28: without that rung its default was 32), wider above.
 */
const LADDER = [
  12, 16, 20, 24, 28, 32, 36, 40, 48, 56, 64, 80, 96, 128, 160, 192, 256, 320, 384, 512, 768, 1024,
];

/** One-sided 95 % normal quantile. */
const Z = 1.645;

/**
 * The lower end of the Wilson score interval for `hits` successes in `total` trials (one-sided, 95 %).
 *
 * @example
 * ```ts
 * wilsonLower(3980, 4000); // ≈ 0.9928: 99.5 % observed, at least 99.28 % with 95 % confidence
 * ```
 */
export function wilsonLower(hits: number, total: number): number {
  if (total === 0) return 0;
  const p = hits / total;
  const z2 = Z * Z;
  const centre = p + z2 / (2 * total);
  const spread = Z * Math.sqrt((p * (1 - p)) / total + z2 / (4 * total * total));
  return (centre - spread) / (1 + z2 / total);
}

/**
 * Measures the narrowest beam width at which `index` finds a row's 10 nearest other rows with
 * recall `targetRecall` (see the module note), scoring on `g`, the gathered-rows kernel over the
 * unit rows the graph was built from (the build's own, so the matrix is not copied again).
 *
 * @throws {@link StoreError} `INVALID_ARGUMENT` for a target outside (0, 1] ({@link checkTargetRecall}),
 *   a sample size that is not a positive integer or a `maxEf` below 12.
 * @example
 * ```ts
 * const g = createGatherDots(unitRows, 50);
 * const index = buildHnsw(unitRows, 50, {}, g);
 * calibrateEf(index, g); // e.g. { ef: 28, recall: 0.996, queries: 400, targetRecall: 0.99 } (400k clustered rows)
 * ```
 */
export function calibrateEf(
  index: HnswIndex,
  g: GatherDots,
  options: EfCalibrationOptions = {},
): EfCalibration {
  const targetRecall = checkTargetRecall(options.targetRecall);
  const maxEf = options.maxEf ?? 512;
  const wanted = options.queries ?? 400;
  if (!Number.isInteger(wanted) || wanted < 1)
    throw new StoreError('INVALID_ARGUMENT', `calibration queries must be a positive integer, got ${wanted}`);
  if (!Number.isInteger(maxEf) || maxEf < LADDER[0])
    throw new StoreError('INVALID_ARGUMENT', `maxEf must be an integer ≥ ${LADDER[0]}, got ${maxEf}`);
  const n = index.n;
  const sample = sampleRows(n, Math.min(wanted, n), options.seed ?? 1);
  const queries = sample.length;
  // With every other row an answer, any search finds them all.
  if (n <= TOPN + 1) return { ef: LADDER[0], recall: 1, queries, targetRecall };
  let query = 0;
  const scorer: BatchScorer = { ids: g.ids, out: g.out, score: (count) => g.score(query, count) };
  // The exact answers: every row scored against the query row, its 10 best other rows.
  const exact = new Int32Array(queries * TOPN);
  const scores = new Float32Array(n);
  for (let q = 0; q < queries; q++) {
    query = sample[q];
    for (let start = 0; start < n; start += GATHER_MAX) {
      const count = Math.min(GATHER_MAX, n - start);
      for (let k = 0; k < count; k++) g.ids[k] = start + k;
      g.score(query, count);
      scores.set(g.out.subarray(0, count), start);
    }
    const { rows } = selectTopK(scores, TOPN, { exclude: [query] });
    exact.set(rows, q * TOPN);
    options.onProgress?.(q + 1, queries);
  }
  const total = queries * TOPN;
  let recall = 0;
  for (const ef of LADDER) {
    if (ef > maxEf) break;
    let hits = 0;
    for (let q = 0; q < queries; q++) {
      query = sample[q];
      const { ids } = searchHnsw(index, scorer, TOPN + 1, Math.max(ef, TOPN + 1));
      const truth = exact.subarray(q * TOPN, (q + 1) * TOPN);
      let kept = 0;
      for (let i = 0; i < ids.length && kept < TOPN; i++) {
        if (ids[i] === query) continue;
        kept++;
        if (truth.includes(ids[i])) hits++;
      }
    }
    recall = hits / total;
    // A small model's sample cannot show 99 % at 95 % confidence even when perfect: perfect is enough.
    if (hits === total || wilsonLower(hits, total) >= targetRecall)
      return { ef, recall, queries, targetRecall };
  }
  return { ef: null, recall, queries, targetRecall };
}

/**
 * A calibration's target recall checked (default 0.99).
 *
 * @throws {@link StoreError} `INVALID_ARGUMENT` for anything but a number in (0, 1].
 * @example
 * ```ts
 * checkTargetRecall(undefined); // 0.99
 * checkTargetRecall(1.5); // StoreError: target recall must be a number in (0, 1], got 1.5
 * ```
 */
export function checkTargetRecall(target: unknown): number {
  if (target === undefined) return 0.99;
  if (typeof target !== 'number' || !(target > 0 && target <= 1))
    throw new StoreError(
      'INVALID_ARGUMENT',
      `target recall must be a number in (0, 1], got ${typeof target === 'number' ? target : quoteForMessage(String(target))}`,
    );
  return target;
}

/** `k` distinct rows of `[0, n)`, drawn with `seed` (Floyd's algorithm), ascending. */
function sampleRows(n: number, k: number, seed: number): Int32Array {
  const rand = createRandom(seed);
  const chosen = new Set<number>();
  for (let j = n - k; j < n; j++) {
    const t = Math.floor(rand() * (j + 1));
    chosen.add(chosen.has(t) ? j : t);
  }
  return Int32Array.from(chosen).sort();
}
