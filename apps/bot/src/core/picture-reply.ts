/**
 * From a model to a picture in a reply: the model as the plots package's `PlotSource`, typed words
 * as `PlotWord`s (estimates marked), and a finished picture as a {@link ReplyImage} whose PNG is
 * rasterised off the event loop and bounded in size.
 */
import type { QueryItem } from '@wordvec/embeddings';
import { type Picture, type PlotSource, type PlotWord, pngSize, renderPngAsync } from '@wordvec/plots';
import { BotInputError } from './bot-error.js';
import type { QueryModel } from './model-source.js';
import type { ReplyImage } from './reply.js';

/**
 * Largest PNG a reply carries (250 KiB): well under Discord's and Slack's upload limits, quick to send
 * and to show on a phone. A larger picture is rendered again narrower (see {@link toReplyImage}).
 */
export const MAX_IMAGE_BYTES = 250 * 1024;

/** Narrower widths tried, in order, when a picture's PNG is over {@link MAX_IMAGE_BYTES}. */
const FALLBACK_WIDTHS = [720, 480];

/** Longest alt text (Discord's attachment description and Slack's alt text stay under 1,024). */
const MAX_ALT_LENGTH = 1000;

/**
 * The model as the plots package sees it.
 *
 * @throws {@link BotInputError} when the model cannot hand out its vectors (nothing to draw from).
 * @example
 * ```ts
 * const picture = await neighbourhoodPicture(plotSource(model), { word: 'king' });
 * ```
 */
export function plotSource(model: QueryModel): PlotSource {
  const vector = model.vector?.bind(model);
  if (!vector) {
    throw new BotInputError(
      'No picture',
      `Model ${model.summary.name} cannot hand out its vectors, so it cannot be drawn.`,
    );
  }
  return {
    dim: model.summary.dim,
    has: (word) => model.has(word),
    get: vector,
    mostSimilar: (query) => model.mostSimilar(query),
  };
}

/**
 * Resolved query items as words to draw: vocabulary words as they are, estimated vectors under the
 * word as typed, marked as estimates (the picture draws them with an open marker and a `*`).
 *
 * @example
 * ```ts
 * const { items, labels } = resolveKnown(model, typed, oov);
 * wordListPicture(source, { words: plotWords(items, labels) });
 * ```
 */
export function plotWords(items: readonly QueryItem[], labels: readonly string[]): PlotWord[] {
  return items.map((item, i) =>
    typeof item === 'string' ? item : { word: labels[i], vector: Float32Array.from(item), estimated: true },
  );
}

/**
 * A file name from a picture's kind and words: lower-case ASCII letters, digits and dashes only, so
 * no transport has to escape it, e.g. `plot-king-queen.png`.
 *
 * @example
 * ```ts
 * imageFileName('lens', ['café']); // 'lens-cafe.png'
 * ```
 */
export function imageFileName(kind: string, words: readonly string[]): string {
  const slug = words
    .join('-')
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  return `${kind}${slug ? `-${slug}` : ''}.png`;
}

/**
 * Rasterises a picture for a reply (resvg on libuv's thread pool), checks the PNG's signature and
 * size, and renders it narrower when it is over {@link MAX_IMAGE_BYTES}.
 *
 * @throws {@link BotInputError} when even the narrowest rendering is too large or the renderer gave
 * no PNG: the reply then says so instead of carrying a broken picture.
 * @example
 * ```ts
 * reply.image = await toReplyImage(picture, 'plot-king.png', 'Neighbourhood of king');
 * ```
 */
export async function toReplyImage(picture: Picture, fileName: string, alt: string): Promise<ReplyImage> {
  for (const width of [undefined, ...FALLBACK_WIDTHS]) {
    const png = await renderPngAsync(picture.svg, width === undefined ? {} : { width });
    const size = pngSize(png);
    if (!size || size.width === 0 || size.height === 0) break;
    if (png.length <= MAX_IMAGE_BYTES) {
      const text = alt.length <= MAX_ALT_LENGTH ? alt : `${alt.slice(0, MAX_ALT_LENGTH - 1)}…`;
      return { png, svg: picture.svg, fileName, alt: text, width: size.width, height: size.height };
    }
  }
  throw new BotInputError(
    'No picture',
    `The picture could not be made within ${MAX_IMAGE_BYTES / 1024} KiB; try fewer words.`,
  );
}
