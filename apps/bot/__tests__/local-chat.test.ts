import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { worldStore } from './support/world-store.js';

const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));

function chat(input: string, env: Record<string, string>) {
  const { DISCORD_TOKEN: _, ...rest } = process.env;
  return spawnSync(process.execPath, [main], {
    input,
    encoding: 'utf8',
    env: { ...rest, ...env },
    timeout: 30_000,
    cwd: fileURLToPath(new URL('.', import.meta.url)),
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

  it('refuses a bad configuration with a specific message and exit code 1', () => {
    const r = chat('/models\n', { WORDVEC_STORE: store, WORDVEC_MODEL: 'nope' });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      `wordvec bot: WORDVEC_MODEL is "nope", but ${store} has no such model; models: tiny, world\n`,
    );
  });
});
