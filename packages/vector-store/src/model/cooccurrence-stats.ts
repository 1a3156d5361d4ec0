/**
 * The co-occurrence statistics a model was trained from (PPMI-SVD hands them over), kept beside the
 * model so the bot can answer "how much more often than chance do a and b co-occur?" (`/pmi`) and
 * "what are the strongest contexts of w?" (`/cooccur`) without the corpus.
 *
 * Layout: one row of the `cooccurrence` table per model (sizes, total, how it was pruned) and the
 * arrays of `CooccurrenceStats.toSerialized()` as BLOB pieces of the `chunks` table (kinds `cooc-*`).
 * Both hang off `models(id)` with `ON DELETE CASCADE`, so deleting or replacing a model drops its
 * statistics in the same transaction and renaming carries them (they are keyed by id, not name).
 *
 * Size: the full matrix has tens of millions of entries on a large corpus, so by default each word
 * keeps only its {@link DEFAULT_STORED_CONTEXTS} strongest contexts by smoothed PPMI (what `/cooccur`
 * lists) plus its {@link DEFAULT_STORED_CONTEXTS} most frequent ones (the pairs `/pmi` is most
 * often asked about). Row and column sums and the total always describe the full counts, so every
 * PMI read from a kept pair is exact; a dropped pair reads as count 0.
 */
import { CooccurrenceStats, quoteForMessage } from '@wordvec/embeddings';
import { selectTopK } from '@wordvec/embeddings/kernels';
import type { Database } from 'better-sqlite3';
import { StoreError } from '../errors.js';
import { bytesOf, float64From, readPieces, uint32From, writePieces } from '../sqlite/chunks.js';

/**
 * Contexts kept per word by each of the two criteria (top PPMI, top count): at most twice this many.
 *
 * @example
 * ```ts
 * store.putCooccurrence('brown-ppmi', stats, { contexts: 2 * DEFAULT_STORED_CONTEXTS }); // keep more than the default
 * ```
 */
export const DEFAULT_STORED_CONTEXTS = 32;

/** Context-distribution smoothing used to rank contexts when pruning (Levy, Goldberg & Dagan 2015: α = 0.75). */
const PRUNE_ALPHA = 0.75;

/**
 * How the statistics of a model are stored: `'all'` keeps every pair, a number prunes (see the module note).
 *
 * @example
 * ```ts
 * const contexts: StoredContexts = keepEverything ? 'all' : 16;
 * store.putCooccurrence('brown-ppmi', stats, { contexts });
 * ```
 */
export type StoredContexts = number | 'all';

/**
 * What the `cooccurrence` table says about a model's statistics.
 *
 * @example
 * ```ts
 * store.model('brown-ppmi').cooccurrenceInfo(); // { vocabSize, nnz, total, maxContexts: 32 }, or undefined
 * ```
 */
export interface CooccurrenceInfo {
  vocabSize: number;
  /** Pairs stored (after pruning). */
  nnz: number;
  total: number;
  /** Contexts kept per word and criterion; undefined when every pair was kept. */
  maxContexts?: number;
}

interface CooccurrenceRow {
  vocab_size: number;
  nnz: number;
  total: number;
  max_contexts: number | null;
  own_words: number;
}

const KINDS = {
  rowSums: 'cooc-row-sums',
  colSums: 'cooc-col-sums',
  rowPtr: 'cooc-row-ptr',
  cols: 'cooc-cols',
  values: 'cooc-values',
  words: 'cooc-words',
} as const;

/**
 * Keeps, per word, the union of its `maxContexts` contexts of highest smoothed PPMI and its
 * `maxContexts` contexts of highest count, in column order. Marginals and total are unchanged.
 *
 * @example
 * ```ts
 * const small = pruneForStorage(stats, 32); // ≤ 64 pairs per word
 * small.pmi('new', 'york') === stats.pmi('new', 'york'); // true for every kept pair
 * ```
 */
export function pruneForStorage(stats: CooccurrenceStats, maxContexts: number): CooccurrenceStats {
  if (!Number.isInteger(maxContexts) || maxContexts < 1) {
    throw new StoreError(
      'INVALID_ARGUMENT',
      `contexts kept per word must be a positive integer or 'all', got ${maxContexts}`,
    );
  }
  const V = stats.vocabSize;
  const rowPtr = new Float64Array(V + 1);
  const cols: number[] = [];
  const values: number[] = [];
  const keep = new Set<number>();
  for (let i = 0; i < V; i++) {
    const start = stats.rowPtr[i];
    const end = stats.rowPtr[i + 1];
    if (end - start <= maxContexts) {
      for (let e = start; e < end; e++) {
        cols.push(stats.cols[e]);
        values.push(stats.values[e]);
      }
    } else {
      keep.clear();
      for (const e of selectTopK(stats.values, maxContexts, { start, end }).rows) keep.add(stats.cols[e]);
      for (const c of stats.topContexts(i, { k: maxContexts, alpha: PRUNE_ALPHA })) keep.add(c.index);
      // Entries of a row are in column order; walking the row keeps that order.
      for (let e = start; e < end; e++) {
        if (keep.has(stats.cols[e])) {
          cols.push(stats.cols[e]);
          values.push(stats.values[e]);
        }
      }
    }
    rowPtr[i + 1] = values.length;
  }
  return new CooccurrenceStats({
    ...stats.toSerialized(),
    rowPtr,
    cols: Uint32Array.from(cols),
    values: Float64Array.from(values),
  });
}

/**
 * Writes the statistics of model `modelId`, replacing any it had. Call inside the transaction that
 * writes (or already holds) the model.
 *
 * @param modelWords - the model's vocabulary in row order: when the statistics use the same words in
 *   the same order (a trainer's own vocabulary), they are not stored twice.
 */
export function writeCooccurrenceStats(
  db: Database,
  modelId: number,
  stats: CooccurrenceStats,
  modelWords: readonly string[],
  contexts: StoredContexts = DEFAULT_STORED_CONTEXTS,
): CooccurrenceInfo {
  if (typeof (stats as Partial<CooccurrenceStats>)?.toSerialized !== 'function') {
    throw new StoreError(
      'INVALID_ARGUMENT',
      'cooccurrence must be a CooccurrenceStats of @wordvec/embeddings',
    );
  }
  if (!stats.words) {
    throw new StoreError(
      'INVALID_ARGUMENT',
      'co-occurrence statistics without words cannot be stored: build them with CooccurrenceStats.fromMatrix(m, words)',
    );
  }
  const kept = contexts === 'all' ? stats : pruneForStorage(stats, contexts);
  const s = kept.toSerialized();
  const words = s.words as readonly string[];
  const ownWords = !sameWords(words, modelWords);
  const bad = ownWords ? words.find((w) => w === '' || w.includes('\n')) : undefined;
  if (bad !== undefined) {
    throw new StoreError(
      'INVALID_ARGUMENT',
      `invalid co-occurrence word ${quoteForMessage(bad)}: words must be non-empty without newlines`,
    );
  }
  deleteCooccurrenceStats(db, modelId);
  db.prepare(
    `INSERT INTO cooccurrence (model_id, vocab_size, nnz, total, max_contexts, own_words)
     VALUES (?, ?, ?, ?, ?, ?)`,
  ).run(modelId, s.vocabSize, kept.nnz, s.total, contexts === 'all' ? null : contexts, ownWords ? 1 : 0);
  writePieces(db, modelId, KINDS.rowSums, bytesOf(s.rowSums));
  writePieces(db, modelId, KINDS.colSums, bytesOf(s.colSums));
  writePieces(db, modelId, KINDS.rowPtr, bytesOf(s.rowPtr));
  writePieces(db, modelId, KINDS.cols, bytesOf(s.cols.subarray(0, kept.nnz)));
  writePieces(db, modelId, KINDS.values, bytesOf(s.values.subarray(0, kept.nnz)));
  if (ownWords) writePieces(db, modelId, KINDS.words, Buffer.from(words.join('\n'), 'utf8'));
  return {
    vocabSize: s.vocabSize,
    nnz: kept.nnz,
    total: s.total,
    ...(contexts === 'all' ? {} : { maxContexts: contexts }),
  };
}

/** Removes the statistics of model `modelId` (nothing when it has none). */
export function deleteCooccurrenceStats(db: Database, modelId: number): void {
  db.prepare('DELETE FROM cooccurrence WHERE model_id = ?').run(modelId);
  db.prepare("DELETE FROM chunks WHERE model_id = ? AND kind LIKE 'cooc-%'").run(modelId);
}

/** Whether the store has the `cooccurrence` table (read-only opens accept older schemas without it). */
function hasTable(db: Database): boolean {
  return (
    db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'cooccurrence'").get() !==
    undefined
  );
}

/** What is stored about the statistics of model `modelId`, or undefined when it has none. */
export function cooccurrenceInfo(db: Database, modelId: number): CooccurrenceInfo | undefined {
  const row = readRow(db, modelId);
  if (!row) return undefined;
  return {
    vocabSize: row.vocab_size,
    nnz: row.nnz,
    total: row.total,
    ...(row.max_contexts === null ? {} : { maxContexts: row.max_contexts }),
  };
}

function readRow(db: Database, modelId: number): CooccurrenceRow | undefined {
  if (!hasTable(db)) return undefined;
  return db.prepare('SELECT * FROM cooccurrence WHERE model_id = ?').get(modelId) as
    | CooccurrenceRow
    | undefined;
}

/**
 * Reads the statistics of model `modelId`, or undefined when it has none. Call inside a read
 * transaction so the row and every piece come from one snapshot.
 *
 * @param modelWords - gives the model's vocabulary, read only when the statistics share it.
 */
export function readCooccurrenceStats(
  db: Database,
  modelId: number,
  modelWords: () => string[],
): CooccurrenceStats | undefined {
  const row = readRow(db, modelId);
  if (!row) return undefined;
  const piece = (kind: string): Uint8Array => {
    const bytes = readPieces(db, modelId, kind);
    if (bytes === undefined) {
      throw new StoreError('SQLITE', `co-occurrence statistics of model ${modelId} lack their ${kind} data`);
    }
    return bytes;
  };
  const words = row.own_words ? Buffer.from(piece(KINDS.words)).toString('utf8').split('\n') : modelWords();
  // An empty BLOB comes back as one zero-length piece: nnz 0 is a valid (if useless) matrix.
  return new CooccurrenceStats({
    words,
    vocabSize: row.vocab_size,
    total: row.total,
    rowSums: float64From(piece(KINDS.rowSums)),
    colSums: float64From(piece(KINDS.colSums)),
    rowPtr: float64From(piece(KINDS.rowPtr)),
    cols: uint32From(piece(KINDS.cols)),
    values: float64From(piece(KINDS.values)),
  });
}

function sameWords(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
