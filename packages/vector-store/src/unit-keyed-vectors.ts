/**
 * A KeyedVectors whose matrix is already unit-normalised (the store keeps rows that way), so its
 * similarity queries use the loaded matrix itself instead of building a normalised copy: one
 * matrix in memory, not two.
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
