/**
 * Across packages, as a community admin would: a corpus goes in through the `wordvec` CLI
 * (training and import), and the bot answers in chat from the same store.
 * Runs the built binaries (apps/cli/dist/main.js, apps/bot/dist/main.js): `pnpm test` builds first.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const CLI = fileURLToPath(new URL('../apps/cli/dist/main.js', import.meta.url));
const BOT = fileURLToPath(new URL('../apps/bot/dist/main.js', import.meta.url));

let dir = '';
let store = '';

function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const { DISCORD_TOKEN: _t, WORDVEC_MODEL: _m, ...rest } = process.env;
  return { ...rest, WORDVEC_STORE: store, WORDVEC_EVAL_DIR: join(dir, 'no-eval'), INIT_CWD: dir, ...extra };
}

function wordvec(args: string[]) {
  return spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    env: env(),
    cwd: dir,
    timeout: 120_000,
  });
}

function chat(lines: string[], extra: Record<string, string> = {}) {
  return spawnSync(process.execPath, [BOT], {
    input: `${lines.join('\n')}\n`,
    encoding: 'utf8',
    env: env(extra),
    cwd: dir,
    timeout: 60_000,
  });
}

/**
 * A seeded corpus with planted structure: food words share contexts with each other, royalty
 * words with each other, so any sound trainer puts each topic's words together.
 */
function plantedCorpus(): string {
  const topics = {
    food: {
      words: ['pizza', 'pasta', 'bread', 'cheese', 'soup', 'salad'],
      verbs: ['eat', 'cook', 'bake', 'taste'],
    },
    royal: {
      words: ['king', 'queen', 'prince', 'princess', 'throne', 'crown'],
      verbs: ['rule', 'crown', 'reign', 'command'],
    },
    sea: {
      words: ['ship', 'boat', 'sail', 'harbor', 'anchor', 'wave'],
      verbs: ['steer', 'row', 'dock', 'float'],
    },
  };
  let seed = 12345;
  const next = (n: number) => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return (seed >>> 8) % n;
  };
  const lines: string[] = [];
  const names = Object.keys(topics) as (keyof typeof topics)[];
  for (let i = 0; i < 4000; i++) {
    const t = topics[names[next(names.length)]];
    const w = () => t.words[next(t.words.length)];
    lines.push(`we ${t.verbs[next(t.verbs.length)]} the ${w()} and the ${w()} with ${w()} near the ${w()}`);
  }
  return `${lines.join('\n')}\n`;
}

beforeAll(() => {
  for (const f of [CLI, BOT])
    if (!existsSync(f)) throw new Error(`build first (pnpm build): ${f} is missing`);
  dir = mkdtempSync(join(tmpdir(), 'wordvec-e2e-'));
  store = join(dir, 'store.db');
  writeFileSync(join(dir, 'corpus.txt'), plantedCorpus());
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a corpus goes in, the bot answers in chat', () => {
  it('trains PPMI-SVD and CBOW models with the CLI and the bot answers from each', () => {
    const ppmi = wordvec([
      'train',
      'ppmi',
      '--corpus',
      'corpus.txt',
      '--name',
      'topics-ppmi',
      '--dim',
      '8',
      '--min-count',
      '3',
      '--seed',
      '3',
      '--quiet',
    ]);
    expect(ppmi.stderr).toBe('');
    expect(ppmi.status).toBe(0);
    const cbow = wordvec([
      'train',
      'cbow',
      '--corpus',
      'corpus.txt',
      '--name',
      'topics-cbow',
      '--dim',
      '16',
      '--min-count',
      '3',
      '--epochs',
      '10',
      '--workers',
      '1',
      '--seed',
      '3',
      '--quiet',
    ]);
    expect(cbow.stderr).toBe('');
    expect(cbow.status).toBe(0);

    const food = new Set(['pasta', 'bread', 'cheese', 'soup', 'salad']);
    for (const model of ['topics-ppmi', 'topics-cbow']) {
      const r = chat([`/similar pizza 3 ${model}`], { WORDVEC_MODEL: model });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      const answers = [...r.stdout.matchAll(/^\s+\d+\. (\S+) — /gm)].map((m) => m[1]);
      expect(answers).toHaveLength(3);
      // Every answer comes from the food topic the corpus planted.
      for (const a of answers) expect(food.has(a), `${model}: ${a} for pizza`).toBe(true);
    }
  });

  it('the first trained model became the default, and /models lists both with their algorithm', () => {
    const r = chat(['/models']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/topics-ppmi \(default\)/);
    expect(r.stdout).toMatch(/ppmi, 8 dimensions/);
    expect(r.stdout).toMatch(/topics-cbow/);
    expect(r.stdout).toMatch(/cbow, 16 dimensions/);
  });

  it('vectors exported by the CLI and imported again answer identically in chat', () => {
    expect(wordvec(['export', 'topics-ppmi', 'topics.vec', '--format', 'fasttext-vec']).status).toBe(0);
    const imp = wordvec(['import', 'topics.vec', '--name', 'reimported', '--quiet']);
    expect(imp.stderr).toBe('');
    expect(imp.status).toBe(0);
    const strip = (s: string) => s.replace(/\[model [^\]]*\]/g, '');
    const a = chat(['/similar king 5'], { WORDVEC_MODEL: 'topics-ppmi' });
    const b = chat(['/similar king 5'], { WORDVEC_MODEL: 'reimported' });
    expect(a.status).toBe(0);
    expect(strip(b.stdout)).toBe(strip(a.stdout));
  });

  it('answers /pmi and /cooccur from the counts stored with the models: PPMI-SVD its own, CBOW counted after training', () => {
    const r = chat([
      '/cooccur pizza 4 topics-ppmi',
      '/pmi pizza cheese topics-ppmi',
      '/pmi pizza king topics-ppmi',
      '/pmi pizza cheese topics-cbow',
    ]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const [cooccur, together, apart, cbow] = r.stdout.split('\n\n');
    // pizza only ever shares sentences with food words and the shared frame words, never with the
    // royal or sea topics (with α = 0.75 the frequent frame words rank high on a 3-topic corpus).
    const otherTopics =
      /^(king|queen|prince|princess|throne|crown|rule|reign|command|ship|boat|sail|harbor|anchor|wave|steer|row|dock|float)$/;
    const contexts = [...cooccur.matchAll(/^\s+\d+\. (\S+) — PPMI /gm)].map((m) => m[1]);
    expect(contexts).toHaveLength(4);
    for (const c of contexts) expect(c, 'a context of pizza').not.toMatch(otherTopics);
    expect(contexts.some((c) => ['pasta', 'bread', 'cheese', 'soup', 'salad'].includes(c))).toBe(true);
    expect(together).toMatch(/“pizza” and “cheese” co-occur \d+\.\d× more often than chance, PMI \d\.\d\d\./);
    expect(apart).toMatch(/never counted together/);
    // wordvec train cbow stores the counts of its window too (countModelCooccurrences), so /pmi answers.
    expect(cbow).toMatch(/“pizza” and “cheese” co-occur \d+\.\d× more often than chance, PMI \d\.\d\d\./);
  });

  it('answers an out-of-vocabulary word with a suggestion, not an error trace', () => {
    const r = chat(['/similar piza', '/oov cheeze']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/“piza” is not in the vocabulary/);
    expect(r.stdout).toMatch(/pizza/);
    expect(r.stdout).toMatch(/cheese/);
    expect(r.stdout).not.toMatch(/\n\s+at /);
  });

  it('answers OOV words through the pipeline and says how: a lemma, another spelling, or why not', () => {
    const r = chat(['/similar Kings 3', '/similarity PIZZA cheese', '/similar pizzaiolo', '/oov queens'], {
      WORDVEC_MODEL: 'topics-cbow',
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const [kings, pizza, pizzaiolo, queens] = r.stdout.split('\n\n');
    expect(kings).toMatch(
      /^Words similar to “king”\n\s+answered for “king” \(the lemma of “Kings”\)\n\s+1\. /,
    );
    const answers = [...kings.matchAll(/^\s+\d+\. (\S+) — /gm)].map((m) => m[1]);
    for (const a of answers)
      expect(['queen', 'prince', 'princess', 'throne', 'crown', 'rule', 'reign', 'command']).toContain(a);
    expect(pizza).toMatch(/answered for “pizza” \(“PIZZA” with other capitals\)\n\s+cosine 0\.\d{3}/);
    // A stored model without a subword model cannot estimate from pieces, and says so instead of inventing a vector.
    expect(pizzaiolo).toMatch(
      /✗ Unknown word\n\s+“pizzaiolo” is not in the vocabulary of model topics-cbow\./,
    );
    expect(pizzaiolo).toMatch(/No estimate either: this model has no subword model/);
    expect(queens).toMatch(/Lemma: answered for “queen” \(the lemma of “queens”\)/);
    expect(queens).toMatch(/Subword estimate: not available/);
  });
});
