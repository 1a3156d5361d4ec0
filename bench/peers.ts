import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Debian's python3 (where `python3-gensim` installs); not a pyenv shim. */
export const SYSTEM_PYTHON = '/usr/bin/python3';

let gensimChecked: boolean | undefined;

/** Whether gensim can be imported by {@link SYSTEM_PYTHON}. */
export function hasGensim(): boolean {
  if (gensimChecked === undefined) {
    const r = spawnSync(SYSTEM_PYTHON, ['-c', 'import gensim'], { stdio: 'ignore' });
    gensimChecked = r.status === 0;
  }
  return gensimChecked;
}

/**
 * The environment of a gensim/numpy peer command at its best: this process's environment without
 * OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE, which some machines set to pin an older OpenBLAS kernel (it
 * slows a current numpy). Only the peer's command gets this; tests and CI keep the environment as it is.
 *
 * @example
 * ```ts
 * spawnSync(SYSTEM_PYTHON, ['-c', script], { env: peerEnv({ OPENBLAS_NUM_THREADS: '2' }) });
 * ```
 */
export function peerEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  return env;
}

/**
 * Python that prints (to stderr) which BLAS kernel numpy runs, from the loaded OpenBLAS's
 * `openblas_get_corename` (threadpoolctl's `internal_api` = `openblas` and its `architecture` when
 * threadpoolctl is installed). Prepended to every peer script by {@link runGensim}.
 */
const BLAS_REPORT = `
def _wordvec_blas_report():
    import ctypes, sys
    import numpy
    core, lib = '?', '?'
    try:
        from threadpoolctl import threadpool_info
        for info in threadpool_info():
            if info.get('internal_api') == 'openblas':
                core, lib = info.get('architecture', '?'), info.get('filepath', '?')
                break
    except Exception:
        for line in open('/proc/self/maps'):
            if 'openblas' in line and '.so' in line:
                lib = line.split()[-1]
                try:
                    f = ctypes.CDLL(lib).openblas_get_corename
                    f.restype = ctypes.c_char_p
                    core = f().decode()
                except Exception:
                    pass
                break
    sys.stderr.write('WORDVEC_BLAS %s %s numpy %s\\n' % (core, lib, numpy.__version__))
import atexit as _wordvec_atexit
_wordvec_atexit.register(_wordvec_blas_report)
`;

/** The BLAS kernel the last peer command reported (see {@link runGensim}), e.g. `Zen`, `Haswell`. */
export let lastBlasKernel: string | undefined;

/**
 * Runs a Python script with gensim, in {@link peerEnv} (the OpenBLAS overrides unset for this command
 * only), prints the BLAS kernel numpy ran, and parses the last line of stdout as JSON.
 * Returns undefined when gensim is not installed.
 */
export function runGensim<T>(
  script: string,
  args: string[] = [],
  env: Record<string, string> = {},
): T | undefined {
  if (!hasGensim()) return undefined;
  const r = spawnSync(SYSTEM_PYTHON, ['-c', BLAS_REPORT + script, ...args], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: peerEnv(env),
  });
  if (r.status !== 0) throw new Error(`gensim peer failed: ${r.stderr}`);
  const blas = /WORDVEC_BLAS (\S+) (\S+) numpy (\S+)/.exec(r.stderr);
  if (blas) {
    lastBlasKernel = blas[1];
    const unset = ['OPENBLAS_CORETYPE', 'OPENBLAS_L2_SIZE'].filter((k) => process.env[k] !== undefined);
    console.log(
      `peer: numpy ${blas[3]} runs OpenBLAS kernel ${blas[1]} (${blas[2]})` +
        (unset.length > 0 ? `; ${unset.join(', ')} unset for this command only` : ''),
    );
  }
  const lines = r.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]) as T;
}

/**
 * Stanford GloVe's tools (vocab_count, cooccur, shuffle, glove), built from its public source for
 * benchmarks only (none of its code is in this repository): `GLOVE_C_DIR`, else bench/.cache/glove-c/build.
 * Build it with `make` in a checkout of the GloVe repository and point GLOVE_C_DIR at its build/ folder.
 */
export function gloveCDir(): string | undefined {
  const dir = process.env.GLOVE_C_DIR ?? fileURLToPath(new URL('./.cache/glove-c/build/', import.meta.url));
  return ['vocab_count', 'cooccur', 'shuffle', 'glove'].every((t) => existsSync(join(dir, t)))
    ? dir
    : undefined;
}

/** What one glove.c run took, stage by stage (wall seconds), and where its text vectors are. */
export interface GloveCRun {
  seconds: { vocab: number; cooccur: number; shuffle: number; training: number };
  total: number;
  vectors: string;
  words: number;
}

/**
 * glove.c's demo.sh pipeline on a text file (tokens separated by spaces), in `workDir`.
 * `settings`: min-count, window, vector size, x_max, iterations, threads; -memory 4 as demo.sh.
 */
export function runGloveC(
  dir: string,
  corpus: string,
  workDir: string,
  settings: { minCount: number; window: number; dim: number; xMax: number; epochs: number; workers: number },
): GloveCRun {
  const tool = (name: string) => join(dir, name);
  const stage = (cmd: string, args: string[], input: string, output: string | undefined): number => {
    const t0 = performance.now();
    const inFd = openSync(input, 'r');
    const outFd = output ? openSync(output, 'w') : 'ignore';
    try {
      const r = spawnSync(tool(cmd), args, { stdio: [inFd, outFd, 'pipe'], cwd: workDir, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`glove.c ${cmd} failed: ${r.stderr}`);
    } finally {
      closeSync(inFd);
      if (typeof outFd === 'number') closeSync(outFd);
    }
    return (performance.now() - t0) / 1000;
  };
  const vocab = join(workDir, 'vocab.txt');
  const cooc = join(workDir, 'cooccurrence.bin');
  const shuf = join(workDir, 'cooccurrence.shuf.bin');
  const save = join(workDir, 'vectors');
  const seconds = {
    vocab: stage('vocab_count', ['-min-count', String(settings.minCount), '-verbose', '0'], corpus, vocab),
    cooccur: stage(
      'cooccur',
      ['-memory', '4.0', '-vocab-file', vocab, '-verbose', '0', '-window-size', String(settings.window)],
      corpus,
      cooc,
    ),
    shuffle: stage('shuffle', ['-memory', '4.0', '-verbose', '0'], cooc, shuf),
    training: stage(
      'glove',
      [
        ...['-save-file', save, '-threads', String(settings.workers), '-input-file', shuf],
        ...['-x-max', String(settings.xMax), '-iter', String(settings.epochs)],
        ...['-vector-size', String(settings.dim), '-binary', '0', '-vocab-file', vocab, '-verbose', '0'],
      ],
      vocab,
      undefined,
    ),
  };
  const words = readFileSync(vocab, 'utf8')
    .split('\n')
    .filter((l) => l.length > 0).length;
  const total = seconds.vocab + seconds.cooccur + seconds.shuffle + seconds.training;
  return { seconds, total, vectors: `${save}.txt`, words };
}
