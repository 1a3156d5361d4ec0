/**
 * The one place the CLI builds a subword model for a word-only model (`import --oov subword`,
 * `train --oov subword`, `oov-index`): which estimator and settings. The default is the library's
 * `DEFAULT_SUBWORD_METHOD`, Magnitude (chosen by `pnpm bench oov`); `--oov-method learned` fits the
 * least-squares n-gram table instead.
 */
import {
  buildSubwordEstimator,
  DEFAULT_SUBWORD_METHOD,
  DEFAULT_SUBWORD_SPEC,
  type OnProgress,
  SUBWORD_METHODS,
  type SubwordMethod,
  SubwordTable,
  type UnitRows,
} from '@wordvec/embeddings';
import type { SubwordInfo, SubwordsToStore } from '@wordvec/vector-store';

/** Values of `--oov`: `none` stores no subword model, `subword` builds one. */
export const OOV_INDEX_MODES = ['none', 'subword'] as const;

/** Values of `--oov-method`, default first. */
export const OOV_METHODS: readonly SubwordMethod[] = [
  DEFAULT_SUBWORD_METHOD,
  ...SUBWORD_METHODS.filter((m) => m !== DEFAULT_SUBWORD_METHOD),
];

/** The `--oov-method` option's help. */
export const OOV_METHOD_HELP = `with --oov subword: ${OOV_METHODS.join(' (default) or ')}: a Magnitude n-gram index (typos land on the word they misspell) or a least-squares n-gram table`;

/** Passes of the least-squares fit (fitSubwordTable's default). */
const EPOCHS = 10;

/** A built subword model, ready to store, and the bytes it held in memory while built. */
export interface BuiltSubwords {
  subwords: SubwordsToStore;
  memoryBytes: number;
}

/**
 * The subword model of `rows` (unit vectors of the vocabulary, in the model's row order), ready to store.
 *
 * @example
 * ```ts
 * store.putSubwords('glove', buildSubwords({ words: kv.words, dim: kv.dim, unit: kv.unitVectors() }).subwords);
 * ```
 */
export function buildSubwords(
  rows: UnitRows,
  method: SubwordMethod = DEFAULT_SUBWORD_METHOD,
  onProgress?: OnProgress,
): BuiltSubwords {
  const { minn, maxn, bucket } = DEFAULT_SUBWORD_SPEC;
  const built = buildSubwordEstimator(rows, {
    method,
    learned: { ...DEFAULT_SUBWORD_SPEC, epochs: EPOCHS },
    magnitude: { minn, maxn },
    onProgress,
  });
  if (built.method === 'learned')
    return {
      subwords: {
        table: built.table,
        source: 'learned',
        builder: `least-squares n-gram table (fitSubwordTable, ${EPOCHS} epochs, n ${minn}–${maxn}, ${bucket} buckets)`,
      },
      memoryBytes: built.table.rows.byteLength,
    };
  const { neighbours, randomWeight } = built.magnitude.settings;
  return {
    subwords: {
      magnitude: built.magnitude,
      source: 'magnitude',
      builder: `Magnitude n-gram index (n ${minn}–${maxn}, ${neighbours} neighbours, random weight ${randomWeight})`,
    },
    memoryBytes: built.magnitude.indexBytes,
  };
}

/** A trained model's own n-gram table (a fastText model), kept as it is. */
export function ownSubwords(vectors: { subwords?: unknown }): SubwordsToStore | undefined {
  return vectors.subwords instanceof SubwordTable
    ? { table: vectors.subwords, source: 'fasttext' }
    : undefined;
}

/** One line about a stored subword model: "a Magnitude n-gram index (…)", "fastText's n-gram table of 2000000 rows (…)". */
export function describeStoredSubwords(info: SubwordInfo): string {
  if (info.source === 'magnitude')
    return `a Magnitude n-gram index over ${info.magnitude?.words} words, ${info.magnitude?.ngrams} distinct n-grams (n ${info.minn}–${info.maxn}; ${megabytes(info.bytes)} on disk, read on the first estimate)`;
  return `${info.source === 'fasttext' ? "fastText's" : 'a learned'} n-gram table of ${info.bucket} rows (n ${info.minn}–${info.maxn}; ${megabytes(info.bytes)} on disk, read piece by piece)`;
}

/** "12.3 MB" */
export function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}
