// Small statistics: percentiles of one run's samples, medians across rounds.

/** The p-th percentile (0..100) of ascending `sorted`, linearly interpolated; undefined when empty. */
export function percentileOfSorted(sorted, p) {
  if (sorted.length === 0) return undefined;
  const rank = (p / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
}

/** p50, p90, p99, max and count of a list of numbers (any order). */
export function summarise(values) {
  const sorted = Float64Array.from(values).sort();
  return {
    count: sorted.length,
    p50: percentileOfSorted(sorted, 50),
    p90: percentileOfSorted(sorted, 90),
    p99: percentileOfSorted(sorted, 99),
    max: sorted.length ? sorted[sorted.length - 1] : undefined,
  };
}

/** Median of the numbers that are defined; undefined when none are. */
export function median(values) {
  const defined = values.filter((v) => typeof v === 'number' && Number.isFinite(v)).sort((a, b) => a - b);
  if (defined.length === 0) return undefined;
  const mid = Math.floor(defined.length / 2);
  return defined.length % 2 ? defined[mid] : (defined[mid - 1] + defined[mid]) / 2;
}

/** For each numeric field of the rounds' results, its median across rounds. */
export function medianFields(rounds, fields) {
  return Object.fromEntries(fields.map((field) => [field, median(rounds.map((r) => r[field]))]));
}

export const round = (value, digits = 2) =>
  typeof value === 'number' && Number.isFinite(value) ? Number(value.toFixed(digits)) : undefined;
