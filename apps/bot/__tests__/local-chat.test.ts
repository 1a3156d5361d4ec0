import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectPng } from './support/png-check.js';
import { worldStore } from './support/world-store.js';

const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));

function chat(input: string, env: Record<string, string>) {
  const { DISCORD_TOKEN: _, ...rest } = process.env;
  // An empty working directory, so a developer's .env (read from INIT_CWD and cwd) cannot leak in.
  const cwd = mkdtempSync(join(tmpdir(), 'wordvec-cwd-'));
  return spawnSync(process.execPath, [main], {
    input,
    encoding: 'utf8',
    env: { ...rest, INIT_CWD: cwd, ...env },
    timeout: 30_000,
    cwd,
  });
}

describe.skipIf(!existsSync(main))('local chat: piping commands to the built `node dist/main.js`', () => {
  let store = '';
  beforeAll(() => {
    store = worldStore();
  });

  it('answers one command per line from the store and exits 0 at end of input', () => {
    const r = chat(
      '/similar pizza 3\n/analogy king man woman\n\n/oov pizzaiolo\n/models\nsimilar pizza\n/similar pizzza\n/nope\n/similar pizza 99\n',
      {
        WORDVEC_STORE: store,
      },
    );
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const blocks = r.stdout.trim().split('\n\n');
    expect(blocks).toHaveLength(8);
    expect(blocks[0]).toMatch(
      /^Words similar to “pizza”\n {2}1\. pasta — 0\.\d{3}\n {2}2\. .*\n {2}3\. .*\n {2}\[model world \(cbow, 6 dimensions\)\]$/,
    );
    expect(blocks[1].split('\n')[0]).toBe('“man” is to “king” as “woman” is to “queen”');
    expect(blocks[2]).toMatch(/seen 3 times in the corpus, fewer than the minimum count of 5/);
    expect(blocks[3]).toMatch(
      /world \(default\)\n {4}cbow, 6 dimensions, 15 words\n {4}corpus hand-made \(631 tokens\)\n {4}analogies\.accuracy 0\.500/,
    );
    // Bad input: one-line errors, never a stack trace.
    expect(r.stdout).toContain('✗ Not a command');
    expect(r.stdout).toMatch(
      /✗ Unknown word\n {2}“pizzza” is not in the vocabulary of model world\. Did you mean: pizza/,
    );
    expect(r.stdout).toMatch(/“\/nope” is not a command/);
    expect(r.stdout).toMatch(/must be a whole number from 1 to 25, got 99/);
    expect(`${r.stdout}${r.stderr}`).not.toMatch(/\n\s+at /);
  });

  it('writes pictures to WORDVEC_PICTURES, each under its own name, and prints where', () => {
    const pictures = join(mkdtempSync(join(tmpdir(), 'wordvec-pics-')), 'out');
    const r = chat('/plot king queen man woman\n/plot king queen man woman\n/lens pizza\n/plot qqqqzz\n', {
      WORDVEC_STORE: store,
      WORDVEC_PICTURES: pictures,
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const written = [...r.stdout.matchAll(/^ {2}picture: (.+) \((\d+)×(\d+), (\d+) KiB\)$/gm)];
    expect(written.map((m) => m[1])).toEqual([
      join(pictures, 'plot-king-queen-man-woman.png'),
      join(pictures, 'plot-king-queen-man-woman-2.png'),
      join(pictures, 'lens-pizza.png'),
    ]);
    for (const [, path, width, height, kib] of written) {
      const bytes = readFileSync(path);
      expect(expectPng(bytes)).toMatchObject({ width: Number(width), height: Number(height) });
      expect(Math.ceil(bytes.length / 1024)).toBe(Number(kib));
    }
    expect(Buffer.compare(readFileSync(written[0][1]), readFileSync(written[1][1]))).toBe(0);
    expect(readdirSync(pictures).sort()).toEqual([
      'lens-pizza.png',
      'plot-king-queen-man-woman-2.png',
      'plot-king-queen-man-woman.png',
    ]);
    // No picture for an unknown word: the usual reply.
    expect(r.stdout).toMatch(/✗ Unknown word\n {2}“qqqqzz” is not in the vocabulary/);
  });

  it('refuses a bad configuration with a specific message and exit code 1', () => {
    const r = chat('/models\n', { WORDVEC_STORE: store, WORDVEC_MODEL: 'nope' });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      `wordvec bot: WORDVEC_MODEL is "nope", but ${store} has no such model; models: tiny, world\n`,
    );
  });

  it('on first start with an empty store trains the default model, says so, then answers; the next start answers at once', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wordvec-first-'));
    // A small seeded corpus of three topics stands in for the starter corpus (minutes to train).
    const topics = [
      ['king', 'queen', 'prince', 'throne', 'crown'],
      ['pizza', 'pasta', 'bread', 'cheese', 'sauce'],
    ];
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    const lines = Array.from({ length: 1500 }, () => {
      const t = topics[next() % topics.length];
      return Array.from({ length: 8 }, () => t[next() % t.length]).join(' ');
    });
    const corpus = join(dir, 'corpus.txt');
    writeFileSync(corpus, `${lines.join('\n')}\n`);
    const env = { WORDVEC_STORE: join(dir, 'data', 'wordvec.db'), WORDVEC_FIRST_CORPUS: corpus };
    const first = chat('/oov king\n/models\n', env);
    expect(first.status).toBe(0);
    expect(first.stderr).toMatch(
      /^First start: the store .* has no model yet, so I am training the default model/,
    );
    expect(first.stderr).toMatch(/training.*100%/);
    expect(first.stderr).toMatch(/Built model first-\w+ \(\w+\) in \d+ s/);
    expect(first.stdout).toMatch(/“king” is in the vocabulary\n {2}“king” was seen [\d,]+ times/);
    expect(first.stdout).toMatch(/first-\w+ \(default\)\n {4}\w+, 100 dimensions, 10 words/);
    const again = chat('/oov king\n', env);
    expect(again.stderr).toBe('');
    expect(again.stdout).toMatch(/“king” is in the vocabulary/);
  });
});
