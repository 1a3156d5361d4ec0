import { Resvg } from '@resvg/resvg-js';
import { describe, expect, it } from 'vitest';
import {
  FONT_FAMILY,
  neighbourhoodPicture,
  PNG_SIGNATURE,
  plotFont,
  pngSize,
  renderPng,
  renderPngAsync,
  wordListPicture,
} from '../src/index.js';
import { plantedModel } from './fixtures.js';

describe('renderPng', () => {
  it('gives the same bytes for the same model, words and seed, and a valid PNG of the picture size', async () => {
    const model = plantedModel();
    const draw = async () =>
      renderPng((await neighbourhoodPicture(model, { word: 'c0w0', k: 12, model: 'planted', seed: 3 })).svg);
    const first = await draw();
    const second = await draw();
    expect(Buffer.compare(first, second)).toBe(0);
    expect([...first.subarray(0, 8)]).toEqual([...PNG_SIGNATURE]);
    expect(pngSize(first)).toEqual({ width: 960, height: 720 });
    expect(first.length).toBeGreaterThan(5_000); // text and markers, not a blank page
    expect(first.length).toBeLessThan(250_000);
  });

  it('renderPngAsync (resvg on the thread pool) gives the same bytes as renderPng, at any width', async () => {
    const { svg } = await wordListPicture(plantedModel(), {
      words: ['c0w0', 'c1w0', 'c2w0'],
      model: 'planted',
    });
    expect(Buffer.compare(await renderPngAsync(svg), renderPng(svg))).toBe(0);
    const narrow = await renderPngAsync(svg, { width: 480 });
    expect(pngSize(narrow)).toEqual({ width: 480, height: 360 });
    expect(Buffer.compare(narrow, renderPng(svg, { width: 480 }))).toBe(0);
  });

  it('depends on the seed for UMAP and not for PCA', async () => {
    const model = plantedModel();
    const words = model.words.slice(0, 20);
    const svg = async (projection: 'pca' | 'umap', seed: number) =>
      (await wordListPicture(model, { words, projection, seed })).svg;
    expect(await svg('pca', 1)).toBe(await svg('pca', 2));
    expect(await svg('umap', 1)).toBe(await svg('umap', 1));
    expect(await svg('umap', 1)).not.toBe(await svg('umap', 2));
  });

  it('draws labels with the bundled font and no system fonts', () => {
    const font = plotFont();
    expect(font.family).toBe(FONT_FAMILY);
    // resvg lays the text out with the same font: its box matches our advance-width measure.
    for (const text of ['king', 'WWWW iiii', 'привет', 'naïve']) {
      const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="600" height="60"><text x="10" y="40" font-family="${FONT_FAMILY}" font-size="20">${text}</text></svg>`;
      const resvg = new Resvg(svg, {
        font: { fontFiles: font.files, loadSystemFonts: false, defaultFontFamily: FONT_FAMILY },
      });
      const box = resvg.getBBox();
      expect(box).toBeDefined();
      // The ink box lies within the advance widths (side bearings make it a little narrower).
      const measured = font.regular.width(text, 20);
      expect(box?.width ?? 0).toBeLessThanOrEqual(measured + 1);
      expect(box?.width ?? 0).toBeGreaterThan(measured - 4);
      expect(font.regular.covers(text)).toBe(true);
    }
    expect(font.bold.width('king', 20)).toBeGreaterThan(font.regular.width('king', 20));
    expect(font.regular.covers('漢字')).toBe(false);
  });
});
