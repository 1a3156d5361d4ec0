import { CooccurrenceStats } from '@wordvec/embeddings';
import { WORLD } from './memory-catalog.js';

/**
 * A few sentences over the WORLD vocabulary: food words together, royals together, pets together;
 * `man pizza` makes one pair of frequent words that co-occur less often than chance.
 */
const SENTENCES = [
  'king queen prince man woman',
  'queen woman king prince',
  'pizza pasta pizzeria café pizza pasta',
  'breakfast lunch dinner pasta pizza',
  'pizza pizzeria pizza café paris',
  'cat dog cat dog man',
  'dog cat woman dog',
  'paris café breakfast paris',
  'man woman king man dinner',
  'man pizza',
];

/**
 * Co-occurrence statistics of {@link SENTENCES}: symmetric window of 2, uniform weights, counted
 * here by hand (every ordered pair within the window, both orders) so the fixture is synchronous.
 */
export function worldCooccurrence(): CooccurrenceStats {
  const words = Object.keys(WORLD);
  const index = new Map(words.map((w, i) => [w, i]));
  const V = words.length;
  const dense = new Float64Array(V * V);
  for (const sentence of SENTENCES) {
    const ids = sentence.split(' ').map((w) => index.get(w)!);
    for (let p = 0; p < ids.length; p++) {
      for (let q = p + 1; q < ids.length && q <= p + 2; q++) {
        dense[ids[p] * V + ids[q]] += 1;
        dense[ids[q] * V + ids[p]] += 1;
      }
    }
  }
  const rows: number[] = [];
  const cols: number[] = [];
  const values: number[] = [];
  for (let i = 0; i < V; i++) {
    for (let j = 0; j < V; j++) {
      if (dense[i * V + j] > 0) {
        rows.push(i);
        cols.push(j);
        values.push(dense[i * V + j]);
      }
    }
  }
  return CooccurrenceStats.fromMatrix(
    {
      vocabSize: V,
      nnz: values.length,
      rows: Uint32Array.from(rows),
      cols: Uint32Array.from(cols),
      values: Float64Array.from(values),
    },
    words,
  );
}
