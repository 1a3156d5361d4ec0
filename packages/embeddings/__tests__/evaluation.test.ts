import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  averageRanks,
  createRandom,
  evaluateWordAnalogies,
  evaluateWordPairs,
  FormatError,
  InvalidArgumentError,
  KeyedVectors,
  parseAnalogies,
  parseWordPairs,
  pearson,
  scoreWordAnalogies,
  scoreWordPairs,
  spearman,
} from '@wordvec/embeddings';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analogyFixture, gensimAvailable, runGensim, writeWord2vecText } from './gensim-oracle.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const evalDir = process.env.WORDVEC_EVAL_DIR ?? resolve(repoRoot, '../shared/eval');

/** Analogy questions over the fixture's words: solvable ones, case variants, OOV, invalid lines, an empty section. */
function questionsText(): string {
  const lines: string[] = [];
  for (let k = 0; k < 3; k++) {
    lines.push(`: relation-${k}`);
    for (let t = 0; t < 12; t++) {
      const i = (t * 7 + k) % 30;
      const j = (t * 11 + 3 * k + 1) % 30;
      if (i === j) continue;
      lines.push(`b${i} b${i}_r${k} b${j} b${j}_r${k}`);
    }
    lines.push(`B1 b1_R${k} b4 B4_r${k}`); // case variants: only equal when folded
    lines.push(`b2 b2_r${k} unknownword b5_r${k}`); // OOV
    lines.push(`b2 b2_r${k} b5`); // three words: invalid, skipped
    lines.push('');
  }
  lines.push(': empty-section');
  lines.push(': mixed  ');
  lines.push('b0 b0_r0 b1 b1_r1');
  lines.push('filler1 filler2 filler3 filler4');
  return `${lines.join('\n')}\n`;
}

/** Word pairs with seeded gold scores, repeated gold values (ties), case variants, OOV, comments and bad lines. */
function pairsText(): string {
  const rand = createRandom(11);
  const lines = ['# a comment', '# word1\tword2\tscore'];
  for (let t = 0; t < 40; t++) {
    const a = `b${Math.floor(rand() * 30)}`;
    const b = rand() < 0.5 ? `b${Math.floor(rand() * 30)}_r${t % 3}` : `filler${Math.floor(rand() * 40)}`;
    lines.push(`${t % 5 === 0 ? a.toUpperCase() : a}\t${b}\t${(Math.floor(rand() * 8) * 1.25).toFixed(2)}`);
  }
  lines.push('b1\tnotaword\t3.5');
  lines.push('b1\tb2');
  lines.push('b1\tb2\tlots');
  lines.push('b3 b4 5.0');
  return `${lines.join('\n')}\n`;
}

describe('parseAnalogies (questions-words.txt layout)', () => {
  it('gensim: ": name" starts a section; lines that are not four words are skipped', () => {
    const parsed = parseAnalogies(
      ': capitals\nAthens Greece Oslo Norway\nbad line\n\n:  family \nboy girl  son\tdaughter\n',
    );
    expect(parsed.sections.map((s) => s.section)).toEqual(['capitals', 'family']);
    expect(parsed.sections[0].questions).toEqual([
      { a: 'Athens', b: 'Greece', c: 'Oslo', expected: 'Norway', line: 2 },
    ]);
    expect(parsed.sections[1].questions[0].expected).toBe('daughter');
    expect(parsed.skippedLines).toEqual([3, 4]);
  });

  it('gensim: a question before any section header is an error naming the line', () => {
    expect(() => parseAnalogies('a b c d\n', 'q.txt')).toThrow(FormatError);
    expect(() => parseAnalogies('a b c d\n', 'q.txt')).toThrow(/q\.txt, line 1/);
  });
});

describe('scoreWordAnalogies (hand-checked)', () => {
  // b − a + c: france − paris + rome → italy, and a decoy 'Rome' (case variant) later in the vocabulary.
  const words = ['paris', 'france', 'rome', 'italy', 'berlin', 'germany', 'Rome'];
  const rows = [
    [1, 0, 0, 0.1],
    [1, 1, 0, 0.1],
    [0, 0, 1, 0],
    [0, 1, 1, 0],
    [0.2, 0, 0, 1],
    [0.2, 1, 0, 1],
    [0, 0.05, 1, 0],
  ];
  const kv = new KeyedVectors({ words, dim: 4, vectors: new Float32Array(rows.flat()) });

  it('gensim: the answer is the best most_similar(positive=[b, c], negative=[a]) candidate that is no question word', () => {
    const text =
      ': capitals\nparis france rome italy\nrome italy berlin germany\nparis france berlin italy\n';
    const r = scoreWordAnalogies(kv, parseAnalogies(text));
    expect(r.sections).toEqual([{ section: 'capitals', correct: 2, incorrect: 1, accuracy: 2 / 3 }]);
    expect(r.total).toEqual({ section: 'Total accuracy', correct: 2, incorrect: 1, accuracy: 2 / 3 });
    expect(r.score).toBeCloseTo(2 / 3, 12);
  });

  it('gensim case_insensitive: upper-cased matching, earliest case variant wins, case variants of inputs are ignored', () => {
    // 'Rome' (row 6) folds to ROME, a question word, so it is skipped even if it ranks high.
    const text = ': caps\nPARIS France ROME Italy\n';
    expect(scoreWordAnalogies(kv, parseAnalogies(text)).total.correct).toBe(1);
    const sensitive = scoreWordAnalogies(kv, parseAnalogies(text), { caseInsensitive: false });
    expect(sensitive.oov).toBe(1);
    expect(sensitive.total.correct + sensitive.total.incorrect).toBe(0);
  });

  it('gensim restrict_vocab and dummy4unknown: unknown words skip the question or count it wrong; OOV ratio in percent', () => {
    const text = ': caps\nparis france rome italy\nrome italy berlin germany\n';
    const restricted = scoreWordAnalogies(kv, parseAnalogies(text), { restrictVocab: 4 });
    expect(restricted.total).toMatchObject({ correct: 1, incorrect: 0 });
    expect(restricted.oov).toBe(1);
    expect(restricted.oovRatio).toBe(50);
    const dummy = scoreWordAnalogies(kv, parseAnalogies(text), { restrictVocab: 4, dummy4unknown: true });
    expect(dummy.total).toMatchObject({ correct: 1, incorrect: 1 });
    expect(() => scoreWordAnalogies(kv, parseAnalogies(text), { restrictVocab: -3 })).toThrow(
      InvalidArgumentError,
    );
  });
});

describe('word pairs and correlations', () => {
  it('gensim: "#" lines are comments; lines without exactly three fields or a number are skipped', () => {
    const parsed = parseWordPairs('# c\ntiger\tcat\t7.35\nbad\nx\ty\tz\na\tb\t 1e1 \n');
    expect(parsed.pairs).toEqual([
      { a: 'tiger', b: 'cat', similarity: 7.35, line: 2 },
      { a: 'a', b: 'b', similarity: 10, line: 5 },
    ]);
    expect(parsed.skippedLines).toEqual([3, 4]);
    expect(parseWordPairs('a,b,2\n', { delimiter: ',' }).pairs[0].similarity).toBe(2);
  });

  it('scipy rankdata: ties share their average rank; Spearman is Pearson over ranks', () => {
    expect(Array.from(averageRanks([10, 20, 10, 5]))).toEqual([2.5, 4, 2.5, 1]);
    expect(spearman([1, 2, 3, 4], [1, 4, 9, 16])).toBeCloseTo(1, 12);
    // hand-computed: x = [1,2,3], y = [1,3,2] → r = 0.5
    expect(pearson([1, 2, 3], [1, 3, 2])).toBeCloseTo(0.5, 12);
    expect(pearson([1, 1, 1], [1, 2, 3])).toBe(0);
  });

  it('gensim evaluate_word_pairs: cosine vs gold, OOV pairs skipped (or 0 with dummy4unknown), ratio in percent', () => {
    const kv = new KeyedVectors({
      words: ['a', 'b', 'c', 'd'],
      dim: 2,
      vectors: new Float32Array([1, 0, 1, 1, 0, 1, -1, 0]),
    });
    const parsed = parseWordPairs('a\tb\t9\na\tc\t5\na\td\t1\nb\tc\t8\na\tzz\t3\n');
    const r = scoreWordPairs(kv, parsed);
    const model = [Math.SQRT1_2, 0, -1, Math.SQRT1_2];
    expect(r.pearson).toBeCloseTo(pearson([9, 5, 1, 8], model), 6);
    expect(r.spearman).toBeCloseTo(pearson([4, 2, 1, 3], [3.5, 2, 1, 3.5]), 6);
    expect(r).toMatchObject({ pairs: 4, oov: 1, oovRatio: 20 });
    const dummy = scoreWordPairs(kv, parsed, { dummy4unknown: true });
    expect(dummy).toMatchObject({ pairs: 5, oov: 1, oovRatio: 20 });
    expect(dummy.pearson).toBeCloseTo(pearson([9, 5, 1, 8, 3], [...model, 0]), 6);
    expect(() => scoreWordPairs(kv, parseWordPairs('x\ty\t1\n'))).toThrow(/no valid similarity judgements/);
  });
});

describe('the shared evaluation data sets', () => {
  const questions = join(evalDir, 'questions-words.txt');
  const wordsim = join(evalDir, 'wordsim353.tsv');
  const present = existsSync(questions) && existsSync(wordsim);
  if (!present)
    console.warn(
      `evaluation data not found in ${evalDir}: skipping the tests on questions-words.txt and wordsim353.tsv`,
    );

  it.runIf(present)(
    'questions-words.txt parses into its 14 sections with every non-header line a question',
    () => {
      const text = readFileSync(questions, 'utf8');
      const parsed = parseAnalogies(text, questions);
      const headers = text.split('\n').filter((l) => l.startsWith(': ')).length;
      const others = text.split('\n').filter((l) => l.trim() !== '' && !l.startsWith(': ')).length;
      expect(parsed.sections).toHaveLength(headers);
      expect(parsed.sections[0].section).toBe('capital-common-countries');
      expect(parsed.sections.reduce((s, x) => s + x.questions.length, 0)).toBe(others);
      expect(parsed.skippedLines).toEqual([]);
    },
  );

  it.runIf(present)(
    'wordsim353.tsv: every non-comment line is a pair; a model knowing half the words reports ~50% OOV',
    async () => {
      const parsed = parseWordPairs(readFileSync(wordsim, 'utf8'));
      expect(parsed.skippedLines).toEqual([]);
      const vocab = [...new Set(parsed.pairs.flatMap((p) => [p.a.toLowerCase(), p.b.toLowerCase()]))];
      const rand = createRandom(5);
      const vectors = Float32Array.from({ length: vocab.length * 8 }, () => rand() - 0.5);
      const kv = new KeyedVectors({ words: vocab, vectors, dim: 8 });
      const r = await evaluateWordPairs(kv, wordsim);
      expect(r.oov).toBe(0);
      expect(r.pairs).toBe(parsed.pairs.length);
      expect(Math.abs(r.spearman)).toBeLessThan(0.3); // random vectors: no real correlation
    },
  );
});

describe.runIf(gensimAvailable())('evaluation against gensim 4.2 on the same files', () => {
  interface GensimAnalogies {
    score: number;
    sections: { section: string; correct: number; incorrect: number }[];
  }
  interface GensimPairs {
    pearson: number;
    spearman: number;
    oov: number;
  }
  const kv = analogyFixture();
  const analogyOptions = [
    {},
    { restrictVocab: 70 },
    { caseInsensitive: false },
    { dummy4unknown: true, restrictVocab: 100 },
  ];
  const pairOptions = [{}, { dummy4unknown: true }, { caseInsensitive: false }, { restrictVocab: 60 }];
  let dir: string;
  let paths: { model: string; questions: string; pairs: string };
  let gensim: { analogies: GensimAnalogies[]; pairs: GensimPairs[] };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'eval-gensim-'));
    paths = {
      model: join(dir, 'model.txt'),
      questions: join(dir, 'questions.txt'),
      pairs: join(dir, 'pairs.tsv'),
    };
    writeWord2vecText(kv, paths.model);
    writeFileSync(paths.questions, questionsText());
    writeFileSync(paths.pairs, pairsText());
    gensim = runGensim(
      `
import json, sys
from gensim.models import KeyedVectors
q = json.load(sys.stdin)
kv = KeyedVectors.load_word2vec_format(q['model'])
def opts(o):
    return dict(restrict_vocab=o.get('restrictVocab', 300000), case_insensitive=o.get('caseInsensitive', True),
                dummy4unknown=o.get('dummy4unknown', False))
analogies = []
for o in q['analogyOptions']:
    score, sections = kv.evaluate_word_analogies(q['questions'], **opts(o))
    analogies.append({'score': score, 'sections': [
        {'section': s['section'], 'correct': len(s['correct']), 'incorrect': len(s['incorrect'])} for s in sections]})
pairs = []
for o in q['pairOptions']:
    p, s, oov = kv.evaluate_word_pairs(q['pairs'], **opts(o))
    pairs.append({'pearson': float(p[0]), 'spearman': float(s[0]), 'oov': oov})
print(json.dumps({'analogies': analogies, 'pairs': pairs}))
`,
      { ...paths, analogyOptions, pairOptions },
    );
  }, 60_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('gensim evaluate_word_analogies: same correct/incorrect per section and the same Total accuracy', async () => {
    for (const [i, options] of analogyOptions.entries()) {
      const ours = await evaluateWordAnalogies(kv, paths.questions, options);
      const theirs = gensim.analogies[i];
      const sections = [...ours.sections, ours.total].map(({ section, correct, incorrect }) => ({
        section,
        correct,
        incorrect,
      }));
      expect(sections).toEqual(theirs.sections);
      expect(ours.score).toBeCloseTo(theirs.score, 12);
    }
    // the fixture is built to be mostly solvable: the comparison is not between two empty results
    expect(gensim.analogies[0].sections.at(-1)!.correct).toBeGreaterThan(10);
  });

  it('gensim evaluate_word_pairs: same Pearson, Spearman and OOV ratio', async () => {
    for (const [i, options] of pairOptions.entries()) {
      const ours = await evaluateWordPairs(kv, paths.pairs, options);
      const theirs = gensim.pairs[i];
      expect(ours.pearson).toBeCloseTo(theirs.pearson, 5);
      expect(ours.spearman).toBeCloseTo(theirs.spearman, 5);
      expect(ours.oovRatio).toBeCloseTo(theirs.oov, 9);
    }
  });
});
