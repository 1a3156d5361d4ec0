/**
 * The web explorer in a real browser: Debian's Chromium (installed by scripts/setup.sh and .ci/run
 * where missing) driven by playwright-core, against the HTTP server on 127.0.0.1 answering from a
 * real store file. A screenshot of each step is written under the test's temp folder.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { RateLimiter } from '../src/core/rate-limiter.js';
import { CommandRunner } from '../src/core/runner.js';
import { type HttpService, startHttpServer } from '../src/http/http-server.js';
import { openStoreCatalog } from '../src/store-catalog.js';
import { WebApi } from '../src/web/web-api.js';
import { expectPng } from './support/png-check.js';
import { worldStore } from './support/world-store.js';

const CHROMIUM = process.env.WORDVEC_CHROMIUM ?? '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium)
  console.warn(`web-browser tests skipped: no Chromium at ${CHROMIUM} (apt-get install -y chromium)`);

describe.skipIf(!haveChromium)('web explorer in Chromium', () => {
  let service: HttpService;
  let browser: Browser;
  let base: string;
  const shots = mkdtempSync(join(tmpdir(), 'wordvec-web-'));
  /** Console errors and uncaught exceptions of the page, except the 4xx answers a test asked for. */
  const problems: string[] = [];

  beforeAll(async () => {
    const catalog = await openStoreCatalog(worldStore());
    const runner = new CommandRunner({
      catalog,
      limiter: new RateLimiter({ limit: 1000, windowMs: 60_000 }),
    });
    service = await startHttpServer({ web: new WebApi({ runner }) }, 0, '127.0.0.1');
    base = `http://127.0.0.1:${service.port}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await service?.stop();
    console.log(`web explorer screenshots: ${shots}`);
  });

  async function open(path: string, viewport = { width: 1000, height: 800 }): Promise<Page> {
    const page = await browser.newPage({ viewport });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() !== 'error') return;
      if (/Failed to load resource: the server responded with a status of 4\d\d/.test(message.text())) return;
      problems.push(`console: ${message.text()}`);
    });
    await page.goto(base + path);
    await page.waitForSelector('body[data-state="ready"]');
    return page;
  }

  it('loads, lists the models, and answers a word typed in the box', async () => {
    const page = await open('/');
    await page.locator('#model option').nth(1).waitFor({ state: 'attached' });
    expect(await page.locator('#model option').count()).toBe(2);
    expect(await page.inputValue('#model')).toBe('world');
    // Tabs are offered for the commands this server has.
    const commands = (await (await fetch(`${base}/api/commands`)).json()) as { commands: { name: string }[] };
    expect(await page.isVisible('#tab-plot')).toBe(commands.commands.some((c) => c.name === 'plot'));
    const box = page.locator('#panel-similar input[name="word"]');
    expect(await page.evaluate("document.activeElement?.getAttribute('name')")).toBe('word'); // focused on load
    await box.pressSequentially('piz');
    // (The page's CSP forbids eval, so poll from here rather than with waitForFunction.)
    await vi.waitFor(
      async () => {
        const values = await page
          .locator('#choices option')
          .evaluateAll((options) => options.map((o) => (o as unknown as { value: string }).value));
        expect(values).toContain('pizza');
      },
      { timeout: 5000, interval: 50 },
    );
    await box.fill('pizza');
    await box.press('Enter');
    await page.waitForSelector('#answer h2');
    expect(await page.textContent('#answer h2')).toBe('Words similar to “pizza”');
    const neighbours = await page.$$eval('#answer li', (items) => items.map((i) => i.textContent));
    expect(neighbours).toHaveLength(10);
    expect(neighbours[0]).toMatch(/^pasta — 0\.\d{3}$/);
    // The link can be shared.
    expect(new URL(page.url()).searchParams.get('q')).toBe('pizza');
    await page.screenshot({ path: join(shots, 'similar.png') });
    await page.close();
  });

  it('solves an analogy from the keyboard', async () => {
    const page = await open('/');
    await page.focus('#tab-similar');
    await page.keyboard.press('ArrowRight'); // to the Analogy tab
    await page.keyboard.press('Enter');
    expect(await page.isVisible('#panel-analogy')).toBe(true);
    await page.fill('#panel-analogy input[name="a"]', 'king');
    await page.fill('#panel-analogy input[name="b"]', 'man');
    await page.fill('#panel-analogy input[name="c"]', 'woman');
    await page.press('#panel-analogy input[name="c"]', 'Enter');
    await page.waitForSelector('#answer[data-command="analogy"] h2');
    expect(await page.textContent('#answer h2')).toBe('“man” is to “king” as “woman” is to “queen”');
    expect(await page.textContent('#answer p')).toMatch(/^king − man \+ woman ≈ queen \(0\.9\d\d\)$/);
    expect(new URL(page.url()).searchParams.get('tab')).toBe('analogy');
    await page.screenshot({ path: join(shots, 'analogy.png') });
    await page.close();
  });

  it('explains an out-of-vocabulary word', async () => {
    const page = await open('/?tab=oov&q=pizzaiolo');
    await page.waitForSelector('#answer[data-command="oov"] h2');
    const text = await page.textContent('#answer');
    expect(text).toContain('pizzaiolo');
    expect(text).toMatch(/not in the vocabulary|seen 3 times|rare/i);
    await page.screenshot({ path: join(shots, 'oov.png') });
    await page.close();
  });

  it('draws a plot from a shared link: the SVG in the page, the PNG to download', async () => {
    const page = await open('/?tab=plot&q=king%20queen%20man%20woman%20pizza&projection=umap');
    await page.waitForSelector('#answer[data-command="plot"] img.plot');
    expect(await page.textContent('#answer h2')).toBe('Map of 5 words');
    expect(await page.inputValue('#panel-plot select[name="projection"]')).toBe('umap');
    const img = page.locator('#answer img.plot');
    expect(await img.getAttribute('src')).toMatch(/^blob:/);
    expect(await img.getAttribute('alt')).toContain('king, queen, man, woman, pizza');
    // The SVG decoded and drew at its own size (a broken image has no natural width).
    await vi.waitFor(
      async () =>
        expect(await page.evaluate("document.querySelector('#answer img.plot').naturalWidth")).toBe(960),
      { timeout: 5000, interval: 50 },
    );
    expect(await page.evaluate("document.querySelector('#answer img.plot').naturalHeight")).toBe(720);
    const link = page.locator('#answer a.download');
    expect(await link.getAttribute('download')).toBe('plot-king-queen-man-woman-pizza.png');
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    const saved = join(shots, download.suggestedFilename());
    await download.saveAs(saved);
    expect(expectPng(readFileSync(saved))).toMatchObject({ width: 960, height: 720 });
    await page.screenshot({ path: join(shots, 'plot.png'), fullPage: true });
    // Typing a new list draws the new picture in place of the old.
    await page.fill('#panel-plot input[name="words"]', 'cat dog');
    await page.press('#panel-plot input[name="words"]', 'Enter');
    await vi.waitFor(async () => expect(await page.textContent('#answer h2')).toBe('Map of 2 words'), {
      timeout: 5000,
      interval: 50,
    });
    expect(await page.locator('#answer img.plot').count()).toBe(1);
    await page.close();
  });

  it('answers a shared link on load, and shows a word such as <script> as text without running it', async () => {
    const page = await open('/?q=pizza&count=3');
    await page.waitForSelector('#answer li');
    expect(await page.$$eval('#answer li', (items) => items.length)).toBe(3);
    const evil = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';
    await page.fill('#panel-similar input[name="word"]', evil);
    await page.press('#panel-similar input[name="word"]', 'Enter');
    await page.waitForSelector('#answer.error h2');
    expect(await page.evaluate('typeof window.__pwned')).toBe('undefined');
    expect(await page.$$('#answer img, #answer script')).toHaveLength(0);
    const text = await page.textContent('#answer');
    expect(text).toMatch(/One word expected|not in the vocabulary|Unknown word|Cannot answer/);
    await page.close();
  });

  it('answers a shared link from the page itself, and a word such as </script> in a link stays text', async () => {
    const requests: string[] = [];
    const page = await browser.newPage();
    page.on('request', (request) => requests.push(new URL(request.url()).pathname));
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    await page.goto(`${base}/?q=pizza`);
    await page.waitForSelector('#answer li');
    expect(await page.$$eval('#answer li', (items) => items.length)).toBe(10);
    expect(requests.filter((path) => path !== '/favicon.ico')).toEqual(['/']); // no request of its own
    await page.close();

    const evil = '</script><script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">';
    const shared = await open(`/?q=${encodeURIComponent(evil)}`);
    await shared.waitForSelector('#answer.error h2');
    expect(await shared.evaluate('typeof window.__pwned')).toBe('undefined');
    expect(await shared.$$('#answer img, #answer script, body > img')).toHaveLength(0);
    expect(await shared.inputValue('#panel-similar input[name="word"]')).toBe(evil);
    await shared.close();
  });

  it('says so for an unknown model in a link, and fits a phone screen', async () => {
    const page = await open('/?model=nope&q=pizza', { width: 390, height: 800 });
    await page.waitForSelector('#answer h2');
    expect(await page.textContent('#answer')).toContain('nope');
    await page.locator('#model option').nth(1).waitFor({ state: 'attached' });
    expect(await page.locator('#model option').count()).toBe(2);
    expect(await page.inputValue('#model')).toBe('world');
    // Tabs are offered for the commands this server has.
    const commands = (await (await fetch(`${base}/api/commands`)).json()) as { commands: { name: string }[] };
    expect(await page.isVisible('#tab-plot')).toBe(commands.commands.some((c) => c.name === 'plot')); // the default
    expect(await page.textContent('#model-info')).toContain('no model “nope”');
    expect(await page.isVisible('#panel-analogy')).toBe(false); // one tab's form at a time
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: join(shots, 'phone.png'), fullPage: true });
    await page.close();
  });

  it('had no console errors or uncaught exceptions on any page', () => {
    expect(problems).toEqual([]);
  });
});
