/**
 * The word-vector models of gensim-data (github.com/RaRe-Technologies/gensim-data, list.json), under
 * their gensim-data names: where each file lives, its size, the md5 gensim-data publishes, its
 * licence and a one-line description. gensim's downloader fetches `{base}/{name}/{name}.gz`, or for a
 * model split in parts `{base}/{name}/{name}.gz_00`, `_01`, … (each with its own md5, `checksum-N`),
 * concatenated in order. Every word-vector model there is read by gensim with
 * `KeyedVectors.load_word2vec_format` (its release's `__init__.py`): word2vec text with a header, or
 * word2vec binary for the two word2vec models, gzip-compressed; none is a pickle. Our reader detects
 * which from the bytes.
 */

import { quoteForMessage } from '@wordvec/embeddings';
import { CliError } from '../cli-error.js';

/** Where gensim's downloader fetches from (`gensim.downloader.DOWNLOAD_BASE_URL`). */
export const GENSIM_DATA_BASE = 'https://github.com/RaRe-Technologies/gensim-data/releases/download';

/** One downloadable model. */
export interface CatalogEntry {
  /** The gensim-data name (`api.load(name)`). */
  name: string;
  /** Compressed size of the whole file in bytes (list.json `file_size`). */
  size: number;
  /** Vectors in the file (`num_records`). */
  words: number;
  dim: number;
  /** md5 of each part as gensim-data publishes it (`checksum`, or `checksum-0`, `checksum-1`, …). */
  md5: readonly string[];
  /** The format the file is in, as its reader code loads it. */
  format: 'word2vec' | 'word2vec-binary';
  license: string;
  description: string;
}

const glove = (
  name: string,
  size: number,
  words: number,
  dim: number,
  md5: string,
  corpus: string,
): CatalogEntry => ({
  name,
  size,
  words,
  dim,
  md5: [md5],
  format: 'word2vec',
  license: 'http://opendatacommons.org/licenses/pddl/',
  description: `GloVe vectors (Pennington et al. 2014) from ${corpus}, ${dim} dimensions`,
});

/** The catalog, in gensim-data's order of size within each family. */
export const CATALOG: readonly CatalogEntry[] = [
  glove(
    'glove-wiki-gigaword-50',
    69182535,
    400000,
    50,
    'c289bc5d7f2f02c6dc9f2f9b67641813',
    'Wikipedia 2014 + Gigaword 5 (6B tokens, 400k words, uncased)',
  ),
  glove(
    'glove-wiki-gigaword-100',
    134300434,
    400000,
    100,
    '40ec481866001177b8cd4cb0df92924f',
    'Wikipedia 2014 + Gigaword 5 (6B tokens, 400k words, uncased)',
  ),
  glove(
    'glove-wiki-gigaword-200',
    264336934,
    400000,
    200,
    '59652db361b7a87ee73834a6c391dfc1',
    'Wikipedia 2014 + Gigaword 5 (6B tokens, 400k words, uncased)',
  ),
  glove(
    'glove-wiki-gigaword-300',
    394362229,
    400000,
    300,
    '29e9329ac2241937d55b852e8284e89b',
    'Wikipedia 2014 + Gigaword 5 (6B tokens, 400k words, uncased)',
  ),
  glove(
    'glove-twitter-25',
    109885004,
    1193514,
    25,
    '50db0211d7e7a2dcd362c6b774762793',
    '2B tweets (27B tokens, 1.2M words, uncased)',
  ),
  glove(
    'glove-twitter-50',
    209216938,
    1193514,
    50,
    'c168f18641f8c8a00fe30984c4799b2b',
    '2B tweets (27B tokens, 1.2M words, uncased)',
  ),
  glove(
    'glove-twitter-100',
    405932991,
    1193514,
    100,
    'b04f7bed38756d64cf55b58ce7e97b15',
    '2B tweets (27B tokens, 1.2M words, uncased)',
  ),
  glove(
    'glove-twitter-200',
    795373100,
    1193514,
    200,
    'e52e8392d1860b95d5308a525817d8f9',
    '2B tweets (27B tokens, 1.2M words, uncased)',
  ),
  {
    name: 'word2vec-google-news-300',
    size: 1743563840,
    words: 3000000,
    dim: 300,
    md5: ['a5e5354d40acb95f9ec66d5977d140ef'],
    format: 'word2vec-binary',
    license: 'not found',
    description: 'word2vec (Mikolov et al. 2013) on Google News (about 100B words), 3M words and phrases',
  },
  {
    name: 'word2vec-ruscorpora-300',
    size: 208427381,
    words: 184973,
    dim: 300,
    md5: ['9bdebdc8ae6d17d20839dd9b5af10bc4'],
    format: 'word2vec-binary',
    license: 'https://creativecommons.org/licenses/by/4.0/deed.en',
    description: 'word2vec skip-gram on the Russian National Corpus (about 250M words), lemma_POS words',
  },
  {
    name: 'fasttext-wiki-news-subwords-300',
    size: 1005007116,
    words: 999999,
    dim: 300,
    md5: ['de2bb3a20c46ce65c9c131e1ad9a77af'],
    format: 'word2vec',
    license: 'https://creativecommons.org/licenses/by-sa/3.0/',
    description:
      'fastText (Mikolov et al. 2018) on Wikipedia 2017, UMBC and statmt.org news (16B tokens), 1M words',
  },
  {
    name: 'conceptnet-numberbatch-17-06-300',
    size: 1225497562,
    words: 1917247,
    dim: 300,
    md5: ['fd642d457adcd0ea94da0cd21b150847'],
    format: 'word2vec',
    license: 'https://github.com/commonsense/conceptnet-numberbatch/blob/master/LICENSE.txt',
    description:
      'ConceptNet Numberbatch 17.06 (ConceptNet + word2vec + GloVe + OpenSubtitles), multilingual /c/xx/ terms',
  },
];

/** The entry called `name`, or undefined. */
export function findCatalogEntry(
  name: string,
  catalog: readonly CatalogEntry[] = CATALOG,
): CatalogEntry | undefined {
  return catalog.find((e) => e.name === name);
}

/**
 * The URLs of a model's parts under `base` (gensim-data's release layout): `{base}/{name}/{name}.gz`
 * for one part, `….gz_00`, `….gz_01`, … for several.
 */
export function partUrls(base: string, name: string, parts: number): string[] {
  const root = `${base.replace(/\/+$/, '')}/${name}/${name}.gz`;
  if (parts === 1) return [root];
  return Array.from({ length: parts }, (_, i) => `${root}_${String(i).padStart(2, '0')}`);
}

function bigrams(s: string): string[] {
  const t = ` ${s.toLowerCase()} `;
  return Array.from({ length: t.length - 1 }, (_, i) => t.slice(i, i + 2));
}

/**
 * Catalog names close to `typed`, best first: Dice similarity of character bigrams (so a typo, a
 * missing part or a different order all score), at most `limit`, none below 0.3.
 */
export function suggestCatalogNames(
  typed: string,
  catalog: readonly CatalogEntry[] = CATALOG,
  limit = 3,
): string[] {
  const mine = bigrams(typed.slice(0, 200));
  const scored = catalog.map((e) => {
    const theirs = bigrams(e.name);
    const pool = new Map<string, number>();
    for (const b of theirs) pool.set(b, (pool.get(b) ?? 0) + 1);
    let shared = 0;
    for (const b of mine) {
      const n = pool.get(b) ?? 0;
      if (n > 0) {
        shared++;
        pool.set(b, n - 1);
      }
    }
    return { name: e.name, score: (2 * shared) / (mine.length + theirs.length) };
  });
  return scored
    .filter((s) => s.score >= 0.3)
    .sort((a, b) => b.score - a.score || (a.name < b.name ? -1 : 1))
    .slice(0, limit)
    .map((s) => s.name);
}

/**
 * A catalog read from a file in gensim-data's `list.json` layout (`{ "models": { name: { file_size,
 * num_records, parameters: { dimension }, checksum | checksum-0…, parts, license, description } } }`),
 * for `WORDVEC_DOWNLOAD_CATALOG`: a mirror's own list, or a test's. Entries that are not word vectors
 * (no dimension) are left out.
 * @throws {@link CliError} naming the file and the first bad entry.
 */
export function parseGensimDataList(text: string, file: string): CatalogEntry[] {
  let list: unknown;
  try {
    list = JSON.parse(text);
  } catch (err) {
    throw new CliError(`${file} is not JSON: ${(err as Error).message}`);
  }
  const models = (list as { models?: unknown }).models;
  if (typeof models !== 'object' || models === null)
    throw new CliError(`${file} has no "models" object (gensim-data list.json layout)`);
  const out: CatalogEntry[] = [];
  for (const [name, raw] of Object.entries(models as Record<string, Record<string, unknown>>)) {
    const bad = (what: string) => new CliError(`${file}: model ${quoteForMessage(name)} ${what}`);
    const params = (raw.parameters ?? {}) as Record<string, unknown>;
    const dim = Number(params.dimension ?? params.dimensions);
    if (!Number.isInteger(dim) || dim <= 0) continue;
    const parts = Number(raw.parts ?? 1);
    if (!Number.isInteger(parts) || parts < 1 || parts > 100) throw bad('has a bad "parts"');
    const md5 = parts === 1 ? [raw.checksum] : Array.from({ length: parts }, (_, i) => raw[`checksum-${i}`]);
    if (!md5.every((m) => typeof m === 'string' && /^[0-9a-f]{32}$/i.test(m)))
      throw bad('lacks an md5 "checksum" for every part');
    out.push({
      name,
      size: Number(raw.file_size ?? 0) || 0,
      words: Number(raw.num_records ?? 0) || 0,
      dim,
      md5: md5 as string[],
      format: 'word2vec',
      license: String(raw.license ?? 'unknown'),
      description: String(raw.description ?? '').slice(0, 200),
    });
  }
  return out;
}
