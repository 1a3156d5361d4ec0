/**
 * The one place the CLI builds a subword table for a word-only model (`import --oov subword`,
 * `train --oov subword`, `oov-index`): which estimator and settings, so a change of default (learned
 * least squares today, see `pnpm bench oov`) is made here once.
 */
import {
  DEFAULT_SUBWORD_SPEC,
  fitSubwordTable,
  type OnProgress,
  SubwordTable,
  type UnitRows,
} from '@wordvec/embeddings';
import type { SubwordsToStore } from '@wordvec/vector-store';

/** Values of `--oov`: `none` stores no table, `subword` builds one. */
export const OOV_INDEX_MODES = ['none', 'subword'] as const;

/** Passes of the least-squares fit (fitSubwordTable's default). */
const EPOCHS = 10;

/**
 * A learned n-gram table for `rows` (unit vectors of the vocabulary), ready to store.
 *
 * @example
 * ```ts
 * store.putSubwords('glove', buildSubwordTable({ words: kv.words, dim: kv.dim, unit: kv.unitVectors() }));
 * ```
 */
export function buildSubwordTable(rows: UnitRows, onProgress?: OnProgress): SubwordsToStore {
  const table = fitSubwordTable(rows, { ...DEFAULT_SUBWORD_SPEC, epochs: EPOCHS, onProgress });
  const { minn, maxn, bucket } = DEFAULT_SUBWORD_SPEC;
  return {
    table,
    source: 'learned',
    builder: `least-squares n-gram table (fitSubwordTable, ${EPOCHS} epochs, n ${minn}–${maxn}, ${bucket} buckets)`,
  };
}

/** A trained model's own n-gram table (a fastText model), kept as it is. */
export function ownSubwords(vectors: { subwords?: unknown }): SubwordsToStore | undefined {
  return vectors.subwords instanceof SubwordTable
    ? { table: vectors.subwords, source: 'fasttext' }
    : undefined;
}

/** "12.3 MB" */
export function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}
