/**
 * fastText end to end, as a user does it: Facebook's fastText trains a model, `wordvec import x.bin`
 * puts it in the store (found by content, not name), the store answers a word it has never seen with
 * the vector `fasttext print-word-vectors` gives (read lazily from the stored buckets), and
 * `wordvec export NAME out.bin --format fasttext-bin` gives the same file back; `wordvec vector`
 * prints the same vector. A word-only model gets a Magnitude index with `wordvec oov-index` (the
 * store answers as KeyedVectors with the same estimator), or a learned table with `--oov-method
 * learned`, whose `.bin` export loads in the tool.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createRandom, MagnitudeEstimator, parseOovPolicy } from '@wordvec/embeddings';
import { VectorStore } from '@wordvec/vector-store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const hasFastText = spawnSync('fasttext', [], { stdio: 'ignore' }).error === undefined;
if (!hasFastText)
  console.warn('fasttext-store: fastText not installed (apt-get install -y fasttext); skipping');
const BIN = join(
  dirname(createRequire(import.meta.url).resolve('@wordvec/cli/package.json')),
  'dist/main.js',
);

describe.runIf(hasFastText)('a fastText model through the CLI and the store', () => {
  let dir: string;
  let store: string;
  const wordvec = (...args: string[]) => {
    const r = spawnSync(process.execPath, [BIN, ...args, '--store', store, '--quiet'], {
      encoding: 'utf8',
      cwd: dir,
    });
    expect(r.status, r.stderr).toBe(0);
    return r.stdout;
  };
  const printed = (model: string, words: string[]) =>
    spawnSync('fasttext', ['print-word-vectors', model], { input: `${words.join('\n')}\n`, encoding: 'utf8' })
      .stdout.trim()
      .split('\n')
      .map((line) => line.trim().split(' ').slice(1).map(Number));

  beforeAll(() => {
    if (!existsSync(BIN)) throw new Error(`build the CLI first (pnpm build): ${BIN} is missing`);
    dir = mkdtempSync(join(tmpdir(), 'wordvec-ft-e2e-'));
    store = join(dir, 'store.db');
    const rand = createRandom(5);
    const words = [
      'pizza',
      'pasta',
      'cheese',
      'tomato',
      'café',
      'naïve',
      ...Array.from({ length: 120 }, (_, i) => `word${i}`),
    ];
    const lines = Array.from({ length: 800 }, () =>
      Array.from({ length: 15 }, () => words[Math.floor(rand() * words.length)]).join(' '),
    );
    writeFileSync(join(dir, 'corpus.txt'), `${lines.join('\n')}\n`);
    const r = spawnSync('fasttext', [
      'cbow',
      ...['-input', join(dir, 'corpus.txt'), '-output', join(dir, 'food'), '-dim', '12', '-epoch', '2'],
      ...['-minCount', '2', '-bucket', '500000', '-thread', '1', '-verbose', '0'],
    ]);
    expect(r.status).toBe(0);
    writeFileSync(join(dir, 'food.model'), readFileSync(join(dir, 'food.bin')));
  }, 60_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('import → an OOV word answers as fastText’s tool → export is the same .bin', () => {
    wordvec('import', join(dir, 'food.model'), '--name', 'food');
    const oov = ['pizzaiolo', 'tomatoes', 'naïveté', 'cheesy'];
    const theirs = printed(join(dir, 'food.bin'), oov);
    const s = VectorStore.open(store, { readonly: true });
    const model = s.model('food');
    for (const [i, w] of oov.entries()) {
      const { resolution, vector } = model.resolve(w, { subword: true });
      expect(resolution.how).toBe('subword');
      // The tool prints 5 significant digits.
      for (let d = 0; d < 12; d++)
        expect(Math.abs(vector![d] - theirs[i][d])).toBeLessThanOrEqual(6e-5 * Math.abs(theirs[i][d]) + 1e-7);
    }
    // Lazily: of the stored 500,000 × 12 table (26 MB) four words read a few pieces.
    expect(model.subwords()!.bytesRead).toBeLessThan(model.subwordInfo()!.bytes / 10);
    s.close();
    // The CLI answers through the same pipeline (the subword step alone, as fastText: the default
    // `estimate` policy would answer "tomatoes" by its lemma), says it is an estimate, and prints
    // fastText's vector.
    for (const [i, w] of oov.entries()) {
      const out = JSON.parse(wordvec('vector', 'food', w, '--oov', 'subword', '--json'));
      expect(out).toMatchObject({ estimated: true, resolution: { how: 'subword', word: w } });
      for (let d = 0; d < 12; d++)
        expect(Math.abs(out.vector[d] - theirs[i][d])).toBeLessThanOrEqual(
          6e-5 * Math.abs(theirs[i][d]) + 1e-7,
        );
    }
    wordvec('export', 'food', join(dir, 'again.bin'), '--format', 'fasttext-bin');
    expect(readFileSync(join(dir, 'again.bin')).equals(readFileSync(join(dir, 'food.bin')))).toBe(true);
  });

  it('a word-only model gets a Magnitude index with oov-index: the CLI answers as KeyedVectors with the same estimator', () => {
    wordvec('export', 'food', join(dir, 'food.vec'), '--format', 'fasttext-vec');
    wordvec('import', join(dir, 'food.vec'), '--name', 'typos');
    const info = JSON.parse(wordvec('oov-index', 'typos', '--json'));
    expect(info.subword).toMatchObject({ source: 'magnitude', minn: 3, maxn: 6, version: 2 });
    const s = VectorStore.open(store, { readonly: true });
    const kv = s.model('typos').toKeyedVectors();
    s.close();
    const estimator = new MagnitudeEstimator({ words: kv.words, dim: kv.dim, unit: kv.unitVectors() });
    for (const w of ['pizzza', 'chesee', 'tomatos', 'naïveté']) {
      const out = JSON.parse(wordvec('vector', 'typos', w, '--json'));
      // `wordvec vector` resolves with the `estimate` policy: forms, lemma, then the estimate.
      const mine = kv.resolve(w, { ...parseOovPolicy('estimate'), estimator });
      expect(out.resolution).toEqual(JSON.parse(JSON.stringify(mine.resolution)));
      // A lemma answer carries its row, an estimate its vector.
      expect(out.vector).toEqual(Array.from(mine.vector ?? kv.get(mine.resolution.resolvedAs!)));
    }
    expect(JSON.parse(wordvec('vector', 'typos', 'pizzza', '--json')).resolution.similarWords[0]).toBe(
      'pizza',
    );
  });

  it('a word-only model gets a learned table with oov-index --oov-method learned; its .bin export loads in the tool', () => {
    wordvec('import', join(dir, 'food.vec'), '--name', 'plain');
    const info = JSON.parse(wordvec('oov-index', 'plain', '--oov-method', 'learned', '--json'));
    expect(info.subword).toMatchObject({ source: 'learned', minn: 3, maxn: 6 });
    const s = VectorStore.open(store, { readonly: true });
    const estimate = s.model('plain').resolve('pizzaiolo', { subword: true });
    expect(estimate.resolution.how).toBe('subword');
    s.close();
    wordvec('export', 'plain', join(dir, 'plain.bin'), '--format', 'fasttext-bin');
    const [theirs] = printed(join(dir, 'plain.bin'), ['pizzaiolo']);
    for (let d = 0; d < 12; d++)
      expect(Math.abs(estimate.vector![d] - theirs[d])).toBeLessThanOrEqual(
        6e-5 * Math.abs(theirs[d]) + 1e-7,
      );
  });
});
