/**
 * A KeyedVectors over the store's loaded matrix, whose rows are already unit length. Built lazily
 * for the few queries `StoredModel` does not answer itself (3CosMul, nSimilarity, closerThan,
 * rank(a, b)). The base class's row kernel still keeps its own normalised copy once one of those
 * runs; `unitVectors()` at least hands out the loaded matrix instead of a second one.
 */
import { KeyedVectors, type KeyedVectorsInit } from '@wordvec/embeddings';

export class UnitKeyedVectors extends KeyedVectors {
  constructor(init: Omit<KeyedVectorsInit, 'norms'>, unitNorms: Float32Array) {
    super({ ...init, norms: unitNorms });
  }

  /** The matrix itself: its rows are unit length already (zero rows stay zero). */
  override unitVectors(): Float32Array {
    return this.vectors;
  }
}
