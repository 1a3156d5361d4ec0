/**
 * The explorer page (apps/bot/web/: index.html, app.js, app.css), read once when the server starts.
 * They are plain files a browser runs as they are: no build step, no external CDN. The script and
 * the style are served inside the page (one response: nothing else to fetch before the page can
 * run), allowed by their hashes in the page's Content-Security-Policy.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** The page, cut where its state goes, and the policy that lets it run its own script and style. */
export interface ExplorerPage {
  /** The page up to its state: everything a browser can show before the first answer. */
  head: Buffer;
  /** The page after its state. */
  tail: Buffer;
  contentSecurityPolicy: string;
}

const STYLE_LINK = '<link rel="stylesheet" href="/app.css">';
const SCRIPT_TAG = '<script type="module" src="/app.js"></script>';
/** Where index.html holds the page's state (a JSON data block, which no browser runs). */
const STATE_SLOT = '<script type="application/json" id="state"></script>';
export const STATE_OPEN = '<script type="application/json" id="state">';

function cspHash(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

function cut(page: string, marker: string): [string, string] {
  const at = page.indexOf(marker);
  if (at < 0 || page.indexOf(marker, at + 1) >= 0) throw new Error(`index.html must hold ${marker} once`);
  return [page.slice(0, at), page.slice(at + marker.length)];
}

/**
 * Builds the explorer page from the bot package's `web/` folder, two levels above this module both
 * in `src/web/` (tests) and in `dist/web/` (the built bot).
 *
 * @example
 * ```ts
 * const page = explorerPage();
 * res.end(Buffer.concat([page.head, Buffer.from(stateJson), page.tail]));
 * ```
 */
export function explorerPage(dir: URL = new URL('../../web/', import.meta.url)): ExplorerPage {
  const read = (file: string) => readFileSync(new URL(file, dir), 'utf8');
  const script = read('app.js');
  const style = read('app.css');
  // Inlined text must not end its own element early.
  if (/<\/script/i.test(script)) throw new Error('app.js must not hold "</script"');
  if (/<\/style/i.test(style)) throw new Error('app.css must not hold "</style"');
  let page = read('index.html');
  const [beforeStyle, afterStyle] = cut(page, STYLE_LINK);
  page = `${beforeStyle}<style>${style}</style>${afterStyle}`;
  const [beforeScript, afterScript] = cut(page, SCRIPT_TAG);
  page = `${beforeScript}<script type="module">${script}</script>${afterScript}`;
  const [head, tail] = cut(page, STATE_SLOT);
  return {
    head: Buffer.from(head + STATE_OPEN),
    tail: Buffer.from(`</script>${tail}`),
    contentSecurityPolicy:
      `default-src 'none'; script-src ${cspHash(script)}; style-src ${cspHash(style)}; ` +
      // Pictures are drawn from blob: URLs the page makes of the API's SVG and PNG.
      "img-src 'self' blob:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  };
}
