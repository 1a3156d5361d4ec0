import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KeyedVectors } from '@wordvec/embeddings';
import { VectorStore } from '@wordvec/vector-store';
import { WORLD } from './memory-catalog.js';
import { worldCooccurrence } from './world-cooccurrence.js';

/**
 * Writes a real store file in a fresh temp dir holding the hand-made WORLD model (the default, with
 * one rare word and co-occurrence statistics) and a tiny second model; returns its path.
 */
export function worldStore(): string {
  const dir = mkdtempSync(join(tmpdir(), 'wordvec-bot-'));
  const path = join(dir, 'wordvec.db');
  const words = Object.keys(WORLD);
  const dim = WORLD.king.vector.length;
  const vectors = new Float32Array(words.length * dim);
  for (const [i, w] of words.entries()) vectors.set(WORLD[w].vector, i * dim);
  const store = VectorStore.open(path);
  store.putModel(
    'world',
    new KeyedVectors({ words, vectors, dim, counts: words.map((w) => WORLD[w].count) }),
    {
      algorithm: 'cbow',
      corpus: { name: 'hand-made', tokens: 631, checksum: 'none' },
      minCount: 5,
      rareWords: new Map([['pizzaiolo', 3]]),
      evaluation: { analogies: { accuracy: 0.5 } },
      // For /pmi and /cooccur; the tiny model below has none.
      cooccurrence: worldCooccurrence(),
    },
  );
  // A second model, so /models and model autocomplete have a choice.
  store.putModel(
    'tiny',
    new KeyedVectors({
      words: ['a', 'b', 'c'],
      vectors: new Float32Array([1, 0, 0, 1, 1, 1]),
      dim: 2,
      counts: [2, 1, 1],
    }),
    {
      algorithm: 'ppmi',
    },
  );
  store.close();
  return path;
}
