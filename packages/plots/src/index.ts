/**
 * `@wordvec/plots`: pictures of word embeddings. Each picture is an SVG document built in code
 * ({@link Picture}); {@link renderPng} rasterises it with resvg and the bundled DejaVu Sans, so the same
 * model, words and seed give the same bytes on every machine.
 *
 * @example
 * ```ts
 * import { neighbourhoodPicture, renderPng } from '@wordvec/plots';
 * const picture = await neighbourhoodPicture(store.model('starter-cbow'), { word: 'king', k: 12, model: 'starter-cbow' });
 * writeFileSync('king.png', renderPng(picture.svg));
 * ```
 */

export { FONT_FAMILY, type PlotFont, plotFont } from './font/font.js';
export { type FontMetrics, readFontMetrics } from './font/font-metrics.js';
export { type ClusterOptions, clusterRows, defaultClusterCount } from './layout/clusters.js';
export {
  type Box,
  boxesOverlap,
  type LabelPlacementOptions,
  type LabelRequest,
  type PlacedLabel,
  placeLabels,
} from './layout/label-placement.js';
export {
  computeLens,
  LENS_SAMPLE_RANKS,
  type LensModel,
  type LensOptions,
  type LensPair,
  type LensResult,
  type LensStats,
  lensModelNames,
  MAX_LENS_MODELS,
  sampleLensWords,
} from './pictures/lens.js';
export { LENS_HEIGHT, lensPicture, MIN_LENS_PAIRS } from './pictures/lens-picture.js';
// pictures/: what to draw.
export {
  type AnalogyPictureOptions,
  analogyPicture,
  type MapOptions,
  type NeighbourhoodOptions,
  neighbourhoodPicture,
  type WordListOptions,
  type WordMapData,
  wordListPicture,
} from './pictures/maps.js';
export { MAP_HEIGHT, PICTURE_WIDTH, type Picture } from './pictures/picture.js';
export {
  MAX_PLOT_WORDS,
  type PlotQueryItem,
  type PlotSource,
  type PlotWord,
} from './pictures/plot-source.js';
export {
  drawWordMap,
  type MapArrow,
  type MapPoint,
  type MapRole,
  type WordMapScene,
} from './pictures/word-map.js';
// project/, layout/: the geometry, for callers that draw their own (the web explorer).
export {
  PROJECTIONS,
  type Projection,
  type ProjectionKind,
  type ProjectionOptions,
  projectRows,
  UMAP_MIN_POINTS,
} from './project/projection.js';
// raster/, font/, svg/: PNG output and the font.
export { PNG_SIGNATURE, pngSize, type RenderPngOptions, renderPng, renderPngAsync } from './raster/png.js';
export { escapeXml } from './svg/svg-builder.js';
