/**
 * A fastText model read from a `.bin`, prepared for the store: its vocabulary vectors (fastText's
 * word vectors), its buckets as the model's subword table, and its word rows, output matrix and
 * arguments kept so that it can be exported as the same `.bin`. Words the store refuses (control,
 * bidi or invisible characters, over `MAX_WORD_LENGTH`) are skipped with a warning, as the text
 * readers skip them, and their rows go with them.
 */
import {
  type FastTextModel,
  hasFastTextMagic,
  hasUnsafeCharacters,
  MAX_WORD_LENGTH,
  quoteForMessage,
  type VectorFileWarning,
} from '@wordvec/embeddings';
import type { SubwordsToStore } from './subword-store.js';

/** What `importFile` writes for a fastText model. */
export interface PreparedFastText {
  vectors: { words: string[]; vectors: Float32Array; dim: number; counts: Float64Array | undefined };
  /** Undefined for a model without n-grams (`maxn` 0): its words are all it answers, as in fastText. */
  subwords: SubwordsToStore | undefined;
  hyperParameters: Record<string, number | string | boolean>;
  minCount: number;
  warnings: number;
}

/** Whether `path` starts with fastText's magic number (unreadable files are left to the text reader's message). */
export function isFastTextFile(path: string): boolean {
  try {
    return hasFastTextMagic(path);
  } catch {
    return false;
  }
}

/** Rows `keep` of a `rows × dim` matrix. */
function pick(m: Float32Array, dim: number, keep: readonly number[]): Float32Array {
  const out = new Float32Array(keep.length * dim);
  keep.forEach((r, i) => {
    out.set(m.subarray(r * dim, (r + 1) * dim), i * dim);
  });
  return out;
}

/**
 * The parts of `ft` to store: the first `limit` words (all when undefined) that the store accepts.
 *
 * @example
 * ```ts
 * const prepared = fastTextImport(loadFastTextBin('cc.en.300.bin'), 'cc.en.300.bin', 200_000, console.warn);
 * ```
 */
export function fastTextImport(
  ft: FastTextModel,
  file: string,
  limit: number | undefined,
  onWarning: ((w: VectorFileWarning) => void) | undefined,
): PreparedFastText {
  const { vectors: kv, args } = ft;
  const { dim } = kv;
  const n = Math.min(kv.size, limit ?? kv.size);
  const keep: number[] = [];
  let warnings = 0;
  for (let i = 0; i < n; i++) {
    const word = kv.words[i];
    if (word === '' || word.length > MAX_WORD_LENGTH || hasUnsafeCharacters(word)) {
      warnings++;
      onWarning?.({
        file,
        word,
        message: `dictionary entry ${i} ${quoteForMessage(word)} skipped: empty, too long, or with control/format characters`,
      });
    } else keep.push(i);
  }
  const all = keep.length === kv.size;
  const counts = kv.counts && (all ? kv.counts : Float64Array.from(keep, (i) => kv.counts![i]));
  const { model, loss, ...numbers } = args;
  return {
    vectors: {
      words: all ? [...kv.words] : keep.map((i) => kv.words[i]),
      vectors: all ? kv.vectors : pick(kv.vectors, dim, keep),
      dim,
      counts,
    },
    subwords:
      args.maxn === 0 || args.bucket === 0
        ? undefined
        : {
            table: ft.subwords,
            source: 'fasttext',
            fastText: {
              args,
              version: ft.version,
              ntokens: ft.ntokens,
              wordRows: all ? ft.wordRows : pick(ft.wordRows, dim, keep),
              output: ft.output && (all ? ft.output : pick(ft.output, dim, keep)),
            },
          },
    hyperParameters: { format: 'fasttext-bin', model, loss, ...numbers },
    minCount: args.minCount,
    warnings,
  };
}
