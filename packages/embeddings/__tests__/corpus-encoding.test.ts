import { describe, expect, it } from 'vitest';
import { AbortedError, InvalidArgumentError } from '../src/errors.js';
import type { Progress } from '../src/progress.js';
import { nextUint32, seedState } from '../src/random.js';
import { corpusFromText } from '../src/text/corpus.js';
import { countAndEncodeCorpus } from '../src/text/corpus-encoding.js';
import { END_OF_SENTENCE, encodeCorpus } from '../src/text/token-ids.js';
import { Vocabulary } from '../src/text/vocabulary.js';

/**
 * Zipf-like text: word k drawn with probability ∝ 1/(k+1), so many words fall under any min-count; some
 * lines are blank, some hold only punctuation, some only rare words (they vanish after encoding).
 */
function zipfLines(seed: number, count: number): string[] {
  const s = seedState(seed);
  const V = 3000;
  const cdf = new Float64Array(V);
  let total = 0;
  for (let k = 0; k < V; k++) cdf[k] = total += 1 / (k + 1);
  const draw = () => {
    const u = (nextUint32(s) / 2 ** 32) * total;
    let lo = 0;
    let hi = V - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid] < u) lo = mid + 1;
      else hi = mid;
    }
    return `W${lo}`;
  };
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const kind = nextUint32(s) % 20;
    if (kind === 0) lines.push('');
    else if (kind === 1) lines.push('-- !! ...');
    else if (kind === 2) lines.push(`rare${i} once${i}`);
    else {
      const n = 1 + (nextUint32(s) % 25);
      lines.push(Array.from({ length: n }, draw).join(nextUint32(s) % 2 ? ' ' : ', '));
    }
  }
  return lines;
}

describe('countAndEncodeCorpus', () => {
  it.each([1, 3, 5])(
    'gives the same vocabulary and ids as fromCorpus + encodeCorpus (minCount %i)',
    async (minCount) => {
      const corpus = corpusFromText(zipfLines(minCount, 2500), { name: 'zipf' });
      const vocab2 = await Vocabulary.fromCorpus(corpus, { minCount });
      const encoded2 = await encodeCorpus(corpus, vocab2);
      const { vocab, encoded } = await countAndEncodeCorpus(corpus, { minCount });
      expect(vocab.words).toEqual(vocab2.words);
      expect([...vocab.counts]).toEqual([...vocab2.counts]);
      expect([...vocab.rareWords]).toEqual([...vocab2.rareWords]);
      expect(vocab.corpusTokens).toBe(vocab2.corpusTokens);
      expect(vocab.sentences).toBe(vocab2.sentences);
      expect(vocab.minCount).toBe(minCount);
      expect(encoded.ids).toEqual(encoded2.ids);
      expect(encoded.tokens).toBe(encoded2.tokens);
      expect(encoded.corpusTokens).toBe(encoded2.corpusTokens);
      expect(encoded.sentences).toBe(encoded2.sentences);
      expect(encoded.checksum).toBe(encoded2.checksum);
      expect(encoded.name).toBe('zipf');
      // Above minCount 1 the corpus really has dropped words, so the rewrite was exercised.
      if (minCount > 1) {
        expect(encoded.tokens).toBeLessThan(encoded.corpusTokens);
        expect(vocab.rareWords.size).toBeGreaterThan(100);
      }
    },
  );

  it('drops out-of-vocabulary tokens and sentences left empty, as encodeCorpus', async () => {
    const corpus = corpusFromText(['a b rare a', 'rare', '', 'b c', 'x y'], { name: 'abc' });
    const { vocab, encoded } = await countAndEncodeCorpus(corpus, { minCount: 1 });
    // a 2, b 2; then c, rare (2), x, y by count then code point.
    expect(vocab.words).toEqual(['a', 'b', 'rare', 'c', 'x', 'y']);
    const { vocab: v2, encoded: e2 } = await countAndEncodeCorpus(corpus, { minCount: 2 });
    expect(v2.words).toEqual(['a', 'b', 'rare']);
    expect([...e2.ids]).toEqual([0, 1, 2, 0, END_OF_SENTENCE, 2, END_OF_SENTENCE, 1, END_OF_SENTENCE]);
    expect(e2.sentences).toBe(3);
    expect(e2.tokens).toBe(6);
    expect(e2.corpusTokens).toBe(9);
    expect(encoded.sentences).toBe(4);
  });

  it('backs ids with a SharedArrayBuffer on request and grows past its first buffer', async () => {
    const lines = Array.from({ length: 20_000 }, (_, i) => `w${i % 7} w${i % 3} w${i % 11}`);
    const corpus = corpusFromText(lines);
    const { encoded } = await countAndEncodeCorpus(corpus, { minCount: 1, shared: true });
    expect(encoded.ids.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(encoded.ids.length).toBe(4 * 20_000);
    const vocab = await Vocabulary.fromCorpus(corpus, { minCount: 1 });
    expect(encoded.ids).toEqual((await encodeCorpus(corpus, vocab)).ids);
  });

  it('reports the vocabulary stage, then encode, and stops on abort', async () => {
    const stages: string[] = [];
    await countAndEncodeCorpus(corpusFromText(['a b', 'c']), {
      minCount: 1,
      onProgress: (p: Progress) => stages.push(p.stage),
    });
    expect(stages[0]).toBe('vocabulary');
    expect(stages.at(-1)).toBe('encode');
    const controller = new AbortController();
    controller.abort();
    await expect(
      countAndEncodeCorpus(corpusFromText(['a']), { signal: controller.signal }),
    ).rejects.toBeInstanceOf(AbortedError);
    await expect(countAndEncodeCorpus(corpusFromText(['a']), { minCount: 0 })).rejects.toThrow(
      new InvalidArgumentError('minCount must be an integer ≥ 1, got 0'),
    );
  });
});
