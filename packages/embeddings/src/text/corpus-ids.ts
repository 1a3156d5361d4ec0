/**
 * The vocabulary and token ids of a corpus from ONE read of its text, whatever is asked: word2vec's
 * pruning (`maxVocabSize`) and corpora whose ids do not fit the memory budget included (issue 17).
 *
 * Every token is counted and written as a provisional id (its entry in the byte-keyed word table, which
 * survives pruning); when more than `memoryBudget` bytes of provisional ids pile up they are appended to a
 * temporary file. At the end one table maps provisional to final ids, and the ids are rewritten once:
 * in memory when the kept ids fit the budget (the rule the two-pass trainer used: (kept tokens + sentences)
 * × 4 bytes), else read back from the spill file and remapped chunk by chunk for every epoch — the file of
 * ids is read again, the text never is.
 */
import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { SpillDirectory } from '../cooccurrence/spill-directory.js';
import { AbortedError } from '../errors.js';
import type { OnProgress } from '../progress.js';
import type { CorpusDescription } from '../train/trained-model.js';
import { sentenceScan, tokenScanOf } from './byte-scan.js';
import type { Corpus } from './corpus.js';
import { type ProvisionalIds, readProvisionalIds } from './provisional-ids.js';
import { END_OF_SENTENCE, type EncodedCorpus } from './token-ids.js';
import { TokenProgress } from './token-progress.js';
import { buildVocabulary, type Vocabulary } from './vocabulary.js';

/** Options of {@link readCorpusIds}. @internal */
export interface ReadCorpusIdsOptions {
  minCount: number;
  /** word2vec's pruning while counting (default: none). */
  maxVocabSize?: number;
  /** Bytes of ids to hold in memory (default: unbounded). */
  memoryBudget?: number;
  /** Kept ids in a SharedArrayBuffer (memory mode). */
  shared?: boolean;
  /** Tokens per streamed chunk (stream mode). */
  chunkTokens?: number;
  /** Where the spill file goes (default: the OS temp directory). */
  tmpDir?: string;
  onProgress?: OnProgress;
  signal?: AbortSignal;
}

/** The result of {@link readCorpusIds}: the ids in memory, or chunks read again from the spill file. @internal */
export type CorpusIds =
  | { kind: 'memory'; vocab: Vocabulary; encoded: EncodedCorpus; close(): void }
  | {
      kind: 'stream';
      vocab: Vocabulary;
      description: CorpusDescription;
      /**
       * One pass over the kept ids: chunks of at most `chunkTokens` ids holding whole sentences (a
       * sentence longer than a chunk is cut), each ending with END_OF_SENTENCE.
       */
      chunks(): AsyncIterable<Int32Array>;
      /** Removes the spill file. */
      close(): void;
    };

const READ_BACK_IDS = 1 << 20;

/**
 * Reads a corpus once (its byte pass when it has one, else its sentences) into a vocabulary and ids.
 * The vocabulary, ids and checksum are those of `Vocabulary.fromCorpus` + `encodeCorpus` (and of
 * `countAndEncodeCorpus` without pruning); call `close()` when done.
 * @internal
 */
export async function readCorpusIds(corpus: Corpus, options: ReadCorpusIdsOptions): Promise<CorpusIds> {
  const { onProgress, signal, minCount } = options;
  const budget = options.memoryBudget ?? Number.POSITIVE_INFINITY;
  const progress = new TokenProgress('vocabulary', 'vocabulary counting', onProgress, signal);
  const scan = tokenScanOf(corpus) ?? sentenceScan(corpus);
  const dir = new SpillDirectory(options.tmpDir);
  let file: string | undefined;
  let fd: number | undefined;
  try {
    const spillIds = Math.max(1 << 16, Math.floor(budget / 4));
    const read = await readProvisionalIds(
      scan,
      options.maxVocabSize ?? Number.POSITIVE_INFINITY,
      progress,
      Number.isFinite(budget)
        ? {
            ids: spillIds,
            write: (ids, n) => {
              if (fd === undefined) {
                file = dir.file('ids');
                fd = openSync(file, 'w+');
              }
              writeAll(fd, ids, n);
            },
          }
        : undefined,
    );
    const live = read.table.liveEntries();
    const vocab = buildVocabulary(live.words, live.counts, minCount, read.tokens, read.sentences);
    const finalOfLive = new Int32Array(live.words.length);
    for (let k = 0; k < finalOfLive.length; k++) finalOfLive[k] = vocab.index(live.words[k]);
    const final = read.table.finalIds(live.entries, finalOfLive);
    if (signal?.aborted) throw new AbortedError('corpus encoding');
    onProgress?.({ stage: 'encode', done: 0, total: read.tokens, unit: 'words' });
    const fits = (vocab.totalCount + vocab.sentences) * 4 <= budget;
    if (fits) {
      // Not spilled: rewritten in place (the write position never passes the read position).
      const out =
        fd === undefined
          ? new Remapped(final, read.ids)
          : new Remapped(final, new Int32Array(vocab.totalCount + vocab.sentences + 16));
      if (fd !== undefined) for (const block of spilledBlocks(fd, read.spilled)) out.add(block, block.length);
      out.add(read.ids, read.length);
      if (fd !== undefined) closeSync(fd);
      dir.remove();
      fd = undefined;
      onProgress?.({ stage: 'encode', done: read.tokens, total: read.tokens, unit: 'words' });
      return {
        kind: 'memory',
        vocab,
        encoded: out.encoded(corpus.name, read, options.shared),
        close: () => {},
      };
    }
    // Stream mode: the rest of the ids go to the file too, so every epoch reads one file.
    if (fd === undefined) {
      file = dir.file('ids');
      fd = openSync(file, 'w+');
    }
    writeAll(fd, read.ids, read.length);
    const total = read.spilled + read.length;
    const spillFd = fd;
    const chunkTokens = options.chunkTokens ?? 1 << 20;
    onProgress?.({ stage: 'encode', done: read.tokens, total: read.tokens, unit: 'words' });
    return {
      kind: 'stream',
      vocab,
      description: { name: corpus.name, tokens: vocab.totalCount, checksum: read.checksum },
      async *chunks() {
        const out = new Remapped(final, new Int32Array(chunkTokens), true);
        for (const block of spilledBlocks(spillFd, total)) {
          let from = 0;
          while (from < block.length) {
            from = out.add(block, block.length, from);
            if (out.full) yield out.take();
          }
        }
        if (out.length > 0) {
          out.endAll();
          yield out.take();
        }
      },
      close() {
        closeSync(spillFd);
        dir.remove();
      },
    };
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    dir.remove();
    throw error;
  }
}

function writeAll(fd: number, ids: Int32Array, n: number): void {
  const bytes = new Uint8Array(ids.buffer, ids.byteOffset, n * 4);
  let at = 0;
  while (at < bytes.length) at += writeSync(fd, bytes, at, bytes.length - at);
}

/** The first `count` ids of the spill file, in blocks. */
function* spilledBlocks(fd: number, count: number): Generator<Int32Array> {
  const block = new Int32Array(READ_BACK_IDS);
  const bytes = new Uint8Array(block.buffer);
  for (let done = 0; done < count; ) {
    const n = Math.min(READ_BACK_IDS, count - done);
    let got = 0;
    while (got < n * 4) {
      const r = readSync(fd, bytes, got, n * 4 - got, done * 4 + got);
      if (r === 0) throw new Error('the spill file of token ids ended early');
      got += r;
    }
    done += n;
    yield block.subarray(0, n);
  }
}

/**
 * Provisional ids rewritten as final ones, out-of-vocabulary tokens and sentences left empty dropped
 * (as `encodeCorpus`); `chunked`, the output is cut into chunks of whole sentences (a sentence longer
 * than a chunk is cut; the old streaming reader also cut the sentence that crossed a chunk's end).
 */
class Remapped {
  ids: Int32Array;
  length = 0;
  kept = 0;
  sentences = 0;
  full = false;
  #sentenceStart = 0;

  /**
   * @param ids - where the output goes (it grows unless `chunked`); may be the input itself.
   * @param chunked - cut the output into chunks of `ids.length` (see {@link Remapped.full}).
   */
  constructor(
    readonly final: Int32Array,
    ids: Int32Array,
    readonly chunked = false,
  ) {
    this.ids = ids;
  }

  /** Ends the stream: a trailing partial sentence (there is none: the read ends every sentence) is kept. */
  endAll(): void {
    this.#sentenceStart = this.length;
  }

  /** Adds `block[from, n)`; returns where it stopped (n, or earlier when a chunk is full). */
  add(block: Int32Array, n: number, from = 0): number {
    const final = this.final;
    const cut = this.chunked;
    let ids = this.ids;
    let length = this.length;
    let p = from;
    for (; p < n; p++) {
      const slot = block[p];
      if (slot === END_OF_SENTENCE) {
        if (length > this.#sentenceStart) {
          this.kept += length - this.#sentenceStart;
          ids[length++] = END_OF_SENTENCE;
          this.sentences++;
        }
        this.#sentenceStart = length;
        if (cut && length + 1 >= ids.length) {
          this.full = true;
          p++;
          break;
        }
        continue;
      }
      const id = final[slot];
      if (id < 0) continue;
      if (length + 1 >= ids.length) {
        if (cut && this.#sentenceStart > 0) {
          // The sentence so far moves on to the next chunk (see take).
          this.full = true;
          break;
        }
        if (cut) {
          // A sentence longer than a chunk is cut, as word2vec.c cuts at MAX_SENTENCE_LENGTH.
          this.kept += length - this.#sentenceStart;
          ids[length++] = END_OF_SENTENCE;
          this.#sentenceStart = length;
          this.full = true;
          break;
        }
        const bigger = new Int32Array(Math.max(16, ids.length * 2));
        bigger.set(ids.subarray(0, length));
        this.ids = ids = bigger;
      }
      ids[length++] = id;
    }
    this.length = length;
    return p;
  }

  /** The whole sentences so far (stream mode); a sentence begun moves to the start of the next chunk. */
  take(): Int32Array {
    const end = this.#sentenceStart;
    const chunk = this.ids.subarray(0, end);
    const next = new Int32Array(this.ids.length);
    next.set(this.ids.subarray(end, this.length));
    this.ids = next;
    this.length -= end;
    this.#sentenceStart = 0;
    this.full = false;
    return chunk;
  }

  encoded(name: string, read: ProvisionalIds, shared: boolean | undefined): EncodedCorpus {
    let ids: Int32Array;
    if (shared) {
      ids = new Int32Array(new SharedArrayBuffer(this.length * 4));
      ids.set(this.ids.subarray(0, this.length));
    } else ids = this.ids.slice(0, this.length);
    return {
      name,
      ids,
      tokens: this.kept,
      corpusTokens: read.tokens,
      sentences: this.sentences,
      checksum: read.checksum,
    };
  }
}
