/**
 * The one font of every picture: DejaVu Sans (regular and bold) from the `dejavu-fonts-ttf` npm
 * package, handed to resvg by path (`fontFiles`) with system fonts off, so a picture has the same pixels on any
 * machine, with or without fonts installed. DejaVu covers Latin, Greek, Cyrillic, Armenian, Georgian,
 * Hebrew and Arabic letters; a label outside them is drawn as boxes (see {@link FontMetrics.covers}).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { type FontMetrics, readFontMetrics } from './font-metrics.js';

/** The family name to put in SVG `font-family`. */
export const FONT_FAMILY = 'DejaVu Sans';

/** The loaded font files and their metrics. */
export interface PlotFont {
  family: string;
  /** Paths of the regular and bold TTF files, for resvg's `fontFiles`. */
  files: string[];
  regular: FontMetrics;
  bold: FontMetrics;
}

let cached: PlotFont | undefined;

/**
 * The picture font, read from the npm package once per process.
 *
 * @example
 * ```ts
 * plotFont().regular.width('queen', 13); // label width in pixels
 * ```
 */
export function plotFont(): PlotFont {
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  const dir = join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
  const files = [join(dir, 'DejaVuSans.ttf'), join(dir, 'DejaVuSans-Bold.ttf')];
  cached = {
    family: FONT_FAMILY,
    files,
    regular: readFontMetrics(readFileSync(files[0])),
    bold: readFontMetrics(readFileSync(files[1])),
  };
  return cached;
}
