/**
 * The CLI's OOV pipeline flags, on the real binary: `wordvec vector` (estimates by default, as the
 * bot, and says so), `--oov` / `--unk` on similar, analogy and similarity, `eval --oov`, and the bad
 * inputs of issue 13. Every `--json` output carries the resolution records.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));
let dir: string;
let store: string;

function wordvec(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, WORDVEC_STORE: store, WORDVEC_EVAL_DIR: join(dir, 'no-eval') },
    cwd: dir,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
const json = (args: string[]) => {
  const r = wordvec([...args, '--json']);
  if (r.code !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout);
};

const VECTORS: Record<string, number[]> = {
  pizza: [1, 0, 0, 0.1],
  pasta: [0.9, 0.1, 0, 0.1],
  bread: [0.8, 0, 0.2, 0.1],
  king: [0, 1, 0, 0.2],
  queen: [0, 0.9, 0.3, 0.2],
  man: [0, 0.5, 0, 0.9],
  woman: [0, 0.4, 0.4, 0.9],
  café: [0.6, 0, 0.6, 0],
};

beforeAll(() => {
  if (!existsSync(BIN)) throw new Error(`build the CLI first (pnpm build): ${BIN} is missing`);
  dir = mkdtempSync(join(tmpdir(), 'wordvec-cli-oov-'));
  store = join(dir, 'store.db');
  const text = Object.entries(VECTORS)
    .map(([w, v]) => `${w} ${v.map((x) => x.toFixed(6)).join(' ')}`)
    .join('\n');
  writeFileSync(join(dir, 'food.txt'), `${text}\n`);
  const r = wordvec(['import', 'food.txt', '--name', 'food', '--format', 'glove', '--quiet']);
  if (r.code !== 0) throw new Error(r.stderr);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('wordvec vector', () => {
  it('prints a vocabulary word’s vector, with an exact resolution in --json', () => {
    const r = wordvec(['vector', 'food', 'pizza']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      '"pizza" is in the vocabulary of food\npizza 1.000000 0.000000 0.000000 0.100000\n',
    );
    const j = json(['vector', 'food', 'pizza']);
    expect(j).toMatchObject({
      word: 'pizza',
      estimated: false,
      resolution: { how: 'exact', resolvedAs: 'pizza' },
    });
    expect(j.vector).toHaveLength(4);
  });

  it('answers a lemma or another spelling and says which entry it is', () => {
    const r = wordvec(['vector', 'food', 'Pizzas']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('answered for "pizza" (the lemma of "Pizzas")');
    expect(r.stdout.split('\n')[1]).toMatch(/^pizza 1\.000000 /);
    expect(json(['vector', 'food', 'CAFÉ']).resolution).toEqual({
      word: 'CAFÉ',
      how: 'case',
      resolvedAs: 'café',
    });
  });

  it('a model with no subword model: says the estimate is unavailable; --unk gives a labelled stand-in', () => {
    const r = wordvec(['vector', 'food', 'pizzaiolo']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'wordvec: word "pizzaiolo" not in the vocabulary; subword estimates are unavailable: this model has no subword model (build one with `wordvec oov-index NAME`)\n',
    );
    const a = json(['vector', 'food', 'pizzaiolo', '--unk', 'random']);
    const b = json(['vector', 'food', 'pizzaiolo', '--unk', 'random']);
    expect(a).toMatchObject({ estimated: true, resolution: { how: 'unk', unk: 'random' } });
    expect(a.vector).toEqual(b.vector);
    const human = wordvec(['vector', 'food', 'pizzaiolo', '--unk', 'mean']).stdout;
    expect(human.split('\n')[0]).toMatch(
      /no estimate could be made; it stands for the model's mean vector .*not a vector of the word$/,
    );
  });

  it('--oov exact refuses, naming the word and the flag that would answer it', () => {
    const r = wordvec(['vector', 'food', 'Pizzas', '--oov', 'exact']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'wordvec: word "Pizzas" not in the vocabulary; pass --oov estimate to answer it from its spelling\n',
    );
  });
});

describe('--oov on similar, analogy and similarity', () => {
  it('similar: off by default (gensim), then answered for the lemma with the resolution in --json', () => {
    const off = wordvec(['similar', 'food', 'pizzas']);
    expect(off.code).toBe(1);
    expect(off.stderr).toMatch(/^wordvec: word "pizzas" not in the vocabulary; pass --oov estimate/);
    const on = wordvec(['similar', 'food', 'pizzas', '--oov', 'estimate', '-n', '2']);
    expect(on.code).toBe(0);
    expect(on.stdout.split('\n')[0]).toBe('answered for "pizza" (the lemma of "pizzas")');
    const j = json(['similar', 'food', 'pizzas', '--oov', 'normalize', '-n', '2']);
    expect(j.resolutions).toEqual([{ word: 'pizzas', how: 'lemma', resolvedAs: 'pizza' }]);
    expect(j.results.map((r: { word: string }) => r.word)).toEqual(
      json(['similar', 'food', 'pizza', '-n', '2']).results.map((r: { word: string }) => r.word),
    );
    expect(json(['similar', 'food', 'pizza']).resolutions).toEqual([
      { word: 'pizza', how: 'exact', resolvedAs: 'pizza' },
    ]);
  });

  it('analogy and similarity resolve every word and report each', () => {
    const a = json(['analogy', 'food', 'Kings', 'man', 'woman', '--oov', 'normalize', '-n', '1']);
    expect(a.resolutions.map((r: { how: string }) => r.how)).toEqual(['lemma', 'exact', 'exact']);
    expect(a.results[0].word).toBe('queen');
    const s = json(['similarity', 'food', 'PIZZA', 'pasta', '--oov', 'forms']);
    expect(s.resolutions[0]).toEqual({ word: 'PIZZA', how: 'case', resolvedAs: 'pizza' });
    expect(s.similarity).toBeCloseTo(json(['similarity', 'food', 'pizza', 'pasta']).similarity, 6);
    const human = wordvec(['similarity', 'food', 'pizza', 'pasta']);
    expect(human.stdout).toMatch(/^cosine\(pizza, pasta\) = 0\.\d{4}\n$/);
  });

  it('bad policies are one-line usage errors (exit 2)', () => {
    for (const args of [
      ['--oov', 'guess'],
      ['--unk', 'avg'],
    ]) {
      const r = wordvec(['similar', 'food', 'pizza', ...args]);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/^wordvec: --oov\/--unk: unknown (OOV|UNK) policy/);
    }
  });
});

describe('eval --oov', () => {
  it('keeps gensim’s figures and adds the same items answered by the pipeline, counted', () => {
    writeFileSync(
      join(dir, 'pairs.tsv'),
      'pizza\tpasta\t9\npizzas\tbread\t8\nking\tqueen\t7\nman\tpastaq\t2\n',
    );
    writeFileSync(join(dir, 'q.txt'), ': royal\nman king woman queen\nmen kings women queen\n');
    const plain = json(['eval', 'food', '--pairs', 'pairs.tsv', '--analogies', 'q.txt']);
    const j = json(['eval', 'food', '--pairs', 'pairs.tsv', '--analogies', 'q.txt', '--oov', 'normalize']);
    for (const k of ['analogyAccuracy', 'analogyTotal', 'wordPairsSpearman', 'wordPairsOovRatio'])
      expect(j[k]).toBe(plain[k]);
    expect(plain.analogyTotal).toBe(1);
    expect(j.withOov).toMatchObject({
      analogyTotal: 2,
      analogyEstimated: 1,
      analogyOov: 0,
      wordPairsEstimated: 1,
    });
    const human = wordvec([
      'eval',
      'food',
      '--pairs',
      'pairs.tsv',
      '--analogies',
      'q.txt',
      '--oov',
      'normalize',
    ]);
    expect(human.stdout).toMatch(
      /with OOV words answered by the pipeline: analogy accuracy .*1 answered with estimated or normalised words/,
    );
    expect(human.stdout).toMatch(
      /with OOV words answered by the pipeline: word pairs .*\(1 pairs with estimated or normalised words; OOV 25\.0%\)/,
    );
  });
});

describe('bad input: a clear line, never a stack trace', () => {
  it('one character, 100 and 1,001 characters, punctuation, digits, mixed scripts, unknown n-grams', () => {
    const cases: [string, RegExp][] = [
      ['x', /^wordvec: word "x" not in the vocabulary; subword estimates are unavailable/],
      ['p'.repeat(100), /^wordvec: word "p{60}…" \(100 characters\) not in the vocabulary/],
      [
        'p'.repeat(1001),
        /^wordvec: "p{20}…" \(1001 characters\) is longer than the 1,000 characters a word can have$/,
      ],
      ['!!!', /^wordvec: word "!!!" not in the vocabulary/],
      ['12345', /^wordvec: word "12345" not in the vocabulary/],
      ['piззa', /^wordvec: word "piззa" not in the vocabulary/],
      ['qqxqqxq', /^wordvec: word "qqxqqxq" not in the vocabulary/],
    ];
    for (const [word, message] of cases) {
      const r = wordvec(['vector', 'food', word]);
      expect(r.code, word).toBe(1);
      expect(r.stderr.trim().split('\n'), word).toHaveLength(1);
      expect(r.stderr.trim(), word).toMatch(message);
    }
    // With a stand-in asked for, the same words get a labelled UNK vector, never a plain one.
    const unk = json(['vector', 'food', '!!!', '--unk', 'zero']);
    expect(unk).toMatchObject({ estimated: true, resolution: { how: 'unk', unk: 'zero' } });
  });

  it('with a Magnitude subword model: the same inputs get a labelled estimate or a refusal saying why', () => {
    const r = wordvec([
      'import',
      'food.txt',
      '--name',
      'typed',
      '--format',
      'glove',
      '--oov',
      'subword',
      '--quiet',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const refusal = /character n-grams is known to this model, so there is nothing to estimate from$/;
    for (const word of ['x', 'p'.repeat(100), '!!!', '12345', 'qqxqqxq']) {
      const out = wordvec(['vector', 'typed', word]);
      expect(out.code, word).toBe(1);
      expect(out.stderr.trim().split('\n'), word).toHaveLength(1);
      expect(out.stderr.trim(), word).toMatch(
        /^wordvec: word ".*" (\(100 characters\) )?not in the vocabulary; none of its/,
      );
      expect(out.stderr.trim(), word).toMatch(refusal);
    }
    // Mixed scripts and a typo share n-grams with "pizza": estimated, and labelled so in both outputs.
    for (const word of ['piззa', 'pizzza']) {
      const human = wordvec(['vector', 'typed', word]);
      expect(human.code, human.stderr).toBe(0);
      expect(human.stdout.split('\n')[0]).toMatch(
        new RegExp(
          `^"${word}" is not in the vocabulary; its vector is estimated from its pieces ⟨<pi.*⟩, blended with the vectors of "pizza".* \\(an estimate, not a trained vector\\)$`,
        ),
      );
      expect(json(['vector', 'typed', word])).toMatchObject({
        estimated: true,
        resolution: { how: 'subword', similarWords: expect.arrayContaining(['pizza']) },
      });
    }
    // 1,001 characters: refused before any estimate.
    expect(wordvec(['vector', 'typed', 'p'.repeat(1001)]).stderr).toMatch(/longer than the 1,000 characters/);
  });
});
