/**
 * `pnpm bench oov`: how good the out-of-vocabulary estimates are, held out. A seeded 10 % of a trained
 * model's vocabulary (words seen at least 20 times, so their true vectors are good) is removed, the
 * subword models are built from the other 90 %, and each removed word is estimated: mean cosine to
 * its true vector, and the share whose true vector ranks in the estimate's top 10 neighbours among all
 * words (held-out ones included). Beside two baselines: the UNK mean vector, and the vector of the
 * nearest spelling (edit distance) in the kept vocabulary. Then one-edit misspellings of frequent
 * words: the share whose estimate has the intended word in its top 5. Models: CBOW on the starter
 * corpus (`WORDVEC_BENCH_QUICK=1`: Brown) and GloVe on Brown, each with its training settings printed.
 */
import {
  createRandom,
  fitSubwordTable,
  KeyedVectors,
  MagnitudeEstimator,
  openCorpus,
  type SubwordEstimator,
  trainCbow,
  trainGlove,
} from '@wordvec/embeddings';
import { type BenchRow, printTable } from '../table.js';

const quick = process.env.WORDVEC_BENCH_QUICK === '1';

/** Levenshtein distance, bounded: the baseline's "nearest spelling". */
function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      best = Math.min(best, cur[j]);
    }
    if (best > max) return max + 1;
    prev = cur;
  }
  return prev[b.length];
}

function nearestSpelling(word: string, vocab: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = 4;
  for (const w of vocab) {
    const d = editDistance(word, w, bestD - 1);
    if (d < bestD) {
      bestD = d;
      best = w;
    }
  }
  return best;
}

/** One-edit typo: drop, swap, double or replace one inner letter (seeded). */
function typo(word: string, rand: () => number): string {
  const i = 1 + Math.floor(rand() * (word.length - 2));
  switch (Math.floor(rand() * 4)) {
    case 0:
      return word.slice(0, i) + word.slice(i + 1);
    case 1:
      return word.slice(0, i - 1) + word[i] + word[i - 1] + word.slice(i + 1);
    case 2:
      return word.slice(0, i) + word[i] + word.slice(i);
    default:
      return word.slice(0, i) + String.fromCharCode(97 + Math.floor(rand() * 26)) + word.slice(i + 1);
  }
}

async function evaluate(title: string, full: KeyedVectors): Promise<void> {
  const rand = createRandom(5);
  const candidates = full.words.filter((w, i) => /^[a-z]{4,}$/.test(w) && (full.counts?.[i] ?? 0) >= 20);
  const heldOut = new Set(candidates.filter(() => rand() < 0.1));
  const keptWords = full.words.filter((w) => !heldOut.has(w));
  const dim = full.dim;
  const keptVectors = new Float32Array(keptWords.length * dim);
  keptWords.forEach((w, i) => keptVectors.set(full.get(w), i * dim));
  const kept = new KeyedVectors({ words: keptWords, vectors: keptVectors, dim });
  const rows = { words: kept.words, dim, unit: kept.unitVectors() };

  let t = performance.now();
  const learned = fitSubwordTable(rows, { bucket: 1 << 20, epochs: 10, seed: 1 });
  const learnedBuildS = (performance.now() - t) / 1000;
  t = performance.now();
  const magnitude = new MagnitudeEstimator(rows);
  const magnitudeBuildS = (performance.now() - t) / 1000;
  const mean = kept.resolve('\u0000', { unk: 'mean' }).vector as Float32Array;

  const methods: [string, (w: string) => Float32Array | undefined][] = [
    ['learned n-gram table (least squares)', (w) => learned.explain(w)?.vector],
    ['Magnitude-style blend', (w) => magnitude.explain(w)?.vector],
    ['baseline: UNK mean vector', () => mean],
    [
      'baseline: nearest spelling (edit distance ≤ 3)',
      (w) => {
        const s = nearestSpelling(w, keptWords);
        return s ? kept.get(s) : undefined;
      },
    ],
  ];
  const held = [...heldOut];
  const rowsOut: BenchRow[] = [
    { metric: 'vocabulary / held-out words', ours: `${full.size} / ${held.length}` },
  ];
  for (const [name, estimate] of methods) {
    let cos = 0;
    let top10 = 0;
    let ms = 0;
    for (const w of held) {
      const s = performance.now();
      const v = estimate(w);
      ms += performance.now() - s;
      if (!v) continue;
      cos += cosine(v, full.get(w)); // no estimate counts as 0
      if (full.similarByVector(v, { topn: 10 }).some((r) => r.word === w)) top10++;
    }
    rowsOut.push({ metric: `${name}: mean cosine to the true vector`, ours: cos / held.length });
    rowsOut.push({
      metric: `${name}: true word in top 10`,
      ours: `${((100 * top10) / held.length).toFixed(1)} %`,
    });
    rowsOut.push({ metric: `${name}: one estimate, mean`, ours: ms / held.length, unit: 'ms' });
  }
  // Misspellings of the 500 most frequent words of 5+ letters, against the full model.
  const typoRand = createRandom(9);
  const frequent = full.words.filter((w) => /^[a-z]{5,}$/.test(w)).slice(0, 500);
  const fullRows = { words: full.words, dim, unit: full.unitVectors() };
  const fullEstimators: [string, SubwordEstimator][] = [
    ['learned n-gram table', fitSubwordTable(fullRows, { bucket: 1 << 20, epochs: 10, seed: 1 })],
    ['Magnitude-style blend', new MagnitudeEstimator(fullRows)],
  ];
  for (const [name, est] of fullEstimators) {
    let hit = 0;
    let n = 0;
    for (const w of frequent) {
      const bad = typo(w, typoRand);
      if (full.has(bad)) continue;
      n++;
      const v = est.explain(bad)?.vector;
      if (v && full.similarByVector(v, { topn: 5 }).some((r) => r.word === w)) hit++;
    }
    rowsOut.push({
      metric: `misspellings (${n} one-edit typos): intended word in top 5, ${name}`,
      ours: `${((100 * hit) / n).toFixed(1)} %`,
    });
  }
  rowsOut.push({ metric: 'build: learned table (1M buckets, 10 epochs)', ours: learnedBuildS, unit: 's' });
  rowsOut.push({ metric: 'build: Magnitude n-gram index', ours: magnitudeBuildS, unit: 's' });
  rowsOut.push({
    metric: 'learned table size in memory',
    ours: (learned.rows.byteLength / 2 ** 20).toFixed(0) + ' MB',
  });
  printTable(title, rowsOut);
}

function cosine(a: Float32Array, b: Float32Array): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let d = 0; d < a.length; d++) {
    ab += a[d] * b[d];
    aa += a[d] * a[d];
    bb += b[d] * b[d];
  }
  return aa > 0 && bb > 0 ? ab / Math.sqrt(aa * bb) : 0;
}

export async function run(): Promise<void> {
  const corpus = quick ? 'brown' : 'starter';
  const cbow = await trainCbow(openCorpus(corpus), {
    dim: 100,
    window: 5,
    negative: 5,
    epochs: 5,
    minCount: 5,
    workers: 2,
    seed: 1,
  });
  await evaluate(
    `OOV estimates, held out: CBOW on the ${corpus} corpus (dim 100, window 5, 5 epochs, min-count 5)`,
    cbow.vectors,
  );
  const glove = await trainGlove(openCorpus('brown'), {
    dim: 50,
    window: 10,
    epochs: 15,
    minCount: 5,
    workers: 2,
    seed: 1,
  });
  await evaluate(
    'OOV estimates, held out: GloVe on Brown (dim 50, window 10, 15 iterations, min-count 5)',
    glove.vectors,
  );
}
