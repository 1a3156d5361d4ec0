import { createRandom, KeyedVectors } from '@wordvec/embeddings';

/**
 * A small model with planted structure: `clusters` groups of `perCluster` words (`c0w0`, `c0w1`, …)
 * spread around random centres in `dim` dimensions, plus the royal quartet for analogies.
 */
export function plantedModel(clusters = 3, perCluster = 8, dim = 16, seed = 7): KeyedVectors {
  const random = createRandom(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const words: string[] = [];
  const rows: number[] = [];
  for (let c = 0; c < clusters; c++) {
    const centre = Array.from({ length: dim }, gauss);
    for (let w = 0; w < perCluster; w++) {
      words.push(`c${c}w${w}`);
      for (let d = 0; d < dim; d++) rows.push(centre[d] * 3 + gauss() * 0.6);
    }
  }
  // king − man + woman = queen exactly in the first two axes, with a little noise elsewhere.
  const royal: Record<string, [number, number]> = {
    king: [3, 3],
    man: [3, -3],
    woman: [-3, -3],
    queen: [-3, 3],
  };
  for (const [word, [a, b]] of Object.entries(royal)) {
    words.push(word);
    for (let d = 0; d < dim; d++) rows.push(d === 0 ? a : d === 1 ? b : gauss() * 0.2 + 2);
  }
  return new KeyedVectors({ words, vectors: Float32Array.from(rows), dim });
}
