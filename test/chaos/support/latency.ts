/** Nearest-rank percentile of `values` (0 < p <= 100); null for no values. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1]!;
}

/** p50, p99 and max, rounded to 0.1 ms. */
export function latencySummary(values: readonly number[]): {
  count: number;
  p50: number | null;
  p99: number | null;
  max: number | null;
} {
  const round = (v: number | null) => (v === null ? null : Math.round(v * 10) / 10);
  return {
    count: values.length,
    p50: round(percentile(values, 50)),
    p99: round(percentile(values, 99)),
    max: round(values.length ? values.reduce((a, b) => Math.max(a, b)) : null),
  };
}
