import { describe, expect, it } from 'vitest';
import { countModelCooccurrences } from '../src/cooccurrence/model-cooccurrence.js';
import type { CooccurrenceStats } from '../src/cooccurrence/pmi.js';
import { AbortedError, InvalidArgumentError } from '../src/errors.js';
import { corpusFromText } from '../src/text/corpus.js';
import { trainPpmiSvd } from '../src/train/ppmi/ppmi-svd.js';

const TEXT = Array.from(
  { length: 60 },
  (_, i) =>
    `the cat sat on the mat ${['and', 'or', 'but'][i % 3]} the dog ${['ran', 'sat', 'slept'][(i * 7) % 3]} far away ${i % 5 === 0 ? 'today' : ''}`,
).join('\n');

describe('countModelCooccurrences', () => {
  it('gives exactly the counts PPMI-SVD factorises, over the same vocabulary and window', async () => {
    let fromPpmi: CooccurrenceStats | undefined;
    const trained = await trainPpmiSvd(corpusFromText(TEXT), {
      dim: 3,
      window: 3,
      minCount: 2,
      seed: 1,
      onCooccurrenceStats: (s) => {
        fromPpmi = s;
      },
    });
    const counted = await countModelCooccurrences(corpusFromText(TEXT), trained.vectors, { window: 3 });
    const a = fromPpmi?.toSerialized();
    const b = counted.toSerialized();
    expect(b.words).toEqual(trained.vectors.words);
    expect(b.total).toBe(a?.total);
    expect([...b.rowPtr]).toEqual([...(a?.rowPtr ?? [])]);
    expect([...b.cols]).toEqual([...(a?.cols ?? [])]);
    expect([...b.values]).toEqual([...(a?.values ?? [])]);
    // Only the model's words are counted.
    expect(counted.count('cat', 'sat')).toBeGreaterThan(0);
  });

  it('widens with the window and refuses bad options', async () => {
    const model = { words: ['the', 'cat', 'dog', 'far'], counts: [4, 3, 2, 1] };
    const narrow = await countModelCooccurrences(corpusFromText(TEXT), model, { window: 1 });
    const wide = await countModelCooccurrences(corpusFromText(TEXT), model, { window: 8 });
    expect(narrow.count('cat', 'dog')).toBe(0);
    expect(wide.count('cat', 'dog')).toBeGreaterThan(0);
    await expect(countModelCooccurrences(corpusFromText(TEXT), model, { window: 0 })).rejects.toThrow(
      InvalidArgumentError,
    );
    const controller = new AbortController();
    controller.abort();
    await expect(
      countModelCooccurrences(corpusFromText(TEXT), model, { signal: controller.signal }),
    ).rejects.toThrow(AbortedError);
  });
});

describe('CooccurrenceStats.frequentContexts', () => {
  it("lists a word's contexts by count, whatever their PMI, with the same numbers as count and pmi", async () => {
    const model = {
      words: ['the', 'cat', 'sat', 'on', 'mat', 'dog', 'far', 'away'],
      counts: [8, 7, 6, 5, 4, 3, 2, 1],
    };
    const stats = await countModelCooccurrences(corpusFromText(TEXT), model, { window: 4 });
    const frequent = stats.frequentContexts('cat', { k: 100 });
    const all = model.words.filter((w) => stats.count('cat', w) > 0);
    expect(frequent.map((c) => c.word).sort()).toEqual(all.sort());
    for (let i = 1; i < frequent.length; i++)
      expect(frequent[i].count).toBeLessThanOrEqual(frequent[i - 1].count);
    for (const c of frequent) {
      expect(c.count).toBe(stats.count('cat', c.word));
      expect(c.pmi).toBeCloseTo(stats.pmi('cat', c.word), 12);
      expect(c.ppmi).toBeCloseTo(stats.ppmi('cat', c.word, { alpha: 0.75 }), 12);
    }
    // Unlike topContexts, contexts seen less often than chance are listed too.
    expect(frequent.some((c) => c.pmi < 0)).toBe(true);
    expect(stats.topContexts('cat', { k: 100 }).every((c) => c.ppmi > 0)).toBe(true);
    expect(stats.frequentContexts('cat', { k: 2 })).toEqual(frequent.slice(0, 2));
  });
});
