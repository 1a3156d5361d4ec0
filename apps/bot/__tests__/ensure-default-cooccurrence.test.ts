import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { corpusFromText, countCooccurrences, encodeCorpus, Vocabulary } from '@wordvec/embeddings';
import { VectorStore } from '@wordvec/vector-store';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureDefaultModel } from '../src/ensure-default-model.js';

const dir = mkdtempSync(join(tmpdir(), 'wordvec-first-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const LINES = Array.from(
  { length: 300 },
  (_, i) =>
    `${['coffee', 'tea', 'milk'][i % 3]} is a hot drink and ${['bread', 'cake', 'soup'][(i * 7) % 3]} is food we eat ${i % 4 === 0 ? 'every morning' : 'at night'}`,
);

describe('ensureDefaultModel (real CBOW, real store)', () => {
  it('stores co-occurrence statistics with a CBOW first model, counted over its vocabulary and window', async () => {
    const corpusPath = join(dir, 'corpus.txt');
    writeFileSync(corpusPath, `${LINES.join('\n')}\n`);
    const store = VectorStore.open(join(dir, 'store.db'));
    try {
      const result = await ensureDefaultModel(store, { corpus: corpusPath, env: {} });
      expect(result).toMatchObject({ built: true, name: 'first-cbow', algorithm: 'cbow' });
      const model = store.model('first-cbow');
      const stats = model.cooccurrence();
      expect(stats).toBeDefined();
      // The same counts as counting the corpus directly over the model's words with window 5 (CBOW's).
      const words = [...(stats?.words ?? [])];
      expect(words.length).toBe(model.info.vocabSize);
      const vocab = new Vocabulary({ words, counts: words.map((w) => model.count(w)) });
      const encoded = await encodeCorpus(corpusFromText(LINES), vocab);
      const direct = await countCooccurrences(encoded.ids, vocab.size, { window: 5, weighting: 'harmonic' });
      const i = words.indexOf('coffee');
      const j = words.indexOf('drink');
      let expected = 0;
      for (let e = 0; e < direct.nnz; e++)
        if (direct.rows[e] === i && direct.cols[e] === j) expected = direct.values[e];
      expect(expected).toBeGreaterThan(0);
      expect(stats?.count('coffee', 'drink')).toBeCloseTo(expected, 9);
      expect(stats?.pmi('coffee', 'drink')).toBeGreaterThan(0);
    } finally {
      store.close();
    }
  });
});
