/**
 * The explorer page's static files (apps/bot/web/: index.html, app.js, app.css), read once when the
 * server starts. They are plain files a browser runs as they are: no build step, no external CDN.
 */
import { readFileSync } from 'node:fs';

/** A file served as it is. */
export interface StaticAsset {
  type: string;
  body: Buffer;
}

const FILES: ReadonlyArray<[path: string, file: string, type: string]> = [
  ['/', 'index.html', 'text/html; charset=utf-8'],
  ['/app.js', 'app.js', 'text/javascript; charset=utf-8'],
  ['/app.css', 'app.css', 'text/css; charset=utf-8'],
];

/**
 * The page's files by URL path. The folder is `web/` of the bot package, two levels above this
 * module both in `src/web/` (tests) and in `dist/web/` (the built bot).
 *
 * @example
 * ```ts
 * webAssets().get('/')?.type; // 'text/html; charset=utf-8'
 * ```
 */
export function webAssets(): Map<string, StaticAsset> {
  const dir = new URL('../../web/', import.meta.url);
  return new Map(FILES.map(([path, file, type]) => [path, { type, body: readFileSync(new URL(file, dir)) }]));
}
