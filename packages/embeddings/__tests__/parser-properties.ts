/**
 * Properties of every parser a user feeds (issue 18), shared by the CI tests (fixed seed, few runs) and
 * `pnpm fuzz` (random seed, many runs): whatever the bytes, the vector readers (four formats, plain or
 * gzip, detected or forced) and the corpus reader either read them or throw the package's own errors.
 * Imports go through `@wordvec/embeddings` so that vitest (sources) and tsx (dist) see one set of classes.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { EmbeddingsError, loadVectors, openCorpus, VECTOR_FORMATS } from '@wordvec/embeddings';
import fc from 'fast-check';

/** Characters that stress the parsers: separators, controls, bidi, digits, signs, UTF-8 of every width. */
const nastyChar = fc.constantFrom(
  ' ',
  ' ',
  '\t',
  '\r',
  '\n',
  '\u0000',
  '\u001b',
  '\u202e',
  '\u200b',
  '\ufeff',
  '\u2028',
  '-',
  '.',
  'e',
  '+',
  '0',
  '1',
  '9',
  'a',
  'é',
  '東',
  '😀',
  'nan',
  'inf',
  '\ud800',
);
const word = fc.oneof(
  fc.string({ minLength: 1, maxLength: 8 }),
  fc.array(nastyChar, { minLength: 1, maxLength: 6 }).map((a) => a.join('')),
  fc.constantFrom('cat', 'dog', 'cat'),
);
const value = fc.oneof(
  fc.float({ noDefaultInfinity: false }).map(String),
  fc.integer({ min: -99, max: 99 }).map(String),
  fc.constantFrom('1e-5', '.5', '3.', 'nan', '-inf', 'x', '', '1.2.3', '--1', '1e', '9'.repeat(30)),
);
const separator = fc.constantFrom(' ', ' ', '  ', '\t', ' \r');

/** A text row `word v1 … vn` with odd separators now and then. */
const textRow = fc
  .tuple(word, fc.array(value, { maxLength: 5 }), separator, fc.constantFrom('', ' ', '\r', ' \r'))
  .map(([w, vs, sep, end]) => [w, ...vs].join(sep) + end);

/** Text files: maybe a header (right, wrong or garbage), then rows. */
const textFile = fc
  .tuple(
    fc.oneof(
      fc.constant(''),
      fc.tuple(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 5 })).map(([c, d]) => `${c} ${d}\n`),
      textRow.map((r) => `${r}\n`),
    ),
    fc.array(textRow, { maxLength: 8 }),
    fc.constantFrom('\n', '', '\n\n', '\r\n'),
  )
  .map(([head, rows, tail]) => Buffer.from(head + rows.join('\n') + tail));

/** word2vec binary files: a header, records of random floats (maybe the wrong width), truncated or not. */
const binaryFile = fc
  .tuple(
    fc.integer({ min: 1, max: 4 }),
    fc.array(fc.tuple(word, fc.array(fc.float(), { maxLength: 5 })), { maxLength: 5 }),
    fc.integer({ min: -3, max: 2 }),
    fc.nat(64),
  )
  .map(([dim, records, countDelta, cut]) => {
    const parts = [Buffer.from(`${Math.max(0, records.length + countDelta)} ${dim}\n`)];
    for (const [w, vs] of records) {
      parts.push(Buffer.from(`${w} `), Buffer.from(new Float32Array(vs).buffer), Buffer.from('\n'));
    }
    const all = Buffer.concat(parts);
    return all.subarray(0, Math.max(0, all.length - cut));
  });

/** Any bytes a user could hand over: structured files, raw bytes, and either gzipped (possibly cut). */
export const userFile: fc.Arbitrary<Buffer> = fc
  .tuple(
    fc.oneof(
      textFile,
      binaryFile,
      fc.uint8Array({ maxLength: 200 }).map((a) => Buffer.from(a)),
    ),
    fc.constantFrom('plain', 'plain', 'gzip', 'gzip-cut'),
  )
  .map(([bytes, wrap]) => {
    if (wrap === 'plain') return bytes;
    const gz = gzipSync(bytes);
    return wrap === 'gzip' ? gz : gz.subarray(0, Math.max(2, gz.length >> 1));
  });

/** Throws unless `err` is one of the package's own errors. */
function expectOwnError(err: unknown, what: string): void {
  if (!(err instanceof EmbeddingsError)) {
    throw new Error(`${what} threw a foreign error: ${err instanceof Error ? err.stack : String(err)}`);
  }
}

let fileNo = 0;

/**
 * The property: `bytes` written to a file (named `.txt`, `.vec` and `.gz` in turn) are read by
 * `loadVectors` (detected and each forced format) and by `openCorpus` (lines and documents) without
 * anything but an `EmbeddingsError` escaping.
 */
export async function parsersThrowOnlyOwnErrors(dir: string, bytes: Buffer): Promise<void> {
  const n = fileNo++;
  for (const name of [`v${n}.txt`, `v${n}.vec`, `v${n}.gz`]) {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    for (const format of [undefined, ...VECTOR_FORMATS]) {
      for (const invalidUtf8 of ['error', 'replace'] as const) {
        try {
          await loadVectors(path, { format, invalidUtf8, onWarning: () => {} });
        } catch (err) {
          expectOwnError(err, `loadVectors(${name}, ${format ?? 'auto'}, ${invalidUtf8})`);
        }
      }
    }
    for (const mode of ['lines', 'documents'] as const) {
      try {
        const corpus = openCorpus(path, { mode, invalidUtf8: 'error' });
        for await (const sentence of corpus.sentences())
          if (!Array.isArray(sentence)) throw new Error('not an array');
      } catch (err) {
        expectOwnError(err, `openCorpus(${name}, ${mode})`);
      }
    }
  }
}

/** The property as fast-check runs it. */
export function parserProperty(dir: string) {
  return fc.asyncProperty(userFile, (bytes) => parsersThrowOnlyOwnErrors(dir, bytes));
}
