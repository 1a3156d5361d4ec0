import { createRandom } from '@wordvec/embeddings';
import { describe, expect, it } from 'vitest';
import { boxesOverlap, neighbourhoodPicture, placeLabels, plotFont, wordListPicture } from '../src/index.js';
import { plantedModel } from './fixtures.js';

function expectDisjoint(boxes: { x: number; y: number; width: number; height: number }[]): void {
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) expect(boxesOverlap(boxes[i], boxes[j])).toBe(false);
  }
}

describe('placeLabels', () => {
  it('never overlaps two placed labels, keeps them in bounds and off other points', () => {
    const bounds = { x: 0, y: 0, width: 400, height: 300 };
    for (let seed = 1; seed <= 8; seed++) {
      const random = createRandom(seed);
      // Crowded on purpose: 60 labels in a small area, many of them hidden.
      const requests = Array.from({ length: 60 }, () => ({
        x: 100 + random() * 200,
        y: 80 + random() * 140,
        width: 20 + random() * 50,
        height: 14,
      }));
      const { placed, hidden } = placeLabels(requests, bounds, { markerRadius: 4 });
      expect(placed.length + hidden.length).toBe(60);
      expect(placed.length).toBeGreaterThan(20);
      expectDisjoint(placed);
      for (const p of placed) {
        expect(p.x).toBeGreaterThanOrEqual(0);
        expect(p.y).toBeGreaterThanOrEqual(0);
        expect(p.x + p.width).toBeLessThanOrEqual(400);
        expect(p.y + p.height).toBeLessThanOrEqual(300);
        requests.forEach((r, i) => {
          if (i !== p.index)
            expect(boxesOverlap(p, { x: r.x - 4, y: r.y - 4, width: 8, height: 8 })).toBe(false);
        });
      }
    }
  });

  it('places labels in priority order, so the first ones always get a place', () => {
    const requests = Array.from({ length: 30 }, () => ({ x: 50, y: 50, width: 40, height: 14 }));
    const { placed, hidden } = placeLabels(
      requests,
      { x: 0, y: 0, width: 200, height: 120 },
      { order: [29, 28] },
    );
    expect(placed.slice(0, 2).map((p) => p.index)).toEqual([29, 28]);
    expect(placed[2].index).toBe(0);
    expect(placed.length + hidden.length).toBe(30);
    expect(hidden.length).toBeGreaterThan(0);
  });

  it('gives a map whose drawn label boxes do not overlap', async () => {
    const model = plantedModel(5, 9);
    const font = plotFont();
    for (const picture of [
      await wordListPicture(model, { words: model.words.slice(0, 45) }),
      await neighbourhoodPicture(model, { word: 'c1w1', k: 8, secondOrder: 4, projection: 'umap' }),
    ]) {
      const boxes = [];
      // Recover each drawn label's box from the SVG (x, y of the text baseline, font size, text).
      for (const m of picture.svg.matchAll(
        /<text x="([\d.]+)" y="([\d.]+)" font-size="(\d+)"( font-weight="bold")? fill="#(?:1a1a1a|d62728)">([^<]+)<\/text>/g,
      )) {
        const size = Number(m[3]);
        if (size > 15) continue; // the title
        const metrics = m[4] ? font.bold : font.regular;
        boxes.push({
          x: Number(m[1]),
          y: Number(m[2]) - size * 0.95,
          width: metrics.width(m[5], size),
          height: size * 1.2,
        });
      }
      const labelled = picture.data.points.filter((p) => p.labelled).length;
      expect(labelled).toBeGreaterThan(picture.data.points.length * 0.8);
      expect(boxes.length).toBe(labelled);
      expectDisjoint(boxes);
    }
  });
});
