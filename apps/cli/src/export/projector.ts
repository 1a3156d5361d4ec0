/**
 * The two files the TensorFlow Embedding Projector (projector.tensorflow.org, "Load") reads: the
 * vectors as TSV (one row per word, values separated by tabs, no header) and the metadata as TSV in
 * the same order (one column of words, no header, as the projector wants for a single column; with
 * corpus counts two columns under the header `word\tcount`).
 */
import { createWriteStream } from 'node:fs';
import { rename, unlink } from 'node:fs/promises';
import { finished } from 'node:stream/promises';
import type { KeyedVectors } from '@wordvec/embeddings';

/** `out` → `out-vectors.tsv` and `out-metadata.tsv` (a trailing `.tsv` is dropped first). */
export function projectorPaths(out: string): { vectors: string; metadata: string } {
  const base = out.replace(/\.tsv$/i, '');
  return { vectors: `${base}-vectors.tsv`, metadata: `${base}-metadata.tsv` };
}

/** The shortest decimal that reads back as the same float32 is long; 8 significant digits are within 1 ulp. */
function value(x: number): string {
  return Number(x.toPrecision(8)).toString();
}

async function writeLines(path: string, lines: () => Generator<string>): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  const out = createWriteStream(tmp);
  try {
    let chunk = '';
    for (const line of lines()) {
      chunk += line;
      if (chunk.length >= 1 << 20) {
        if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
        chunk = '';
      }
    }
    out.end(chunk);
    await finished(out);
    await rename(tmp, path);
  } catch (err) {
    out.destroy();
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
}

/**
 * Writes `kv` for the Embedding Projector; each file appears complete or not at all.
 * @returns the two paths written.
 */
export async function writeProjectorFiles(
  kv: KeyedVectors,
  out: string,
): Promise<{ vectors: string; metadata: string }> {
  const paths = projectorPaths(out);
  const { dim, vectors, words, counts } = kv;
  await writeLines(paths.vectors, function* () {
    for (let r = 0; r < words.length; r++) {
      const row: string[] = new Array(dim);
      for (let d = 0; d < dim; d++) row[d] = value(vectors[r * dim + d]);
      yield `${row.join('\t')}\n`;
    }
  });
  await writeLines(paths.metadata, function* () {
    if (counts) yield 'word\tcount\n';
    // Stored words hold no tab or line break (no control characters at all), so no quoting is needed.
    for (let r = 0; r < words.length; r++) yield counts ? `${words[r]}\t${counts[r]}\n` : `${words[r]}\n`;
  });
  return paths;
}
