/**
 * Colours of every picture: Okabe & Ito's palette ("Color Universal Design", 2008), distinguishable
 * with the common colour-vision deficiencies, then two darker tones; ink and grid greys.
 */

/** Cluster colours, in order. */
export const CLUSTER_COLOURS: readonly string[] = [
  '#0072b2',
  '#e69f00',
  '#009e73',
  '#cc79a7',
  '#56b4e9',
  '#d55e00',
  '#8c6d00',
  '#5a5a9e',
];

/** Text and outlines. */
export const INK = '#1a1a1a';
/** Captions, axes, secondary text. */
export const MUTED = '#666666';
/** Grid lines and leader lines. */
export const FAINT = '#c8c8c8';
/** The answer of an analogy and the query words' ring. */
export const HIGHLIGHT = '#d62728';

/** The colour of cluster `c` (wrapping past the palette). */
export function clusterColour(c: number): string {
  return CLUSTER_COLOURS[((c % CLUSTER_COLOURS.length) + CLUSTER_COLOURS.length) % CLUSTER_COLOURS.length];
}
