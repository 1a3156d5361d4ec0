/**
 * Greedy label placement (after Imhof's rules as used by most map labellers: try the positions
 * around the point in a fixed order of preference, nearest ring first): labels are placed in priority
 * order, each at the first candidate box that stays inside the plot and overlaps no label already
 * placed and no point marker. A label with no free candidate is left out rather than drawn over
 * another, and reported, so a picture never has overlapping labels.
 */

/** An axis-aligned box in pixels; `x`, `y` is the top-left corner. */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A point to label and its label's size. */
export interface LabelRequest {
  /** The point, in pixels. */
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Where a label went. */
export interface PlacedLabel extends Box {
  /** Index of the request. */
  index: number;
  /** Placed away from its point (draw a leader line from the point to the box). */
  leader: boolean;
}

/** Options of {@link placeLabels}. */
export interface LabelPlacementOptions {
  /** Radius of the point markers that labels must not cover. Default 4. */
  markerRadius?: number;
  /** Gap between a point and its label, and around each box. Default 3. */
  gap?: number;
  /** Labels that claim space first (indices into the requests); the rest follow in the requests' order. */
  order?: readonly number[];
}

/** Does `a` overlap `b` (touching edges do not count)? */
export function boxesOverlap(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/** Extra distances of the rings of candidates beyond the adjacent one; rings past the first get a leader. */
const RINGS = [0, 10, 22, 36, 54, 76];
/** Directions in order of preference: right, left, above, below, then the four diagonals. */
const DIRECTIONS: readonly [number, number][] = [
  [1, 0],
  [-1, 0],
  [0, -1],
  [0, 1],
  [1, -1],
  [1, 1],
  [-1, -1],
  [-1, 1],
];

/**
 * Places labels greedily; the result lists the placed ones (in placement order) and the indices of the
 * labels left out.
 *
 * @example
 * ```ts
 * const { placed, hidden } = placeLabels(requests, { x: 0, y: 0, width: 960, height: 720 });
 * ```
 */
export function placeLabels(
  requests: readonly LabelRequest[],
  bounds: Box,
  options: LabelPlacementOptions = {},
): { placed: PlacedLabel[]; hidden: number[] } {
  const { markerRadius = 4, gap = 3 } = options;
  const first = options.order ?? [];
  const listed = new Set(first);
  const order = [...first, ...requests.map((_, i) => i).filter((i) => !listed.has(i))];
  const markers: Box[] = requests.map((r) => ({
    x: r.x - markerRadius,
    y: r.y - markerRadius,
    width: 2 * markerRadius,
    height: 2 * markerRadius,
  }));
  const placed: PlacedLabel[] = [];
  const hidden: number[] = [];
  for (const index of order) {
    const r = requests[index];
    const box = firstFreeBox(r, index, bounds, markers, placed, markerRadius, gap);
    if (box) placed.push(box);
    else hidden.push(index);
  }
  return { placed, hidden };
}

function firstFreeBox(
  r: LabelRequest,
  index: number,
  bounds: Box,
  markers: readonly Box[],
  placed: readonly PlacedLabel[],
  markerRadius: number,
  gap: number,
): PlacedLabel | undefined {
  for (let ring = 0; ring < RINGS.length; ring++) {
    const reach = markerRadius + gap + RINGS[ring];
    for (const [dx, dy] of DIRECTIONS) {
      const x = dx > 0 ? r.x + reach : dx < 0 ? r.x - reach - r.width : r.x - r.width / 2;
      const y = dy > 0 ? r.y + reach : dy < 0 ? r.y - reach - r.height : r.y - r.height / 2;
      const box: PlacedLabel = { x, y, width: r.width, height: r.height, index, leader: ring > 1 };
      if (isFree(box, index, bounds, markers, placed, gap)) return box;
    }
  }
  return undefined;
}

function isFree(
  box: Box,
  index: number,
  bounds: Box,
  markers: readonly Box[],
  placed: readonly Box[],
  gap: number,
): boolean {
  if (box.x < bounds.x || box.y < bounds.y) return false;
  if (box.x + box.width > bounds.x + bounds.width || box.y + box.height > bounds.y + bounds.height)
    return false;
  const padded: Box = {
    x: box.x - gap,
    y: box.y - gap,
    width: box.width + 2 * gap,
    height: box.height + 2 * gap,
  };
  for (const p of placed) if (boxesOverlap(padded, p)) return false;
  for (let m = 0; m < markers.length; m++) if (m !== index && boxesOverlap(box, markers[m])) return false;
  return true;
}
