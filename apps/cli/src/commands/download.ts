import { mkdirSync, readFileSync } from 'node:fs';
import { FormatError, quoteForMessage, type VectorFileWarning } from '@wordvec/embeddings';
import { type Command, InvalidArgumentError } from 'commander';
import { describeAnn } from '../ann-summary.js';
import { modelName, positiveInt } from '../arguments.js';
import { CliError } from '../cli-error.js';
import { type CommandContext, emit, type GlobalOptions, resolveStorePath } from '../context.js';
import {
  CATALOG,
  type CatalogEntry,
  findCatalogEntry,
  GENSIM_DATA_BASE,
  parseGensimDataList,
  partUrls,
  suggestCatalogNames,
} from '../download/catalog.js';
import { ChecksumError, HttpDownload } from '../download/http-download.js';
import { createProgressReporter } from '../progress-reporter.js';
import { withStore } from '../store-access.js';
import { formatTable } from '../table.js';

interface DownloadOptions extends GlobalOptions {
  list?: boolean;
  name?: string;
  default?: boolean;
  limit?: number;
  from?: string;
  md5?: string;
  sha256?: string;
  replace?: boolean;
  ann?: boolean;
  resume: boolean;
}

function hex(flag: string, length: number) {
  return (value: string): string => {
    if (!new RegExp(`^[0-9a-fA-F]{${length}}$`).test(value))
      throw new InvalidArgumentError(
        `${flag} must be ${length} hexadecimal digits, got ${quoteForMessage(value)}`,
      );
    return value.toLowerCase();
  };
}

/** An http(s) URL, else a CliError naming where it came from. */
function httpUrl(value: string, from: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new CliError(`${from} must be an http:// or https:// URL, got ${quoteForMessage(value, 200)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new CliError(`${from} must be an http:// or https:// URL, got ${quoteForMessage(value, 200)}`);
  return url.toString();
}

function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(bytes < 1e8 ? 1 : 0)} MB`;
}

/** The built-in catalog, or the list.json file `WORDVEC_DOWNLOAD_CATALOG` names. */
function catalogOf(ctx: CommandContext): readonly CatalogEntry[] {
  const file = ctx.env.WORDVEC_DOWNLOAD_CATALOG;
  if (!file) return CATALOG;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new CliError(
      `WORDVEC_DOWNLOAD_CATALOG: cannot read ${quoteForMessage(file, 200)}: ${(err as Error).message}`,
    );
  }
  return parseGensimDataList(text, file);
}

function printList(options: DownloadOptions, ctx: CommandContext, catalog: readonly CatalogEntry[]): void {
  emit(
    options,
    ctx,
    {
      models: catalog.map((e) => ({
        ...e,
        parts: e.md5.length,
        url: partUrls(GENSIM_DATA_BASE, e.name, e.md5.length),
      })),
    },
    () =>
      formatTable([
        ['name', 'size', 'words', 'dim', 'format', 'description'],
        ...catalog.map((e) => [
          e.name,
          megabytes(e.size),
          String(e.words),
          String(e.dim),
          e.format,
          e.description,
        ]),
      ]) +
      '\nLicences: `wordvec download --list --json`. Source: gensim-data (github.com/RaRe-Technologies/gensim-data).',
  );
}

/** The unknown-name message: the close catalog names, and where the list is. */
function unknownName(name: string, catalog: readonly CatalogEntry[]): CliError {
  const close = suggestCatalogNames(name, catalog);
  return new CliError(
    `no model called ${quoteForMessage(name)} in the catalog` +
      (close.length > 0 ? `; did you mean ${close.join(', ')}?` : '') +
      ' (`wordvec download --list` shows them all; `--from URL` downloads any other file)',
  );
}

/** `wordvec download NAME` and `wordvec download --list`. */
export function register(
  program: Command,
  run: (fn: (ctx: CommandContext) => Promise<void>) => Promise<void>,
): void {
  program
    .command('download')
    .description(
      "download a published model (gensim-data's word vectors, by their gensim-data names) into the store",
    )
    .argument('[name]', 'catalog name (see --list), or with --from the name to store the file under')
    .option('--list', 'list the catalog')
    .option('--name <local>', 'store it under this name (default: the catalog name)', modelName)
    .option('--default', 'make it the default model')
    .option(
      '--limit <n>',
      'keep only the first N vectors (the most frequent); the checksum is then not checked',
      positiveInt('--limit'),
    )
    .option('--from <url>', 'download from this URL instead (a mirror or a local file server)')
    .option('--md5 <hex>', 'md5 of the whole file, when the catalog has none for it', hex('--md5', 32))
    .option('--sha256 <hex>', 'sha256 of the whole file', hex('--sha256', 64))
    .option('--replace', 'replace an existing model of the same name')
    .option('--ann', 'also build an approximate nearest-neighbour index')
    .option('--no-resume', 'keep no copy of the downloaded bytes for resuming an interrupted run')
    .action((name: string | undefined, options: DownloadOptions) =>
      run(async (ctx) => {
        const catalog = catalogOf(ctx);
        if (options.list) return printList(options, ctx, catalog);
        if (name === undefined)
          throw new CliError('name the model to download (`wordvec download --list` shows them)');
        const entry = findCatalogEntry(name, catalog);
        if (!entry && options.from === undefined) throw unknownName(name, catalog);
        const local = options.name ?? (entry ? entry.name : modelNameOrError(name));
        if (options.md5 && options.sha256) throw new CliError('give --md5 or --sha256, not both');
        const whole = options.sha256
          ? { algorithm: 'sha256' as const, hex: options.sha256 }
          : options.md5
            ? { algorithm: 'md5' as const, hex: options.md5 }
            : undefined;
        const parts = partsOf(entry, options.from, ctx.env.WORDVEC_DOWNLOAD_MIRROR, whole !== undefined);
        if (!whole && parts.every((p) => !p.md5))
          ctx.stderr.write(
            'wordvec: warning: no checksum for this file (pass --md5 or --sha256): its bytes are not checked\n',
          );
        await downloadInto(local, entry, parts, whole, options, ctx);
      }),
    );
}

function modelNameOrError(name: string): string {
  try {
    return modelName(name);
  } catch (err) {
    throw new CliError((err as Error).message);
  }
}

function partsOf(
  entry: CatalogEntry | undefined,
  from: string | undefined,
  mirror: string | undefined,
  ownChecksum: boolean,
): { url: string; md5?: string }[] {
  const md5 = ownChecksum || !entry ? [] : entry.md5;
  const count = Math.max(1, md5.length || (entry?.md5.length ?? 1));
  let urls: string[];
  if (from !== undefined) {
    const url = httpUrl(from, '--from');
    urls =
      count === 1 ? [url] : Array.from({ length: count }, (_, i) => `${url}_${String(i).padStart(2, '0')}`);
  } else {
    const base = mirror ? httpUrl(mirror, 'WORDVEC_DOWNLOAD_MIRROR') : GENSIM_DATA_BASE;
    urls = partUrls(base, (entry as CatalogEntry).name, count);
  }
  return urls.map((url, i) => ({ url, md5: md5[i] }));
}

async function downloadInto(
  local: string,
  entry: CatalogEntry | undefined,
  parts: { url: string; md5?: string }[],
  whole: { algorithm: 'md5' | 'sha256'; hex: string } | undefined,
  options: DownloadOptions,
  ctx: CommandContext,
): Promise<void> {
  const storePath = resolveStorePath(options, ctx);
  const spoolDir = `${storePath}.downloads`;
  if (options.resume) mkdirSync(spoolDir, { recursive: true });
  const progress = createProgressReporter({ quiet: Boolean(options.quiet || options.json) });
  const download = new HttpDownload(parts, {
    size: entry?.size,
    whole,
    spool: options.resume ? `${spoolDir}/${local}.part` : undefined,
    signal: ctx.signal,
    onProgress: progress.onProgress,
  });
  const warnings: VectorFileWarning[] = [];
  let warningCount = 0;
  try {
    await withStore(options, ctx, { readonly: false }, async (store) => {
      if (!options.replace && store.models().some((m) => m.name === local))
        throw new CliError(
          `the store already has a model called ${local} (pass --replace, or --name to keep both)`,
        );
      const info = await store.importFile(download.source, {
        name: local,
        limit: options.limit,
        replace: Boolean(options.replace),
        ann: Boolean(options.ann),
        signal: ctx.signal,
        onWarning: (w) => {
          warningCount++;
          if (warnings.length < 20) warnings.push(w);
        },
        beforeCommit: options.limit ? undefined : () => download.finish(),
        meta: {
          algorithm: 'imported',
          hyperParameters: {
            source: entry ? 'gensim-data' : 'url',
            catalogName: entry?.name ?? '',
            url: parts[0].url,
            checksum: whole ? `${whole.algorithm}:${whole.hex}` : parts.map((p) => p.md5 ?? '').join(','),
          },
        },
      });
      if (options.default) store.setDefault(local);
      download.discardSpool();
      progress.stop();
      for (const w of warnings) ctx.stderr.write(`wordvec: warning: ${w.message}\n`);
      if (warningCount > warnings.length)
        ctx.stderr.write(`wordvec: warning: and ${warningCount - warnings.length} more\n`);
      const checked = download.verified
        ? 'checksum verified'
        : options.limit
          ? 'checksum not checked: --limit reads only the start of the file'
          : 'no checksum to check';
      emit(
        options,
        ctx,
        {
          downloaded: info,
          bytes: download.received,
          resumedFrom: download.resumedFrom,
          verified: download.verified,
          url: parts[0].url,
        },
        () =>
          `downloaded ${local}: ${info.vocabSize} words × ${info.dim} dimensions (${megabytes(download.received)}, ${checked}` +
          (download.resumedFrom > 0 ? `, resumed at ${megabytes(download.resumedFrom)}` : '') +
          `)${info.ann ? `; ${describeAnn(info.ann)}` : ''}${options.default ? ', now the default model' : ''}`,
      );
    });
  } catch (err) {
    progress.stop();
    // Bytes that cannot be right are not kept for a resume; a broken connection's are.
    if (err instanceof ChecksumError || err instanceof FormatError) download.discardSpool();
    else if (
      options.resume &&
      download.received > 0 &&
      !(err instanceof CliError && /already has a model/.test(err.message))
    )
      ctx.stderr.write(
        `wordvec: ${megabytes(download.received)} kept in ${spoolDir}; the same command resumes from there\n`,
      );
    throw err;
  }
}
