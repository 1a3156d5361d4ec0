/**
 * Text layer: how long one pass over the starter corpus takes (tokenizing included), how long counting
 * the vocabulary and encoding token ids take, and counting a pre-tokenized file against gensim's
 * `build_vocab(LineSentence)` on the same file (gensim only splits on whitespace, so the file is written
 * from our tokens and both sides must find the same vocabulary).
 *
 * The tokenizer's two paths on the same file (issue 17): `countAndEncodeCorpus` on a file corpus reads
 * tokens on bytes (ASCII lines without a string per token); on the same corpus hidden behind a plain
 * `{ name, sentences }` object it takes the string path (decode, NFKC, regex, a Map of strings). Both give
 * the same vocabulary, ids and checksum (checked here, and in byte-scan.test.ts). Rates are tokens per CPU
 * second of this process, which the load of a shared machine disturbs less than wall time.
 */
import { createWriteStream, existsSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { type Corpus, countAndEncodeCorpus, encodeCorpus, openCorpus, Vocabulary } from '@wordvec/embeddings';
import { runGensim } from '../peers.js';
import { CACHE_DIR } from '../synthetic.js';
import { type BenchRow, printTable } from '../table.js';

async function pass(corpus: Corpus): Promise<{ tokens: number; sentences: number; seconds: number }> {
  const t0 = performance.now();
  let tokens = 0;
  let sentences = 0;
  for await (const sentence of corpus.sentences()) {
    tokens += sentence.length;
    sentences++;
  }
  return { tokens, sentences, seconds: (performance.now() - t0) / 1000 };
}

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const value = await fn();
  return [value, (performance.now() - t0) / 1000];
}

/** The starter corpus as one sentence per line, tokens separated by single spaces (cached). */
async function tokenizedStarterFile(): Promise<string> {
  const file = join(CACHE_DIR, 'starter-tokens.txt');
  if (existsSync(file)) return file;
  mkdirSync(CACHE_DIR, { recursive: true });
  const tmp = `${file}.tmp`;
  const out = createWriteStream(tmp);
  for await (const sentence of openCorpus('starter').sentences()) {
    if (!out.write(`${sentence.join(' ')}\n`)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((resolve, reject) =>
    out.end((error?: Error | null) => (error ? reject(error) : resolve())),
  );
  renameSync(tmp, file);
  return file;
}

const GENSIM_VOCAB = `
import json, sys, time
from gensim.models import Word2Vec
from gensim.models.word2vec import LineSentence
t0 = time.perf_counter()
model = Word2Vec(min_count=5, vector_size=10, workers=1)
model.build_vocab(LineSentence(sys.argv[1]))
print(json.dumps({"seconds": time.perf_counter() - t0, "size": len(model.wv.index_to_key)}))
`;

async function cpuTimed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const u0 = process.cpuUsage();
  const value = await fn();
  const u = process.cpuUsage(u0);
  return [value, (u.user + u.system) / 1e6];
}

/** countAndEncodeCorpus on the byte path and on the string path, interleaved, best of `rounds`. */
async function tokenizerPaths(file: string, rounds = 2): Promise<BenchRow[]> {
  const corpus = openCorpus(file);
  const stringOnly: Corpus = { name: corpus.name, sentences: () => corpus.sentences() };
  let bytes = Number.POSITIVE_INFINITY;
  let strings = Number.POSITIVE_INFINITY;
  let same = true;
  let tokens = 0;
  for (let r = 0; r < rounds; r++) {
    const [a, ta] = await cpuTimed(() => countAndEncodeCorpus(corpus, { minCount: 5 }));
    const [b, tb] = await cpuTimed(() => countAndEncodeCorpus(stringOnly, { minCount: 5 }));
    bytes = Math.min(bytes, ta);
    strings = Math.min(strings, tb);
    tokens = a.vocab.corpusTokens;
    same &&= a.encoded.checksum === b.encoded.checksum && a.vocab.size === b.vocab.size;
  }
  const rate = (s: number) => Math.round(tokens / s);
  return [
    { metric: 'starter file: count + encode, string path (tokens/CPU s)', ours: rate(strings) },
    {
      metric: 'starter file: count + encode, byte path (tokens/CPU s)',
      ours: rate(bytes),
      bar: '> string path',
      pass: bytes < strings,
    },
    {
      metric: 'starter file: both paths, same vocabulary and checksum',
      ours: same ? 'yes' : 'NO',
      pass: same,
    },
  ];
}

export async function run(): Promise<void> {
  const brown = await pass(openCorpus('brown'));
  const starter = await pass(openCorpus('starter'));
  const corpus = openCorpus('starter');
  const [vocab, vocabSeconds] = await timed(() => Vocabulary.fromCorpus(corpus, { minCount: 5 }));
  const [encoded, encodeSeconds] = await timed(() => encodeCorpus(corpus, vocab, { shared: true }));

  const file = await tokenizedStarterFile();
  const [fileVocab, fileSeconds] = await timed(() =>
    Vocabulary.fromCorpus(openCorpus(file), { minCount: 5 }),
  );
  const peer = runGensim<{ seconds: number; size: number }>(GENSIM_VOCAB, [file]);

  const rows: BenchRow[] = [
    { metric: 'brown: tokens', ours: brown.tokens },
    { metric: 'brown: sentences', ours: brown.sentences },
    { metric: 'brown: one pass (read + tokenize)', ours: brown.seconds, unit: 's' },
    { metric: 'starter: tokens', ours: starter.tokens },
    { metric: 'starter: sentences', ours: starter.sentences },
    { metric: 'starter: one pass (read + tokenize)', ours: starter.seconds, unit: 's' },
    { metric: 'starter: Vocabulary.fromCorpus (minCount 5)', ours: vocabSeconds, unit: 's' },
    { metric: 'starter: vocabulary size', ours: vocab.size },
    { metric: 'starter: encodeCorpus (shared)', ours: encodeSeconds, unit: 's' },
    { metric: 'starter: kept tokens', ours: encoded.tokens },
    {
      metric: 'pre-tokenized starter file: count vocabulary',
      ours: fileSeconds,
      peer: peer?.seconds,
      peerName: 'gensim build_vocab(LineSentence)',
      unit: 's',
    },
    {
      metric: 'pre-tokenized starter file: vocabulary size',
      ours: fileVocab.size,
      peer: peer?.size,
      peerName: 'gensim build_vocab(LineSentence)',
      bar: '= peer',
      pass: peer ? peer.size === fileVocab.size : undefined,
    },
  ];
  rows.push(...(await tokenizerPaths(file)));
  printTable('text layer: corpus pass, vocabulary, token ids', rows);
}
