/**
 * The map pictures: a word's neighbourhood, a word list, an analogy. Each gathers its words from the
 * model, projects their unit vectors (PCA or UMAP), colours clusters and hands the scene to
 * {@link drawWordMap}.
 */
import { InvalidArgumentError, OovError } from '@wordvec/embeddings';
import { clusterRows } from '../layout/clusters.js';
import { type Projection, type ProjectionKind, projectRows } from '../project/projection.js';
import { HIGHLIGHT, INK } from '../svg/palette.js';
import { MAP_HEIGHT, PICTURE_WIDTH, type Picture } from './picture.js';
import { MAX_PLOT_WORDS, type PlotSource, type PlotWord } from './plot-source.js';
import { drawWordMap, type MapArrow, type MapPoint, type MapRole } from './word-map.js';

/** Options every map takes. */
export interface MapOptions {
  /** Model name for the caption. */
  model?: string;
  projection?: ProjectionKind;
  /** Seed of the projection and the clustering. Default 1. */
  seed?: number;
}

/** The numbers behind a map. */
export interface WordMapData {
  projection: ProjectionKind;
  seed: number;
  /** PCA: the share of variance on each axis. */
  explained?: [number, number];
  points: MapPoint[];
  /** Words asked for that the model does not have (and that came with no estimate). */
  missing: string[];
}

/** Options of {@link neighbourhoodPicture}. */
export interface NeighbourhoodOptions extends MapOptions {
  /** The word (or an estimated vector for it). */
  word: PlotWord;
  /** How many nearest neighbours. Default 10. */
  k?: number;
  /** Also draw this many neighbours of each neighbour (0: none). Default 0. */
  secondOrder?: number;
}

/** Options of {@link wordListPicture}. */
export interface WordListOptions extends MapOptions {
  words: readonly PlotWord[];
  /** Also draw each word's `neighbours` nearest words (the listed words are then highlighted). Default 0. */
  neighbours?: number;
}

/** Options of {@link analogyPicture}. */
export interface AnalogyPictureOptions extends MapOptions {
  /** a − b + c (gensim's `most_similar(positive=[a, c], negative=[b])`). */
  a: string;
  b: string;
  c: string;
  /** Answers to draw, best first. Default 3. */
  topn?: number;
}

interface Gathered {
  label: string;
  role: MapRole;
  vector: Float32Array;
  estimated?: boolean;
}

function wordOf(w: PlotWord): string {
  return typeof w === 'string' ? w : w.word;
}

function captionOf(options: MapOptions, projection: Projection, n: number, seed: number): string {
  const how =
    projection.projection === 'pca'
      ? `PCA of unit vectors${projection.explained ? ` (axes ${(projection.explained[0] * 100).toFixed(0)} % and ${(projection.explained[1] * 100).toFixed(0)} % of variance)` : ''}`
      : `UMAP of unit vectors (cosine), seed ${seed}`;
  return `model ${options.model ?? '(unnamed)'} · ${n} words · ${how}`;
}

async function drawMap(
  kind: Picture['kind'],
  title: string,
  gathered: readonly Gathered[],
  dim: number,
  options: MapOptions,
  extra: { arrows?: MapArrow[]; colourByRole?: boolean; missing?: string[] } = {},
): Promise<Picture<WordMapData>> {
  const seed = options.seed ?? 1;
  const n = gathered.length;
  const rows = new Float32Array(n * dim);
  // Words as unit vectors; an analogy's target is already the sum of unit vectors and stays as it is.
  for (let i = 0; i < n; i++)
    rows.set(gathered[i].role === 'target' ? gathered[i].vector : unit(gathered[i].vector), i * dim);
  const notes: string[] = [];
  const projection = await projectRows(rows, n, dim, {
    projection: options.projection ?? 'pca',
    seed,
    normalize: false,
  });
  if (options.projection === 'umap' && projection.projection === 'pca') {
    notes.push(`UMAP needs at least 6 words; drawn with PCA instead.`);
  }
  const clusters = clusterRows(rows, n, dim, { seed });
  const estimated = gathered.filter((g) => g.estimated).map((g) => g.label);
  if (estimated.length > 0) notes.push(`Estimated (not in the vocabulary): ${estimated.join(', ')}.`);
  const legend: string[] = [];
  if (estimated.length > 0) legend.push('* estimated vector (word not in the vocabulary), open marker');
  const caption = captionOf(options, projection, n, seed);
  const { svg, points } = drawWordMap({
    title,
    caption,
    width: PICTURE_WIDTH,
    height: MAP_HEIGHT,
    points: gathered.map((g, i) => ({
      label: g.label,
      role: g.role,
      estimated: g.estimated,
      cluster: clusters[i],
    })),
    projection,
    arrows: extra.arrows,
    colourByRole: extra.colourByRole,
    legend,
  });
  const hidden = points.filter((p) => !p.labelled).length;
  if (hidden > 0) notes.push(`${hidden} label${hidden === 1 ? '' : 's'} left off for lack of room.`);
  return {
    kind,
    svg,
    width: PICTURE_WIDTH,
    height: MAP_HEIGHT,
    caption,
    notes,
    data: {
      projection: projection.projection,
      seed,
      explained: projection.explained,
      points,
      missing: extra.missing ?? [],
    },
  };
}

function checkCount(name: string, value: number | undefined, fallback: number, min: number): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < min || v > MAX_PLOT_WORDS) {
    throw new InvalidArgumentError(`${name} must be an integer from ${min} to ${MAX_PLOT_WORDS}, got ${v}`);
  }
  return v;
}

/**
 * A word and its `k` nearest neighbours (and, with `secondOrder`, each neighbour's own nearest), at most
 * {@link MAX_PLOT_WORDS} words in all. A model with fewer words than asked gives what it has.
 *
 * @throws {@link OovError} when the word is neither in the model nor given with a vector.
 * @throws {@link InvalidArgumentError} for a bad `k` / `secondOrder`, or more than 50 words in all.
 * @example
 * ```ts
 * const picture = await neighbourhoodPicture(model, { word: 'king', k: 12, model: 'starter-cbow' });
 * ```
 */
export async function neighbourhoodPicture(
  source: PlotSource,
  options: NeighbourhoodOptions,
): Promise<Picture<WordMapData>> {
  const k = checkCount('k', options.k, 10, 1);
  const second = checkCount('secondOrder', options.secondOrder, 0, 0);
  if (1 + k + k * second > MAX_PLOT_WORDS) {
    throw new InvalidArgumentError(
      `a neighbourhood of ${k} neighbours with ${second} each is ${1 + k + k * second} words; at most ${MAX_PLOT_WORDS}`,
    );
  }
  const head = toGathered(source, options.word, 'query');
  if (!head) throw new OovError([wordOf(options.word)]);
  const query = typeof options.word === 'string' ? options.word : options.word.vector;
  const gathered: Gathered[] = [head];
  const seen = new Set<string>([head.label]);
  const firstRing = source.mostSimilar({ positive: [query], topn: k });
  for (const { word } of firstRing) {
    if (seen.has(word)) continue;
    seen.add(word);
    gathered.push({ label: word, role: 'neighbour', vector: source.get(word) });
  }
  if (second > 0) {
    for (const { word } of firstRing) {
      for (const next of source.mostSimilar({ positive: [word], topn: second + 1 })) {
        if (seen.has(next.word) || gathered.length >= MAX_PLOT_WORDS) continue;
        seen.add(next.word);
        gathered.push({ label: next.word, role: 'second', vector: source.get(next.word) });
      }
    }
  }
  const notes: string[] = [];
  if (firstRing.length < k) notes.push(`The model has only ${firstRing.length} other words; all are drawn.`);
  const title = `Neighbourhood of ${head.label}${head.estimated ? '*' : ''} (${firstRing.length} nearest${second > 0 ? `, ${second} each of theirs` : ''})`;
  const picture = await drawMap('neighbourhood', title, gathered, source.dim, options);
  picture.notes.unshift(...notes);
  return picture;
}

/**
 * A map of the given words (duplicates drawn once). A single word draws its neighbourhood instead;
 * words the model lacks are left out and listed in `data.missing` and the notes.
 *
 * @throws {@link InvalidArgumentError} for no words or more than {@link MAX_PLOT_WORDS}.
 * @throws {@link OovError} naming every word when none of them is in the model.
 * @example
 * ```ts
 * const picture = await wordListPicture(model, { words: ['king', 'queen', 'man', 'woman'], projection: 'pca' });
 * ```
 */
export async function wordListPicture(
  source: PlotSource,
  options: WordListOptions,
): Promise<Picture<WordMapData>> {
  const unique = new Map<string, PlotWord>();
  for (const w of options.words) if (!unique.has(wordOf(w))) unique.set(wordOf(w), w);
  if (unique.size === 0) throw new InvalidArgumentError('no words to draw');
  if (unique.size > MAX_PLOT_WORDS) {
    throw new InvalidArgumentError(`at most ${MAX_PLOT_WORDS} words in one picture, got ${unique.size}`);
  }
  const gathered: Gathered[] = [];
  const missing: string[] = [];
  for (const w of unique.values()) {
    const g = toGathered(source, w, 'query');
    if (g) gathered.push(g);
    else missing.push(wordOf(w));
  }
  if (gathered.length === 0) throw new OovError(missing);
  const neighbours = checkCount('neighbours', options.neighbours, 0, 0);
  if (gathered.length === 1) {
    const only = [...unique.values()].find((w) => wordOf(w) === gathered[0].label) as PlotWord;
    const picture = await neighbourhoodPicture(source, {
      ...options,
      word: only,
      k: neighbours || undefined,
    });
    picture.data.missing = missing;
    if (missing.length > 0) picture.notes.unshift(notInVocabulary(missing));
    picture.notes.unshift(`Only one word to draw: showing its neighbourhood.`);
    return picture;
  }
  const asked = gathered.length;
  if (neighbours > 0) {
    if (asked * (1 + neighbours) > MAX_PLOT_WORDS) {
      throw new InvalidArgumentError(
        `${asked} words with ${neighbours} neighbours each is up to ${asked * (1 + neighbours)} words; at most ${MAX_PLOT_WORDS}`,
      );
    }
    const seen = new Set(gathered.map((g) => g.label));
    for (const g of gathered.slice(0, asked)) {
      const query = g.estimated ? g.vector : g.label;
      for (const { word } of source.mostSimilar({ positive: [query], topn: neighbours })) {
        if (seen.has(word)) continue;
        seen.add(word);
        gathered.push({ label: word, role: 'neighbour', vector: source.get(word) });
      }
    }
  } else {
    // Colour by cluster; every word was asked for, so none is singled out as the query.
    for (const g of gathered) g.role = 'neighbour';
  }
  const title = neighbours > 0 ? `${asked} words and their ${neighbours} nearest` : `Map of ${asked} words`;
  const picture = await drawMap('word-list', title, gathered, source.dim, options, { missing });
  if (missing.length > 0) picture.notes.unshift(notInVocabulary(missing));
  return picture;
}

function notInVocabulary(missing: readonly string[]): string {
  return `Not in the vocabulary, left out: ${missing.join(', ')}.`;
}

/**
 * The analogy a − b + c drawn as two parallel offsets: an arrow b → a, the same offset from c to the
 * point a − b + c (a cross), and the answers (the nearest words to it, best in red).
 *
 * @throws {@link OovError} naming every one of a, b, c the model lacks.
 * @example
 * ```ts
 * const picture = await analogyPicture(model, { a: 'king', b: 'man', c: 'woman' }); // answer: queen
 * ```
 */
export async function analogyPicture(
  source: PlotSource,
  options: AnalogyPictureOptions,
): Promise<Picture<WordMapData>> {
  const topn = checkCount('topn', options.topn, 3, 1);
  const terms = [options.a, options.b, options.c];
  const missing = terms.filter((w) => !source.has(w));
  if (missing.length > 0) throw new OovError([...new Set(missing)]);
  const [a, b, c] = terms.map((w) => unit(source.get(w)));
  const target = new Float32Array(source.dim);
  for (let d = 0; d < source.dim; d++) target[d] = a[d] - b[d] + c[d];
  const answers = source.mostSimilar({ positive: [options.a, options.c], negative: [options.b], topn });
  const gathered: Gathered[] = [];
  const seen = new Set<string>();
  for (const w of terms) {
    if (seen.has(w)) continue;
    seen.add(w);
    gathered.push({ label: w, role: 'query', vector: source.get(w) });
  }
  const targetLabel = `${options.a} − ${options.b} + ${options.c}`;
  gathered.push({ label: targetLabel, role: 'target', vector: target });
  for (const { word } of answers) {
    if (seen.has(word)) continue;
    seen.add(word);
    gathered.push({
      label: word,
      role: answers[0].word === word ? 'answer' : 'neighbour',
      vector: source.get(word),
    });
  }
  const at = (label: string) => gathered.findIndex((g) => g.label === label);
  const arrows: MapArrow[] = [
    { from: at(options.b), to: at(options.a), colour: INK },
    { from: at(options.c), to: at(targetLabel), colour: INK, dashed: true },
  ];
  if (answers.length > 0)
    arrows.push({ from: at(targetLabel), to: at(answers[0].word), colour: HIGHLIGHT, dashed: true });
  const title = `${options.a} − ${options.b} + ${options.c} ≈ ${answers[0]?.word ?? '?'}`;
  const picture = await drawMap('analogy', title, gathered, source.dim, options, {
    arrows,
    colourByRole: true,
  });
  return picture;
}

function unit(v: Float32Array): Float32Array {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
  return v.map((x) => x * inv);
}

function toGathered(source: PlotSource, w: PlotWord, role: MapRole): Gathered | undefined {
  if (typeof w !== 'string') {
    if (w.vector.length !== source.dim) {
      throw new InvalidArgumentError(
        `the vector of ${JSON.stringify(w.word)} has ${w.vector.length} values, the model ${source.dim}`,
      );
    }
    if (source.has(w.word) && !w.estimated) return { label: w.word, role, vector: source.get(w.word) };
    return { label: w.word, role, vector: w.vector, estimated: w.estimated ?? true };
  }
  return source.has(w) ? { label: w, role, vector: source.get(w) } : undefined;
}
