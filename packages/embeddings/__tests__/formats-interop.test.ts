/**
 * Interop with the tools people made their vector files with: Mikolov's word2vec.c (built by the npm
 * package `word2vec` on install) and gensim 4 (`/usr/bin/python3`). Each part skips with a message when
 * its tool is absent.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadVectors, saveVectors } from '../src/formats/vector-files.js';
import { KeyedVectors } from '../src/query/keyed-vectors.js';
import { createRandom } from '../src/random.js';

const dir = mkdtempSync(join(tmpdir(), 'wordvec-interop-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function word2vecTools(): { train: string; distance: string } | undefined {
  try {
    const src = join(dirname(createRequire(import.meta.url).resolve('word2vec/package.json')), 'src');
    const tools = { train: join(src, 'word2vec'), distance: join(src, 'distance') };
    return existsSync(tools.train) && existsSync(tools.distance) ? tools : undefined;
  } catch {
    return undefined;
  }
}

const tools = word2vecTools();
if (!tools)
  console.warn(
    'formats-interop: word2vec.c binary not built (npm package word2vec); skipping its interop tests',
  );
const python = '/usr/bin/python3';
const hasGensim = spawnSync(python, ['-c', 'import gensim'], { stdio: 'ignore' }).status === 0;
if (!hasGensim)
  console.warn('formats-interop: gensim not installed for /usr/bin/python3; skipping the gensim cross-check');

/** An independent reader of word2vec text: split lines, parseFloat, round to float32. */
function referenceText(path: string): { words: string[]; vectors: number[] } {
  const lines = readFileSync(path, 'utf8')
    .split('\n')
    .slice(1)
    .filter((l) => l.length > 0);
  const words: string[] = [];
  const vectors: number[] = [];
  for (const line of lines) {
    const [word, ...values] = line.trimEnd().split(' ');
    words.push(word);
    for (const v of values) vectors.push(Math.fround(Number.parseFloat(v)));
  }
  return { words, vectors };
}

/** An independent reader of word2vec binary, record by record with readFloatLE. */
function referenceBinary(path: string): { words: string[]; vectors: number[] } {
  const buf = readFileSync(path);
  let p = buf.indexOf(10) + 1;
  const [count, dim] = buf
    .subarray(0, p - 1)
    .toString()
    .split(' ')
    .map(Number);
  const words: string[] = [];
  const vectors: number[] = [];
  for (let r = 0; r < count; r++) {
    while (buf[p] === 10) p++;
    const space = buf.indexOf(32, p);
    words.push(buf.subarray(p, space).toString('utf8'));
    for (let d = 0; d < dim; d++) vectors.push(buf.readFloatLE(space + 1 + 4 * d));
    p = space + 1 + 4 * dim;
  }
  return { words, vectors };
}

/** A seeded corpus of 60 words (some non-ASCII) in 4,000 short sentences. */
function writeCorpus(path: string): void {
  const rand = createRandom(11);
  const vocab = Array.from({ length: 57 }, (_, i) => `w${i}`).concat(['café', 'naïve', '日本語']);
  const lines: string[] = [];
  for (let s = 0; s < 4000; s++) {
    const len = 5 + Math.floor(rand() * 10);
    lines.push(Array.from({ length: len }, () => vocab[Math.floor(rand() ** 2 * vocab.length)]).join(' '));
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
}

describe.skipIf(!tools)('word2vec.c files', () => {
  const corpus = join(dir, 'corpus.txt');
  const bin = join(dir, 'c.bin');
  const txt = join(dir, 'c.txt');
  // Hierarchical softmax rather than negative sampling: word2vec.c then skips its 400 MB unigram table.
  const train = (output: string, binary: 0 | 1) =>
    execFileSync(tools!.train, [
      ...[
        '-train',
        corpus,
        '-output',
        output,
        '-size',
        '12',
        '-window',
        '3',
        '-sample',
        '0',
        '-negative',
        '0',
      ],
      ...[
        '-hs',
        '1',
        '-threads',
        '1',
        '-iter',
        '2',
        '-min-count',
        '1',
        '-cbow',
        '1',
        '-binary',
        String(binary),
      ],
    ]);

  it('reads -binary 1 and -binary 0 outputs exactly as independent readers do, and they agree', async () => {
    writeCorpus(corpus);
    train(bin, 1);
    train(txt, 0);
    const kb = await loadVectors(bin);
    const kt = await loadVectors(txt);
    const rb = referenceBinary(bin);
    const rt = referenceText(txt);
    expect(kb.words[0]).toBe('</s>');
    expect(kb.words).toEqual(rb.words);
    expect(kt.words).toEqual(rt.words);
    expect(kt.words).toEqual(kb.words);
    expect(kb.words).toContain('日本語');
    expect(kb.dim).toBe(12);
    expect([...kb.vectors]).toEqual(rb.vectors);
    expect([...kt.vectors]).toEqual(rt.vectors);
    // Single-threaded word2vec.c is deterministic, so the text file is the binary one printed with "%lf".
    const far = [...kb.vectors].filter((v, i) => Math.abs(v - kt.vectors[i]) > 5e-7 + 1e-7 * Math.abs(v));
    expect(far).toEqual([]);
    // word2vec.c's text lines ("%lf " after each value) have fastText's shape, so ours match byte for byte.
    const again = join(dir, 'again.txt');
    await saveVectors(kt, again, { format: 'fasttext-vec' });
    expect(readFileSync(again).equals(readFileSync(txt))).toBe(true);
  });

  it('a binary file we write is byte-identical to word2vec.c’s and its distance tool reads it', async () => {
    const kv = await loadVectors(bin);
    const ours = join(dir, 'ours.bin');
    await saveVectors(kv, ours, { format: 'word2vec-binary' });
    expect(readFileSync(ours).equals(readFileSync(bin))).toBe(true);
    // A different dimension (not from word2vec.c) to check the C reader on a file only we wrote.
    const rand = createRandom(5);
    const own = new KeyedVectors({
      words: ['alpha', 'beta', 'gamma', 'delta'],
      dim: 3,
      vectors: Float32Array.from({ length: 12 }, () => rand() - 0.5),
    });
    const path = join(dir, 'own.bin');
    await saveVectors(own, path, { format: 'word2vec-binary' });
    const out = execFileSync(tools!.distance, [path], { input: 'alpha\nEXIT\n' }).toString();
    const neighbours = [...out.matchAll(/^\s+(\w+)\s+(-?[\d.]+)$/gm)].map((m) => m[1]);
    expect(neighbours.sort()).toEqual(['beta', 'delta', 'gamma']);
  });
});

describe.skipIf(!hasGensim)('gensim cross-check', () => {
  const script = `
import sys, json, base64
from gensim.models import KeyedVectors
for path, binary, no_header in json.loads(sys.argv[1]):
    kv = KeyedVectors.load_word2vec_format(path, binary=binary, no_header=no_header)
    print(json.dumps({'words': list(kv.index_to_key), 'vectors': base64.b64encode(kv.vectors.astype('<f4').tobytes()).decode()}))
src = KeyedVectors.load_word2vec_format(sys.argv[2], binary=True)
src.save_word2vec_format(sys.argv[3], binary=True)
src.save_word2vec_format(sys.argv[4], binary=False)
`;

  it('gensim reads the files we write as we do, and we read the files gensim writes bit for bit', async () => {
    const rand = createRandom(9);
    const words = ['the', 'café', '日本', 'x-y', "don't", ...Array.from({ length: 200 }, (_, i) => `w${i}`)];
    const kv = new KeyedVectors({
      words,
      dim: 9,
      vectors: Float32Array.from(
        { length: words.length * 9 },
        () => (rand() - 0.5) * 10 ** Math.floor(rand() * 4 - 2),
      ),
    });
    const files = [
      [join(dir, 'g.bin'), 'word2vec-binary', true, false],
      [join(dir, 'g.w2v.txt'), 'word2vec', false, false],
      [join(dir, 'g.glove.txt'), 'glove', false, true],
      [join(dir, 'g.vec'), 'fasttext-vec', false, false],
    ] as const;
    for (const [path, format] of files) await saveVectors(kv, path, { format });
    const fromGensimBin = join(dir, 'from-gensim.bin');
    const fromGensimTxt = join(dir, 'from-gensim.txt');
    const args = JSON.stringify(files.map(([path, , binary, noHeader]) => [path, binary, noHeader]));
    const out = execFileSync(python, ['-c', script, args, files[0][0], fromGensimBin, fromGensimTxt], {
      env: { ...process.env, PYTHONWARNINGS: 'ignore' },
    });
    const results = out
      .toString()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { words: string[]; vectors: string });
    expect(results).toHaveLength(files.length);
    for (const [i, [path]] of files.entries()) {
      const ours = await loadVectors(path);
      expect(results[i].words, path).toEqual(ours.words);
      expect(Buffer.from(results[i].vectors, 'base64').equals(Buffer.from(ours.vectors.buffer)), path).toBe(
        true,
      );
    }
    // gensim's own files: binary without the newline after each vector, text with numpy's shortest repr.
    for (const path of [fromGensimBin, fromGensimTxt]) {
      const back = await loadVectors(path);
      expect(back.words, path).toEqual(words);
      expect(Buffer.from(back.vectors.buffer).equals(Buffer.from(kv.vectors.buffer)), path).toBe(true);
    }
  });
});
