/**
 * A word-only model's Magnitude n-gram index (`MagnitudeEstimator`, @wordvec/embeddings) kept beside
 * the model: its four typed arrays as `mag-hashes`, `mag-offsets`, `mag-postings`, `mag-grams` pieces
 * of the `chunks` table (8 MB each), described by the model's `subword_tables` row (`source:
 * 'magnitude'`, layout {@link MAGNITUDE_LAYOUT_VERSION}, the settings, one FNV-1a checksum per array).
 * Nothing is read until a stored model estimates its first OOV word; then the arrays are read whole
 * (`pnpm bench oov`, 400k words: a 63 MB index, read and checked in 0.8 s where building it again
 * took 18 s, on a loaded shared machine) and checked, and the estimator looks up words and unit rows in the store by row.
 * Removed with the model (`ON DELETE CASCADE`) or by `putSubwords(name, undefined)`.
 */
import { MagnitudeEstimator, type MagnitudeIndex, type MagnitudeRows } from '@wordvec/embeddings';
import { fastTextHash } from '@wordvec/embeddings/kernels';
import type { Database } from 'better-sqlite3';
import { StoreError } from '../errors.js';
import { bytesOf, readPieces, writePieces } from '../sqlite/chunks.js';

/**
 * Layout version of a stored Magnitude index (table layouts are version 1): what
 * `StoredModel.subwordInfo()?.version` reports for a model indexed by `wordvec oov-index`.
 *
 * @example
 * ```ts
 * import { MAGNITUDE_LAYOUT_VERSION } from '@wordvec/vector-store';
 * console.log(MAGNITUDE_LAYOUT_VERSION); // 2
 * ```
 */
export const MAGNITUDE_LAYOUT_VERSION = 2;

/** The chunk kinds of the index, one per array. */
export const MAGNITUDE_KINDS = ['mag-hashes', 'mag-offsets', 'mag-postings', 'mag-grams'] as const;

/** What is stored about a Magnitude index (`SubwordInfo.magnitude`). */
export interface MagnitudeInfo {
  /** Vocabulary rows indexed (the first ones, at most 2,097,152). */
  words: number;
  /** Distinct n-grams (hashes) in the index. */
  ngrams: number;
  /** Entries of the posting lists. */
  postings: number;
  neighbours: number;
  randomWeight: number;
  /** FNV-1a of each array's bytes, in {@link MAGNITUDE_KINDS} order. */
  checksums: number[];
}

/** The four arrays in {@link MAGNITUDE_KINDS} order. */
function arraysOf(index: MagnitudeIndex): [Uint32Array, Uint32Array, Uint32Array, Uint16Array] {
  return [index.hashes, index.offsets, index.postings, index.gramCounts];
}

/**
 * Writes the index of `estimator` as pieces of model `modelId` (call inside the model's
 * transaction, after removing any older subword data) and returns its description.
 */
export function writeMagnitude(
  db: Database,
  modelId: number,
  vocabSize: number,
  estimator: MagnitudeEstimator,
): { info: MagnitudeInfo; bytes: number; minn: number; maxn: number } {
  if (!(estimator instanceof MagnitudeEstimator))
    throw new StoreError(
      'INVALID_ARGUMENT',
      'subwords.magnitude must be a MagnitudeEstimator of @wordvec/embeddings',
    );
  const { index } = estimator;
  if (index.gramCounts.length !== Math.min(vocabSize, 2 ** 21))
    throw new StoreError(
      'INVALID_ARGUMENT',
      `the Magnitude index covers ${index.gramCounts.length} words, the model has ${vocabSize}`,
    );
  const checksums: number[] = [];
  let bytes = 0;
  arraysOf(index).forEach((a, i) => {
    const b = bytesOf(a);
    writePieces(db, modelId, MAGNITUDE_KINDS[i], b);
    checksums.push(fastTextHash(b));
    bytes += b.byteLength;
  });
  const { neighbours, randomWeight, minn, maxn } = estimator.settings;
  return {
    info: {
      words: index.gramCounts.length,
      ngrams: index.hashes.length,
      postings: index.postings.length,
      neighbours,
      randomWeight,
      checksums,
    },
    bytes,
    minn,
    maxn,
  };
}

/**
 * Reads a stored index back (every piece, checked against its checksum and its size) and makes the
 * estimator over `rows` (the stored model's words and unit rows, looked up by row).
 *
 * @throws {@link StoreError} `SQLITE` when a piece is missing or damaged.
 */
export function readMagnitude(
  db: Database,
  modelId: number,
  spec: { minn: number; maxn: number; magnitude: MagnitudeInfo },
  rows: MagnitudeRows,
): MagnitudeEstimator {
  const m = spec.magnitude;
  const damaged = (detail: string): never => {
    throw new StoreError('SQLITE', `the Magnitude index of model ${modelId} is damaged: ${detail}`);
  };
  const lengths = [m.ngrams, m.ngrams + 1, m.postings, m.words];
  const arrays = MAGNITUDE_KINDS.map((kind, i) => {
    const a = kind === 'mag-grams' ? new Uint16Array(lengths[i]) : new Uint32Array(lengths[i]);
    const b = new Uint8Array(a.buffer);
    if (b.byteLength > 0 && !readPieces(db, modelId, kind, b)) damaged(`${kind} is missing`);
    if (fastTextHash(b) !== m.checksums[i]) damaged(`${kind} does not match its checksum`);
    return a;
  });
  const index: MagnitudeIndex = {
    minn: spec.minn,
    maxn: spec.maxn,
    hashes: arrays[0] as Uint32Array,
    offsets: arrays[1] as Uint32Array,
    postings: arrays[2] as Uint32Array,
    gramCounts: arrays[3] as Uint16Array,
  };
  try {
    return new MagnitudeEstimator(
      rows,
      { minn: spec.minn, maxn: spec.maxn, neighbours: m.neighbours, randomWeight: m.randomWeight },
      index,
    );
  } catch (err) {
    throw new StoreError('SQLITE', `the Magnitude index of model ${modelId} does not fit the model`, {
      cause: err,
    });
  }
}
