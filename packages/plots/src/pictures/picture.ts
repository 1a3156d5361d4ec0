/** What every picture builder returns. */

/**
 * A finished picture: the SVG document, its size, and the numbers behind it.
 *
 * @example
 * ```ts
 * const picture: Picture<WordMapData> = await wordListPicture(model, { words: ['king', 'queen'] });
 * writeFileSync('map.svg', picture.svg);
 * writeFileSync('map.png', renderPng(picture.svg));
 * ```
 */
export interface Picture<Data = unknown> {
  kind: 'neighbourhood' | 'word-list' | 'analogy' | 'lens';
  svg: string;
  width: number;
  height: number;
  /** The caption printed under the picture (model, projection, seed). */
  caption: string;
  /** Notes for the person who asked, in plain text: words left out, estimates, fallbacks. */
  notes: string[];
  data: Data;
}

/** Width of every picture, in pixels. */
export const PICTURE_WIDTH = 960;
/** Height of map pictures, in pixels. */
export const MAP_HEIGHT = 720;
