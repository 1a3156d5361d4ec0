import { writeFileSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { escapeUnsafeCharacters } from '@wordvec/embeddings';
import {
  MAX_PLOT_WORDS,
  type Picture,
  PROJECTIONS,
  type ProjectionKind,
  pngSize,
  renderPng,
  type WordMapData,
  wordListPicture,
} from '@wordvec/plots';
import type { Command } from 'commander';
import { nonNegativeInt, oneOf } from '../arguments.js';
import { CliError } from '../cli-error.js';
import { type CommandContext, emit, type GlobalOptions } from '../context.js';
import { withStore } from '../store-access.js';

interface Options extends GlobalOptions {
  out: string;
  projection: ProjectionKind;
  neighbours?: number;
  seed: number;
}

/** `.png` or `.svg` (any case) from the file name; anything else is refused before any work. */
export function pictureFormat(out: string): 'png' | 'svg' {
  const ext = extname(out).toLowerCase();
  if (ext === '.png' || ext === '.svg') return ext === '.png' ? 'png' : 'svg';
  throw new CliError(
    `--out must name a .png or .svg file, got ${JSON.stringify(escapeUnsafeCharacters(out))}`,
  );
}

/** Writes a picture as PNG or SVG (by `out`'s extension) and returns the bytes written. */
export function writePicture(picture: Picture, out: string, cwd: string): { path: string; bytes: number } {
  const path = resolve(cwd, out);
  const format = pictureFormat(out);
  const bytes = format === 'png' ? renderPng(picture.svg) : Buffer.from(picture.svg, 'utf8');
  if (format === 'png' && !pngSize(bytes)) throw new CliError('internal error: the renderer gave no PNG');
  writeFileSync(path, bytes);
  return { path, bytes: bytes.length };
}

/** `wordvec plot NAME WORD... --out map.png`: a map of words (one word: its neighbourhood). */
export function register(
  program: Command,
  run: (fn: (ctx: CommandContext) => Promise<void>) => Promise<void>,
): void {
  program
    .command('plot')
    .description(
      `draw a map of WORDs in model NAME as PNG or SVG: one word draws its neighbourhood; at most ${MAX_PLOT_WORDS} words`,
    )
    .argument('<name>', 'model name')
    .argument('<words...>', 'the words (one word: it and its nearest neighbours)')
    .requiredOption('-o, --out <file>', 'the picture to write: map.png or map.svg')
    .option('--projection <kind>', PROJECTIONS.join(' or '), oneOf('--projection', PROJECTIONS), 'pca')
    .option(
      '-k, --neighbours <k>',
      'nearest neighbours to draw (one word: default 10; several: each word brings k)',
      nonNegativeInt('--neighbours'),
    )
    .option('--seed <n>', 'seed of the projection and the colour clusters', nonNegativeInt('--seed'), 1)
    .action((name: string, words: string[], options: Options) =>
      run(async (ctx) => {
        pictureFormat(options.out);
        if (words.length > MAX_PLOT_WORDS) {
          throw new CliError(`at most ${MAX_PLOT_WORDS} words in one picture, got ${words.length}`);
        }
        await withStore(options, ctx, { readonly: true }, async (store) => {
          const model = store.model(name);
          const picture = await wordListPicture(model, {
            words,
            neighbours: options.neighbours,
            projection: options.projection,
            seed: options.seed,
            model: name,
          });
          const written = writePicture(picture, options.out, ctx.cwd);
          emit(options, ctx, pictureSummary(picture, written), () =>
            [
              `wrote ${written.path} (${picture.width}×${picture.height}, ${(written.bytes / 1024).toFixed(0)} KiB): ${picture.data.points.length} words, ${picture.data.projection.toUpperCase()}`,
              ...picture.notes,
            ]
              .map((line) => escapeUnsafeCharacters(line))
              .join('\n'),
          );
        });
      }),
    );
}

/** The JSON of a written map: where it went and every point. */
export function pictureSummary(picture: Picture<WordMapData>, written: { path: string; bytes: number }) {
  return {
    out: written.path,
    bytes: written.bytes,
    kind: picture.kind,
    width: picture.width,
    height: picture.height,
    projection: picture.data.projection,
    seed: picture.data.seed,
    caption: picture.caption,
    notes: picture.notes,
    missing: picture.data.missing,
    points: picture.data.points.map((p) => ({
      word: p.label,
      role: p.role,
      estimated: p.estimated === true,
      cluster: p.cluster,
      x: Math.round(p.x * 100) / 100,
      y: Math.round(p.y * 100) / 100,
      labelled: p.labelled,
    })),
  };
}
