/**
 * Intrinsic evaluation with gensim 4.2's semantics: word analogies (`evaluate_word_analogies`,
 * the `compute-accuracy` task of word2vec.c) and word-pair similarity (`evaluate_word_pairs`,
 * Pearson and Spearman against human judgements).
 *
 * Parsing is pure (text in, questions out); the `evaluate*` functions read a file and score it.
 */
import { readFile } from 'node:fs/promises';
import { FormatError, InvalidArgumentError } from '../errors.js';
import { DECIMAL_NUMBER } from '../formats/decimal.js';
import type { OovOptions } from '../oov/resolve-word.js';
import type { KeyedVectors } from '../query/keyed-vectors.js';
import { termResolver } from './evaluation-terms.js';

/**
 * One analogy question `a : b :: c : expected`, read as "b − a + c = expected".
 *
 * @example
 * ```ts
 * const [q] = parseAnalogies(': capitals\nAthens Greece Oslo Norway\n').sections[0].questions;
 * q; // { a: 'Athens', b: 'Greece', c: 'Oslo', expected: 'Norway', line: 2 }
 * ```
 */
export interface AnalogyQuestion {
  a: string;
  b: string;
  c: string;
  expected: string;
  /** 1-based line in the source. */
  line: number;
}

/**
 * Questions under one `: name` header.
 *
 * @example
 * ```ts
 * for (const { section, questions } of parseAnalogies(text).sections) console.log(section, questions.length);
 * ```
 */
export interface AnalogySectionQuestions {
  section: string;
  questions: AnalogyQuestion[];
}

/**
 * Result of {@link parseAnalogies}.
 *
 * @example
 * ```ts
 * const parsed = parseAnalogies(await readFile('questions-words.txt', 'utf8'), 'questions-words.txt');
 * parsed.skippedLines; // lines that were neither a header nor four words
 * const { score } = scoreWordAnalogies(kv, parsed, { restrictVocab: 30_000 });
 * ```
 */
export interface ParsedAnalogies {
  sections: AnalogySectionQuestions[];
  /** 1-based lines that are neither a header nor four words (gensim skips them, and so do we). */
  skippedLines: number[];
}

/**
 * Correct and incorrect counts of one section (or of the total).
 *
 * @example
 * ```ts
 * const { sections, total } = await evaluateWordAnalogies(kv, 'questions-words.txt');
 * for (const s of [...sections, total]) console.log(s.section, `${s.correct}/${s.correct + s.incorrect}`, s.accuracy);
 * ```
 */
export interface AnalogySectionScore {
  section: string;
  correct: number;
  incorrect: number;
  /** correct / (correct + incorrect), 0 when the section has no scored question (as gensim). */
  accuracy: number;
}

/**
 * Result of {@link evaluateWordAnalogies}.
 *
 * @example
 * ```ts
 * const result = await evaluateWordAnalogies(kv, 'questions-words.txt');
 * console.log(result.score, `${result.oov} of ${result.questions} questions skipped (${result.oovRatio.toFixed(1)} %)`);
 * ```
 */
export interface AnalogyEvaluation {
  /** Overall accuracy: `total.accuracy` (gensim's returned score). */
  score: number;
  /** One entry per section of the file, in file order. */
  sections: AnalogySectionScore[];
  /** gensim's final 'Total accuracy' section: sums over all sections. */
  total: AnalogySectionScore;
  /** Well-formed questions read. */
  questions: number;
  /** Questions with a word outside the first `restrictVocab` words. */
  oov: number;
  /** `oov / questions × 100`: a percentage, like gensim's logged ratio (0 when there are no questions). */
  oovRatio: number;
  /** Questions scored with at least one input word answered by the OOV pipeline (only with `oov`). */
  estimated: number;
  /** Of those, how many were answered correctly. */
  estimatedCorrect: number;
}

/**
 * Options of {@link evaluateWordAnalogies}.
 *
 * @example
 * ```ts
 * await evaluateWordAnalogies(kv, 'questions-words.txt', { restrictVocab: 30_000, dummy4unknown: true });
 * ```
 */
export interface AnalogyEvaluationOptions {
  /** Only the first `restrictVocab` words count as known and as candidate answers. Default 300,000. */
  restrictVocab?: number;
  /** Compare upper-cased words; of several case variants the earliest (most frequent) row is used. Default true. */
  caseInsensitive?: boolean;
  /** Count questions with unknown words as incorrect instead of skipping them. Default false. */
  dummy4unknown?: boolean;
  /**
   * Answer input words outside the first `restrictVocab` words through the OOV pipeline
   * (`kv.resolve(word, oov)`) instead of skipping their item. gensim skips them, also for a FastText
   * model (its `ok_vocab` is the vocabulary, so n-gram vectors are never used): without this option
   * the scores are gensim's. An analogy's expected word must still be a known word (an estimate is no
   * candidate answer). Items scored this way are counted in `estimated`.
   */
  oov?: OovOptions;
}

/**
 * One judged pair of a similarity data set.
 *
 * @example
 * ```ts
 * parseWordPairs('tiger\tcat\t7.35\n').pairs[0]; // { a: 'tiger', b: 'cat', similarity: 7.35, line: 1 }
 * ```
 */
export interface WordPair {
  a: string;
  b: string;
  /** The human similarity judgement. */
  similarity: number;
  /** 1-based line in the source. */
  line: number;
}

/**
 * Result of {@link parseWordPairs}.
 *
 * @example
 * ```ts
 * const parsed = parseWordPairs(await readFile('wordsim353.tsv', 'utf8'));
 * const { spearman } = scoreWordPairs(kv, parsed);
 * ```
 */
export interface ParsedWordPairs {
  pairs: WordPair[];
  /** 1-based lines that are not `word delimiter word delimiter number` (comments excluded). */
  skippedLines: number[];
}

/**
 * Options of {@link evaluateWordPairs}.
 *
 * @example
 * ```ts
 * await evaluateWordPairs(kv, 'simlex999.csv', { delimiter: ',', restrictVocab: 100_000 });
 * ```
 */
export interface WordPairsEvaluationOptions extends AnalogyEvaluationOptions {
  /** Column separator. Default tab. */
  delimiter?: string;
}

/**
 * Result of {@link evaluateWordPairs}.
 *
 * @example
 * ```ts
 * const { spearman, pearson, oovRatio } = await evaluateWordPairs(kv, 'wordsim353.tsv');
 * ```
 */
export interface WordPairsEvaluation {
  /** Pearson correlation between human and model similarities. */
  pearson: number;
  /** Spearman rank correlation (ties get their average rank, as scipy's `spearmanr`). */
  spearman: number;
  /** Percentage (0–100) of pairs with an unknown word, exactly as gensim's `oov_ratio`. */
  oovRatio: number;
  /** Pairs that entered the correlations. */
  pairs: number;
  /** Pairs with an unknown word. */
  oov: number;
  /** Pairs scored with a word answered by the OOV pipeline (only with `oov`). */
  estimated: number;
}

const DEFAULT_RESTRICT_VOCAB = 300_000;
const TOTAL_SECTION = 'Total accuracy';

/**
 * Parses an analogy file in word2vec's `questions-words.txt` layout: `: section` headers, then
 * lines of four whitespace-separated words.
 *
 * @param text - the file's content
 * @param source - name used in error messages
 * @throws {@link FormatError} when a non-header line comes before the first header (gensim raises too).
 * @example
 * ```ts
 * parseAnalogies(': capitals\nAthens Greece Oslo Norway\n').sections[0].questions[0].expected; // 'Norway'
 * ```
 */
export function parseAnalogies(text: string, source = 'analogies'): ParsedAnalogies {
  const sections: AnalogySectionQuestions[] = [];
  const skippedLines: number[] = [];
  let current: AnalogySectionQuestions | undefined;
  const lines = splitLines(text);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.startsWith(': ')) {
      // gensim: line.lstrip(': ').strip()
      current = { section: line.replace(/^[: ]+/, '').trim(), questions: [] };
      sections.push(current);
      continue;
    }
    if (!current)
      throw new FormatError(
        source,
        { line: i + 1 },
        'missing section header (": name") before the first question',
      );
    const words = splitWhitespace(line);
    if (words.length !== 4) {
      skippedLines.push(i + 1);
      continue;
    }
    current.questions.push({ a: words[0], b: words[1], c: words[2], expected: words[3], line: i + 1 });
  }
  return { sections, skippedLines };
}

/**
 * Scores parsed analogy questions like gensim 4.2 `evaluate_word_analogies`: for `a b c expected`
 * the answer is the first of `mostSimilar({ positive: [b, c], negative: [a], topn: 5 })` (3CosAdd,
 * searched among the first `restrictVocab` words) that is not one of the question words.
 *
 * @example
 * ```ts
 * const r = scoreWordAnalogies(kv, parseAnalogies(text));
 * console.log(r.total.correct, r.total.incorrect, r.score);
 * ```
 */
export function scoreWordAnalogies(
  kv: KeyedVectors,
  parsed: ParsedAnalogies,
  options: AnalogyEvaluationOptions = {},
): AnalogyEvaluation {
  const caseInsensitive = options.caseInsensitive ?? true;
  const dummy4unknown = options.dummy4unknown ?? false;
  const end = restrictEnd(kv, options.restrictVocab);
  const fold = caseInsensitive ? (w: string) => w.toUpperCase() : (w: string) => w;
  const known = knownWords(kv, end, fold);
  const unit = kv.unitVectors();
  const dim = kv.dim;
  const query64 = new Float64Array(dim);
  const query = new Float32Array(dim);
  const exclude = new Int32Array(3);

  let questions = 0;
  let oov = 0;
  let estimated = 0;
  let estimatedCorrect = 0;
  const term = termResolver(kv, known, fold, unit, options.oov);
  const sections: AnalogySectionScore[] = [];
  for (const { section, questions: qs } of parsed.sections) {
    let correct = 0;
    let incorrect = 0;
    for (const q of qs) {
      questions++;
      const a = fold(q.a);
      const b = fold(q.b);
      const c = fold(q.c);
      const expected = fold(q.expected);
      const ta = term(q.a);
      const tb = term(q.b);
      const tc = term(q.c);
      if (!ta || !tb || !tc || !known.has(expected)) {
        oov++;
        if (dummy4unknown) incorrect++;
        continue;
      }
      const byPipeline = ta.resolved || tb.resolved || tc.resolved;
      if (byPipeline) estimated++;
      const ia = ta.row;
      const ib = tb.row;
      const ic = tc.row;
      // query = unit(unit(b) + unit(c) − unit(a)): gensim most_similar(positive=[b, c], negative=[a]).
      for (let j = 0; j < dim; j++) query64[j] = tb.unit[j] + tc.unit[j] - ta.unit[j];
      let norm = 0;
      for (let j = 0; j < dim; j++) norm += query64[j] * query64[j];
      norm = Math.sqrt(norm);
      for (let j = 0; j < dim; j++) query[j] = norm > 0 ? query64[j] / norm : 0;
      exclude[0] = ia;
      exclude[1] = ib;
      exclude[2] = ic;
      const { rows } = kv.nearestRows(query, { topn: 5, restrictVocab: end, exclude });
      // gensim keeps the first candidate that is not a question word in any case variant; when all
      // five are, the last one examined stands as the (wrong) prediction.
      let predicted: string | undefined;
      for (let i = 0; i < rows.length; i++) {
        predicted = fold(kv.words[rows[i]]);
        if (known.has(predicted) && predicted !== a && predicted !== b && predicted !== c) break;
      }
      if (predicted === expected) {
        correct++;
        if (byPipeline) estimatedCorrect++;
      } else incorrect++;
    }
    sections.push(sectionScore(section, correct, incorrect));
  }
  const total = sectionScore(
    TOTAL_SECTION,
    sections.reduce((s, x) => s + x.correct, 0),
    sections.reduce((s, x) => s + x.incorrect, 0),
  );
  return {
    score: total.accuracy,
    sections,
    total,
    questions,
    oov,
    oovRatio: questions > 0 ? (oov / questions) * 100 : 0,
    estimated,
    estimatedCorrect,
  };
}

/**
 * Reads an analogy file (e.g. word2vec's `questions-words.txt`) and scores `kv` on it with gensim 4.2's
 * `evaluate_word_analogies` semantics; see {@link scoreWordAnalogies}.
 *
 * @example
 * ```ts
 * const { score, sections } = await evaluateWordAnalogies(kv, 'questions-words.txt');
 * for (const s of sections) console.log(s.section, s.correct, s.incorrect);
 * ```
 */
export async function evaluateWordAnalogies(
  kv: KeyedVectors,
  path: string,
  options: AnalogyEvaluationOptions = {},
): Promise<AnalogyEvaluation> {
  return scoreWordAnalogies(kv, parseAnalogies(await readFile(path, 'utf8'), path), options);
}

/**
 * Parses a word-pair similarity file (WordSim-353, SimLex-999 layout): `word1 ⟨delimiter⟩ word2 ⟨delimiter⟩ score`,
 * lines starting with `#` are comments. Words are kept as written (gensim does not trim them).
 *
 * @example
 * ```ts
 * parseWordPairs('# comment\ntiger\tcat\t7.35\n').pairs; // [{ a: 'tiger', b: 'cat', similarity: 7.35, line: 2 }]
 * ```
 */
export function parseWordPairs(text: string, options: { delimiter?: string } = {}): ParsedWordPairs {
  const delimiter = options.delimiter ?? '\t';
  if (delimiter.length === 0) throw new InvalidArgumentError('delimiter must not be empty');
  const pairs: WordPair[] = [];
  const skippedLines: number[] = [];
  const lines = splitLines(text);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.startsWith('#')) continue;
    const parts = line.split(delimiter);
    const similarity = parts.length === 3 ? parsePythonFloat(parts[2]) : undefined;
    if (similarity === undefined) {
      skippedLines.push(i + 1);
      continue;
    }
    pairs.push({ a: parts[0], b: parts[1], similarity, line: i + 1 });
  }
  return { pairs, skippedLines };
}

/**
 * Correlates model cosines with human judgements like gensim 4.2 `evaluate_word_pairs`. Pairs with a
 * word outside the first `restrictVocab` words are skipped (or scored 0 with `dummy4unknown`).
 *
 * @throws {@link InvalidArgumentError} when no pair is left to correlate (gensim raises too).
 * @example
 * ```ts
 * const { spearman, oovRatio } = scoreWordPairs(kv, parseWordPairs(text));
 * ```
 */
export function scoreWordPairs(
  kv: KeyedVectors,
  parsed: ParsedWordPairs,
  options: AnalogyEvaluationOptions = {},
  source = 'word pairs',
): WordPairsEvaluation {
  const caseInsensitive = options.caseInsensitive ?? true;
  const dummy4unknown = options.dummy4unknown ?? false;
  const end = restrictEnd(kv, options.restrictVocab);
  const fold = caseInsensitive ? (w: string) => w.toUpperCase() : (w: string) => w;
  const known = knownWords(kv, end, fold);
  const unit = kv.unitVectors();
  const dim = kv.dim;
  const gold: number[] = [];
  const model: number[] = [];
  let oov = 0;
  let estimated = 0;
  const term = termResolver(kv, known, fold, unit, options.oov);
  for (const pair of parsed.pairs) {
    const ta = term(pair.a);
    const tb = term(pair.b);
    if (!ta || !tb) {
      oov++;
      if (dummy4unknown) {
        gold.push(pair.similarity);
        model.push(0);
      }
      continue;
    }
    if (ta.resolved || tb.resolved) estimated++;
    let s = 0;
    for (let j = 0; j < dim; j++) s += ta.unit[j] * tb.unit[j];
    gold.push(pair.similarity);
    model.push(s);
  }
  if (gold.length === 0) {
    throw new InvalidArgumentError(
      `no valid similarity judgements in ${source}: the lines are malformed or every pair has an unknown word`,
    );
  }
  return {
    pearson: pearson(gold, model),
    spearman: spearman(gold, model),
    oovRatio: dummy4unknown ? (oov / gold.length) * 100 : (oov / (gold.length + oov)) * 100,
    pairs: gold.length,
    oov,
    estimated,
  };
}

/**
 * Reads a word-pair file (e.g. `wordsim353.tsv`) and correlates `kv`'s cosines with it; see {@link scoreWordPairs}.
 *
 * @example
 * ```ts
 * const { pearson, spearman, oovRatio } = await evaluateWordPairs(kv, 'wordsim353.tsv');
 * ```
 */
export async function evaluateWordPairs(
  kv: KeyedVectors,
  path: string,
  options: WordPairsEvaluationOptions = {},
): Promise<WordPairsEvaluation> {
  const parsed = parseWordPairs(await readFile(path, 'utf8'), { delimiter: options.delimiter });
  return scoreWordPairs(kv, parsed, options, path);
}

/**
 * Pearson's product-moment correlation. Returns 0 (not NaN) when either series is constant or has
 * fewer than two values, where the coefficient is undefined.
 *
 * @example
 * ```ts
 * pearson([1, 2, 3], [2, 4, 7]); // 0.993
 * ```
 */
export function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = x.length;
  if (y.length !== n) throw new InvalidArgumentError(`series lengths differ: ${n} and ${y.length}`);
  if (n < 2) return 0;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i];
    my += y[i];
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i] - mx;
    const dy = y[i] - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) return 0;
  return Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
}

/**
 * Spearman's rank correlation: Pearson over ranks, ties given their average rank (scipy `spearmanr`).
 *
 * @example
 * ```ts
 * spearman([1, 2, 3], [2, 4, 7]); // 1
 * ```
 */
export function spearman(x: ArrayLike<number>, y: ArrayLike<number>): number {
  return pearson(averageRanks(x), averageRanks(y));
}

/**
 * 1-based ranks with ties sharing their average rank (scipy `rankdata(method='average')`).
 *
 * @example
 * ```ts
 * averageRanks([10, 20, 10]); // Float64Array [1.5, 3, 1.5]
 * ```
 */
export function averageRanks(values: ArrayLike<number>): Float64Array {
  const n = values.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => values[a] - values[b]);
  const ranks = new Float64Array(n);
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && values[order[j + 1]] === values[order[i]]) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) ranks[order[k]] = rank;
    i = j + 1;
  }
  return ranks;
}

function restrictEnd(kv: KeyedVectors, restrictVocab: number | undefined): number {
  const r = restrictVocab ?? DEFAULT_RESTRICT_VOCAB;
  if (!Number.isInteger(r) || r < 1)
    throw new InvalidArgumentError(`restrictVocab must be a positive integer, got ${r}`);
  return Math.min(r, kv.size);
}

/** gensim's `ok_vocab`: folded word → row among the first `end` rows, the earliest case variant winning. */
function knownWords(kv: KeyedVectors, end: number, fold: (w: string) => string): Map<string, number> {
  const known = new Map<string, number>();
  for (let i = 0; i < end; i++) {
    const key = fold(kv.words[i]);
    if (!known.has(key)) known.set(key, i);
  }
  return known;
}

function sectionScore(section: string, correct: number, incorrect: number): AnalogySectionScore {
  const n = correct + incorrect;
  return { section, correct, incorrect, accuracy: n > 0 ? correct / n : 0 };
}

/** Lines as Python iterates a file: the final newline does not start an empty line. */
function splitLines(text: string): string[] {
  const lines = text.split(/\r\n|\r|\n/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Python's `str.split()`: runs of whitespace separate, leading/trailing whitespace ignored. */
function splitWhitespace(line: string): string[] {
  const t = line.trim();
  return t === '' ? [] : t.split(/\s+/);
}

/** A finite number as Python's `float()` reads it (surrounding whitespace allowed), else undefined. */
function parsePythonFloat(s: string): number | undefined {
  const t = s.trim();
  if (!DECIMAL_NUMBER.test(t)) return undefined;
  return Number(t);
}
