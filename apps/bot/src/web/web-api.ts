/**
 * The web explorer's JSON API (`/api/…`) and its page (`GET /`), answered from the same
 * {@link CommandRunner} as Discord and Slack: the same option validation, rate limit (per client
 * address) and messages. Query strings are the only input; every answer is JSON, or the page with
 * its state as a JSON data block (every `<` escaped), so nothing a person types is ever interpreted
 * as markup here: the page renders replies with `textContent`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { MAX_WORD_LIST_LENGTH } from '../commands/plot.js';
import type { Logger } from '../core/logger.js';
import type { Reply } from '../core/reply.js';
import type { CommandRunner, RawOptions } from '../core/runner.js';
import { escapeControls, MAX_OPTION_LENGTH } from '../core/validate.js';
import { type ExplorerPage, explorerPage } from './web-assets.js';
import { linkTab, sharedQuery, WEB_TABS } from './web-tabs.js';

/** Longest query string read (a few options of at most {@link MAX_OPTION_LENGTH} characters, or a word list). */
export const MAX_QUERY_LENGTH = 4096;

/**
 * Longest value of one query parameter: a `/plot` word list ({@link MAX_WORD_LIST_LENGTH}); the
 * command core checks each option's own limit after that.
 */
export const MAX_QUERY_VALUE_LENGTH = Math.max(MAX_OPTION_LENGTH * 4, MAX_WORD_LIST_LENGTH);

/** Commands the page may run: the read-only queries (not admin or game commands). */
export const WEB_COMMANDS: readonly string[] = [
  'similar',
  'analogy',
  'similarity',
  'oov',
  'doesntmatch',
  'pmi',
  'cooccur',
  'models',
  'math',
  'compare',
  // Pictures: the page's Plot tab draws /plot's SVG and offers its PNG.
  'plot',
  'lens',
];

/** A reply's picture as the API sends it: the SVG to draw inline, the PNG (base64) to download. */
export interface WebImage {
  fileName: string;
  /** Alt text, control characters escaped. */
  alt: string;
  width: number;
  height: number;
  svg: string;
  /** The PNG file, base64. */
  png: string;
}

/** A reply as the API sends it: text escaped, the picture as {@link WebImage}. */
export type WebReply = Omit<Reply, 'image'> & { image?: WebImage };

export interface WebApiOptions {
  runner: CommandRunner;
  logger?: Logger;
  /**
   * Who is asking, for the rate limit: by default the socket's address. Behind a reverse proxy every
   * request comes from the proxy, so set `trustProxy` to use the first `X-Forwarded-For` address.
   */
  trustProxy?: boolean;
}

/** A JSON answer of the API. */
export interface WebAnswer {
  status: number;
  body: unknown;
}

/**
 * What the page starts from, embedded in it as JSON: its tabs' link fields, the commands offered,
 * the models, and for a shared link the first answer (as `/api/run/<command>` would give it).
 */
export interface PageState {
  tabs: typeof WEB_TABS;
  offered: string[];
  models: unknown;
  first?: { command: string } & WebAnswer;
}

/**
 * Serves `GET /` (the explorer page, a shared link's first answer inside it) and `GET /api/…`. Returns false for a
 * path it does not serve, so the HTTP server can go on to its other routes.
 *
 * Routes:
 * - `GET /api/commands`: the commands the page may run, with their options (as registered with Discord).
 * - `GET /api/models`: the store's models (name, algorithm, dimensions, vocabulary size, default).
 * - `GET /api/complete?command=similar&option=word&value=piz[&model=m]`: autocomplete choices.
 * - `GET /api/run/<command>?<option>=<value>…`: the command's reply (title, lines, fields, footer,
 *   error, data), status 200, or 400 when the input was refused, 429 when rate-limited.
 *
 * @example
 * ```ts
 * const web = new WebApi({ runner });
 * const server = createServer((req, res) => web.handle(req, res) ?? res.end('not found'));
 * ```
 */
export class WebApi {
  readonly #runner: CommandRunner;
  readonly #logger: Logger | undefined;
  readonly #trustProxy: boolean;
  readonly #page: ExplorerPage;

  constructor(options: WebApiOptions) {
    this.#runner = options.runner;
    this.#logger = options.logger;
    this.#trustProxy = options.trustProxy ?? false;
    this.#page = explorerPage();
  }

  /** Whether `path` is one of the explorer's (the page or the API). */
  serves(path: string): boolean {
    return path === '/' || path === '/api' || path.startsWith('/api/');
  }

  /**
   * Answers the request if its path is the explorer's: returns the work in flight (settled when the
   * answer is written), or undefined when the path is not the explorer's.
   */
  handle(req: IncomingMessage, res: ServerResponse): Promise<void> | undefined {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    if (!this.serves(path)) return undefined;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(res, { status: 405, body: { error: 'use GET' } }, { Allow: 'GET, HEAD' });
      return Promise.resolve();
    }
    const query = q < 0 ? '' : url.slice(q + 1);
    if (path === '/') return this.#sendPage(req, res, query);
    return this.answer(path, query, this.#client(req)).then(
      (answer) => send(res, answer),
      (error) => {
        this.#logger?.error('web api failed', { path, error });
        send(res, {
          status: 500,
          body: { error: 'the request could not be answered; the error was logged' },
        });
      },
    );
  }

  /**
   * The JSON answer for an API path and raw query string, from `client` (for the rate limit). Pure
   * of HTTP, so tests and the benchmark can call it directly.
   *
   * @example
   * ```ts
   * await web.answer('/api/run/similar', 'word=pizza&count=5', 'web:127.0.0.1');
   * ```
   */
  async answer(path: string, query: string, client: string): Promise<WebAnswer> {
    if (query.length > MAX_QUERY_LENGTH) {
      return {
        status: 414,
        body: { error: `the query string is longer than ${MAX_QUERY_LENGTH} characters` },
      };
    }
    const parsed = parseQuery(query);
    if (typeof parsed === 'string') return { status: 400, body: { error: parsed } };
    if (path === '/api/commands') {
      return {
        status: 200,
        body: { commands: this.#webCommands().map((c) => c.definition) },
      };
    }
    if (path === '/api/models') {
      return {
        status: 200,
        body: {
          // `name` is the value to send back; `label` is what to show (control characters escaped).
          models: this.#runner.catalog.models().map((m) => ({ ...m, label: escapeControls(m.name) })),
        },
      };
    }
    if (path === '/api/complete') {
      const { command = '', option = '', value = '', model } = parsed;
      if (!this.#webCommands().some((c) => c.definition.name === command)) {
        return {
          status: 400,
          body: { error: `no command ${JSON.stringify(escapeControls(command.slice(0, 40)))}` },
        };
      }
      const choices = this.#runner.autocomplete(
        command,
        { name: option, value },
        model === undefined ? {} : { model },
      );
      return { status: 200, body: { choices } };
    }
    const run = /^\/api\/run\/([a-z]{1,32})$/.exec(path);
    if (run) {
      const name = run[1];
      if (!WEB_COMMANDS.includes(name) || !this.#runner.find(name)) {
        return { status: 404, body: { error: `the explorer has no command /${name}` } };
      }
      const options: RawOptions = {};
      for (const [k, v] of Object.entries(parsed)) options[k] = v;
      const reply = await this.#runner.run({ command: name, options, user: client });
      return { status: replyStatus(reply), body: { reply: toJson(reply) } };
    }
    return { status: 404, body: { error: 'no such API path; see /api/commands' } };
  }

  /**
   * The page's state for a page URL's query string: a shared link's first answer comes from
   * {@link answer}, as the page's own request would (same validation, rate limit and messages).
   */
  async pageState(query: string, client: string, withAnswer = true): Promise<PageState> {
    const state: PageState = {
      tabs: WEB_TABS,
      offered: this.#webCommands().map((c) => c.definition.name),
      models: ((await this.answer('/api/models', '', client)).body as { models: unknown }).models,
    };
    // A link the API would refuse (too long, bad encoding) gets no first answer; the page then asks
    // itself and shows the API's message.
    const params = query.length > MAX_QUERY_LENGTH ? undefined : parseQuery(query);
    if (!withAnswer || params === undefined || typeof params === 'string') return state;
    const shared = sharedQuery(params);
    if (!shared || !state.offered.includes(linkTab(params))) return state;
    const answer = await this.answer(
      `/api/run/${shared.command}`,
      new URLSearchParams(shared.options).toString(),
      client,
    ).catch((error: unknown) => {
      this.#logger?.error('web api failed', { path: `/api/run/${shared.command}`, error });
      return { status: 500, body: { error: 'the request could not be answered; the error was logged' } };
    });
    return { ...state, first: { command: shared.command, ...answer } };
  }

  /**
   * Sends the page: its first part (style, script, forms) at once, so the browser lays it out while
   * a shared link's answer is computed, then its state with that answer. HEAD sends no answer.
   */
  async #sendPage(req: IncomingMessage, res: ServerResponse, query: string): Promise<void> {
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Security-Policy': this.#page.contentSecurityPolicy,
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    res.write(this.#page.head);
    let state: PageState;
    try {
      state = await this.pageState(query, this.#client(req));
    } catch (error) {
      // The headers are sent: finish the page; it says the models could not be listed.
      this.#logger?.error('web page state failed', { error });
      state = { tabs: WEB_TABS, offered: this.#webCommands().map((c) => c.definition.name), models: null };
    }
    // A JSON data block ends only at "</script": with every "<" escaped, no value can end it.
    res.write(JSON.stringify(state).replace(/</g, '\\u003c'));
    res.end(this.#page.tail);
  }

  #webCommands() {
    return this.#runner.commands.filter((c) => WEB_COMMANDS.includes(c.definition.name));
  }

  #client(req: IncomingMessage): string {
    if (this.#trustProxy) {
      const forwarded = req.headers['x-forwarded-for'];
      const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
      if (first) return `web:${first.slice(0, 64)}`;
    }
    return `web:${req.socket.remoteAddress ?? 'unknown'}`;
  }
}

/** 429 for a rate-limited reply, 400 for refused input, else 200. */
function replyStatus(reply: Reply): number {
  const data = reply.data as { retryAfterMs?: unknown } | undefined;
  if (typeof data?.retryAfterMs === 'number') return 429;
  if (reply.error && reply.title !== 'Something went wrong') return 400;
  return reply.error ? 500 : 200;
}

/**
 * A reply as the page shows it: its text with control characters escaped (replies quote what a
 * person typed; the page shows text with `textContent`, so no other escaping is needed), its picture
 * as SVG text and base64 PNG. `data` keeps the raw values for programs.
 */
function toJson(reply: Reply): WebReply {
  const text = (s: string) => escapeControls(s);
  const { image, ...rest } = reply;
  return {
    ...rest,
    ...(image
      ? {
          image: {
            fileName: image.fileName,
            alt: text(image.alt),
            width: image.width,
            height: image.height,
            // Built by @wordvec/plots with every word XML-escaped; the page shows it as an <img>
            // (a blob: URL), where an SVG runs no script, never as markup in the document.
            svg: image.svg,
            png: image.png.toString('base64'),
          },
        }
      : {}),
    title: text(reply.title),
    lines: reply.lines.map(text),
    fields: reply.fields?.map((f) => ({
      ...f,
      name: text(f.name),
      value: escapeControls(f.value, { keepNewlines: true }),
    })),
    footer: reply.footer === undefined ? undefined : text(reply.footer),
  };
}

/**
 * Parses `a=1&b=x` into a record (first value of a repeated key wins). Returns a message for a key
 * that is not a plain option name or for bad percent-encoding.
 */
export function parseQuery(query: string): Record<string, string> | string {
  const out: Record<string, string> = {};
  if (query === '') return out;
  for (const part of query.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    let key: string;
    let value: string;
    try {
      key = decodeURIComponent((eq < 0 ? part : part.slice(0, eq)).replace(/\+/g, ' '));
      value = eq < 0 ? '' : decodeURIComponent(part.slice(eq + 1).replace(/\+/g, ' '));
    } catch {
      return 'the query string is not valid percent-encoded UTF-8';
    }
    if (!/^[a-z][a-z_]{0,31}$/.test(key)) {
      return `query parameter names are lower-case option names; got ${JSON.stringify(escapeControls(key.slice(0, 40)))}`;
    }
    if (value.length > MAX_QUERY_VALUE_LENGTH) {
      return `the value of ${key} is longer than ${MAX_QUERY_VALUE_LENGTH} characters`;
    }
    if (!(key in out)) out[key] = value;
  }
  return out;
}

const SECURITY_HEADERS: Record<string, string> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
};

function send(res: ServerResponse, answer: WebAnswer, extra: Record<string, string> = {}): void {
  if (res.headersSent) return;
  const body = JSON.stringify(answer.body);
  res.writeHead(answer.status, {
    ...SECURITY_HEADERS,
    ...extra,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(body);
}
