import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRandom, KeyedVectors } from '@wordvec/embeddings';
import { VectorStore } from '@wordvec/vector-store';

/** Letters-only pseudo-words from syllables, all distinct, seeded: a vocabulary big enough for a game. */
export function gameWords(count: number, seed = 16): string[] {
  const syllables = [
    'ka',
    'lo',
    'mi',
    'ru',
    'te',
    'sa',
    'no',
    'vi',
    'da',
    'pe',
    'zu',
    'gor',
    'lin',
    'tam',
    'bes',
    'fy',
  ];
  const next = createRandom(seed);
  const words = new Set<string>();
  while (words.size < count) {
    const n = 2 + Math.floor(next() * 3);
    let w = '';
    for (let i = 0; i < n; i++) w += syllables[Math.floor(next() * syllables.length)];
    words.add(w);
  }
  return [...words];
}

/**
 * A store holding model `play` (3,000 pseudo-words plus a few real ones and the stop word "the",
 * 16 dimensions, clustered so neighbours are meaningful, most frequent first) and a second model
 * `spare` to delete in tests. Returns the store's path; the state file goes beside it.
 */
export function gameStore(): { path: string; words: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'wordvec-game-'));
  const path = join(dir, 'wordvec.db');
  const words = ['the', 'and', ...gameWords(3000), 'new york', 'pizza', 'pizzas', 'café'];
  const dim = 16;
  const next = createRandom(7);
  const centres = Array.from({ length: 30 }, () => Array.from({ length: dim }, () => next() * 2 - 1));
  const vectors = new Float32Array(words.length * dim);
  for (let i = 0; i < words.length; i++) {
    const c = centres[i % centres.length];
    for (let d = 0; d < dim; d++) vectors[i * dim + d] = c[d] + (next() - 0.5) * 0.8;
  }
  const counts = words.map((_, i) => 100_000 - i);
  const store = VectorStore.open(path);
  for (const name of ['play', 'spare'])
    store.putModel(name, new KeyedVectors({ words, vectors, dim, counts }), {
      algorithm: 'cbow',
      minCount: 1,
    });
  store.setDefault('play');
  store.close();
  return { path, words };
}
