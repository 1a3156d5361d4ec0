/**
 * Draws the PMI lens: one column per model, PMI(w, c) across, the model's w·c (top row) and
 * cos(w, c) (bottom row) up, Spearman's ρ in each panel, the strongest contexts labelled.
 */
import { InvalidArgumentError } from '@wordvec/embeddings';
import { plotFont } from '../font/font.js';
import { type Box, type LabelRequest, placeLabels } from '../layout/label-placement.js';
import { clusterColour, FAINT, INK, MUTED } from '../svg/palette.js';
import { element, svgDocument, svgNumber, textElement } from '../svg/svg-builder.js';
import { computeLens, type LensOptions, type LensResult } from './lens.js';
import { PICTURE_WIDTH, type Picture } from './picture.js';

/** Height of the lens picture, in pixels. */
export const LENS_HEIGHT = 720;

/** Fewest pairs a lens is drawn with (Spearman's ρ over fewer says nothing). */
export const MIN_LENS_PAIRS = 5;

/**
 * The PMI lens of one word, as a picture; `data` holds the pairs and each model's ρ.
 *
 * @throws {@link InvalidArgumentError} when fewer than {@link MIN_LENS_PAIRS} contexts are shared by every model.
 * @example
 * ```ts
 * const picture = lensPicture({ words: ['coffee'], reference: 'starter-ppmi', stats, models });
 * writeFileSync('lens.png', renderPng(picture.svg));
 * ```
 */
export function lensPicture(options: LensOptions): Picture<LensResult> {
  const lens = computeLens(options);
  if (lens.pairs.length < MIN_LENS_PAIRS) {
    throw new InvalidArgumentError(
      `${JSON.stringify(lens.words[0])} has only ${lens.pairs.length} strong contexts in ${lens.reference}'s counts that every model knows; the lens needs ${MIN_LENS_PAIRS}`,
    );
  }
  const font = plotFont();
  const width = PICTURE_WIDTH;
  const height = LENS_HEIGHT;
  const columns = lens.models.length;
  const top = 104;
  const bottom = 60;
  const left = 56;
  const gapX = 34;
  const gapY = 54;
  const panelW = (width - left - 24 - gapX * (columns - 1)) / columns;
  const panelH = (height - top - bottom - gapY) / 2;
  const word = lens.words.join(', ');
  let body = textElement(`PMI lens: ${word}`, {
    x: 24,
    y: 34,
    'font-size': 22,
    'font-weight': 'bold',
    fill: INK,
  });
  body += textElement(
    `Each dot is a context c (half the word's strongest by PPMI, half its most frequent): PMI(w, c) from ${lens.reference}'s counts across, w·c and cos(w, c) up.`,
    { x: 24, y: 56, 'font-size': 12, fill: MUTED },
  );
  const pmi = lens.pairs.map((p) => p.pmi);
  const [pmiLo, pmiHi] = paddedRange(pmi);
  for (let m = 0; m < columns; m++) {
    const x = left + m * (panelW + gapX);
    const model = lens.models[m];
    const name = model.algorithm ? `${model.name} (${model.algorithm})` : model.name;
    body += textElement(name, { x, y: top - 22, 'font-size': 14, 'font-weight': 'bold', fill: INK });
    for (let row = 0; row < 2; row++) {
      const y = top + 6 + row * (panelH + gapY);
      const values = lens.pairs.map((p) => (row === 0 ? p.dot[m] : p.cosine[m]));
      const rho = row === 0 ? model.spearman : model.spearmanCosine;
      body += drawPanel(
        { x, y, width: panelW, height: panelH },
        pmi,
        values,
        [pmiLo, pmiHi],
        lens.pairs.map((p) => p.context),
        row === 0 ? 'w·c' : 'cos(w, c)',
        rho,
        clusterColour(m),
        font.regular.width.bind(font.regular),
      );
    }
  }
  const caption = `PMI (natural log, α = 1) from ${lens.reference} · ${lens.pairs.length} pairs · ρ = Spearman rank correlation with PMI`;
  body += textElement(caption, { x: 24, y: height - 12, 'font-size': 12, fill: MUTED });
  const notes: string[] = [];
  if (lens.dropped > 0)
    notes.push(
      `${lens.dropped} context${lens.dropped === 1 ? '' : 's'} left out: not in every model's vocabulary.`,
    );
  return {
    kind: 'lens',
    svg: svgDocument(width, height, body, font.family),
    width,
    height,
    caption,
    notes,
    data: lens,
  };
}

function paddedRange(values: readonly number[]): [number, number] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!(hi > lo)) {
    lo -= 1;
    hi += 1;
  }
  const pad = (hi - lo) * 0.06;
  return [lo - pad, hi + pad];
}

function drawPanel(
  box: Box,
  xs: readonly number[],
  ys: readonly number[],
  [xLo, xHi]: [number, number],
  labels: readonly string[],
  yName: string,
  rho: number,
  colour: string,
  measure: (text: string, size: number) => number,
): string {
  const [yLo, yHi] = paddedRange(ys);
  const sx = (v: number) => box.x + ((v - xLo) / (xHi - xLo)) * box.width;
  const sy = (v: number) => box.y + box.height - ((v - yLo) / (yHi - yLo)) * box.height;
  let out = element('rect', { ...box, fill: '#fafafa', stroke: FAINT, 'stroke-width': 1 });
  for (const t of ticks(xLo, xHi)) {
    out += element('line', { x1: sx(t), y1: box.y, x2: sx(t), y2: box.y + box.height, stroke: '#eeeeee' });
    out += textElement(svgNumber(t), {
      x: sx(t),
      y: box.y + box.height + 14,
      'font-size': 10,
      fill: MUTED,
      'text-anchor': 'middle',
    });
  }
  for (const t of ticks(yLo, yHi)) {
    out += element('line', { x1: box.x, y1: sy(t), x2: box.x + box.width, y2: sy(t), stroke: '#eeeeee' });
    out += textElement(svgNumber(t), {
      x: box.x - 4,
      y: sy(t) + 3.5,
      'font-size': 10,
      fill: MUTED,
      'text-anchor': 'end',
    });
  }
  out += textElement('PMI', {
    x: box.x + box.width,
    y: box.y + box.height + 28,
    'font-size': 11,
    fill: MUTED,
    'text-anchor': 'end',
  });
  out += textElement(yName, {
    x: box.x,
    y: box.y - 6,
    'font-size': 12,
    fill: INK,
    'font-weight': 'bold',
  });
  const rhoText = Number.isFinite(rho) ? `ρ = ${rho.toFixed(2)}` : 'ρ: too few pairs';
  out += textElement(rhoText, {
    x: box.x + box.width,
    y: box.y - 6,
    'font-size': 13,
    fill: INK,
    'font-weight': 'bold',
    'text-anchor': 'end',
  });
  for (let i = 0; i < xs.length; i++) {
    out += element('circle', {
      cx: sx(xs[i]),
      cy: sy(ys[i]),
      r: 3.5,
      fill: colour,
      'fill-opacity': 0.8,
      stroke: '#ffffff',
      'stroke-width': 0.7,
    });
  }
  // Label the highest- and lowest-PMI contexts and the model's highest, where they fit beside their dot.
  const byPmi = xs.map((_, i) => i).sort((a, b) => xs[b] - xs[a] || a - b);
  const byModel = ys.map((_, i) => i).sort((a, b) => ys[b] - ys[a] || a - b);
  const chosen = [...new Set([...byModel.slice(0, 3), ...byPmi.slice(0, 3), ...byPmi.slice(-3).reverse()])];
  const requests: LabelRequest[] = chosen.map((i) => ({
    x: sx(xs[i]),
    y: sy(ys[i]),
    width: measure(labels[i], 10) + 1,
    height: 12,
  }));
  const inner: Box = { x: box.x + 2, y: box.y + 2, width: box.width - 4, height: box.height - 4 };
  const { placed } = placeLabels(requests, inner, { markerRadius: 3.5, gap: 1 });
  for (const p of placed) {
    if (p.leader) continue;
    out += textElement(labels[chosen[p.index]], { x: p.x, y: p.y + 9.5, 'font-size': 10, fill: INK });
  }
  return out;
}

/** About five round tick values across [lo, hi] (1, 2 or 5 × 10ⁿ apart). */
function ticks(lo: number, hi: number): number[] {
  const raw = (hi - lo) / 5;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const out: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + 1e-9; t += step) out.push(Math.round(t / step) * step);
  return out;
}
