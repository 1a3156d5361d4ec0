/**
 * The GloVe inner loop: AdaGrad over co-occurrence records, on flat typed arrays.
 *
 * Model (Pennington, Socher & Manning 2014, eq. 8): minimise
 *   J = Σ f(X_ij) (w_i·w̃_j + b_i + b̃_j − log X_ij)²,   f(x) = (x / x_max)^α if x < x_max, else 1.
 * The update follows Stanford GloVe's glove.c (`glove_thread`, the release with gradient clipping): with
 * diff = w_i·w̃_j + b_i + b̃_j − log X_ij and fdiff = f(X_ij) · diff, each vector coordinate takes the term
 * t = eta · clamp(fdiff · other, ±gradClip) (clipped before the learning rate is applied), moves by t / √G
 * (G its squared-gradient accumulator, starting at 1) and then adds t² to G; both rows use the values from
 * before the record's update. Biases are not scaled by eta in glove.c: b moves by fdiff / √G_b and G_b
 * gains fdiff². (An effective bias learning rate of 1 instead of eta lets the biases absorb the log-count
 * scale in the first iterations. Measured on Brown with the demo settings, seeds 1–6: WS353 0.140–0.169,
 * mean 0.158, where scaling the biases by eta gave 0.140–0.156, mean 0.145; glove.c gets 0.157–0.159.)
 *
 * Cheaper than glove.c per record: log X_ij and f(X_ij) are computed once, before the first epoch
 * ({@link prepareGloveRecords}), not on every pass; the weight and accumulator rows are float32.
 *
 * Accumulators are stored as H = G − 1 (starting at 0) and used as √(1 + H): the same values as glove.c's G,
 * but float32 keeps them. Near 1 a float32 resolves only 6e-8, so the tiny t² of rare pairs (often below
 * 1e-8) would vanish from G = 1 + Σt², where glove.c's doubles keep them; H = Σt² holds them at full
 * relative precision, for one extra addition per coordinate.
 *
 * Layout: `2 · vocabSize` rows, `stride` floats apart. Row `i` is word vector w_i followed by its bias b_i;
 * row `vocabSize + j` is context vector w̃_j followed by b̃_j. `weights[r · stride + b]` and
 * `gradSq[r · stride + b]` are a coordinate and its accumulator. The kernels only need that shared indexing,
 * so the two may be separate matrices (glove.c's layout) or, as {@link initGloveParameters} allocates them,
 * two views of one buffer whose rows interleave: w_i, b_i and padding to {@link gloveRowStride}, then H_i
 * and b_i's H the same way. A record then touches two runs of memory instead of four (fewer pages and
 * cache-line streams per update: 8–10 % faster per record at 112,929 words × 100 dimensions, single thread,
 * in-process A/B). Rows are rounded up to 16 bytes so that the SIMD kernel (glove-kernel-wat.ts) reads
 * aligned rows. No allocation happens per record.
 */

/** Weights and AdaGrad accumulators of one GloVe model, shared by every worker. */
export interface GloveParameters {
  vocabSize: number;
  dim: number;
  /** Floats from one row to the next (≥ dim + 1); the bias is at column `dim`. */
  stride: number;
  /** Word rows, then context rows, `stride` floats apart (see the module comment for the layouts). */
  weights: Float32Array;
  /**
   * Squared-gradient sums minus their initial 1 (H = G − 1, see the module comment), indexed as `weights`;
   * a view into the same buffer when the rows interleave.
   */
  gradSq: Float32Array;
}

/**
 * Co-occurrence records ready for training: 16-byte records `(i u32, j u32, log X_ij f32, f(X_ij) f32)`,
 * interleaved in one buffer seen through two views, so that a record is one cache line fetch and a record
 * file on disk has the very same bytes (little-endian, as every platform Node runs on).
 * Record n: `ids[4n] = i`, `ids[4n + 1] = j`, `vals[4n + 2] = log X`, `vals[4n + 3] = f(X)`.
 */
export interface GloveRecords {
  /** Number of records. */
  length: number;
  ids: Uint32Array;
  vals: Float32Array;
}

/** Bytes one record takes in {@link GloveRecords} and in record files: i, j, log X, f(X). */
export const GLOVE_RECORD_BYTES = 16;

/** Views `buffer` (any ArrayBuffer or SharedArrayBuffer) as `length` records starting at byte `byteOffset`. */
export function viewGloveRecords(buffer: ArrayBufferLike, length: number, byteOffset = 0): GloveRecords {
  return {
    length,
    ids: new Uint32Array(buffer, byteOffset, length * 4),
    vals: new Float32Array(buffer, byteOffset, length * 4),
  };
}

/** Allocates room for `length` records, in a SharedArrayBuffer when `shared`. */
export function allocGloveRecords(length: number, shared = false): GloveRecords {
  const bytes = length * GLOVE_RECORD_BYTES;
  return viewGloveRecords(shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes), length);
}

/**
 * The GloVe weighting function f(x) (Pennington et al. 2014, eq. 9).
 *
 * @param x - co-occurrence value X_ij (> 0).
 * @param xMax - cut-off x_max.
 * @param alpha - exponent α.
 * @returns (x / x_max)^α when x < x_max, otherwise 1.
 * @example
 * ```ts
 * gloveWeight(10, 100, 0.75); // 0.1778…
 * gloveWeight(500, 100, 0.75); // 1
 * ```
 */
export function gloveWeight(x: number, xMax: number, alpha: number): number {
  return x < xMax ? (x / xMax) ** alpha : 1;
}

/** Floats per parameter row: `dim + 1` (vector and bias) rounded up to a multiple of 4 (16 bytes). */
export function gloveRowStride(dim: number): number {
  return (dim + 4) & ~3;
}

/**
 * Allocates {@link GloveParameters} with weights and biases uniform in [−0.5, 0.5] / dim and accumulators
 * at 1 (glove.c `initialize_parameters`), drawing from `random`, in the interleaved layout of the module
 * comment: one buffer of {@link gloveParameterFloats} floats, each row's weights then its accumulators.
 * Pass `SharedArrayBuffer`-backed storage through `alloc` (called once) to share it with workers.
 */
export function initGloveParameters(
  vocabSize: number,
  dim: number,
  random: () => number,
  alloc: (floats: number) => Float32Array = (n) => new Float32Array(n),
): GloveParameters {
  const p = viewGloveParameters(alloc(gloveParameterFloats(vocabSize, dim)), vocabSize, dim);
  const { stride, weights, gradSq } = p;
  const half = stride / 2;
  // Row by row, vector then bias, so the random stream does not depend on the padding.
  for (let r = 0; r < 2 * vocabSize; r++) {
    for (let b = 0; b <= dim; b++) weights[r * stride + b] = (random() - 0.5) / dim;
    gradSq.fill(0, r * stride, r * stride + half); // H = G − 1 = 0: glove.c starts G at 1
  }
  return p;
}

/**
 * The {@link GloveParameters} of a `vocabSize`-word model over `block` ({@link gloveParameterFloats} floats)
 * in the interleaved layout {@link initGloveParameters} writes: what a worker sees of the shared parameters.
 */
export function viewGloveParameters(block: Float32Array, vocabSize: number, dim: number): GloveParameters {
  const half = gloveRowStride(dim);
  return {
    vocabSize,
    dim,
    stride: 2 * half,
    weights: block.subarray(0, block.length - half),
    gradSq: block.subarray(half),
  };
}

/** Floats {@link initGloveParameters} allocates: `2 · vocabSize` rows of weights and accumulators. */
export function gloveParameterFloats(vocabSize: number, dim: number): number {
  return 4 * vocabSize * gloveRowStride(dim);
}

/**
 * Fills `out[at…]` with the records of a sparse matrix slice, computing log X and f(X) once.
 * Values that are not positive and finite are dropped (log would be undefined); returns the count written.
 */
export function prepareGloveRecords(
  rows: ArrayLike<number>,
  cols: ArrayLike<number>,
  values: ArrayLike<number>,
  count: number,
  xMax: number,
  alpha: number,
  out: GloveRecords,
  at: number,
): number {
  let k = at;
  for (let n = 0; n < count; n++) {
    const x = values[n];
    if (!(x > 0) || x === Number.POSITIVE_INFINITY) continue;
    const o = k << 2;
    out.ids[o] = rows[n];
    out.ids[o + 1] = cols[n];
    out.vals[o + 2] = Math.log(x);
    out.vals[o + 3] = x < xMax ? (x / xMax) ** alpha : 1;
    k++;
  }
  return k - at;
}

/**
 * One AdaGrad pass over records `[start, end)`, updating `p` in place (lock-free when several threads
 * share `p`, as glove.c does).
 *
 * @param p - the parameters (word and context rows, biases, accumulators).
 * @param r - the records, in training order.
 * @param start - first record.
 * @param end - one past the last record.
 * @param eta - learning rate (glove.c default 0.05).
 * @param gradClip - bound on each gradient term fdiff · w before eta scales it (glove.c default 100).
 * @returns Σ ½ f(X_ij) diff² over the records (glove.c's cost), before their updates.
 */
export function gloveAdaGradPass(
  p: GloveParameters,
  r: GloveRecords,
  start: number,
  end: number,
  eta: number,
  gradClip: number,
): number {
  const W = p.weights;
  const G = p.gradSq;
  const dim = p.dim;
  const stride = p.stride;
  const ctxBase = p.vocabSize * stride;
  const ids = r.ids;
  const vals = r.vals;
  const lo = -gradClip;
  let cost = 0;
  for (let n = start; n < end; n++) {
    const o = n << 2;
    const l1 = ids[o] * stride;
    const l2 = ctxBase + ids[o + 1] * stride;
    // Dot product, unrolled by 4 with two partial sums; the tail handles dim % 4.
    let d0 = 0;
    let d1 = 0;
    let b = 0;
    for (; b + 3 < dim; b += 4) {
      d0 += W[l1 + b] * W[l2 + b] + W[l1 + b + 2] * W[l2 + b + 2];
      d1 += W[l1 + b + 1] * W[l2 + b + 1] + W[l1 + b + 3] * W[l2 + b + 3];
    }
    for (; b < dim; b++) d0 += W[l1 + b] * W[l2 + b];
    const diff = d0 + d1 + W[l1 + dim] + W[l2 + dim] - vals[o + 2];
    const fdiff = vals[o + 3] * diff;
    // glove.c skips a record whose error is not finite rather than spreading NaN into the rows.
    if (!Number.isFinite(fdiff)) continue;
    cost += 0.5 * fdiff * diff;
    for (b = 0; b < dim; b++) {
      const w1 = W[l1 + b];
      const w2 = W[l2 + b];
      const t1 = eta * Math.max(lo, Math.min(gradClip, fdiff * w2));
      const t2 = eta * Math.max(lo, Math.min(gradClip, fdiff * w1));
      const g1 = G[l1 + b];
      const g2 = G[l2 + b];
      W[l1 + b] = w1 - t1 / Math.sqrt(1 + g1);
      W[l2 + b] = w2 - t2 / Math.sqrt(1 + g2);
      G[l1 + b] = g1 + t1 * t1;
      G[l2 + b] = g2 + t2 * t2;
    }
    const gb1 = G[l1 + dim];
    const gb2 = G[l2 + dim];
    // Biases: no eta, as glove.c.
    W[l1 + dim] -= fdiff / Math.sqrt(1 + gb1);
    W[l2 + dim] -= fdiff / Math.sqrt(1 + gb2);
    const g2 = fdiff * fdiff;
    G[l1 + dim] = gb1 + g2;
    G[l2 + dim] = gb2 + g2;
  }
  return cost;
}
