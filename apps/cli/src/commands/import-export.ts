import { existsSync, statSync } from 'node:fs';
import { saveFastTextBin, saveVectors, type VectorFileWarning } from '@wordvec/embeddings';
import type { Command } from 'commander';
import { describeAnn } from '../ann-summary.js';
import { modelName, oneOf, positiveInt } from '../arguments.js';
import { CliError } from '../cli-error.js';
import { type CommandContext, emit, type GlobalOptions } from '../context.js';
import { writeProjectorFiles } from '../export/projector.js';
import { createProgressReporter } from '../progress-reporter.js';
import { withStore } from '../store-access.js';
import {
  buildSubwords,
  describeStoredSubwords,
  OOV_INDEX_MODES,
  OOV_METHOD_HELP,
  OOV_METHODS,
} from '../subword-builder.js';

/** Warnings printed one by one; past this many only their number is. */
const SHOWN_WARNINGS = 20;

const FORMATS = ['word2vec', 'word2vec-binary', 'glove', 'fasttext-vec', 'fasttext-bin'] as const;
type Format = (typeof FORMATS)[number];

interface ImportOptions extends GlobalOptions {
  name: string;
  format: Format | 'auto';
  limit?: number;
  replace?: boolean;
  ann?: boolean;
  default?: boolean;
  oov: (typeof OOV_INDEX_MODES)[number];
  oovMethod?: (typeof OOV_METHODS)[number];
}

/** Export-only formats: the Embedding Projector's vectors + metadata TSV pair. */
const EXPORT_ONLY = ['projector'] as const;

interface ExportOptions extends GlobalOptions {
  format: Format | (typeof EXPORT_ONLY)[number];
}

/** `wordvec import FILE --name NAME` and `wordvec export NAME FILE --format F`. */
export function register(
  program: Command,
  run: (fn: (ctx: CommandContext) => Promise<void>) => Promise<void>,
): void {
  program
    .command('import')
    .description(
      'import a vector file (word2vec text or binary, GloVe text, fastText .vec, or a fastText .bin model with its n-gram table) as model NAME',
    )
    .argument('<file>', 'vector file (.gz accepted)')
    .requiredOption('--name <name>', 'model name', modelName)
    .option(
      '--format <format>',
      `auto, ${FORMATS.join(', ')}`,
      oneOf('--format', ['auto', ...FORMATS] as const),
      'auto',
    )
    .option('--limit <n>', 'read only the first N vectors', positiveInt('--limit'))
    .option('--replace', 'replace an existing model of the same name')
    .option('--ann', 'also build an approximate nearest-neighbour index')
    .option('--default', 'make it the default model')
    .option(
      '--oov <mode>',
      'subword: also build a subword model (a Magnitude n-gram index; see --oov-method) so unknown words get estimated vectors (a fastText .bin keeps its own table)',
      oneOf('--oov', OOV_INDEX_MODES),
      'none',
    )
    .option('--oov-method <method>', OOV_METHOD_HELP, oneOf('--oov-method', OOV_METHODS))
    .action((file: string, options: ImportOptions) =>
      run(async (ctx) => {
        if (options.oovMethod && options.oov !== 'subword')
          throw new CliError('--oov-method needs --oov subword');
        if (!existsSync(file)) throw new CliError(`no such file: ${file}`);
        if (statSync(file).isDirectory()) throw new CliError(`${file} is a directory, not a vector file`);
        const progress = createProgressReporter({ quiet: Boolean(options.quiet || options.json) });
        // Kept until the progress bar is gone, then printed: the messages quote words safely (bounded, escaped).
        const warnings: VectorFileWarning[] = [];
        let warningCount = 0;
        let printed = false;
        const printWarnings = () => {
          if (printed) return;
          printed = true;
          for (const w of warnings) ctx.stderr.write(`wordvec: warning: ${w.message}\n`);
          if (warningCount > warnings.length)
            ctx.stderr.write(`wordvec: warning: and ${warningCount - warnings.length} more\n`);
        };
        try {
          await withStore(options, ctx, { readonly: false }, async (store) => {
            const info = await store.importFile(file, {
              onWarning: (w) => {
                warningCount++;
                if (warnings.length < SHOWN_WARNINGS) warnings.push(w);
              },
              name: options.name,
              format: options.format === 'auto' ? undefined : options.format,
              limit: options.limit,
              replace: Boolean(options.replace),
              ann: Boolean(options.ann),
              onProgress: progress.onProgress,
              signal: ctx.signal,
              buildSubwords:
                options.oov === 'subword'
                  ? (rows) => buildSubwords(rows, options.oovMethod, progress.onProgress).subwords
                  : undefined,
            });
            if (options.default) store.setDefault(options.name);
            progress.stop();
            printWarnings();
            emit(
              options,
              ctx,
              {
                imported: info,
                warnings: {
                  count: info.warnings,
                  first: warnings.map(({ line, offset, message }) => ({ line, offset, message })),
                },
              },
              () =>
                `imported ${info.name}: ${info.vocabSize} words × ${info.dim} dimensions` +
                (info.warnings > 0 ? ` (${info.warnings} warning${info.warnings === 1 ? '' : 's'})` : '') +
                (info.subword ? `; ${describeStoredSubwords(info.subword)}` : '') +
                (info.ann ? `; ${describeAnn(info.ann)}` : ''),
            );
          });
        } finally {
          progress.stop();
          printWarnings(); // a failed import still shows what the reader noticed before it failed
        }
      }),
    );

  program
    .command('export')
    .description('write model NAME to FILE in a vector format')
    .argument('<name>', 'model name', modelName)
    .argument('<file>', 'output file')
    .requiredOption(
      '--format <format>',
      `${FORMATS.join(', ')}, projector (FILE-vectors.tsv + FILE-metadata.tsv for projector.tensorflow.org)`,
      oneOf('--format', [...FORMATS, ...EXPORT_ONLY]),
    )
    .action((name: string, file: string, options: ExportOptions) =>
      run(async (ctx) => {
        await withStore(options, ctx, { readonly: true }, async (store) => {
          const model = store.model(name);
          if (options.format === 'fasttext-bin') {
            // The model's own buckets, word rows and output matrix when it came from a .bin; else its
            // vectors with its learned table (or none) and a zero output matrix (see saveFastTextBin).
            const ft = model.toFastTextModel();
            saveFastTextBin(ft, file);
            const kept = model.subwordInfo()?.fastText?.hasOutput;
            emit(
              options,
              ctx,
              {
                exported: name,
                file,
                format: options.format,
                words: ft.vectors.size,
                bucket: ft.args.bucket,
                outputMatrix: kept ? 'kept' : 'zeros',
              },
              () =>
                `wrote ${ft.vectors.size} words and ${ft.args.bucket} n-gram rows of ${name} to ${file} (fasttext-bin${kept ? '' : '; output matrix written as zeros: word vectors only'})`,
            );
            return;
          }
          const kv = model.toKeyedVectors();
          if (options.format === 'projector') {
            const paths = await writeProjectorFiles(kv, file);
            emit(
              options,
              ctx,
              { exported: name, format: 'projector', words: kv.size, ...paths },
              () =>
                `wrote ${kv.size} vectors of ${name} to ${paths.vectors} and ${paths.metadata} (load both at projector.tensorflow.org)`,
            );
            return;
          }
          await saveVectors(kv, file, { format: options.format });
          emit(
            options,
            ctx,
            { exported: name, file, format: options.format, words: kv.size },
            () => `wrote ${kv.size} vectors of ${name} to ${file} (${options.format})`,
          );
        });
      }),
    );
}
