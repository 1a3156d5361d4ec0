/**
 * fastText (CBOW with character n-grams, fastText 0.9.2's defaults: dim 100, ws 5, epoch 5, minCount 5, neg 5,
 * lr 0.05, t 1e-4, minn 3, maxn 6, bucket 2,000,000; 2 threads) for wordvec, Facebook's fastText 0.9.2 (the
 * `fasttext` tool) and gensim's `FastText`, on the same tokenised text, in the same run: the starter corpus
 * and the starter corpus repeated to ≥ 20 M tokens (`WORDVEC_BENCH_QUICK=1`: Brown only;
 * `WORDVEC_BENCH_FASTTEXT=starter`: the starter corpus only; `=big`: the ≥ 20 M-token corpus only; `=first-start`: the first-start comparison only).
 *
 * - time (reading + dictionary + training, wall) and training words/s;
 * - CPU time (user + system, every thread) of the same span: on a machine shared with other work the wall
 *   times of runs made one after the other see different loads, CPU time much less so;
 * - analogy (questions-words) and WS353 Spearman of the vocabulary vectors, all three scored by gensim's own
 *   evaluate_word_analogies / evaluate_word_pairs on saved vocabulary-only files (in-vocabulary items);
 * - WS353 with every word answered, unseen ones estimated from their n-grams by each model's own method
 *   (ours: the n-gram table; fastText: `print-word-vectors`; gensim: `wv[word]`), scored by our `spearman`;
 * - withheld words (first corpus): a seeded sample of words is deleted from the text, a second model is trained
 *   on what is left, and each withheld word's estimate there is compared with its vector in the full model.
 *   The two models are different runs, so their spaces are compared through similarity profiles: the Pearson
 *   correlation of the word's cosines to the 1,000 most frequent words in each model, and the overlap of its 10
 *   nearest among those 1,000.
 * - full mode only: the first-start model, today's starter CBOW (ensureDefaultModel's settings) beside
 *   fastText on the starter corpus.
 */
import { spawnSync } from 'node:child_process';
import {
  createReadStream,
  createWriteStream,
  existsSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import {
  createRandom,
  evaluateWordAnalogies,
  evaluateWordPairs,
  type KeyedVectors,
  openCorpus,
  type Progress,
  parseWordPairs,
  pearson,
  saveVectors,
  spearman,
  type TrainedFastText,
  trainCbow,
  trainFastText,
} from '@wordvec/embeddings';
import { ANALOGIES, WS353 } from '../eval-data.js';
import { hasGensim, runGensim } from '../peers.js';
import { CACHE_DIR } from '../synthetic.js';
import { type BenchRow, printTable } from '../table.js';
import { tokenFile } from './cbow.js';

const THREADS = 2;
const SEED = 1;
const WITHHELD = 100;
const REFERENCE_WORDS = 1000;

const hasFastText = spawnSync('fasttext', [], { stdio: 'ignore' }).error === undefined;

interface Scores {
  analogy: number;
  questions: number;
  ws353: number;
  /** Percent of pairs with an unknown word (skipped). */
  oov?: number;
}

interface Run {
  seconds: number;
  /** User + system CPU seconds of the run, all threads. */
  cpuSeconds?: number;
  trainSeconds?: number;
  scores?: Scores;
  ws353All?: number;
}

/** The text with every token of `drop` deleted (the withheld-words corpus). */
async function withoutWords(src: string, dst: string, drop: Set<string>): Promise<void> {
  const out = createWriteStream(dst);
  for await (const line of createInterface({ input: createReadStream(src), crlfDelay: Infinity })) {
    const kept = line.split(' ').filter((w) => w && !drop.has(w));
    if (kept.length > 0 && !out.write(`${kept.join(' ')}\n`))
      await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((res, rej) => out.end((e?: Error | null) => (e ? rej(e) : res())));
}

/** `src` written `times` times into one file (the ≥ 20 M-token corpus). */
async function repeated(src: string, dst: string, times: number): Promise<void> {
  if (existsSync(dst)) return;
  const out = createWriteStream(`${dst}.tmp`);
  for (let i = 0; i < times; i++) {
    for await (const chunk of createReadStream(src)) {
      if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
    }
  }
  await new Promise<void>((res, rej) => out.end((e?: Error | null) => (e ? rej(e) : res())));
  renameSync(`${dst}.tmp`, dst);
}

function timed<T>(fn: () => T): { value: T; seconds: number } {
  const t0 = performance.now();
  const value = fn();
  return { value, seconds: (performance.now() - t0) / 1000 };
}

/** `0m12.345s` (the shell's `times` format) in seconds. */
function shellSeconds(t: string): number {
  const m = /^(\d+)m([\d.]+)s$/.exec(t);
  return m ? Number(m[1]) * 60 + Number(m[2]) : Number.NaN;
}

/**
 * Facebook's fastText with the same settings (its defaults) and 2 threads, under `sh` so that the shell's
 * `times` reports its CPU time (the children's line: user, then system).
 */
function runFastText(
  tokens: string,
  out: string,
): { seconds: number; cpuSeconds?: number; wordsPerThread?: number } {
  const r = timed(() =>
    spawnSync(
      'sh',
      [
        '-c',
        'fasttext "$@"; s=$?; times >&2; exit $s',
        'sh',
        'cbow',
        '-input',
        tokens,
        '-output',
        out,
        '-thread',
        String(THREADS),
        '-seed',
        String(SEED),
        '-verbose',
        '2',
      ],
      { encoding: 'utf8', maxBuffer: 1 << 28 },
    ),
  );
  if (r.value.status !== 0) throw new Error(`fasttext failed: ${r.value.stderr.slice(-2000)}`);
  const rates = [...r.value.stderr.matchAll(/words\/sec\/thread:\s+(\d+)/g)];
  const times = [...r.value.stderr.matchAll(/^(\d+m[\d.]+s) (\d+m[\d.]+s)$/gm)].at(-1);
  const cpu = times ? shellSeconds(times[1]) + shellSeconds(times[2]) : Number.NaN;
  return {
    seconds: r.seconds,
    cpuSeconds: Number.isFinite(cpu) ? cpu : undefined,
    wordsPerThread: rates.length ? Number(rates.at(-1)![1]) : undefined,
  };
}

/** `fasttext print-word-vectors`: the tool's own vectors (n-gram estimates for unseen words). */
function fastTextVectors(bin: string, words: string[]): Map<string, Float32Array> {
  const r = spawnSync('fasttext', ['print-word-vectors', bin], {
    input: `${words.join('\n')}\n`,
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  if (r.status !== 0) throw new Error(`fasttext print-word-vectors failed: ${r.stderr}`);
  const out = new Map<string, Float32Array>();
  for (const line of r.stdout.split('\n')) {
    const p = line.trim().split(' ');
    if (p.length > 2) out.set(p[0], Float32Array.from(p.slice(1).map(Number)));
  }
  return out;
}

/** gensim FastText with the same settings; scores files and its own model with gensim's evaluators. */
const GENSIM = `
import json, sys, time, os, resource
from gensim.models import FastText, KeyedVectors
from gensim.models.word2vec import LineSentence
tokens, qw, ws, out_vec, threads, ws_words = sys.argv[1:7]
files = sys.argv[7:]
def score(kv):
    s, sections = kv.evaluate_word_analogies(qw)
    total = sections[-1]
    p = kv.evaluate_word_pairs(ws)
    return {"analogy": s * 100, "questions": len(total["correct"]) + len(total["incorrect"]), "ws353": p[1][0], "oov": p[2]}
out = {"files": [score(KeyedVectors.load_word2vec_format(f, binary=False)) for f in files]}
if tokens != "-":
    m = FastText(vector_size=100, window=5, min_count=5, negative=5, hs=0, sample=1e-4, alpha=0.05, min_n=3, max_n=6,
                 bucket=2000000, epochs=5, workers=int(threads), sg=0, seed=1)
    cpu = lambda: (lambda u: u.ru_utime + u.ru_stime)(resource.getrusage(resource.RUSAGE_SELF))
    c0 = cpu()
    t0 = time.perf_counter()
    m.build_vocab(corpus_file=tokens)
    t1 = time.perf_counter()
    m.train(corpus_file=tokens, total_examples=m.corpus_count, total_words=m.corpus_total_words, epochs=m.epochs)
    t2 = time.perf_counter()
    c2 = cpu()
    m.wv.save_word2vec_format(out_vec)
    vocab_only = KeyedVectors.load_word2vec_format(out_vec)
    words = [w for w in open(ws_words).read().split("\\n") if w]
    out["gensim"] = {"vocabSeconds": t1 - t0, "trainSeconds": t2 - t1, "cpuSeconds": c2 - c0, "words": len(m.wv.index_to_key),
                     "tokens": m.corpus_total_words, "scores": score(vocab_only),
                     "vectors": {w: [float(x) for x in m.wv[w]] for w in words}}
print(json.dumps(out))
`;

interface GensimOut {
  files: Scores[];
  gensim?: {
    vocabSeconds: number;
    trainSeconds: number;
    cpuSeconds: number;
    words: number;
    tokens: number;
    scores: Scores;
    vectors: Record<string, number[]>;
  };
}

function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    d += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return na > 0 && nb > 0 ? d / Math.sqrt(na * nb) : 0;
}

/** WS353 over every pair, each word's vector from `vector` (unseen words estimated by the model itself). */
function ws353All(vector: (w: string) => ArrayLike<number> | undefined): number | undefined {
  if (!existsSync(WS353)) return undefined;
  const { pairs } = parseWordPairs(readFileSync(WS353, 'utf8'));
  const human: number[] = [];
  const model: number[] = [];
  for (const p of pairs) {
    const a = vector(p.a.toLowerCase());
    const b = vector(p.b.toLowerCase());
    human.push(p.similarity);
    model.push(a && b ? cosine(a, b) : 0);
  }
  return spearman(human, model);
}

function wsWords(): string[] {
  if (!existsSync(WS353)) return [];
  const { pairs } = parseWordPairs(readFileSync(WS353, 'utf8'));
  return [...new Set(pairs.flatMap((p) => [p.a.toLowerCase(), p.b.toLowerCase()]))];
}

function ourVector(m: TrainedFastText, w: string): Float32Array | undefined {
  return m.vectors.has(w) ? m.vectors.get(w) : m.vectors.subwords?.explain(w)?.vector;
}

async function ownScores(kv: KeyedVectors): Promise<Scores | undefined> {
  if (!existsSync(ANALOGIES) || !existsSync(WS353)) return undefined;
  const a = await evaluateWordAnalogies(kv, ANALOGIES);
  const w = await evaluateWordPairs(kv, WS353);
  return {
    analogy: a.score * 100,
    questions: a.total.correct + a.total.incorrect,
    ws353: w.spearman,
    oov: w.oovRatio,
  };
}

async function trainOurs(tokens: string): Promise<{
  model: TrainedFastText;
  seconds: number;
  cpuSeconds: number;
  trainSeconds: number;
  planned: number;
}> {
  let trainingStart = 0;
  let planned = 0;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const model = await trainFastText(openCorpus(tokens), {
    workers: THREADS,
    seed: SEED,
    onProgress: (p: Progress) => {
      if (p.stage !== 'training') return;
      if (trainingStart === 0) trainingStart = performance.now();
      planned = p.total ?? planned;
    },
  });
  const t1 = performance.now();
  const c = process.cpuUsage(c0);
  return {
    model,
    seconds: (t1 - t0) / 1000,
    cpuSeconds: (c.user + c.system) / 1e6,
    trainSeconds: (t1 - trainingStart) / 1000,
    planned,
  };
}

/** Withheld-word closeness: profile correlation and top-10 overlap (see the module note), averaged. */
function closeness(
  withheld: string[],
  reference: string[],
  full: (w: string) => ArrayLike<number> | undefined,
  estimate: (w: string) => ArrayLike<number> | undefined,
  left: (w: string) => ArrayLike<number> | undefined,
): { profile: number; overlap: number; n: number } {
  const refFull = reference.map(full);
  const refLeft = reference.map(left);
  let profile = 0;
  let overlap = 0;
  let n = 0;
  const top = (s: number[]) =>
    new Set(
      s
        .map((v, i) => [v, i] as const)
        .sort((x, y) => y[0] - x[0])
        .slice(0, 10)
        .map(([, i]) => i),
    );
  for (const w of withheld) {
    const a = full(w);
    const b = estimate(w);
    if (!a || !b) continue;
    const sa = refFull.map((r) => (r ? cosine(a, r) : 0));
    const sb = refLeft.map((r) => (r ? cosine(b, r) : 0));
    profile += pearson(sa, sb);
    const ta = top(sa);
    overlap += [...top(sb)].filter((i) => ta.has(i)).length / 10;
    n++;
  }
  return { profile: profile / n, overlap: overlap / n, n };
}

const f2 = (x: number | undefined) => (x === undefined ? undefined : Number(x.toFixed(2)));
const f3 = (x: number | undefined) => (x === undefined ? undefined : Number(x.toFixed(3)));

async function benchCorpus(
  label: string,
  tokens: string,
  dir: string,
  withheldTest: boolean,
): Promise<TrainedFastText> {
  const ours = await trainOurs(tokens);
  const model = ours.model;
  const ourVec = join(dir, `${label}-ours.vec`);
  await saveVectors(model.vectors, ourVec, { format: 'word2vec' });
  const tokensKept = model.corpus.tokens;
  // epoch × ntokens as fastText counts them (every token read, rare words and </s> included): both tools
  // train that many tokens, so words/s compares like with like.
  const planned = ours.planned;

  const ftOut = join(dir, `${label}-ft`);
  const ft = hasFastText ? runFastText(tokens, ftOut) : undefined;
  const words = wsWords();
  const wordsFile = join(dir, 'ws-words.txt');
  await new Promise<void>((r) => createWriteStream(wordsFile).end(`${words.join('\n')}\n`, () => r()));
  const gensimVec = join(dir, `${label}-gensim.vec`);
  const g = runGensim<GensimOut>(GENSIM, [
    tokens,
    ANALOGIES,
    WS353,
    gensimVec,
    String(THREADS),
    wordsFile,
    ourVec,
    ...(ft ? [`${ftOut}.vec`] : []),
  ]);
  const ourScores = g?.files[0] ?? (await ownScores(model.vectors));
  const ftScores = ft ? g?.files[1] : undefined;
  const gScores = g?.gensim?.scores;
  const oursAll = ws353All((w) => ourVector(model, w));
  const ftAll = ft
    ? ws353All(
        (
          (m) => (w: string) =>
            m.get(w)
        )(fastTextVectors(`${ftOut}.bin`, words)),
      )
    : undefined;
  const gAll = g?.gensim ? ws353All((w) => g.gensim!.vectors[w]) : undefined;
  const wps = (s: number | undefined) => (s === undefined ? undefined : Math.round(planned / s));
  const gTotal = g?.gensim ? g.gensim.vocabSeconds + g.gensim.trainSeconds : undefined;

  console.log(
    `\ncorpus ${label}: ${tokensKept.toLocaleString('en')} tokens kept, ${model.vectors.size} words (ours)`,
  );
  const rows = (peer: string, run: Run | undefined, pass: boolean): BenchRow[] => [
    {
      metric: pass
        ? 'wall time (read + dictionary + train; fastText: + saving .bin/.vec)'
        : 'wall time (read + dictionary + train)',
      ours: f2(ours.seconds)!,
      unit: 's',
      peerName: peer,
      peer: f2(run?.seconds),
      bar: pass ? '≤ fastText' : undefined,
      pass: pass && run ? ours.seconds <= run.seconds : undefined,
    },
    {
      metric: pass ? 'training time (fastText: epoch × ntokens / its words/sec/thread / 2)' : 'training time',
      ours: f2(ours.trainSeconds)!,
      unit: 's',
      peerName: peer,
      peer: run ? (f2(run.trainSeconds) ?? 'n/a') : undefined,
      bar: pass ? '≤ fastText' : undefined,
      pass: pass && run?.trainSeconds !== undefined ? ours.trainSeconds <= run.trainSeconds : undefined,
    },
    {
      metric: pass
        ? 'CPU time, all threads (read + dictionary + train; fastText: + saving)'
        : 'CPU time, all threads (read + dictionary + train)',
      ours: f2(ours.cpuSeconds)!,
      unit: 's',
      peerName: peer,
      peer: run ? (f2(run.cpuSeconds) ?? 'n/a') : undefined,
      bar: pass ? '≤ fastText' : undefined,
      pass: pass && run?.cpuSeconds !== undefined ? ours.cpuSeconds <= run.cpuSeconds : undefined,
    },
    {
      metric: 'words/s (epoch × ntokens / wall)',
      ours: wps(ours.seconds)!,
      peerName: peer,
      peer: wps(run?.seconds),
    },
    {
      metric: 'analogy, in-vocab (%)',
      ours: f2(ourScores?.analogy) ?? 'n/a',
      peerName: peer,
      peer: f2(run?.scores?.analogy),
      bar: pass ? '≥ fastText − 1' : undefined,
      pass: pass && run?.scores && ourScores ? ourScores.analogy >= run.scores.analogy - 1 : undefined,
    },
    {
      metric: 'analogy questions scored',
      ours: ourScores?.questions ?? 'n/a',
      peerName: peer,
      peer: run?.scores?.questions,
    },
    {
      metric: 'WS353 Spearman, in-vocab',
      ours: f3(ourScores?.ws353) ?? 'n/a',
      peerName: peer,
      peer: f3(run?.scores?.ws353),
      bar: pass ? '≥ fastText − 0.01' : undefined,
      pass: pass && run?.scores && ourScores ? ourScores.ws353 >= run.scores.ws353 - 0.01 : undefined,
    },
    {
      metric: 'WS353 Spearman, all pairs (OOV from n-grams)',
      ours: f3(oursAll) ?? 'n/a',
      peerName: peer,
      peer: f3(run?.ws353All),
      bar: pass ? '≥ fastText − 0.01' : undefined,
      pass:
        pass && run?.ws353All !== undefined && oursAll !== undefined
          ? oursAll >= run.ws353All - 0.01
          : undefined,
    },
  ];
  const settings =
    'fastText defaults (cbow, dim 100, ws 5, epoch 5, minCount 5, neg 5, lr 0.05, t 1e-4, minn 3, maxn 6, bucket 2M), 2 threads';
  printTable(
    `fastText on ${label} beside Facebook fastText 0.9.2 (${settings})`,
    rows(
      'fastText 0.9.2',
      ft && {
        seconds: ft.seconds,
        cpuSeconds: ft.cpuSeconds,
        // fastText's own rate: tokenCount / elapsed / threads on its last progress line.
        trainSeconds: ft.wordsPerThread ? planned / (ft.wordsPerThread * THREADS) : undefined,
        scores: ftScores,
        ws353All: ftAll,
      },
      true,
    ),
  );
  if (ft?.wordsPerThread)
    console.log(`fastText's own last progress line: ${ft.wordsPerThread} words/sec/thread`);
  printTable(
    `fastText on ${label} beside gensim 4 FastText (same settings, workers=2)`,
    rows(
      'gensim 4',
      g?.gensim && {
        seconds: gTotal!,
        cpuSeconds: g.gensim.cpuSeconds,
        trainSeconds: g.gensim.trainSeconds,
        scores: gScores,
        ws353All: gAll,
      },
      false,
    ),
  );

  if (withheldTest && ft) {
    const rand = createRandom(SEED);
    const candidates = model.vectors.words.filter((w, i) => {
      const c = model.vectors.counts?.[i] ?? 0;
      return c >= 10 && c <= 300 && w.length >= 5 && /^[a-z]+$/.test(w);
    });
    const withheld: string[] = [];
    while (withheld.length < WITHHELD && candidates.length > 0)
      withheld.push(candidates.splice(Math.floor(rand() * candidates.length), 1)[0]);
    const drop = new Set(withheld);
    const reference = model.vectors.words.filter((w) => !drop.has(w)).slice(0, REFERENCE_WORDS);
    const leftTokens = join(dir, `${label}-withheld.txt`);
    await withoutWords(tokens, leftTokens, drop);
    const oursLeft = (await trainOurs(leftTokens)).model;
    const oursClose = closeness(
      withheld,
      reference,
      (w) => model.vectors.get(w),
      (w) => (oursLeft.vectors.has(w) ? undefined : oursLeft.vectors.subwords?.explain(w)?.vector),
      (w) => (oursLeft.vectors.has(w) ? oursLeft.vectors.get(w) : undefined),
    );
    const ftLeftOut = join(dir, `${label}-ft-withheld`);
    runFastText(leftTokens, ftLeftOut);
    const ftFull = fastTextVectors(`${ftOut}.bin`, [...withheld, ...reference]);
    const ftLeft = fastTextVectors(`${ftLeftOut}.bin`, [...withheld, ...reference]);
    const ftClose = closeness(
      withheld,
      reference,
      (w) => ftFull.get(w),
      (w) => ftLeft.get(w),
      (w) => ftLeft.get(w),
    );
    printTable(
      `withheld words on ${label}: ${oursClose.n} words (count 10–300, seed ${SEED}) deleted from the text, estimated from n-grams`,
      [
        {
          metric: 'profile correlation with the trained-in vector',
          ours: f3(oursClose.profile)!,
          peerName: 'fastText 0.9.2',
          peer: f3(ftClose.profile),
          bar: '≥ fastText',
          pass: oursClose.profile >= ftClose.profile,
        },
        {
          metric: 'top-10 overlap among 1,000 frequent words',
          ours: f3(oursClose.overlap)!,
          peerName: 'fastText 0.9.2',
          peer: f3(ftClose.overlap),
        },
      ],
    );
  }
  return model;
}

/** Today's first-start model (ensureDefaultModel: trainCbow dim 100, minCount 5, seed 1) beside fastText. */
async function firstStart(
  fastText: TrainedFastText,
  fastTextSeconds: number,
  fastTextCpuSeconds: number,
): Promise<void> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const cbow = await trainCbow(openCorpus('starter'), { dim: 100, minCount: 5, seed: 1, workers: THREADS });
  const cbowSeconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(c0);
  const cbowCpuSeconds = (cpu.user + cpu.system) / 1e6;
  const c = await ownScores(cbow.vectors);
  const f = await ownScores(fastText.vectors);
  const cAll = ws353All((w) => (cbow.vectors.has(w) ? cbow.vectors.get(w) : undefined));
  const fAll = ws353All((w) => ourVector(fastText, w));
  printTable('first-start model on starter: fastText (defaults) vs today’s CBOW (peer column)', [
    {
      metric: 'training time (read + train)',
      ours: f2(fastTextSeconds)!,
      unit: 's',
      peerName: 'starter CBOW',
      peer: f2(cbowSeconds),
    },
    {
      metric: 'CPU time, all threads (read + train)',
      ours: f2(fastTextCpuSeconds)!,
      unit: 's',
      peerName: 'starter CBOW',
      peer: f2(cbowCpuSeconds),
    },
    {
      metric: 'analogy, in-vocab (%)',
      ours: f2(f?.analogy) ?? 'n/a',
      peerName: 'starter CBOW',
      peer: f2(c?.analogy),
    },
    {
      metric: 'WS353 Spearman, in-vocab',
      ours: f3(f?.ws353) ?? 'n/a',
      peerName: 'starter CBOW',
      peer: f3(c?.ws353),
    },
    {
      metric: 'WS353 all pairs (CBOW: OOV scored 0)',
      ours: f3(fAll) ?? 'n/a',
      peerName: 'starter CBOW',
      peer: f3(cAll),
    },
  ]);
  const rare = fastText.vectors.words.filter(
    (w, i) => (fastText.vectors.counts?.[i] ?? 0) <= 6 && /^[a-z]{6,}$/.test(w),
  );
  const rand = createRandom(5);
  console.log('\nneighbours of rare words (count 5–6), fastText | CBOW:');
  for (let k = 0; k < 6 && rare.length > 0; k++) {
    const w = rare.splice(Math.floor(rand() * rare.length), 1)[0];
    const nf = fastText.vectors.mostSimilar({ positive: [w], topn: 5 }).map((x) => x.word);
    const nc = cbow.vectors.has(w)
      ? cbow.vectors.mostSimilar({ positive: [w], topn: 5 }).map((x) => x.word)
      : [];
    console.log(`  ${w}: ${nf.join(' ')} | ${nc.join(' ')}`);
  }
}

export async function run(): Promise<void> {
  const quick = process.env.WORDVEC_BENCH_QUICK === '1';
  const part = quick ? 'all' : (process.env.WORDVEC_BENCH_FASTTEXT ?? 'all');
  if (!['all', 'starter', 'big', 'first-start'].includes(part))
    throw new Error(
      `WORDVEC_BENCH_FASTTEXT must be starter, big or first-start, got ${JSON.stringify(part)}`,
    );
  if (!hasFastText) console.log('fastText: peer not installed (apt-get install -y fasttext)');
  if (!hasGensim()) console.log('gensim: peer not installed');
  const dir = mkdtempSync(join(tmpdir(), 'wordvec-bench-fasttext-'));
  try {
    const first = quick ? 'brown' : 'starter';
    const tokens = await tokenFile(first, openCorpus(first));
    if (part === 'all' || part === 'starter') await benchCorpus(first, tokens, dir, true);
    if (!quick && (part === 'all' || part === 'first-start')) {
      const ours = await trainOurs(tokens);
      await firstStart(ours.model, ours.seconds, ours.cpuSeconds);
    }
    if (!quick && (part === 'all' || part === 'big')) {
      const big = join(CACHE_DIR, 'starter-x6-tokens.txt');
      await repeated(tokens, big, 6);
      await benchCorpus('starter ×6', big, dir, false);
    }
    console.log('\nTimings are from one run on a shared 2-core machine; note its load when reading them.');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
