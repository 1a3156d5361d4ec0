import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as embeddings from '@wordvec/embeddings';
import * as kernels from '@wordvec/embeddings/kernels';
import { describe, expect, it } from 'vitest';

/**
 * The runtime names of both entry points, spelled out: adding or dropping an export changes this
 * file, so it shows up in review. Types are erased at run time; `pnpm build` + dist/index.d.ts show those.
 */
describe('public API of @wordvec/embeddings', () => {
  it('the main entry exports exactly these runtime names', () => {
    expect(Object.keys(embeddings).sort()).toEqual([
      'AbortedError',
      'CooccurrenceStats',
      'CorpusHash',
      'DEFAULT_ALIGNMENT_WORDS',
      'DEFAULT_SUBWORD_METHOD',
      'DEFAULT_SUBWORD_SPEC',
      'END_OF_SENTENCE',
      'EmbeddingsError',
      'FASTTEXT_EOS',
      'FASTTEXT_MAGIC',
      'FormatError',
      'InvalidArgumentError',
      'KeyedVectors',
      'MAX_SENTENCE_TOKENS',
      'MAX_WORD_LENGTH',
      'MagnitudeEstimator',
      'OOV_POLICIES',
      'OOV_STEPS',
      'OovError',
      'STARTER_SOURCES',
      'SUBWORD_METHODS',
      'SubwordTable',
      'UNK_POLICIES',
      'VECTOR_FORMATS',
      'VectorQueries',
      'Vocabulary',
      'WordQueries',
      'averageRanks',
      'brownCorpus',
      'buildSubwordEstimator',
      'charNgrams',
      'corpusFromText',
      'countAndEncodeCorpus',
      'countCooccurrences',
      'countCooccurrencesToFile',
      'countModelCooccurrences',
      'createRandom',
      'describeCorpus',
      'describeResolution',
      'detectFormat',
      'earthMoversDistance',
      'encodeCorpus',
      'englishLemmas',
      'escapeUnsafeCharacters',
      'evaluateModel',
      'evaluateWordAnalogies',
      'evaluateWordPairs',
      'exactNearest',
      'explainWord',
      'fastTextModelFromParts',
      'fastTextModelFromVectors',
      'findEvaluationData',
      'fitSubwordTable',
      'hasFastTextMagic',
      'hasUnsafeCharacters',
      'isEstimate',
      'loadFastTextBin',
      'loadVectors',
      'neighbourOverlap',
      'nextUint32',
      'normalizeToken',
      'openCorpus',
      'orthogonalProcrustes',
      'parseAnalogies',
      'parseOovPolicy',
      'parseWordPairs',
      'pearson',
      'ppmiSvdFromCooccurrence',
      'quoteForMessage',
      'randomizedSvd',
      'readCooccurrenceFile',
      'resolveWord',
      'resolvesBeyondExact',
      'rotateRow',
      'saveFastTextBin',
      'saveVectors',
      'scoreWordAnalogies',
      'scoreWordPairs',
      'seedState',
      'spearman',
      'starterCorpus',
      'streamVectors',
      'stripAccents',
      'surfaceForms',
      'tokenize',
      'trainCbow',
      'trainCbowIds',
      'trainFastText',
      'trainGlove',
      'trainGloveOnCooccurrence',
      'trainPpmiSvd',
    ]);
  });

  it('the kernels entry exports exactly these runtime names', () => {
    expect(Object.keys(kernels).sort()).toEqual([
      'GATHER_DOTS_FUNC_WAT',
      'GATHER_MAX',
      'INT8_KERNEL_WAT',
      'Int8Matrix',
      'KERNEL_CHOICES',
      'PARALLEL_MIN_BYTES',
      'PREFILTER_MIN_BYTES',
      'SCALAR_TAIL_WAT',
      'SIMD_DOT_WAT',
      'assembleWat',
      'checkKernelChoice',
      'checkThreads',
      'compileKernel',
      'createInt8Matrix',
      'createPrefilter',
      'createRowScorer',
      'createSplitScan',
      'dot',
      'fastTextHash',
      'hasWasmRowScorer',
      'int8ScoreRows',
      'int8Scorer',
      'isKernelChoice',
      'meanOfNgramRows',
      'meanRow',
      'prefilteredNearest',
      'quantizeRows',
      'requireKernel',
      'scoreRows',
      'selectTopK',
      'webAssembly',
    ]);
  });

  it('kernel machinery is not in the main entry', () => {
    const main = new Set(Object.keys(embeddings));
    expect(Object.keys(kernels).filter((name) => main.has(name))).toEqual([]);
  });

  it('no entry file re-exports a whole module (`export *`): each name is chosen', () => {
    const src = fileURLToPath(new URL('../src/', import.meta.url));
    const entries = readdirSync(src, { recursive: true, encoding: 'utf8' }).filter(
      (file) => /(^|[/\\])index\.ts$/.test(file) || file === 'kernels.ts',
    );
    expect(entries).toContain('index.ts');
    expect(entries).toContain('kernels.ts');
    for (const file of entries) {
      expect(readFileSync(`${src}${file}`, 'utf8'), file).not.toMatch(/\bexport\s*\*/);
    }
  });
});
