/**
 * Exact optimal transport between two discrete distributions (the earth mover's distance): the
 * minimum of Σ F_ij C_ij over flows F ≥ 0 with row sums `supply` and column sums `demand`.
 *
 * Solved by successive shortest paths (Ahuja, Magnanti & Orlin, "Network Flows", 1993, §9.7) on the
 * bipartite network source → i → j → sink: Dijkstra over reduced costs with node potentials, so every
 * residual arc keeps a non-negative reduced cost, then as much flow as the path allows is pushed along
 * it. Each augmentation empties a supply, fills a demand or cancels a flow, so the number of rounds is
 * small for the document-sized problems Word Mover's Distance asks (tens to a few hundred words);
 * each round is O((n + m)²) on the dense cost matrix. The result is exact up to float64 rounding,
 * the same optimum POT's network simplex (`ot.emd2`, what gensim calls) finds.
 */
import { InvalidArgumentError } from '../errors.js';

/** Masses below this are treated as zero (float64 round-off of sums of about 1). */
const MASS_EPSILON = 1e-12;

/**
 * The exact earth mover's distance: min Σ F_ij · cost[i·m + j] subject to Σ_j F_ij = supply[i],
 * Σ_i F_ij = demand[j], F ≥ 0.
 *
 * @param supply - n non-negative masses.
 * @param demand - m non-negative masses with the same total as `supply` (within 1e-9 relative).
 * @param cost - n × m row-major non-negative costs.
 * @returns the optimal cost.
 * @throws {@link InvalidArgumentError} for negative or non-finite values, mismatched sizes or totals.
 * @example
 * ```ts
 * earthMoversDistance(new Float64Array([0.5, 0.5]), new Float64Array([1]), new Float64Array([1, 3])); // 2
 * ```
 */
export function earthMoversDistance(
  supply: ArrayLike<number>,
  demand: ArrayLike<number>,
  cost: ArrayLike<number>,
): number {
  const n = supply.length;
  const m = demand.length;
  if (cost.length !== n * m)
    throw new InvalidArgumentError(`cost has ${cost.length} entries, expected ${n} × ${m}`);
  const totalOf = (xs: ArrayLike<number>, what: string) => {
    let t = 0;
    for (let i = 0; i < xs.length; i++) {
      if (!(xs[i] >= 0) || !Number.isFinite(xs[i]))
        throw new InvalidArgumentError(`${what} must be finite and non-negative, got ${xs[i]} at ${i}`);
      t += xs[i];
    }
    return t;
  };
  const totalSupply = totalOf(supply, 'supply');
  const totalDemand = totalOf(demand, 'demand');
  totalOf(cost, 'cost');
  if (Math.abs(totalSupply - totalDemand) > 1e-9 * Math.max(1, totalSupply))
    throw new InvalidArgumentError(`supply totals ${totalSupply} but demand totals ${totalDemand}`);

  const left = Float64Array.from(supply);
  const right = Float64Array.from(demand);
  const flow = new Float64Array(n * m);
  // Potentials of the n left and m right nodes; costs are non-negative, so zero is feasible to start.
  const potential = new Float64Array(n + m);
  const dist = new Float64Array(n + m);
  const prev = new Int32Array(n + m);
  const done = new Uint8Array(n + m);
  let total = 0;

  for (let round = 0; round < 4 * (n + m) * (n + m) + 16; round++) {
    let remaining = 0;
    for (let i = 0; i < n; i++) remaining += left[i];
    if (remaining <= MASS_EPSILON * Math.max(1, totalSupply)) break;
    // Dijkstra from a virtual source joined (at reduced cost 0 after the potentials) to every left
    // node with supply left. Nodes 0…n−1 are left, n…n+m−1 right. Arcs: i→j always (cost C_ij),
    // j→i where flow F_ij > 0 (cost −C_ij).
    dist.fill(Number.POSITIVE_INFINITY);
    prev.fill(-1);
    done.fill(0);
    for (let i = 0; i < n; i++) if (left[i] > MASS_EPSILON) dist[i] = 0;
    let sink = -1;
    for (;;) {
      let u = -1;
      let best = Number.POSITIVE_INFINITY;
      for (let v = 0; v < n + m; v++) {
        if (!done[v] && dist[v] < best) {
          best = dist[v];
          u = v;
        }
      }
      if (u < 0) break;
      done[u] = 1;
      if (u >= n && right[u - n] > MASS_EPSILON) {
        sink = u;
        break;
      }
      if (u < n) {
        for (let j = 0; j < m; j++) {
          const v = n + j;
          if (done[v]) continue;
          const d = best + cost[u * m + j] + potential[u] - potential[v];
          if (d < dist[v]) {
            dist[v] = d;
            prev[v] = u;
          }
        }
      } else {
        const j = u - n;
        for (let i = 0; i < n; i++) {
          // A node with supply left already sits at distance 0, the least there is.
          if (done[i] || left[i] > MASS_EPSILON || flow[i * m + j] <= MASS_EPSILON) continue;
          const d = best - cost[i * m + j] + potential[u] - potential[i];
          if (d < dist[i]) {
            dist[i] = d;
            prev[i] = u;
          }
        }
      }
    }
    if (sink < 0) break; // no path left: the rest is round-off
    // Johnson's potential update keeps reduced costs non-negative for the next round.
    const reach = dist[sink];
    for (let v = 0; v < n + m; v++) potential[v] += Math.min(dist[v], reach);
    // Bottleneck: the sink's demand, the start's supply, and every backward arc's flow.
    let amount = right[sink - n];
    let v = sink;
    while (prev[v] >= 0) {
      const u = prev[v];
      if (u >= n) amount = Math.min(amount, flow[(v as number) * m + (u - n)]);
      v = u;
    }
    amount = Math.min(amount, left[v]);
    left[v] -= amount;
    right[sink - n] -= amount;
    v = sink;
    while (prev[v] >= 0) {
      const u = prev[v];
      if (u < n) {
        flow[u * m + (v - n)] += amount;
        total += amount * cost[u * m + (v - n)];
      } else {
        flow[v * m + (u - n)] -= amount;
        total -= amount * cost[v * m + (u - n)];
      }
      v = u;
    }
  }
  return total;
}
