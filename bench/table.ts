/** One row of a benchmark table: our figure beside the peer's, measured in the same run. */
export interface BenchRow {
  metric: string;
  ours: number | string;
  peer?: number | string;
  peerName?: string;
  unit?: string;
  /** The bar from the issue, in words, e.g. "≤ peer" or "≥ 5× faster". */
  bar?: string;
  /** Whether the bar is met; undefined when there is no bar or no peer figure. */
  pass?: boolean;
}

function fmt(v: number | string | undefined, unit = ''): string {
  if (v === undefined) return '—';
  if (typeof v === 'string') return v;
  const s =
    Math.abs(v) >= 100
      ? v.toFixed(0)
      : Math.abs(v) >= 10
        ? v.toFixed(1)
        : Math.abs(v) >= 1
          ? v.toFixed(2)
          : v.toPrecision(3);
  return unit ? `${s} ${unit}` : s;
}

/** Prints rows as an aligned plain-text table under `title`. */
export function printTable(title: string, rows: BenchRow[]): void {
  const header = ['metric', 'wordvec', 'peer', 'peer figure', 'bar', 'met'];
  const body = rows.map((r) => [
    r.metric,
    fmt(r.ours, r.unit),
    r.peerName ?? '—',
    r.peer === undefined && r.peerName ? 'peer not installed' : fmt(r.peer, r.unit),
    r.bar ?? '',
    r.pass === undefined ? '' : r.pass ? 'yes' : 'NO',
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...body.map((row) => row[c].length)));
  const line = (cells: string[]) => `| ${cells.map((x, c) => x.padEnd(widths[c])).join(' | ')} |`;
  console.log(`\n## ${title}\n`);
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const row of body) console.log(line(row));
}

/** Median of a list of numbers. */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** The `p`-th percentile (nearest rank) of numbers sorted ascending; NaN for none. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}
