/** Latency figures of one run, in milliseconds. */
export interface LatencySummary {
  requests: number;
  failures: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** Measured requests per second of wall time. */
  rps: number;
}

/** Nearest-rank percentile of an ascending array: the smallest value with at least p% at or below it. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function summarize(latencies: Float64Array, failures: number, wallMs: number): LatencySummary {
  const sorted = Float64Array.from(latencies).sort();
  return {
    requests: latencies.length + failures,
    failures,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.length ? sorted[sorted.length - 1]! : Number.NaN,
    rps: ((latencies.length + failures) / wallMs) * 1000,
  };
}

/** Several runs folded into one row: requests and failures add up, each figure is the median over the runs. */
export function combineRuns(runs: readonly LatencySummary[]): LatencySummary {
  const sum = (pick: (s: LatencySummary) => number) => runs.reduce((total, s) => total + pick(s), 0);
  const mid = (pick: (s: LatencySummary) => number) => median(runs.map(pick));
  return {
    requests: sum((s) => s.requests),
    failures: sum((s) => s.failures),
    p50: mid((s) => s.p50),
    p95: mid((s) => s.p95),
    p99: mid((s) => s.p99),
    max: mid((s) => s.max),
    rps: mid((s) => s.rps),
  };
}

/** A plain-text table with right-aligned columns except the first `leftColumns`. */
export function formatTable(header: readonly string[], rows: readonly string[][], leftColumns = 2): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i < leftColumns ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(header), rule, ...rows.map(line)].join('\n');
}

export const ms = (value: number): string => (Number.isFinite(value) ? value.toFixed(2) : '-');
