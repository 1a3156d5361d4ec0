/**
 * GloVe on the Brown corpus with the settings of Stanford GloVe's demo script (2 threads, min-count 5,
 * window 10, vector size 100, x_max 10, 15 iterations): time per stage and in all, in-vocabulary analogy
 * accuracy (gensim semantics) and WS353 Spearman. Stanford GloVe is not installable here (not on the npm
 * registry), so its figures are the ones measured in issue 8, printed as the reference and marked so.
 * A gensim CBOW line on the same tokens (same dimension, 2 workers) shows the trade-off against word2vec.
 * `GLOVE_BENCH_STARTER=1` adds the starter corpus (about 4 M tokens; slow).
 */
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type Corpus,
  evaluateWordAnalogies,
  evaluateWordPairs,
  type KeyedVectors,
  loadVectors,
  openCorpus,
  type Progress,
  trainGlove,
} from '@wordvec/embeddings';
import { ANALOGIES, EVAL_DIR, WS353 } from '../eval-data.js';
import { type GloveCRun, gloveCDir, runGensim, runGloveC } from '../peers.js';
import { CACHE_DIR } from '../synthetic.js';
import { type BenchRow, printTable } from '../table.js';

const REF = 'Stanford GloVe (issue 8)';

/** glove's demo.sh settings. */
const DEMO = { dim: 100, window: 10, minCount: 5, xMax: 10, epochs: 15, workers: 2, seed: 1 };

/** Our tokens, one sentence per line, so gensim trains on exactly the same text (cached). */
async function tokenFile(name: string, corpus: Corpus, repeat = 1): Promise<string> {
  if (repeat > 1) {
    const once = await tokenFile(name, corpus);
    const file = join(CACHE_DIR, `${name}-x${repeat}-tokens.txt`);
    if (!existsSync(file)) {
      const text = readFileSync(once);
      writeFileSync(`${file}.tmp`, Buffer.concat(Array.from({ length: repeat }, () => text)));
      renameSync(`${file}.tmp`, file);
    }
    return file;
  }
  const file = join(CACHE_DIR, `${name}-tokens.txt`);
  if (existsSync(file)) return file;
  mkdirSync(CACHE_DIR, { recursive: true });
  const out = createWriteStream(`${file}.tmp`);
  for await (const sentence of corpus.sentences()) {
    if (!out.write(`${sentence.join(' ')}\n`)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((res, rej) => out.end((e?: Error | null) => (e ? rej(e) : res())));
  renameSync(`${file}.tmp`, file);
  return file;
}

interface Scores {
  analogy?: number;
  questions?: number;
  ws353?: number;
}

async function scores(kv: KeyedVectors): Promise<Scores> {
  if (!existsSync(ANALOGIES) || !existsSync(WS353)) {
    console.log(`evaluation data not found in ${EVAL_DIR} (set WORDVEC_EVAL_DIR): scores skipped`);
    return {};
  }
  const a = await evaluateWordAnalogies(kv, ANALOGIES);
  const w = await evaluateWordPairs(kv, WS353);
  return { analogy: a.score * 100, questions: a.total.correct + a.total.incorrect, ws353: w.spearman };
}

/** Trains with the demo settings and times each stage from the progress reports. */
async function gloveRun(corpus: Corpus) {
  const stageStart = new Map<string, number>();
  const cpu0 = process.cpuUsage();
  let cpuTraining: NodeJS.CpuUsage | undefined;
  const t0 = performance.now();
  let costs: number[] = [];
  const model = await trainGlove(corpus, {
    ...DEMO,
    onProgress: (p: Progress) => {
      if (!stageStart.has(p.stage)) stageStart.set(p.stage, performance.now());
      if (p.stage === 'training' && cpuTraining === undefined) cpuTraining = process.cpuUsage();
      if (p.stage === 'training' && p.loss !== undefined) costs = [...costs, p.loss];
    },
  });
  const total = (performance.now() - t0) / 1000;
  // CPU seconds of every thread of the process (getrusage): robust to other load on the machine, unlike wall time.
  const cpuSeconds = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1e6;
  const cpu = {
    total: cpuSeconds(process.cpuUsage(cpu0)),
    training: cpuTraining ? cpuSeconds(process.cpuUsage(cpuTraining)) : Number.NaN,
  };
  const at = (stage: string) => stageStart.get(stage) ?? t0;
  const seconds = {
    // trainGlove reads the text once (countAndEncodeCorpus): counting words and storing provisional ids is
    // the `vocab` stage; the `encode` stage that follows only remaps the ids, so it counts towards `cooccur`
    // (glove.c's \`cooccur\` reads the text itself, so the two tools' sums are comparable).
    vocab: (at('encode') - t0) / 1000,
    cooccur: (at('shuffle') - at('encode')) / 1000,
    shuffle: (at('training') - at('shuffle')) / 1000,
    training: (t0 + total * 1000 - at('training')) / 1000,
  };
  return { model, total, seconds, cpu, costs, ...(await scores(model.vectors)) };
}

const GENSIM_CBOW = `
import json, sys, time, os
from gensim.models import Word2Vec
from gensim.models.word2vec import LineSentence
t0 = time.perf_counter()
model = Word2Vec(LineSentence(sys.argv[1]), vector_size=int(sys.argv[2]), min_count=5, workers=2, sg=0, seed=1)
seconds = time.perf_counter() - t0
out = {"seconds": seconds, "size": len(model.wv.index_to_key)}
ev = sys.argv[3]
if os.path.exists(os.path.join(ev, "questions-words.txt")):
    score, sections = model.wv.evaluate_word_analogies(os.path.join(ev, "questions-words.txt"))
    total = sections[-1]
    out["analogy"] = score * 100
    out["questions"] = len(total["correct"]) + len(total["incorrect"])
    out["ws353"] = model.wv.evaluate_word_pairs(os.path.join(ev, "wordsim353.tsv"))[1][0]
print(json.dumps(out))
`;

interface GensimResult {
  seconds: number;
  size: number;
  analogy?: number;
  questions?: number;
  ws353?: number;
}

function pct(x: number | undefined): number | string {
  return x === undefined ? 'n/a' : Number(x.toFixed(2));
}

async function corpusTable(
  name: string,
  reference: Record<string, string> | undefined,
  repeat = 1,
): Promise<void> {
  const tokens = await tokenFile(name, openCorpus(name), repeat);
  // Ours reads the same token file glove.c reads (one read: the byte path of a file corpus).
  const corpus = openCorpus(tokens);
  const label = repeat > 1 ? `${name} × ${repeat}` : name;
  const g = await gloveRun(corpus);
  const cDir = gloveCDir();
  let c: (GloveCRun & Scores) | undefined;
  if (cDir) {
    const work = mkdtempSync(join(tmpdir(), 'wordvec-bench-glove-c-'));
    try {
      const run = runGloveC(cDir, tokens, work, DEMO);
      c = { ...run, ...(await scores(await loadVectors(run.vectors, { format: 'glove' }))) };
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }
  const measured = c !== undefined;
  const cName = 'glove.c (this run)';
  const peer = (key: keyof GloveCRun['seconds'] | 'total' | 'words' | 'analogy' | 'questions' | 'ws353') => {
    if (c) {
      const v =
        key in c.seconds
          ? c.seconds[key as keyof GloveCRun['seconds']]
          : (c as unknown as Record<string, number>)[key];
      return {
        peerName: cName,
        peer: typeof v === 'number' ? Number(v.toFixed(key === 'ws353' ? 3 : 2)) : v,
      };
    }
    return reference ? { peerName: REF, peer: reference[key] } : {};
  };
  const rows: BenchRow[] = [
    { metric: 'vocabulary (words)', ours: g.model.vectors.size, ...peer('words') },
    {
      metric: 'non-zero pairs',
      ours: Number(g.model.hyperParameters.records),
      ...(measured || !reference ? {} : { peerName: REF, peer: reference.pairs }),
    },
    { metric: 'vocab (one read: counts and ids)', ours: g.seconds.vocab, unit: 's', ...peer('vocab') },
    { metric: 'cooccur (id remap + counting)', ours: g.seconds.cooccur, unit: 's', ...peer('cooccur') },
    { metric: 'shuffle', ours: g.seconds.shuffle, unit: 's', ...peer('shuffle') },
    {
      metric: `training (${DEMO.epochs} iterations)`,
      ours: g.seconds.training,
      unit: 's',
      ...peer('training'),
    },
    {
      metric: 'total',
      ours: g.total,
      unit: 's',
      ...peer('total'),
      ...(c ? { bar: '≤ 0.25 × glove.c', pass: g.total <= 0.25 * c.total } : {}),
    },
    { metric: 'CPU time, training (all threads)', ours: g.cpu.training, unit: 's' },
    { metric: 'CPU time, all stages (all threads)', ours: g.cpu.total, unit: 's' },
    { metric: 'final cost', ours: g.costs[g.costs.length - 1] ?? 'n/a' },
    {
      metric: 'analogy accuracy, in-vocab (%)',
      ours: pct(g.analogy),
      ...peer('analogy'),
      ...(c?.analogy !== undefined && g.analogy !== undefined
        ? { bar: '≥ glove.c − 0.5', pass: g.analogy >= c.analogy - 0.5 }
        : {}),
    },
    { metric: 'analogy questions scored', ours: g.questions ?? 'n/a', ...peer('questions') },
    {
      metric: 'WS353 Spearman',
      ours: g.ws353 === undefined ? 'n/a' : Number(g.ws353.toFixed(3)),
      ...peer('ws353'),
      ...(c?.ws353 !== undefined && g.ws353 !== undefined
        ? { bar: '≥ glove.c − 0.01', pass: g.ws353 >= c.ws353 - 0.01 }
        : {}),
    },
  ];
  printTable(
    `GloVe on ${label}: dim 100, window 10, min-count 5, x_max 10, 15 iterations, 2 workers (glove demo settings)`,
    rows,
  );
  if (!cDir)
    console.log('glove.c not built: set GLOVE_C_DIR to the build/ folder of a GloVe checkout (`make`).');
  if (repeat > 1) return;

  const cbow = runGensim<GensimResult>(GENSIM_CBOW, [tokens, String(DEMO.dim), EVAL_DIR]);
  const side = (
    metric: string,
    ours: number | string,
    peerValue: number | string | undefined,
    unit?: string,
  ): BenchRow => ({
    metric,
    ours,
    peerName: 'gensim 4 CBOW',
    peer: peerValue,
    unit,
  });
  printTable(
    `GloVe (ours, above) beside gensim Word2Vec CBOW on ${name} (dim 100, 2 workers, gensim defaults otherwise)`,
    [
      side('total training time', g.total, cbow?.seconds, 's'),
      side('vocabulary (words)', g.model.vectors.size, cbow?.size),
      side('analogy accuracy, in-vocab (%)', pct(g.analogy), cbow ? pct(cbow.analogy) : undefined),
      side('analogy questions scored', g.questions ?? 'n/a', cbow?.questions),
      side(
        'WS353 Spearman',
        g.ws353 === undefined ? 'n/a' : Number(g.ws353.toFixed(3)),
        cbow?.ws353 === undefined ? undefined : Number(cbow.ws353.toFixed(3)),
      ),
    ],
  );
}

/** Stanford GloVe on Brown with the demo settings, as measured in issue 8 (2 cores, 24 GiB). */
const BROWN_REFERENCE: Record<string, string> = {
  words: '14,141',
  pairs: '3.65 M',
  vocab: '0.2 s',
  cooccur: '1.4–1.8 s',
  shuffle: '1.1–1.5 s',
  training: '82–99 s',
  total: '86–102 s',
  analogy: '2.3–2.6',
  questions: '6,304',
  ws353: '0.157–0.159',
};

export async function run(): Promise<void> {
  if (!gloveCDir()) console.log(`Figures marked "${REF}" were measured for issue 8, not in this run.`);
  await corpusTable('brown', BROWN_REFERENCE);
  if (process.env.GLOVE_BENCH_STARTER === '1') await corpusTable('starter', undefined);
  else console.log('\nstarter corpus skipped: set GLOVE_BENCH_STARTER=1 to add it (about 4× Brown).');
  const repeat = Number(process.env.GLOVE_BENCH_REPEAT ?? '0');
  if (repeat > 1) await corpusTable('starter', undefined, repeat);
}
