import { describe, expect, it, vi } from 'vitest';

// Trainers stubbed: this pins what ensureDefaultModel does with a PPMI-SVD first model's output.
const stats = { marker: 'cooccurrence-stats' };
vi.mock('@wordvec/embeddings', () => ({
  trainCbow: async () => {
    throw new Error('not this trainer');
  },
  findEvaluationData: () => ({}),
  evaluateModel: async () => {
    throw new Error('no evaluation data: not called');
  },
  openCorpus: (spec: string) => ({ name: spec }),
  trainPpmiSvd: async (corpus: { name: string }, options: { onCooccurrenceStats?: (s: unknown) => void }) => {
    options.onCooccurrenceStats?.(stats);
    return {
      vectors: { words: ['a'], vectors: new Float32Array([1]), dim: 1 },
      algorithm: 'ppmi',
      hyperParameters: { minCount: 5 },
      corpus: { name: corpus.name, tokens: 1, checksum: 'x' },
    };
  },
}));

describe('ensureDefaultModel', () => {
  it('stores the co-occurrence statistics a PPMI-SVD first model hands over', async () => {
    const { ensureDefaultModel } = await import('../src/ensure-default-model.js');
    const put: { name: string; meta?: Record<string, unknown> }[] = [];
    let defaultName: string | undefined;
    const store = {
      models: () => put.map((p) => ({ name: p.name })),
      putModel: (name: string, _vectors: unknown, meta?: Record<string, unknown>) => put.push({ name, meta }),
      setDefault: (name: string) => {
        defaultName = name;
      },
    };
    expect(await ensureDefaultModel(store, { corpus: 'brown', algorithm: 'ppmi' })).toEqual({
      built: true,
      name: 'brown-ppmi',
      algorithm: 'ppmi',
    });
    expect(put).toHaveLength(1);
    expect(put[0].meta?.cooccurrence).toBe(stats);
    expect(defaultName).toBe('brown-ppmi');
    expect(await ensureDefaultModel(store)).toEqual({ built: false });
  });
});
