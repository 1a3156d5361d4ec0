/**
 * Draws a word map: projected points coloured by cluster (or by role), query words larger and bold,
 * labels placed without overlaps, optional arrows (analogy offsets), a title and a caption naming the
 * model and projection. Pure: the same input gives the same SVG string.
 */
import { plotFont } from '../font/font.js';
import { type Box, type LabelRequest, placeLabels } from '../layout/label-placement.js';
import type { Projection } from '../project/projection.js';
import { clusterColour, FAINT, HIGHLIGHT, INK, MUTED } from '../svg/palette.js';
import { element, svgDocument, textElement } from '../svg/svg-builder.js';

/** What a point on a map stands for. */
export type MapRole = 'query' | 'neighbour' | 'second' | 'answer' | 'target';

/** One point of a map, as drawn. */
export interface MapPoint {
  /** The label (a word, or `a − b + c` for an analogy's target vector). */
  label: string;
  role: MapRole;
  /** The vector was estimated (subwords / UNK), not read from the vocabulary. */
  estimated?: boolean;
  /** Cluster number (colour) of the point. */
  cluster: number;
  /** Position in pixels. */
  x: number;
  y: number;
  /** Whether its label was drawn (false: no room without overlapping another). */
  labelled: boolean;
}

/** An arrow between two points (indices), e.g. an analogy's offset. */
export interface MapArrow {
  from: number;
  to: number;
  colour?: string;
  dashed?: boolean;
}

/** Input of {@link drawWordMap}. */
export interface WordMapScene {
  title: string;
  caption: string;
  width: number;
  height: number;
  points: readonly Omit<MapPoint, 'x' | 'y' | 'labelled'>[];
  projection: Projection;
  arrows?: readonly MapArrow[];
  /** Colour by role (analogy) instead of by cluster. */
  colourByRole?: boolean;
  /** Lines of small print above the caption (legend of marks). */
  legend?: string[];
}

const LABEL_SIZE = 13;
const QUERY_SIZE = 15;
const TOP = 64;
const SIDE = 36;
const BOTTOM = 70;

function roleColour(role: MapRole, cluster: number, byRole: boolean): string {
  if (role === 'answer') return HIGHLIGHT;
  if (role === 'target') return INK;
  if (!byRole) return clusterColour(cluster);
  return role === 'query' ? clusterColour(0) : '#999999';
}

/**
 * The SVG of a word map and where its points and labels went.
 *
 * @example
 * ```ts
 * const { svg, points } = drawWordMap({ title: 'king', caption: 'model m · PCA', width: 960, height: 720, points, projection });
 * ```
 */
export function drawWordMap(scene: WordMapScene): { svg: string; points: MapPoint[] } {
  const font = plotFont();
  const { width, height, projection } = scene;
  const n = scene.points.length;
  const plot: Box = { x: SIDE, y: TOP, width: width - 2 * SIDE, height: height - TOP - BOTTOM };
  // Equal scale on both axes (distances in the picture mean the same across and down), centred.
  let minX = Number.POSITIVE_INFINITY;
  let maxX = Number.NEGATIVE_INFINITY;
  let minY = Number.POSITIVE_INFINITY;
  let maxY = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    minX = Math.min(minX, projection.x[i]);
    maxX = Math.max(maxX, projection.x[i]);
    minY = Math.min(minY, projection.y[i]);
    maxY = Math.max(maxY, projection.y[i]);
  }
  // Room for labels: points use the inner 80 % (less on the right where labels go first).
  const inner = { x: plot.x + 20, y: plot.y + 16, width: plot.width - 110, height: plot.height - 32 };
  const spanX = maxX - minX;
  const spanY = maxY - minY;
  const scale =
    spanX <= 0 && spanY <= 0
      ? 0
      : Math.min(
          spanX > 0 ? inner.width / spanX : Number.POSITIVE_INFINITY,
          spanY > 0 ? inner.height / spanY : Number.POSITIVE_INFINITY,
        );
  const cx = (minX + maxX) / 2;
  const cy = (minY + maxY) / 2;
  const px = (i: number) => inner.x + inner.width / 2 + (projection.x[i] - cx) * scale;
  // SVG's y grows downwards; flip so the second axis points up as on a chart.
  const py = (i: number) => inner.y + inner.height / 2 - (projection.y[i] - cy) * scale;

  const requests: LabelRequest[] = [];
  const labels: string[] = [];
  for (let i = 0; i < n; i++) {
    const p = scene.points[i];
    const label = p.estimated ? `${p.label}*` : p.label;
    labels.push(label);
    const bold = p.role === 'query' || p.role === 'answer';
    const size = bold ? QUERY_SIZE : LABEL_SIZE;
    const metrics = bold ? font.bold : font.regular;
    requests.push({ x: px(i), y: py(i), width: metrics.width(label, size) + 2, height: size * 1.2 });
  }
  const priority = (role: MapRole): number =>
    role === 'query' ? 0 : role === 'answer' ? 1 : role === 'target' ? 2 : role === 'neighbour' ? 3 : 4;
  const order = requests
    .map((_, i) => i)
    .sort((a, b) => priority(scene.points[a].role) - priority(scene.points[b].role) || a - b);
  const { placed } = placeLabels(requests, plot, { markerRadius: 6, gap: 2, order });
  const labelled = new Array<boolean>(n).fill(false);

  let body = '';
  body += textElement(scene.title, { x: SIDE, y: 38, 'font-size': 22, 'font-weight': 'bold', fill: INK });
  body += element('rect', {
    x: plot.x,
    y: plot.y,
    width: plot.width,
    height: plot.height,
    fill: 'none',
    stroke: FAINT,
    'stroke-width': 1,
  });
  for (const arrow of scene.arrows ?? [])
    body += drawArrow(
      px(arrow.from),
      py(arrow.from),
      px(arrow.to),
      py(arrow.to),
      arrow.colour ?? INK,
      arrow.dashed === true,
    );
  for (const label of placed) {
    if (!label.leader) continue;
    const i = label.index;
    const bx = Math.max(label.x, Math.min(px(i), label.x + label.width));
    const by = Math.max(label.y, Math.min(py(i), label.y + label.height));
    body += element('line', { x1: px(i), y1: py(i), x2: bx, y2: by, stroke: FAINT, 'stroke-width': 1 });
  }
  for (let i = 0; i < n; i++)
    body += drawMarker(
      scene.points[i],
      px(i),
      py(i),
      roleColour(scene.points[i].role, scene.points[i].cluster, scene.colourByRole === true),
    );
  for (const label of placed) {
    const p = scene.points[label.index];
    labelled[label.index] = true;
    const bold = p.role === 'query' || p.role === 'answer';
    const size = bold ? QUERY_SIZE : LABEL_SIZE;
    const attrs = {
      x: label.x + 1,
      y: label.y + size * 0.95,
      'font-size': size,
      'font-weight': bold ? 'bold' : undefined,
    };
    // A white halo under the text keeps it readable over lines and markers.
    body += textElement(labels[label.index], {
      ...attrs,
      fill: 'none',
      stroke: '#ffffff',
      'stroke-width': 3,
      'stroke-linejoin': 'round',
    });
    body += textElement(labels[label.index], { ...attrs, fill: p.role === 'answer' ? HIGHLIGHT : INK });
  }
  let y = height - BOTTOM + 24;
  for (const line of scene.legend ?? []) {
    body += textElement(line, { x: SIDE, y, 'font-size': 12, fill: MUTED });
    y += 16;
  }
  body += textElement(scene.caption, { x: SIDE, y: height - 12, 'font-size': 12, fill: MUTED });
  const points: MapPoint[] = scene.points.map((p, i) => ({
    ...p,
    x: px(i),
    y: py(i),
    labelled: labelled[i],
  }));
  return { svg: svgDocument(width, height, body, font.family), points };
}

function drawMarker(p: Omit<MapPoint, 'x' | 'y' | 'labelled'>, x: number, y: number, colour: string): string {
  if (p.role === 'target') {
    const d = `M${x - 6} ${y - 6}L${x + 6} ${y + 6}M${x - 6} ${y + 6}L${x + 6} ${y - 6}`;
    return element('path', { d: roundPath(d), stroke: INK, 'stroke-width': 2.5, fill: 'none' });
  }
  const r = p.role === 'query' || p.role === 'answer' ? 6.5 : p.role === 'second' ? 3.5 : 4.5;
  return element('circle', {
    cx: x,
    cy: y,
    r,
    fill: p.estimated ? '#ffffff' : colour,
    stroke: p.role === 'query' || p.estimated ? INK : '#ffffff',
    'stroke-width': p.role === 'query' ? 2 : 1,
    'stroke-dasharray': p.estimated ? '2 2' : undefined,
  });
}

function roundPath(d: string): string {
  return d.replace(/-?\d+\.?\d*(e-?\d+)?/g, (m) => String(Math.round(Number(m) * 100) / 100));
}

function drawArrow(x1: number, y1: number, x2: number, y2: number, colour: string, dashed: boolean): string {
  const dx = x2 - x1;
  const dy = y2 - y1;
  const length = Math.hypot(dx, dy);
  if (length < 1) return '';
  const ux = dx / length;
  const uy = dy / length;
  // Stop short of the marker at the end, and draw the head as a filled triangle.
  const ex = x2 - ux * 9;
  const ey = y2 - uy * 9;
  const head = 15;
  const hx = ex - ux * head;
  const hy = ey - uy * head;
  const wing = 6.5;
  const tip = `M${ex} ${ey}L${hx - uy * wing} ${hy + ux * wing}L${hx + uy * wing} ${hy - ux * wing}Z`;
  return (
    element('line', {
      x1: x1 + ux * 7,
      y1: y1 + uy * 7,
      x2: hx,
      y2: hy,
      stroke: colour,
      'stroke-width': 2.5,
      'stroke-dasharray': dashed ? '6 4' : undefined,
    }) + element('path', { d: roundPath(tip), fill: colour })
  );
}
