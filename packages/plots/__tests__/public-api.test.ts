import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as plots from '@wordvec/plots';
import { describe, expect, it } from 'vitest';

/**
 * The runtime names of the package, spelled out: adding or dropping an export changes this file,
 * so it shows up in review (the web explorer builds on them).
 */
describe('public API of @wordvec/plots', () => {
  it('exports exactly these runtime names', () => {
    expect(Object.keys(plots).sort()).toEqual([
      'FONT_FAMILY',
      'LENS_HEIGHT',
      'LENS_SAMPLE_RANKS',
      'MAP_HEIGHT',
      'MAX_LENS_MODELS',
      'MAX_PLOT_WORDS',
      'MIN_LENS_PAIRS',
      'PICTURE_WIDTH',
      'PNG_SIGNATURE',
      'PROJECTIONS',
      'UMAP_MIN_POINTS',
      'analogyPicture',
      'boxesOverlap',
      'clusterRows',
      'computeLens',
      'defaultClusterCount',
      'drawWordMap',
      'escapeXml',
      'lensModelNames',
      'lensPicture',
      'neighbourhoodPicture',
      'placeLabels',
      'plotFont',
      'pngSize',
      'projectRows',
      'readFontMetrics',
      'renderPng',
      'renderPngAsync',
      'sampleLensWords',
      'wordListPicture',
    ]);
  });

  it('no entry file re-exports a whole module (`export *`): each name is chosen', () => {
    const src = fileURLToPath(new URL('../src/', import.meta.url));
    expect(readFileSync(`${src}index.ts`, 'utf8')).not.toMatch(/\bexport\s*\*/);
    expect(readdirSync(src)).toContain('index.ts');
  });
});
