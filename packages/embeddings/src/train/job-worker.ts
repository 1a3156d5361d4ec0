/**
 * The parent's side of the trainers' worker protocol (word2vec's cbow.ts, fastText's fasttext.ts): a worker
 * thread that runs one job at a time and answers each with one result message, and the loop that hands the
 * chunks of a streamed corpus to whichever worker is free.
 */
import type { Worker } from 'node:worker_threads';
import { EmbeddingsError } from '../errors.js';

/**
 * A `worker_threads` Worker that runs one job at a time: {@link JobWorker.run} posts the job and resolves
 * with the worker's next message. {@link JobWorker.failed} rejects when the worker throws or exits while a
 * job is pending.
 *
 * @internal
 * @example
 * ```ts
 * const w = new JobWorker<CbowJob, CbowJobResult>(new Worker(entry, { workerData }), 'word2vec');
 * const result = await Promise.race([w.run(job), w.failed]);
 * await w.terminate();
 * ```
 */
export class JobWorker<Job, Result> {
  /** Rejects with the worker's error, or a `WORKER_FAILED` error when it exits during a job. */
  readonly failed: Promise<never>;
  #pending: ((r: Result) => void) | undefined;

  /**
   * @param worker - the thread; it must answer every job message with exactly one result message.
   * @param name - the trainer, as an error message names it (e.g. `fastText`).
   */
  constructor(
    readonly worker: Worker,
    name: string,
  ) {
    this.failed = new Promise<never>((_, reject) => {
      worker.on('error', reject);
      worker.on('exit', (code) => {
        if (this.#pending)
          reject(
            new EmbeddingsError('WORKER_FAILED', `${name} worker exited with code ${code} during training`),
          );
      });
    });
    this.failed.catch(() => {});
    worker.on('message', (r: Result) => {
      const resolve = this.#pending;
      this.#pending = undefined;
      resolve?.(r);
    });
  }

  /** Posts `job`; resolves with the worker's answer. */
  run(job: Job): Promise<Result> {
    return new Promise((resolve) => {
      this.#pending = resolve;
      this.worker.postMessage(job);
    });
  }

  async terminate(): Promise<void> {
    this.#pending = undefined;
    await this.worker.terminate();
  }
}

/**
 * One pass over a streamed corpus: cuts each chunk into pieces of at most `chunkTokens` ids and sends each
 * piece, as `job(piece)`, to whichever worker is free (gensim's job queue); stops handing out pieces once
 * `stop()` is true. Resolves when every piece sent is done; with one worker the pieces run in order.
 *
 * @internal
 * @example
 * ```ts
 * await streamChunks(read.chunks(), workers, layout.chunkTokens, () => aborted(), (chunk) => ({ chunk }));
 * ```
 */
export async function streamChunks<Job, Result>(
  chunks: AsyncIterable<Int32Array>,
  workers: JobWorker<Job, Result>[],
  chunkTokens: number,
  stop: () => boolean,
  job: (chunk: Int32Array) => Job,
): Promise<void> {
  const busy = new Map<JobWorker<Job, Result>, Promise<JobWorker<Job, Result>>>();
  outer: for await (const ids of chunks) {
    for (let from = 0; from < ids.length; from += chunkTokens) {
      if (stop()) break outer;
      let free = workers.find((w) => !busy.has(w));
      if (!free) {
        free = await Promise.race(busy.values());
        busy.delete(free);
      }
      const worker = free;
      busy.set(
        worker,
        worker.run(job(ids.subarray(from, from + chunkTokens))).then(() => worker),
      );
    }
  }
  await Promise.all(busy.values());
}
