import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RateLimiter } from '../src/core/rate-limiter.js';
import { CommandRunner } from '../src/core/runner.js';
import { type HttpService, startHttpServer } from '../src/http/http-server.js';
import { parseQuery, WebApi } from '../src/web/web-api.js';
import { sharedQuery, WEB_TABS } from '../src/web/web-tabs.js';
import { MemoryCatalog, MemoryModel, worldCatalog } from './support/memory-catalog.js';
import { expectPng } from './support/png-check.js';

let service: HttpService;
let base: string;

beforeAll(async () => {
  const runner = new CommandRunner({
    catalog: worldCatalog(),
    limiter: new RateLimiter({ limit: 1000, windowMs: 60_000 }),
  });
  service = await startHttpServer({ web: new WebApi({ runner }) }, 0, '127.0.0.1');
  base = `http://127.0.0.1:${service.port}`;
});

afterAll(async () => {
  await service?.stop();
});

// biome-ignore lint/suspicious/noExplicitAny: the assertions read JSON answers of many shapes
function pageState(html: string): any {
  const at = html.indexOf('<script type="application/json" id="state">');
  const start = html.indexOf('>', at) + 1;
  return JSON.parse(html.slice(start, html.indexOf('</script>', start)));
}

// biome-ignore lint/suspicious/noExplicitAny: the assertions read JSON answers of many shapes
async function get(path: string): Promise<{ status: number; body: any; headers: Headers }> {
  const res = await fetch(base + path);
  const text = await res.text();
  let body: unknown = text;
  if (res.headers.get('content-type')?.startsWith('application/json')) body = JSON.parse(text);
  return { status: res.status, body, headers: res.headers };
}

describe('web explorer API', () => {
  it('serves the page with its script and style inside, allowed by hash in a strict content security policy', async () => {
    const page = await get('/');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const csp = page.headers.get('content-security-policy') ?? '';
    const script = /<script type="module">([\s\S]*?)<\/script>/.exec(page.body)?.[1] ?? '';
    const style = /<style>([\s\S]*?)<\/style>/.exec(page.body)?.[1] ?? '';
    expect(script).toBe(readFileSync(new URL('../web/app.js', import.meta.url), 'utf8'));
    expect(style).toBe(readFileSync(new URL('../web/app.css', import.meta.url), 'utf8'));
    const hash = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
    expect(csp).toContain(`script-src ${hash(script)};`);
    expect(csp).toContain(`style-src ${hash(style)};`);
    expect(csp).not.toMatch(/unsafe|'self'[^;]*script|script-src[^;]*'self'/);
    // Nothing else to fetch: no script or style of its own by URL, and none from elsewhere.
    expect(page.body).not.toMatch(/<script[^>]* src=|<link[^>]*stylesheet|https?:\/\//);
    expect((await get('/app.js')).status).toBe(404);
    const head = await fetch(`${base}/?q=pizza`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('puts a shared link’s first answer in the page, as the API gives it, with the models and tabs', async () => {
    const state = pageState((await get('/?model=world&q=pizza&count=3')).body);
    expect(state.first).toEqual({
      command: 'similar',
      ...(await get('/api/run/similar?word=pizza&count=3&model=world')),
      headers: undefined,
    });
    expect(state.models.map((m: { name: string }) => m.name)).toEqual(['world', 'tiny']);
    expect(state.offered).toContain('similar');
    expect(state.tabs).toEqual(WEB_TABS);
    const analogy = pageState((await get('/?tab=analogy&a=king&b=man&c=woman')).body);
    expect(analogy.first.command).toBe('analogy');
    expect(analogy.first.body.reply.data.results[0].word).toBe('queen');
    // The page waits for the person: a field its form requires is missing, or no query at all.
    expect(pageState((await get('/?tab=analogy&a=king&b=man')).body).first).toBeUndefined();
    expect(pageState((await get('/')).body).first).toBeUndefined();
    // Refused input is the API's answer (the page shows its message), not a failed page.
    const unknown = pageState((await get('/?model=nope&q=pizza')).body);
    expect(unknown.first.status).toBe(400);
    expect(JSON.stringify(unknown.first.body)).toContain('nope');
  });

  it('sends the page’s first part at once when a shared link’s answer is slow, the answer after it', async () => {
    const runner = new CommandRunner({ catalog: worldCatalog() });
    let release = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const run = runner.run.bind(runner);
    runner.run = async (request) => {
      await gate; // an answer that takes as long as the test says (a UMAP plot, say)
      return run(request);
    };
    const slow = await startHttpServer({ web: new WebApi({ runner }) }, 0, '127.0.0.1');
    try {
      const res = await fetch(`http://127.0.0.1:${slow.port}/?q=pizza`);
      const reader = (res.body as ReadableStream<Uint8Array>).getReader();
      const decoder = new TextDecoder();
      let firstPart = '';
      // Without streaming this would wait for the answer, which waits for the test: a timeout.
      while (!firstPart.includes('</footer>'))
        firstPart += decoder.decode((await reader.read()).value, { stream: true });
      expect(firstPart).toContain('<form');
      expect(firstPart).not.toContain('"first"');
      release();
      let rest = '';
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read())
        rest += decoder.decode(chunk.value, { stream: true });
      expect(pageState(firstPart + rest).first.body.reply.title).toBe('Words similar to “pizza”');
    } finally {
      release();
      await slow.stop();
    }
  });

  it('keeps a word such as </script> inside the page’s JSON, every “<” escaped', async () => {
    const evil = '</script><script>alert(1)</script><!--';
    const page = await get(`/?q=${encodeURIComponent(evil)}`);
    const data = page.body.slice(page.body.indexOf('id="state">'));
    expect(data.indexOf('</script>')).toBe(data.lastIndexOf('</script>')); // only the block's own end
    expect(data).not.toContain('<!--');
    expect(JSON.stringify(pageState(page.body))).toContain('alert(1)'); // the text is kept, as data
  });

  it('has one link table for the server and the page’s forms (web/index.html)', () => {
    const html = readFileSync(new URL('../web/index.html', import.meta.url), 'utf8');
    const forms = new Map<string, { option: string; required: boolean }[]>();
    for (const [, command, body] of html.matchAll(
      /<form[^>]* data-command="(\w+)"[^>]*>([\s\S]*?)<\/form>/g,
    )) {
      forms.set(
        command,
        [...body.matchAll(/<(?:input|select) name="(\w+)"([^>]*)>/g)].map(([, option, attrs]) => ({
          option,
          required: / required\b/.test(attrs),
        })),
      );
    }
    expect(Object.fromEntries(forms)).toEqual(
      Object.fromEntries(
        Object.entries(WEB_TABS).map(([tab, fields]) => [
          tab,
          fields.map(({ option, required }) => ({ option, required })),
        ]),
      ),
    );
  });

  it('lists the models with labels and the commands the page may run', async () => {
    const models = await get('/api/models');
    expect(models.body.models.map((m: { name: string }) => m.name)).toEqual(['world', 'tiny']);
    expect(models.body.models[0].isDefault).toBe(true);
    const commands = await get('/api/commands');
    const names = commands.body.commands.map((c: { name: string }) => c.name);
    expect(names).toContain('similar');
    expect(names).toContain('analogy');
    expect(names).toContain('oov');
  });

  it('answers /similar and /analogy from the command core, as the bot does', async () => {
    const similar = await get('/api/run/similar?word=pizza&count=3');
    expect(similar.status).toBe(200);
    expect(similar.body.reply.title).toBe('Words similar to “pizza”');
    expect(similar.body.reply.data.results.map((r: { word: string }) => r.word)[0]).toBe('pasta');
    expect(similar.body.reply.lines).toHaveLength(3);
    const analogy = await get('/api/run/analogy?a=king&b=man&c=woman');
    expect(analogy.status).toBe(200);
    expect(analogy.body.reply.data.results[0].word).toBe('queen');
    const tiny = await get('/api/run/similar?word=a&model=tiny&count=1');
    expect(tiny.body.reply.footer).toContain('tiny');
  });

  it('answers /plot with the SVG to draw and the PNG to download; img-src allows the page’s blob: URLs only', async () => {
    const plot = await get('/api/run/plot?words=king%20queen%20man%20woman');
    expect(plot.status).toBe(200);
    const image = plot.body.reply.image;
    expect(Object.keys(image).sort()).toEqual(['alt', 'fileName', 'height', 'png', 'svg', 'width']);
    expect(image).toMatchObject({ fileName: 'plot-king-queen-man-woman.png', width: 960, height: 720 });
    expect(image.svg).toMatch(/^<svg[^>]* width="960" height="720"/);
    expect(expectPng(Buffer.from(image.png, 'base64'))).toMatchObject({ width: 960, height: 720 });
    // More than 50 words: the bot's own message, no picture.
    const many = Array.from({ length: 51 }, (_, i) => `w${i}`).join(' ');
    const refused = await get(`/api/run/plot?words=${encodeURIComponent(many)}`);
    expect(refused.status).toBe(400);
    expect(refused.body.reply.lines[0]).toBe('A picture shows at most 50 words; got 51.');
    expect(refused.body.reply.image).toBeUndefined();
    const csp = (await get('/')).headers.get('content-security-policy') ?? '';
    expect(csp).toContain("img-src 'self' blob:;");
    expect(csp).not.toMatch(/data:|unsafe/);
  });

  it('autocompletes words, most frequent first, and model names', async () => {
    const words = await get('/api/complete?command=similar&option=word&value=p');
    expect(words.body.choices.map((c: { value: string }) => c.value)).toEqual([
      'pizza',
      'pasta',
      'prince',
      'paris',
      'pizzeria',
    ]);
    const models = await get('/api/complete?command=similar&option=model&value=ti');
    expect(models.body.choices).toEqual([{ name: 'tiny', value: 'tiny' }]);
    const bad = await get('/api/complete?command=nope&option=word&value=p');
    expect(bad.status).toBe(400);
  });

  it('refuses bad input with the core messages and a 4xx status, never a stack trace', async () => {
    const unknownModel = await get('/api/run/similar?word=pizza&model=nope');
    expect(unknownModel.status).toBe(400);
    expect(JSON.stringify(unknownModel.body)).toContain('nope');
    expect(JSON.stringify(unknownModel.body)).not.toMatch(/at .*\.(ts|js):\d+/);

    const overlong = await get(`/api/run/similar?word=${'a'.repeat(150)}`);
    expect(overlong.status).toBe(400);
    expect(overlong.body.reply.lines).toEqual(['Option “word” is 150 characters long; the limit is 100.']);

    const control = await get('/api/run/similar?word=piz%1Bza');
    expect(control.status).toBe(400);
    expect(JSON.stringify(control.body)).not.toContain('\u001b');

    const script = await get(`/api/run/similar?word=${encodeURIComponent('<script>alert(1)</script>')}`);
    expect(script.status).toBe(400);
    expect(script.headers.get('content-type')).toContain('application/json');

    expect((await get('/api/run/similar?word=%E0%A4')).status).toBe(400); // bad percent-encoding
    expect((await get('/api/run/similar?Word=pizza')).status).toBe(400); // not an option name
    expect((await get('/api/run/similar?word=pizza&colour=red')).status).toBe(400); // unknown option
    expect((await get('/api/run/shutdown')).status).toBe(404);
    expect((await get(`/api/run/similar?word=${'x'.repeat(5000)}`)).status).toBe(414);
    expect((await get('/api/nothing')).status).toBe(404);
    const post = await fetch(`${base}/api/run/similar?word=pizza`, { method: 'POST' });
    expect(post.status).toBe(405);
  });

  it('shows a stored word with control characters escaped in the reply text, raw only in data', async () => {
    const catalog = new MemoryCatalog([
      new MemoryModel(
        'evil',
        {
          pizza: { vector: [1, 0], count: 5 },
          'pi\u001b[31mzza': { vector: [0.9, 0.1], count: 4 },
        },
        { isDefault: true },
      ),
    ]);
    const answer = await new WebApi({ runner: new CommandRunner({ catalog }) }).answer(
      '/api/run/similar',
      'word=pizza&count=1',
      'web:test',
    );
    const reply = (answer.body as { reply: { lines: string[]; data: { results: { word: string }[] } } })
      .reply;
    expect(answer.status).toBe(200);
    expect(reply.lines[0]).toContain('pi\\u{1B}[31mzza');
    expect(reply.lines.join('')).not.toContain('\u001b');
    expect(reply.data.results[0].word).toBe('pi\u001b[31mzza');
  });

  it('rate-limits a web client like a chat user (429 with the wait)', async () => {
    const runner = new CommandRunner({
      catalog: worldCatalog(),
      limiter: new RateLimiter({ limit: 2, windowMs: 60_000 }),
    });
    const web = new WebApi({ runner });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++)
      statuses.push((await web.answer('/api/run/similar', 'word=pizza', 'web:1.2.3.4')).status);
    expect(statuses).toEqual([200, 200, 429]);
    // Another address has its own allowance.
    expect((await web.answer('/api/run/similar', 'word=pizza', 'web:5.6.7.8')).status).toBe(200);
  });
});

describe('sharedQuery', () => {
  it('reads a tab’s fields from a link, trimmed, with the model; nothing while a required field is missing', () => {
    expect(sharedQuery({ model: 'glove', q: ' pizza ', count: '3', a: 'x' })).toEqual({
      command: 'similar',
      options: { word: 'pizza', count: '3', model: 'glove' },
    });
    expect(sharedQuery({ tab: 'plot', q: 'king queen', projection: 'umap' })).toEqual({
      command: 'plot',
      options: { words: 'king queen', projection: 'umap' },
    });
    expect(sharedQuery({ tab: 'nope', q: 'pizza' })?.command).toBe('similar');
    expect(sharedQuery({ q: '  ' })).toBeUndefined();
    expect(sharedQuery({ tab: 'similarity', a: 'cat' })).toBeUndefined();
  });
});

describe('parseQuery', () => {
  it('decodes plus and percent, keeps the first of repeated keys, and refuses bad keys', () => {
    expect(parseQuery('word=ice+cream&count=3&word=x')).toEqual({ word: 'ice cream', count: '3' });
    expect(parseQuery('')).toEqual({});
    expect(parseQuery('a=%E2%82%AC')).toEqual({ a: '€' });
    expect(parseQuery('a=%ZZ')).toMatch(/percent-encoded/);
    expect(parseQuery('__proto__=1')).toMatch(/lower-case option names/);
    expect(parseQuery('A=1')).toMatch(/lower-case option names/);
  });
});
