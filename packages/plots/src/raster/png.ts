/**
 * SVG → PNG with resvg (`@resvg/resvg-js`, whose prebuilt binary ships inside the npm package), using
 * only the picture font (system fonts off), so the bytes depend on the SVG alone.
 */
import { Resvg, type ResvgRenderOptions, renderAsync } from '@resvg/resvg-js';
import { plotFont } from '../font/font.js';

/** Options of {@link renderPng}. */
export interface RenderPngOptions {
  /** Output width in pixels (the height follows the aspect ratio). Default: the SVG's own width. */
  width?: number;
}

/** The eight bytes every PNG file starts with. */
export const PNG_SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);

/**
 * Rasterises an SVG document to PNG bytes.
 *
 * @example
 * ```ts
 * const png = renderPng(picture.svg);
 * writeFileSync('map.png', png);
 * ```
 */
export function renderPng(svg: string, options: RenderPngOptions = {}): Buffer {
  return new Resvg(svg, resvgOptions(options)).render().asPng();
}

/**
 * {@link renderPng} on libuv's thread pool (resvg's `renderAsync`): the same bytes, without holding the
 * event loop while the picture is rasterised (what a server answering other requests wants).
 *
 * @example
 * ```ts
 * const png = await renderPngAsync(picture.svg);
 * ```
 */
export async function renderPngAsync(svg: string, options: RenderPngOptions = {}): Promise<Buffer> {
  return (await renderAsync(svg, resvgOptions(options))).asPng();
}

function resvgOptions(options: RenderPngOptions): ResvgRenderOptions {
  const font = plotFont();
  return {
    font: { fontFiles: font.files, loadSystemFonts: false, defaultFontFamily: font.family },
    fitTo: options.width ? { mode: 'width', value: options.width } : { mode: 'original' },
    shapeRendering: 2,
    textRendering: 1,
  };
}

/**
 * Whether `bytes` start with the PNG signature, and the width and height its IHDR chunk declares.
 *
 * @example
 * ```ts
 * pngSize(renderPng(svg)); // { width: 960, height: 720 }
 * ```
 */
export function pngSize(bytes: Uint8Array): { width: number; height: number } | undefined {
  if (bytes.length < 24) return undefined;
  for (let i = 0; i < 8; i++) if (bytes[i] !== PNG_SIGNATURE[i]) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}
