import { describe, expect, it } from 'vitest';
import { normalizeToken, tokenize } from '../src/text/tokenizer.js';

describe('tokenize', () => {
  it('splits on punctuation and spaces and lower-cases by default', () => {
    expect(tokenize('The cat, the HAT; and 42 dogs!')).toEqual([
      'the',
      'cat',
      'the',
      'hat',
      'and',
      '42',
      'dogs',
    ]);
  });

  it('keeps internal apostrophes and hyphens, drops leading and trailing ones', () => {
    expect(tokenize("don't well-known rock'n'roll")).toEqual(["don't", 'well-known', "rock'n'roll"]);
    expect(tokenize("'tis -dash- trailing' --x--")).toEqual(['tis', 'dash', 'trailing', 'x']);
    // A doubled separator is not internal to one word.
    expect(tokenize("well--known don''t")).toEqual(['well', 'known', 'don', 't']);
  });

  it('folds typographic apostrophes and Unicode hyphens', () => {
    expect(tokenize('Don’t it’s donʼt')).toEqual(["don't", "it's", "don't"]);
    expect(tokenize('well‐known non‑breaking')).toEqual(['well-known', 'non-breaking']);
    expect(tokenize('‘quoted’')).toEqual(['quoted']);
  });

  it('removes soft hyphens and keeps zero-width joiners inside words', () => {
    expect(tokenize('hy\u00ADphen\u00AD')).toEqual(['hyphen']);
    // Persian "mikhaham" is written with a zero-width non-joiner after the prefix.
    expect(tokenize('می\u200cخواهم \u200cx')).toEqual(['می\u200cخواهم', 'x']);
  });

  it('applies NFKC before matching', () => {
    // full-width letters, the fi ligature, superscript two, and a decomposed é (e + U+0301)
    expect(tokenize('ＡＢＣ ﬁne x² cafe\u0301')).toEqual(['abc', 'fine', 'x2', 'café']);
    expect(tokenize('cafe\u0301')[0]).toBe('caf\u00e9');
  });

  it('handles non-Latin scripts and combining marks', () => {
    expect(tokenize('Привет, мир! Γειά σου. नमस्ते')).toEqual(['привет', 'мир', 'γειά', 'σου', 'नमस्ते']);
  });

  it('keeps case when lowercase is false', () => {
    expect(tokenize('Paris IS Nice', { lowercase: false })).toEqual(['Paris', 'IS', 'Nice']);
  });

  it('treats the replacement character and symbols as separators', () => {
    expect(tokenize('a\uFFFDb c_d e@f #tag')).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'tag']);
    expect(tokenize('  ...  ')).toEqual([]);
    expect(tokenize('')).toEqual([]);
  });
});

describe('normalizeToken', () => {
  it('applies the same rules to one word', () => {
    expect(normalizeToken('  Don’t! ')).toBe("don't");
    expect(normalizeToken('"King"')).toBe('king');
    expect(normalizeToken('Paris', { lowercase: false })).toBe('Paris');
    expect(normalizeToken('ＷＯＲＤ')).toBe('word');
  });

  it("returns '' when nothing survives and the first token of several", () => {
    expect(normalizeToken('?!')).toBe('');
    expect(normalizeToken('')).toBe('');
    expect(normalizeToken('new york')).toBe('new');
  });

  it('agrees with tokenize on every token of a text', () => {
    const text = "Les élèves d'aujourd'hui — ﬁne, WELL‐KNOWN and don’t 3.14";
    for (const token of tokenize(text)) expect(normalizeToken(token)).toBe(token);
  });
});
