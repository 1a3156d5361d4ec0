import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  formatFixed,
  formatShortestFloat32,
  parseDecimalBytes,
  parseDecimalText,
} from '../src/formats/decimal.js';
import { loadVectors } from '../src/formats/vector-files.js';
import { FNV_OFFSET, FNV_PRIME, hashWord, WordSet } from '../src/formats/word-set.js';
import { createRandom } from '../src/random.js';

const dir = mkdtempSync(join(tmpdir(), 'wordvec-decimal-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Decimal texts in the shapes vector files contain, plus the odd ones the slow path must take. */
function sampleTexts(n: number, seed: number): string[] {
  const rand = createRandom(seed);
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const magnitude = 10 ** Math.floor(rand() * 12 - 8);
    const v = (rand() * 2 - 1) * magnitude;
    switch (i % 8) {
      case 0:
        out.push(v.toFixed(6));
        break;
      case 1:
        out.push(v.toFixed(Math.floor(rand() * 10)));
        break;
      case 2:
        out.push(String(Math.fround(v)));
        break;
      case 3:
        out.push(v.toPrecision(1 + Math.floor(rand() * 17)));
        break;
      case 4:
        out.push(v.toExponential(Math.floor(rand() * 9)));
        break;
      case 5:
        out.push(formatShortestFloat32(v));
        break;
      case 6:
        out.push(v.toFixed(14 + Math.floor(rand() * 6))); // more digits than the fast path takes
        break;
      default:
        out.push(String(v));
    }
  }
  return out;
}

describe('decimal parsing (fast path equals Number.parseFloat → Math.fround)', () => {
  const texts = [
    ...sampleTexts(40000, 7),
    '0',
    '-0',
    '-0.000000',
    '.5',
    '-.25',
    '5.',
    '+1.5',
    '1E3',
    '007.50',
    '123456789012345',
    '1234567890123456789',
  ];

  it('parseDecimalBytes gives the same double as parseFloat for every sample', () => {
    const wrong = texts.filter((t) => {
      const bytes = Buffer.from(t);
      return !Object.is(parseDecimalBytes(bytes, 0, bytes.length), Number.parseFloat(t));
    });
    expect(wrong).toEqual([]);
  });

  it('the row parser stores exactly Math.fround(parseFloat(text)) for every sample', async () => {
    const dim = 8;
    const rows = Math.floor(texts.length / dim);
    let body = '';
    for (let r = 0; r < rows; r++) body += `w${r} ${texts.slice(r * dim, (r + 1) * dim).join(' ')}\n`;
    const path = join(dir, 'decimals.txt');
    writeFileSync(path, body);
    const kv = await loadVectors(path);
    expect(kv.size).toBe(rows);
    const wrong = texts
      .slice(0, rows * dim)
      .filter((t, i) => !Object.is(kv.vectors[i], Math.fround(Number.parseFloat(t))));
    expect(wrong).toEqual([]);
  });

  it('reads nan and infinities as C and Python write them, and rejects garbage', () => {
    expect(parseDecimalText('nan')).toBeNaN();
    expect(parseDecimalText('-inf')).toBe(Number.NEGATIVE_INFINITY);
    expect(parseDecimalText('Infinity')).toBe(Number.POSITIVE_INFINITY);
    for (const bad of ['', '-', '.', '1.2.3', '1e', 'e5', '0x10', '1,5', 'abc', '--1']) {
      expect(parseDecimalText(bad), bad).toBeUndefined();
      expect(parseDecimalBytes(Buffer.from(bad), 0, bad.length), bad).toBeUndefined();
    }
  });
});

describe('decimal formatting', () => {
  it('formatFixed keeps the sign of zero like C printf and spells non-finite values like C', () => {
    expect(formatFixed(-0, 6)).toBe('-0.000000');
    expect(formatFixed(-1e-9, 6)).toBe('-0.000000');
    expect(formatFixed(0, 3)).toBe('0.000');
    expect(formatFixed(1.5, 0)).toBe('2');
    expect(formatFixed(Number.NaN, 6)).toBe('nan');
    expect(formatFixed(Number.NEGATIVE_INFINITY, 6)).toBe('-inf');
  });

  it('formatShortestFloat32 reads back as the same float32 and is never longer than 9 significant digits', () => {
    const rand = createRandom(3);
    const wrong: string[] = [];
    for (let i = 0; i < 20000; i++) {
      const f = Math.fround((rand() * 2 - 1) * 10 ** Math.floor(rand() * 10 - 5));
      const s = formatShortestFloat32(f);
      const digits = s.replace(/e.*$|[-.]/g, '').replace(/^0+/, '').length;
      if (Math.fround(Number(s)) !== f || digits > 9) wrong.push(`${f} → ${s}`);
    }
    expect(wrong).toEqual([]);
  });
});

describe('WordSet (duplicate check of the readers)', () => {
  it('finds repeats across rehashes and tells apart different words that share a hash', () => {
    const set = new WordSet();
    const fresh = Array.from({ length: 200000 }, (_, i) => set.add(`w${i}`, hashWord(`w${i}`)));
    expect(fresh.every(Boolean)).toBe(true);
    const again = Array.from({ length: 200000 }, (_, i) => set.add(`w${i}`, hashWord(`w${i}`)));
    expect(again.some(Boolean)).toBe(false);
    expect(set.add('same-hash-a', 42)).toBe(true);
    expect(set.add('same-hash-b', 42)).toBe(true);
    expect(set.add('same-hash-a', 42)).toBe(false);
    expect(set.size).toBe(200002);
  });

  it('hashWord over code units equals FNV-1a over the bytes of an ASCII word', () => {
    let h = FNV_OFFSET;
    for (const b of Buffer.from('hello-world')) h = Math.imul(h ^ b, FNV_PRIME);
    expect(hashWord('hello-world')).toBe(h);
  });
});
