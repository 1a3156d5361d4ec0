/**
 * Bounded edit distance for misspelling suggestions.
 *
 * Optimal string alignment distance (Levenshtein with adjacent transpositions counted as one edit;
 * Damerau 1964, "restricted" variant), computed over UTF-16 code units with a band of width
 * `2·max + 1` around the diagonal (Ukkonen 1985), and abandoned as soon as every cell of a row
 * exceeds `max`. Buffers are reused between calls, so scanning a vocabulary allocates nothing.
 */

let prev2 = new Int32Array(64);
let prev = new Int32Array(64);
let cur = new Int32Array(64);

/**
 * Edit distance between `a` and `b` if it is at most `max`, otherwise `max + 1`.
 *
 * @example
 * ```ts
 * boundedEditDistance('recieve', 'receive', 2); // 1 (a transposition)
 * boundedEditDistance('cat', 'dogs', 2);        // 3 (more than max)
 * ```
 */
export function boundedEditDistance(a: string, b: string, max: number): number {
  const n = a.length;
  const m = b.length;
  if (Math.abs(n - m) > max) return max + 1;
  if (n === 0 || m === 0) return Math.max(n, m);
  if (m + 1 > cur.length) {
    prev2 = new Int32Array(2 * (m + 1));
    prev = new Int32Array(2 * (m + 1));
    cur = new Int32Array(2 * (m + 1));
  }
  const big = max + 1;
  for (let j = 0; j <= m; j++) prev[j] = j <= max ? j : big;
  for (let i = 1; i <= n; i++) {
    const lo = Math.max(1, i - max);
    const hi = Math.min(m, i + max);
    cur[0] = i <= max ? i : big;
    if (lo > 1) cur[lo - 1] = big;
    let rowMin = cur[0];
    const ca = a.charCodeAt(i - 1);
    for (let j = lo; j <= hi; j++) {
      const cb = b.charCodeAt(j - 1);
      const cost = ca === cb ? 0 : 1;
      let d = prev[j - 1] + cost;
      const del = prev[j] + 1;
      if (del < d) d = del;
      const ins = cur[j - 1] + 1;
      if (ins < d) d = ins;
      if (i > 1 && j > 1 && ca === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === cb) {
        const tr = prev2[j - 2] + 1;
        if (tr < d) d = tr;
      }
      cur[j] = Math.min(d, big);
      if (cur[j] < rowMin) rowMin = cur[j];
    }
    if (hi < m) cur[hi + 1] = big;
    if (rowMin > max) return big;
    const t = prev2;
    prev2 = prev;
    prev = cur;
    cur = t;
  }
  return Math.min(prev[m], big);
}
