import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as store from '@wordvec/vector-store';
import { describe, expect, it } from 'vitest';

/**
 * The runtime names of the package, spelled out: adding or dropping an export changes this file,
 * so it shows up in review. Types are erased at run time; `pnpm build` + dist/index.d.ts show those.
 */
describe('public API of @wordvec/vector-store', () => {
  it('exports exactly these runtime names', () => {
    expect(Object.keys(store).sort()).toEqual([
      'DEFAULT_STORED_CONTEXTS',
      'MAGNITUDE_LAYOUT_VERSION',
      'StoreError',
      'StoredModel',
      'VectorStore',
    ]);
  });

  it('no entry file re-exports a whole module (`export *`): each name is chosen', () => {
    const src = fileURLToPath(new URL('../src/', import.meta.url));
    const entries = readdirSync(src, { recursive: true, encoding: 'utf8' }).filter((file) =>
      /(^|[/\\])index\.ts$/.test(file),
    );
    expect(entries).toContain('index.ts');
    for (const file of entries) {
      expect(readFileSync(`${src}${file}`, 'utf8'), file).not.toMatch(/\bexport\s*\*/);
    }
  });
});
