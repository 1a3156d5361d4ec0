/**
 * `wordvec download` against a node:http server on 127.0.0.1 started here, laid out like gensim-data's
 * releases (`{name}/{name}.gz`, or `{name}.gz_00`, `_01`, … for a model in parts, md5s in a list.json):
 * no test touches the internet. Drives the built CLI as a child process (`pnpm build` first).
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { VectorStore } from '@wordvec/vector-store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const WORDS = 3000;
const DIM = 16;

/** word2vec text with a header, as gensim-data's GloVe files are (converted by glove2word2vec). */
function fixtureText(): string {
  const lines = [`${WORDS} ${DIM}`];
  for (let i = 0; i < WORDS; i++) {
    const v = Array.from({ length: DIM }, (_, d) => Math.sin(i * 0.37 + d * 1.3).toFixed(5));
    lines.push(`w${i} ${v.join(' ')}`);
  }
  return `${lines.join('\n')}\n`;
}

const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex');
const file = gzipSync(fixtureText(), { level: 1 });
const cut = Math.floor(file.length / 3);
const parts = [file.subarray(0, cut), file.subarray(cut, 2 * cut), file.subarray(2 * cut)];

interface Behaviour {
  /** Break the connection after this many bytes of a response, for the first `times` responses. */
  breakAfter?: number;
  times?: number;
  /** Send this slowly (bytes per 10 ms), for the Ctrl-C test. */
  trickle?: number;
}
const behaviour = new Map<string, Behaviour>();
const requests: { path: string; range?: string }[] = [];
let server: Server;
let base: string;
let dir: string;

function serve(req: IncomingMessage, res: ServerResponse): void {
  const path = req.url ?? '/';
  requests.push({ path, range: req.headers.range });
  // GitHub's release links answer 302 to a storage host: `/moved/…` redirects twice, relative then absolute.
  if (path.startsWith('/moved/')) {
    res.writeHead(302, { location: `/again${path.slice('/moved'.length)}` }).end();
    return;
  }
  if (path.startsWith('/again/')) {
    res.writeHead(301, { location: `${base}${path.slice('/again'.length)}` }).end();
    return;
  }
  const [, name, leaf] = /^\/([^/]+)\/([^/]+)$/.exec(path) ?? [];
  let body: Buffer | undefined;
  if (leaf === `${name}.gz`) body = file;
  const part = /\.gz_(\d\d)$/.exec(leaf ?? '');
  if (part) body = parts[Number(part[1])];
  if (!body) {
    res.writeHead(404).end('not found');
    return;
  }
  let start = 0;
  const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
  if (range) start = Number(range[1]);
  const headers = { etag: `"${md5(body)}"`, 'accept-ranges': 'bytes' };
  if (start >= body.length && range) {
    res.writeHead(416, { ...headers, 'content-range': `bytes */${body.length}` }).end();
    return;
  }
  const slice = body.subarray(start);
  res.writeHead(range ? 206 : 200, {
    ...headers,
    'content-length': slice.length,
    ...(range ? { 'content-range': `bytes ${start}-${body.length - 1}/${body.length}` } : {}),
  });
  const b = behaviour.get(name) ?? {};
  if (b.breakAfter !== undefined && (b.times ?? 0) > 0) {
    b.times = (b.times ?? 0) - 1;
    res.write(slice.subarray(0, b.breakAfter), () => res.socket?.destroy());
    return;
  }
  if (b.trickle) {
    let at = 0;
    const timer = setInterval(() => {
      if (res.destroyed) return clearInterval(timer);
      res.write(slice.subarray(at, at + (b.trickle as number)));
      at += b.trickle as number;
      if (at >= slice.length) {
        clearInterval(timer);
        res.end();
      }
    }, 10);
    return;
  }
  res.end(slice);
}

/** gensim-data's list.json layout: one model in a single file, one in three parts. */
function writeList(): string {
  const list = {
    corpora: {},
    models: {
      'tiny-vectors-16': {
        num_records: WORDS,
        file_size: file.length,
        parameters: { dimension: DIM },
        checksum: md5(file),
        file_name: 'tiny-vectors-16.gz',
        parts: 1,
        license: 'test',
        description: 'a test fixture',
      },
      'tiny-parts-16': {
        num_records: WORDS,
        file_size: file.length,
        parameters: { dimension: DIM },
        'checksum-0': md5(parts[0]),
        'checksum-1': md5(parts[1]),
        'checksum-2': md5(parts[2]),
        file_name: 'tiny-parts-16.gz',
        parts: 3,
        license: 'test',
        description: 'the same file in three parts',
      },
      'tiny-bad-16': {
        num_records: WORDS,
        file_size: file.length,
        parameters: { dimension: DIM },
        checksum: '0'.repeat(32),
        parts: 1,
      },
    },
  };
  const path = join(dir, 'list.json');
  writeFileSync(path, JSON.stringify(list));
  return path;
}

let listPath: string;

function wordvec(
  args: string[],
  store: string,
  options: { env?: Record<string, string>; interruptAfterBytes?: number } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: {
        ...process.env,
        WORDVEC_STORE: store,
        WORDVEC_DOWNLOAD_MIRROR: base,
        WORDVEC_DOWNLOAD_CATALOG: listPath,
        ...options.env,
      },
      cwd: dir,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
      // Plain progress lines ("download: 12% 10.5k/83.1k bytes"): interrupt once some bytes came.
      if (options.interruptAfterBytes !== undefined && /download: \d+%/.test(stderr)) {
        options.interruptAfterBytes = undefined;
        child.kill('SIGINT');
      }
    });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function modelsIn(store: string): string[] {
  if (!existsSync(store)) return [];
  const s = VectorStore.open(store, { readonly: true });
  try {
    return s.models().map((m) => m.name);
  } finally {
    s.close();
  }
}

beforeAll(async () => {
  if (!existsSync(BIN)) throw new Error(`build the CLI first (pnpm build): ${BIN} is missing`);
  dir = mkdtempSync(join(tmpdir(), 'wordvec-download-'));
  listPath = writeList();
  server = createServer(serve);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((r) => server.close(r));
  rmSync(dir, { recursive: true, force: true });
});

describe('wordvec download', () => {
  it('lists the built-in gensim-data catalog with sizes, md5s and licences (--json)', async () => {
    const r = await wordvec(['download', '--list', '--json'], join(dir, 'list.db'), {
      env: { WORDVEC_DOWNLOAD_CATALOG: '' },
    });
    expect(r.code).toBe(0);
    const { models } = JSON.parse(r.stdout) as {
      models: { name: string; md5: string[]; size: number; license: string; url: string[] }[];
    };
    const glove = models.find((m) => m.name === 'glove-wiki-gigaword-50');
    expect(glove).toMatchObject({
      size: 69182535,
      md5: ['c289bc5d7f2f02c6dc9f2f9b67641813'],
      license: 'http://opendatacommons.org/licenses/pddl/',
    });
    expect(glove?.url).toEqual([
      'https://github.com/RaRe-Technologies/gensim-data/releases/download/glove-wiki-gigaword-50/glove-wiki-gigaword-50.gz',
    ]);
    expect(models.map((m) => m.name)).toContain('word2vec-google-news-300');
    const text = await wordvec(['download', '--list'], join(dir, 'list.db'), {
      env: { WORDVEC_DOWNLOAD_CATALOG: '' },
    });
    expect(text.stdout).toMatch(/glove-twitter-25\s+109\.9 MB|glove-twitter-25\s+110 MB/);
  });

  it('streams a gzip file into the store, checksum verified, and makes it the default', async () => {
    const store = join(dir, 'one.db');
    const r = await wordvec(['download', 'tiny-vectors-16', '--default'], store);
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/downloaded tiny-vectors-16: 3000 words × 16 dimensions .*checksum verified/);
    const s = VectorStore.open(store, { readonly: true });
    expect(s.defaultModel()?.name).toBe('tiny-vectors-16');
    expect(s.model('tiny-vectors-16').mostSimilar({ positive: ['w1'], topn: 1 })).toHaveLength(1);
    s.close();
    expect(readdirSync(`${store}.downloads`)).toEqual([]); // nothing kept once stored
  });

  it('concatenates the parts of a split model (.gz_00 …), each checked against its md5', async () => {
    const store = join(dir, 'parts.db');
    requests.length = 0;
    const r = await wordvec(['download', 'tiny-parts-16', '--name', 'parted', '--json'], store);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      verified: true,
      downloaded: { name: 'parted', vocabSize: WORDS },
    });
    expect(requests.map((q) => q.path)).toEqual(
      [0, 1, 2].map((i) => `/tiny-parts-16/tiny-parts-16.gz_0${i}`),
    );
  });

  it('resumes a connection that breaks mid-way with an HTTP Range request', async () => {
    const store = join(dir, 'resume.db');
    behaviour.set('tiny-vectors-16', { breakAfter: 5000, times: 1 });
    requests.length = 0;
    const r = await wordvec(['download', 'tiny-vectors-16', '--json'], store);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).verified).toBe(true);
    expect(requests.map((q) => q.range)).toEqual([undefined, 'bytes=5000-']);
    behaviour.delete('tiny-vectors-16');
  });

  it('after a network that stays down: a clear message, nothing stored; the next run resumes from the kept bytes', async () => {
    const store = join(dir, 'down.db');
    behaviour.set('tiny-vectors-16', { breakAfter: 7000, times: 4 }); // the first try and its 3 retries
    const first = await wordvec(['download', 'tiny-vectors-16'], store);
    expect(first.code).toBe(1);
    expect(first.stderr).toMatch(
      /broke off after \d+ bytes .*nothing was stored: run the same command again to resume/,
    );
    expect(first.stderr).not.toMatch(/^\s+at /m);
    expect(modelsIn(store)).toEqual([]);
    behaviour.delete('tiny-vectors-16');
    requests.length = 0;
    const second = await wordvec(['download', 'tiny-vectors-16', '--json'], store);
    expect(second.code).toBe(0);
    const out = JSON.parse(second.stdout);
    expect(out.resumedFrom).toBe(4 * 7000);
    expect(out.verified).toBe(true);
    expect(requests.map((q) => q.range)).toEqual(['bytes=28000-']);
    expect(modelsIn(store)).toEqual(['tiny-vectors-16']);
  }, 30_000);

  it('stores nothing and keeps no bytes when the checksum does not match', async () => {
    const store = join(dir, 'bad.db');
    const r = await wordvec(['download', 'tiny-bad-16'], store);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/checksum mismatch for .*md5 [0-9a-f]{32}, expected 0{32}; nothing was stored/);
    expect(modelsIn(store)).toEqual([]);
    expect(readdirSync(`${store}.downloads`)).toEqual([]);
    // --from with a wrong --sha256: the same.
    const r2 = await wordvec(
      [
        'download',
        'other',
        '--from',
        `${base}/tiny-vectors-16/tiny-vectors-16.gz`,
        '--sha256',
        'a'.repeat(64),
      ],
      store,
    );
    expect(r2.stderr).toMatch(/checksum mismatch: sha256 [0-9a-f]{64}, expected a{64}/);
    expect(modelsIn(store)).toEqual([]);
  });

  it('downloads any URL with --from and --md5', async () => {
    const store = join(dir, 'from.db');
    const r = await wordvec(
      [
        'download',
        'mirror-copy',
        '--from',
        `${base}/tiny-vectors-16/tiny-vectors-16.gz`,
        '--md5',
        md5(file),
        '--limit',
        '100',
      ],
      store,
    );
    expect(r.code).toBe(0);
    // The first 100 rows may end before the last byte arrives (then: not checked) or after (a small file read ahead).
    expect(r.stdout).toMatch(
      /mirror-copy: 100 words .*checksum (verified|not checked: --limit reads only the start)/,
    );
    const full = await wordvec(
      ['download', 'mirror-full', '--from', `${base}/tiny-vectors-16/tiny-vectors-16.gz`, '--md5', md5(file)],
      store,
    );
    expect(full.stdout).toMatch(/mirror-full: 3000 words .*checksum verified/);
    const moved = await wordvec(
      ['download', 'moved', '--from', `${base}/moved/tiny-vectors-16/tiny-vectors-16.gz`, '--md5', md5(file)],
      store,
    );
    expect(moved.stdout).toMatch(/moved: 3000 words .*checksum verified/);
  });

  it('Ctrl-C mid-download leaves the store as it was (exit 130)', async () => {
    const store = join(dir, 'ctrlc.db');
    behaviour.set('tiny-vectors-16', { trickle: 400 });
    const r = await wordvec(['download', 'tiny-vectors-16'], store, { interruptAfterBytes: 1 });
    behaviour.delete('tiny-vectors-16');
    expect(r.code).toBe(130);
    expect(r.stderr).toMatch(/interrupted; the store is unchanged/);
    expect(modelsIn(store)).toEqual([]);
  }, 30_000);

  it('suggests close names for an unknown one, and refuses bad flags in one line', async () => {
    const store = join(dir, 'bad-input.db');
    const r = await wordvec(['download', 'glove-wiki-50'], store, { env: { WORDVEC_DOWNLOAD_CATALOG: '' } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /no model called "glove-wiki-50" in the catalog; did you mean glove-wiki-gigaword-50/,
    );
    const md5Bad = await wordvec(['download', 'x', '--from', base, '--md5', 'xyz'], store);
    expect(md5Bad.code).toBe(2);
    expect(md5Bad.stderr).toMatch(/--md5 must be 32 hexadecimal digits/);
    const url = await wordvec(['download', 'x', '--from', 'ftp://nope'], store);
    expect(url.stderr).toMatch(/--from must be an http:\/\/ or https:\/\/ URL/);
    const missing = await wordvec(['download', 'tiny-vectors-16', '--name', 'gone'], store, {
      env: { WORDVEC_DOWNLOAD_MIRROR: `${base}/nowhere` },
    });
    expect(missing.stderr).toMatch(/HTTP 404 \(not found/);
    expect(modelsIn(store)).toEqual([]);
  });
});

describe('wordvec export --format projector', () => {
  it('writes the vectors TSV and the metadata TSV the Embedding Projector loads, in the same order', async () => {
    const store = join(dir, 'one.db'); // the downloaded tiny-vectors-16
    const r = await wordvec(['export', 'tiny-vectors-16', join(dir, 'tiny'), '--format', 'projector'], store);
    expect(r.code).toBe(0);
    const vectors = readFileSync(join(dir, 'tiny-vectors.tsv'), 'utf8').trimEnd().split('\n');
    const metadata = readFileSync(join(dir, 'tiny-metadata.tsv'), 'utf8').trimEnd().split('\n');
    expect(vectors).toHaveLength(WORDS);
    expect(metadata).toHaveLength(WORDS); // one column: no header line
    expect(metadata[5]).toBe('w5');
    const row = vectors[5].split('\t').map(Number);
    expect(row).toHaveLength(DIM);
    row.forEach((x, d) => {
      expect(x).toBeCloseTo(Number(Math.sin(5 * 0.37 + d * 1.3).toFixed(5)), 6);
    });
  });
});
