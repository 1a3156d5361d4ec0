/** The description of a stored model, as `models()` lists it, and its mapping from a `models` row. */
import type { EfCalibration } from '../ann/hnsw-calibration.js';
import type { SubwordInfo } from './subword-store.js';

/**
 * Where a model's training text came from.
 *
 * @example
 * ```ts
 * const info = store.models().find((m) => m.name === 'brown-cbow');
 * info?.corpus?.checksum; // the same text gives the same checksum
 * ```
 */
export interface CorpusInfo {
  name: string;
  tokens: number;
  checksum: string;
}

/**
 * Parameters of the persisted approximate-search index, when one was built.
 *
 * @example
 * ```ts
 * for (const m of store.models()) if (m.ann) console.log(m.name, `HNSW M=${m.ann.M} efConstruction=${m.ann.efConstruction} ef=${m.ann.calibration?.ef}`);
 * ```
 */
export interface AnnInfo {
  kind: 'hnsw';
  M: number;
  efConstruction: number;
  seed: number;
  /**
   * The default beam width measured when the graph was built (`ann/hnsw-calibration.ts`); absent for
   * graphs built before calibration existed (their default width is 64).
   */
  calibration?: EfCalibration;
}

/**
 * One stored model, as listed by `VectorStore.models()`.
 *
 * @example
 * ```ts
 * for (const m of store.models()) console.log(m.name, m.algorithm, m.dim, m.vocabSize, m.isDefault ? '(default)' : '');
 * ```
 */
export interface ModelInfo {
  name: string;
  dim: number;
  vocabSize: number;
  /** `cbow`, `skipgram`, `glove`, `ppmi`, or `imported` for vectors read from a file. */
  algorithm: string;
  hyperParameters: Record<string, number | string | boolean>;
  corpus?: CorpusInfo;
  evaluation?: Record<string, unknown>;
  /** ISO 8601 time the model was written. */
  createdAt: string;
  status: 'importing' | 'ready';
  isDefault: boolean;
  /** Words seen fewer times than this were left out of the vocabulary, when known. */
  minCount?: number;
  /** Whether per-word corpus counts are stored (otherwise rank is the row order of the source). */
  hasCounts: boolean;
  /** The approximate-search index, when built. */
  ann?: AnnInfo;
  /** The subword table kept with the model (OOV estimates), when there is one. */
  subword?: SubwordInfo;
}

/** A `models` row as SQLite returns it. */
export interface ModelRow {
  id: number;
  name: string;
  status: 'importing' | 'ready';
  dim: number;
  vocab_size: number;
  algorithm: string;
  hyper_parameters: string;
  corpus: string | null;
  evaluation: string | null;
  min_count: number | null;
  created_at: string;
  is_default: number;
  block_rows: number;
  has_counts: number;
  ann: string | null;
}

/** Maps a `models` row to the public {@link ModelInfo}. */
export function toModelInfo(row: ModelRow): ModelInfo {
  const info: ModelInfo = {
    name: row.name,
    dim: row.dim,
    vocabSize: row.vocab_size,
    algorithm: row.algorithm,
    hyperParameters: JSON.parse(row.hyper_parameters),
    createdAt: row.created_at,
    status: row.status,
    isDefault: row.is_default === 1,
    hasCounts: row.has_counts === 1,
  };
  if (row.corpus !== null) info.corpus = JSON.parse(row.corpus);
  if (row.evaluation !== null) info.evaluation = JSON.parse(row.evaluation);
  if (row.min_count !== null) info.minCount = row.min_count;
  if (row.ann !== null) info.ann = JSON.parse(row.ann);
  return info;
}
