/**
 * Drives the real `wordvec` binary (apps/cli/dist/main.js) as a child process, as an admin would.
 * Needs `pnpm build` first (`pnpm test` does it through turbo).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hasUnsafeCharacters } from '@wordvec/embeddings';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));
let dir: string;
let store: string;

function wordvec(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, WORDVEC_STORE: store, WORDVEC_EVAL_DIR: join(dir, 'no-eval'), ...env },
    cwd: dir,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A stack trace has lines like "    at fn (file:1:2)". */
function hasStackTrace(s: string): boolean {
  return /^\s+at .+:\d+:\d+\)?$/m.test(s);
}

// Four clusters of words in 8 dimensions: animals, fruit, royalty, numbers.
function fixtureVectors(): string {
  const groups: Record<string, string[]> = {
    animal: ['cat', 'dog', 'horse', 'cow', 'sheep'],
    fruit: ['apple', 'banana', 'cherry', 'grape', 'pear'],
    royal: ['king', 'queen', 'prince', 'princess', 'crown'],
    number: ['one', 'two', 'three', 'four', 'five'],
  };
  const lines: string[] = [];
  Object.values(groups).forEach((words, g) => {
    words.forEach((w, k) => {
      const v = Array.from(
        { length: 8 },
        (_, d) => (d === g * 2 ? 1 : d === g * 2 + 1 ? 0.5 : 0) + 0.05 * Math.sin(k * 7 + d * 3),
      );
      lines.push(`${w} ${v.map((x) => x.toFixed(6)).join(' ')}`);
    });
  });
  return `${lines.join('\n')}\n`;
}

beforeAll(() => {
  if (!existsSync(BIN)) throw new Error(`build the CLI first (pnpm build): ${BIN} is missing`);
  dir = mkdtempSync(join(tmpdir(), 'wordvec-cli-'));
  store = join(dir, 'store.db');
  writeFileSync(join(dir, 'small.glove.txt'), fixtureVectors());
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('wordvec CLI', () => {
  it('prints help for every command and exits 0', () => {
    const top = wordvec(['--help']);
    expect(top.code).toBe(0);
    for (const c of [
      'train',
      'import',
      'export',
      'eval',
      'models',
      'rm',
      'rename',
      'default',
      'similar',
      'analogy',
      'oov',
      'plot',
      'lens',
    ]) {
      expect(top.stdout).toContain(c);
      const sub = wordvec([c, '--help']);
      expect(sub.code, c).toBe(0);
      expect(sub.stdout).toContain('--store');
    }
  });

  it('refuses a read command on a store that does not exist, in one line', () => {
    const r = wordvec(['models'], { WORDVEC_STORE: join(dir, 'missing.db') });
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('no store at');
    expect(existsSync(join(dir, 'missing.db'))).toBe(false);
  });

  it('imports a GloVe file and answers similar, analogy and oov', () => {
    const imp = wordvec(['import', 'small.glove.txt', '--name', 'small', '--quiet']);
    expect(imp.stderr).toBe('');
    expect(imp.code).toBe(0);
    expect(imp.stdout).toContain('20 words × 8 dimensions');

    const models = wordvec(['models', '--json']);
    expect(models.code).toBe(0);
    const list = JSON.parse(models.stdout).models as { name: string; dim: number; vocabSize: number }[];
    expect(list.map((m) => [m.name, m.dim, m.vocabSize])).toEqual([['small', 8, 20]]);

    const sim = wordvec(['similar', 'small', 'cat', '--json', '--topn', '4']);
    expect(sim.code).toBe(0);
    const body = JSON.parse(sim.stdout) as { model: string; results: { word: string; score: number }[] };
    expect(body.model).toBe('small');
    expect(body.results).toHaveLength(4);
    expect(body.results.map((r) => r.word).sort()).toEqual(['cow', 'dog', 'horse', 'sheep']);
    for (const r of body.results) expect(typeof r.score).toBe('number');

    const ana = wordvec(['analogy', 'small', 'king', 'cat', 'dog', '--json']);
    expect(ana.code).toBe(0);
    const ar = JSON.parse(ana.stdout) as { results: { word: string }[] };
    expect(ar.results.map((r) => r.word)).not.toContain('king');

    const inv = wordvec(['oov', 'small', 'cat']);
    expect(inv.code).toBe(0);
    expect(inv.stdout).toMatch(/is in the vocabulary/);
    const out = wordvec(['oov', 'small', 'caat', '--json']);
    expect(out.code).toBe(0);
    const o = JSON.parse(out.stdout) as { inVocabulary: boolean; suggestions: string[] };
    expect(o.inVocabulary).toBe(false);
    expect(o.suggestions).toContain('cat');
  });

  it("prints the reader's warnings on stderr (the first 20, then a count) and counts them in --json", () => {
    const dupes = Array.from({ length: 25 }, () => 'cat 0 1');
    writeFileSync(join(dir, 'warn.txt'), ['cat 1 0', 'dog 0 1', ...dupes, 'x\u001b[2Jy 1 1', ''].join('\n'));
    const r = wordvec(['import', 'warn.txt', '--name', 'warn', '--quiet']);
    expect(r.code).toBe(0);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(21);
    expect(lines[0]).toBe(
      'wordvec: warning: duplicate word "cat" on line 3: kept the first, ignored this one',
    );
    expect(lines[20]).toBe('wordvec: warning: and 6 more');
    expect(r.stdout).toContain('imported warn: 2 words × 2 dimensions (26 warnings)');
    const j = wordvec(['import', 'warn.txt', '--name', 'warn', '--replace', '--json']);
    expect(j.code).toBe(0);
    const body = JSON.parse(j.stdout) as {
      imported: { warnings: number };
      warnings: { count: number; first: { line: number; message: string }[] };
    };
    expect(body.imported.warnings).toBe(26);
    expect(body.warnings.count).toBe(26);
    expect(body.warnings.first).toHaveLength(20);
    expect(body.warnings.first[0].line).toBe(3);
    expect(j.stderr).toContain('wordvec: warning: and 6 more');
    expect(j.stderr).not.toContain('\u001b');
    expect(wordvec(['rm', 'warn']).code).toBe(0);
  });

  it('escapes control and bidi characters in every word it prints', () => {
    // A store written before words were checked: tamper with the stored vocabulary directly.
    const req = createRequire(
      fileURLToPath(new URL('../../../packages/vector-store/package.json', import.meta.url)),
    );
    const Database = req('better-sqlite3') as new (
      path: string,
    ) => {
      exec(sql: string): void;
      close(): void;
    };
    expect(wordvec(['import', 'small.glove.txt', '--name', 'tampered', '--quiet']).code).toBe(0);
    const db = new Database(store);
    const evil = "'ho' || char(27) || '[2J' || char(8238) || 'rse'";
    db.exec(`UPDATE chunks SET data = CAST(replace(CAST(data AS TEXT), 'horse', ${evil}) AS BLOB)
      WHERE kind = 'vocab' AND model_id = (SELECT id FROM models WHERE name = 'tampered')`);
    db.exec(`UPDATE words SET word = ${evil} WHERE word = 'horse'
      AND model_id = (SELECT id FROM models WHERE name = 'tampered')`);
    db.close();
    const sim = wordvec(['similar', 'tampered', 'cat', '--topn', '19']);
    expect(sim.code).toBe(0);
    expect(sim.stdout).toContain('ho\\u001b[2J\\u202erse');
    expect(hasUnsafeCharacters(sim.stdout.replaceAll('\n', ''))).toBe(false);
    const ana = wordvec(['analogy', 'tampered', 'cow', 'cat', 'dog', '--topn', '19']);
    expect(ana.code).toBe(0);
    expect(ana.stdout).toContain('ho\\u001b[2J\\u202erse');
    expect(hasUnsafeCharacters(ana.stdout.replaceAll('\n', ''))).toBe(false);
    const oov = wordvec(['oov', 'tampered', 'horse']);
    expect(oov.stdout).toContain('did you mean ho\\u001b[2J\\u202erse');
    expect(hasUnsafeCharacters(oov.stdout.replaceAll('\n', ''))).toBe(false);
    const bidi = wordvec(['oov', 'tampered', 'evil\u202etxt']);
    expect(bidi.stdout).toContain('"evil\\u202etxt" is not in the vocabulary');
    expect(hasUnsafeCharacters(bidi.stdout.replaceAll('\n', ''))).toBe(false);
    const json = wordvec(['similar', 'tampered', 'cat', '--topn', '19', '--json']);
    expect((JSON.parse(json.stdout) as { results: { word: string }[] }).results.map((r) => r.word)).toContain(
      'ho\u001b[2J\u202erse',
    );
    expect(hasUnsafeCharacters(json.stdout.replaceAll('\n', ''))).toBe(false);
    expect(wordvec(['rm', 'tampered']).code).toBe(0);
  });

  it('names the missing word when a query word is out of vocabulary', () => {
    const r = wordvec(['similar', 'small', 'zebra']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('zebra');
    expect(hasStackTrace(r.stderr)).toBe(false);
  });

  it('exports to text formats and re-imports byte-identically', () => {
    for (const format of ['glove', 'word2vec']) {
      const a = join(dir, `a.${format}`);
      const b = join(dir, `b.${format}`);
      expect(wordvec(['export', 'small', a, '--format', format]).code).toBe(0);
      expect(wordvec(['import', a, '--name', `rt-${format}`, '--format', format, '--quiet']).code).toBe(0);
      expect(wordvec(['export', `rt-${format}`, b, '--format', format]).code).toBe(0);
      expect(readFileSync(b)).toEqual(readFileSync(a));
    }
    expect(wordvec(['rm', 'rt-glove']).code).toBe(0);
    expect(wordvec(['rm', 'rt-word2vec']).code).toBe(0);
  });

  it('imports with --ann and says which beam width queries of the graph use', () => {
    const imp = wordvec(['import', 'small.glove.txt', '--name', 'small-ann', '--ann', '--quiet']);
    expect(imp.code).toBe(0);
    expect(imp.stdout).toMatch(
      /an HNSW graph \(M 16\), beam width \d+ by default \(recall@10 1\.000 on 20 of its rows\)/,
    );
    const info = (
      JSON.parse(wordvec(['models', '--json']).stdout).models as { name: string; ann?: unknown }[]
    ).find((m) => m.name === 'small-ann');
    expect(info?.ann).toMatchObject({
      kind: 'hnsw',
      M: 16,
      calibration: { queries: 20, recall: 1, targetRecall: 0.99 },
    });
    expect(wordvec(['rm', 'small-ann']).code).toBe(0);
  });

  it('renames, sets the default and deletes models', () => {
    expect(wordvec(['import', 'small.glove.txt', '--name', 'copy', '--quiet']).code).toBe(0);
    expect(wordvec(['rename', 'copy', 'copy2']).code).toBe(0);
    expect(wordvec(['default', 'copy2']).code).toBe(0);
    let list = JSON.parse(wordvec(['models', '--json']).stdout).models as {
      name: string;
      isDefault: boolean;
    }[];
    expect(list.find((m) => m.name === 'copy2')?.isDefault).toBe(true);
    expect(list.some((m) => m.name === 'copy')).toBe(false);
    expect(wordvec(['rm', 'copy2']).code).toBe(0);
    list = JSON.parse(wordvec(['models', '--json']).stdout).models;
    expect(list.map((m) => m.name)).toEqual(['small']);
  });

  it('gives one clear line for unknown models, bad arguments and bad names', () => {
    const unknown = wordvec(['similar', 'nope', 'cat']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('nope');
    expect(hasStackTrace(unknown.stderr)).toBe(false);

    const badTopn = wordvec(['similar', 'small', 'cat', '--topn', 'lots']);
    expect(badTopn.code).toBe(2);
    expect(badTopn.stderr).toContain('--topn must be a positive integer');

    const badName = wordvec(['import', 'small.glove.txt', '--name', 'bad name!']);
    expect(badName.code).toBe(2);
    expect(badName.stderr).toContain('model name');

    const missing = wordvec(['import', 'nowhere.txt', '--name', 'x']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('nowhere.txt');

    const dup = wordvec(['import', 'small.glove.txt', '--name', 'small', '--quiet']);
    expect(dup.code).toBe(1);
    expect(dup.stderr).toContain('small');
  });

  it('reports the file and line of a malformed vector file and stores nothing', () => {
    writeFileSync(join(dir, 'bad.txt'), 'a 1.0 2.0 3.0\nb 1.0 oops 3.0\nc 1.0 2.0 3.0\n');
    const r = wordvec(['import', 'bad.txt', '--name', 'bad', '--format', 'glove']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('bad.txt');
    expect(r.stderr).toMatch(/line 2/);
    expect(hasStackTrace(r.stderr)).toBe(false);
    const list = JSON.parse(wordvec(['models', '--json']).stdout).models as { name: string }[];
    expect(list.map((m) => m.name)).not.toContain('bad');
    const verbose = wordvec(['import', 'bad.txt', '--name', 'bad', '--format', 'glove', '--verbose']);
    expect(verbose.code).toBe(1);
  });

  it('evaluates a model and stores the scores', () => {
    writeFileSync(
      join(dir, 'q.txt'),
      ': royal\nking queen prince princess\ncat dog cow sheep\n: mixed\nking apple one two\n',
    );
    writeFileSync(
      join(dir, 'pairs.tsv'),
      '# word pairs\ncat\tdog\t9\ncat\tapple\t1\nking\tqueen\t8\napple\tpear\t8.5\none\tcat\t0.5\n',
    );
    const r = wordvec(['eval', 'small', '--analogies', 'q.txt', '--pairs', 'pairs.tsv', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const scores = JSON.parse(r.stdout) as { analogyTotal: number; wordPairsSpearman: number };
    expect(scores.analogyTotal).toBe(3);
    expect(scores.wordPairsSpearman).toBeGreaterThan(0.5);
    const info = (
      JSON.parse(wordvec(['models', '--json']).stdout).models as {
        name: string;
        evaluation?: { analogyTotal?: number };
      }[]
    ).find((m) => m.name === 'small');
    expect(info?.evaluation?.analogyTotal).toBe(3);
    // gensim's options: an unknown word counts as wrong with dummy4unknown; case-sensitive misses "KING".
    writeFileSync(
      join(dir, 'q2.txt'),
      ': royal\nking queen prince princess\nKING QUEEN PRINCE PRINCESS\nking queen zzz princess\n',
    );
    const plain = JSON.parse(wordvec(['eval', 'small', '--analogies', 'q2.txt', '--json']).stdout);
    const dummy = JSON.parse(
      wordvec(['eval', 'small', '--analogies', 'q2.txt', '--dummy4unknown', '--json']).stdout,
    );
    const sensitive = JSON.parse(
      wordvec(['eval', 'small', '--analogies', 'q2.txt', '--case-sensitive', '--json']).stdout,
    );
    expect([plain.analogyTotal, dummy.analogyTotal, sensitive.analogyTotal]).toEqual([2, 3, 1]);
  });

  it('trains a model on a small corpus and stores it with its settings', async () => {
    const lines: string[] = [];
    const animals = ['cat', 'dog', 'horse', 'cow'];
    const fruit = ['apple', 'pear', 'plum', 'grape'];
    for (let i = 0; i < 400; i++) {
      const g = i % 2 === 0 ? animals : fruit;
      lines.push(
        `the ${g[i % 4]} and the ${g[(i + 1) % 4]} like the ${g[(i + 2) % 4]} ${i % 2 === 0 ? 'run' : 'grow'}`,
      );
    }
    writeFileSync(join(dir, 'corpus.txt'), `${lines.join('\n')}\n`);
    const r = wordvec([
      'train',
      'ppmi',
      '--corpus',
      'corpus.txt',
      '--name',
      'toy',
      '--dim',
      '4',
      '--min-count',
      '2',
      '--seed',
      '1',
      '--json',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const info = (
      JSON.parse(wordvec(['models', '--json']).stdout).models as {
        name: string;
        algorithm: string;
        dim: number;
        hyperParameters: Record<string, unknown>;
      }[]
    ).find((m) => m.name === 'toy');
    expect(info?.algorithm).toBe('ppmi');
    expect(info?.dim).toBe(4);
    expect(info?.hyperParameters.minCount).toBe(2);
    // PPMI-SVD models keep the co-occurrence counts they were trained from (the bot's /pmi, /cooccur).
    const { VectorStore } = await import('@wordvec/vector-store');
    const ro = VectorStore.open(store, { readonly: true });
    const stats = ro.model('toy').cooccurrence();
    expect(stats?.count('cat', 'dog')).toBeGreaterThan(0);
    expect(stats?.pmi('cat', 'dog')).toBeGreaterThan(stats?.pmi('cat', 'apple') ?? 0);
    ro.close();
  });

  it('trains fastText with --minn --maxn --bucket --sg, and refuses minn > maxn in one line', () => {
    const r = wordvec([
      'train',
      'fasttext',
      '--corpus',
      'corpus.txt',
      '--name',
      'toy-ft',
      '--dim',
      '8',
      '--min-count',
      '2',
      '--minn',
      '2',
      '--maxn',
      '4',
      '--bucket',
      '1000',
      '--sg',
      '--seed',
      '1',
      '--json',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const info = (
      JSON.parse(wordvec(['models', '--json']).stdout).models as {
        name: string;
        algorithm: string;
        hyperParameters: Record<string, unknown>;
      }[]
    ).find((m) => m.name === 'toy-ft');
    expect(info?.algorithm).toBe('fasttext');
    expect(info?.hyperParameters).toMatchObject({
      model: 'skipgram',
      minn: 2,
      maxn: 4,
      bucket: 1000,
      sample: 1e-4,
    });
    const bad = wordvec([
      'train',
      'fasttext',
      '--corpus',
      'corpus.txt',
      '--name',
      'bad-ft',
      '--minn',
      '5',
      '--maxn',
      '3',
    ]);
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toContain('minn 5 must not exceed maxn 3');
    const zero = wordvec([
      'train',
      'fasttext',
      '--corpus',
      'corpus.txt',
      '--name',
      'bad-ft',
      '--bucket',
      '0',
    ]);
    expect(zero.code).toBe(1);
    expect(zero.stderr).toContain('bucket must be at least 1 when maxn > 0');
  });

  it('takes --memory-budget as a size, refuses one without a unit, and the trainer gets it (past it the ids spill)', async () => {
    // ~330k tokens: 1.3 MB of ids, past a 1M budget, so that run spills them to a temporary file.
    const words = Array.from({ length: 300 }, (_, i) => `w${i}`);
    const lines: string[] = [];
    for (let i = 0; i < 30000; i++)
      lines.push(Array.from({ length: 11 }, (_, k) => words[(i * 7 + k * k * 13) % 300]).join(' '));
    writeFileSync(join(dir, 'budget.txt'), `${lines.join('\n')}\n`);
    const train = (name: string, extra: string[]) =>
      wordvec([
        'train',
        'cbow',
        '--corpus',
        'budget.txt',
        '--name',
        name,
        '--dim',
        '8',
        '--epochs',
        '1',
        '--workers',
        '1',
        '--seed',
        '3',
        '--no-eval',
        '--no-cooccurrence',
        '--quiet',
        ...extra,
      ]);
    for (const [value, message] of [
      ['5', '--memory-budget must be at least 1M, got "5" (5 bytes); give a unit'],
      ['lots', '--memory-budget must be a size such as 512M or 2G, got "lots"'],
      ['2X', '--memory-budget must be a size such as 512M or 2G, got "2X"'],
    ]) {
      const bad = train('never', ['--memory-budget', value]);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain(message);
      expect(hasStackTrace(bad.stderr)).toBe(false);
    }
    expect(train('budget-default', []).code).toBe(0);
    const spilled = train('budget-1m', ['--memory-budget', '1M']);
    expect(spilled.stderr).toBe('');
    expect(spilled.code).toBe(0);
    expect(train('budget-1g', ['--memory-budget', '1.5GiB']).code).toBe(0);
    const { VectorStore } = await import('@wordvec/vector-store');
    const ro = VectorStore.open(store, { readonly: true });
    const names = ro.models().map((m) => m.name);
    expect(names).not.toContain('never');
    const base = ro.model('budget-default');
    const roomy = ro.model('budget-1g');
    const spilledModel = ro.model('budget-1m');
    expect(roomy.size).toBe(base.size);
    expect(spilledModel.size).toBe(base.size);
    for (const w of ['w0', 'w17', 'w299']) {
      // A budget the ids fit in trains exactly as the default does.
      expect(Array.from(roomy.get(w))).toEqual(Array.from(base.get(w)));
      // Past the budget the ids stream from the spill file, an epoch at a time in chunks, each a job of its
      // own (cbow.ts), not in the in-memory blocks: the vectors differ slightly, not in what they say.
      expect(Array.from(spilledModel.get(w))).not.toEqual(Array.from(base.get(w)));
      expect(spilledModel.similarity(w, 'w1')).toBeCloseTo(base.similarity(w, 'w1'), 1);
    }
    ro.close();
  });

  it('leaves the store unchanged when an import is interrupted with Ctrl-C (exit 130)', async () => {
    const rows: string[] = [];
    for (let i = 0; i < 300000; i++)
      rows.push(`w${i} ${Array.from({ length: 50 }, (_, d) => ((i * 31 + d * 17) % 1000) / 1000).join(' ')}`);
    writeFileSync(join(dir, 'big.txt'), `${rows.join('\n')}\n`);
    // A store of its own holding one model, so the test stands alone.
    const own = { WORDVEC_STORE: join(dir, 'interrupt-import.db') };
    expect(wordvec(['import', 'small.glove.txt', '--name', 'small', '--quiet'], own).code).toBe(0);
    const before = wordvec(['models', '--json'], own).stdout;
    const child = spawn(process.execPath, [BIN, 'import', 'big.txt', '--name', 'big'], {
      cwd: dir,
      env: { ...process.env, ...own },
    });
    let stderr = '';
    // Interrupt once the import is under way: its first progress line.
    const started = new Promise<void>((res) => {
      child.stderr.on('data', (d) => {
        stderr += d;
        if (/^import/m.test(stderr)) res();
      });
    });
    await Promise.race([started, new Promise((res) => setTimeout(res, 60_000))]);
    expect(stderr).toMatch(/^import/m);
    child.kill('SIGINT');
    const code = await new Promise<number | null>((res) => child.on('close', res));
    expect(code).toBe(130);
    expect(stderr).toContain('interrupted');
    expect(wordvec(['models', '--json'], own).stdout).toBe(before);
  });

  it('leaves the store unchanged when training is interrupted with Ctrl-C (exit 130)', async () => {
    const own = { WORDVEC_STORE: join(dir, 'interrupt-train.db') };
    expect(wordvec(['import', 'small.glove.txt', '--name', 'small', '--quiet'], own).code).toBe(0);
    const before = wordvec(['models', '--json'], own).stdout;
    const child = spawn(
      process.execPath,
      [BIN, 'train', 'cbow', '--corpus', 'brown', '--name', 'interrupted', '--workers', '1'],
      {
        cwd: dir,
        env: { ...process.env, ...own },
      },
    );
    let stderr = '';
    // Interrupt once training proper has started (its first progress line), so the trainer's abort is what stops it.
    const started = new Promise<void>((res) => {
      child.stderr.on('data', (d) => {
        stderr += d;
        if (/^training/m.test(stderr)) res();
      });
    });
    await Promise.race([started, new Promise((res) => setTimeout(res, 60_000))]);
    expect(stderr).toMatch(/^training/m);
    const sent = Date.now();
    child.kill('SIGINT');
    const code = await new Promise<number | null>((res) => child.on('close', res));
    expect(code).toBe(130);
    expect(Date.now() - sent).toBeLessThan(5000);
    expect(stderr).toContain('interrupted; the store is unchanged');
    expect(wordvec(['models', '--json'], own).stdout).toBe(before);
  }, 120_000);
});
