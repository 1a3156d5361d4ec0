/**
 * Seeded pseudo-random numbers, so every run that takes a seed can be repeated exactly.
 * SplitMix32-style mixing for seeding, xorshift128+-like 32-bit generator (xoshiro128**) for the stream.
 * Reference: Blackman & Vigna, "Scrambled linear pseudorandom number generators" (2018).
 */

/**
 * A source of uniform numbers in [0, 1).
 *
 * @example
 * ```ts
 * const rand: Random = createRandom(7);
 * const pick = words[Math.floor(rand() * words.length)]; // the same pick on every run
 * ```
 */
export type Random = () => number;

/**
 * Creates a seeded generator of uniform floats in [0, 1).
 *
 * @param seed - any integer; the same seed gives the same stream.
 * @returns a function returning the next number in [0, 1).
 * @example
 * ```ts
 * const rand = createRandom(42);
 * rand(); // 0.… (same on every run)
 * ```
 */
export function createRandom(seed: number): Random {
  const s = seedState(seed);
  return () => nextUint32(s) / 4294967296;
}

/**
 * Four 32-bit words of xoshiro128** state, derived from `seed` by SplitMix32.
 *
 * @example
 * ```ts
 * const s = seedState(42);
 * nextUint32(s); // an integer in [0, 2^32), the same on every run
 * ```
 */
export function seedState(seed: number): Uint32Array {
  const s = new Uint32Array(4);
  let x = seed >>> 0;
  for (let i = 0; i < 4; i++) {
    x = (x + 0x9e3779b9) >>> 0;
    let z = x;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    s[i] = (z ^ (z >>> 16)) >>> 0;
  }
  if ((s[0] | s[1] | s[2] | s[3]) === 0) s[0] = 1;
  return s;
}

/**
 * Advances xoshiro128** state `s` in place and returns the next unsigned 32-bit integer.
 *
 * @example
 * ```ts
 * const s = seedState(42);
 * const coin = nextUint32(s) & 1; // advances s
 * ```
 */
export function nextUint32(s: Uint32Array): number {
  const result = Math.imul(rotl(Math.imul(s[1], 5), 7), 9) >>> 0;
  const t = s[1] << 9;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl(s[3], 11);
  return result;
}

/**
 * Adds to `out[i]` the next `out.length` draws, each mapped to [−1, 1) as `u / 2^32 · 2 − 1`, of
 * the stream {@link seedState}(seed) gives {@link nextUint32}: the same numbers, in the same order,
 * as `createRandom(seed)() * 2 - 1` called `out.length` times, with the state kept in locals (the
 * xoshiro128** step of {@link nextUint32}, written out here because a call per draw costs twice the
 * draw; `__tests__/random.test.ts` checks the two agree).
 *
 * @example
 * ```ts
 * const v = new Float64Array(300);
 * addUniformSigned(7, v); // v[i] += draw_i of seed 7, in [−1, 1)
 * ```
 */
export function addUniformSigned(seed: number, out: Float64Array): void {
  const s = seedState(seed);
  let s0 = s[0];
  let s1 = s[1];
  let s2 = s[2];
  let s3 = s[3];
  for (let i = 0; i < out.length; i++) {
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl(s3, 11);
    out[i] += (result / 4294967296) * 2 - 1;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
