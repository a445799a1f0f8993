/** Summary of one set of samples; every figure is in the samples' own unit. */
export interface Distribution {
  count: number;
  min: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

/**
 * The q-quantile (0 ≤ q ≤ 1) of already sorted values, by linear interpolation between the two
 * nearest ranks (the "R-7" definition NumPy and most spreadsheets use).
 */
export function quantileOfSorted(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const position = (sorted.length - 1) * Math.min(1, Math.max(0, q));
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  const low = sorted[lower] ?? Number.NaN;
  const high = sorted[upper] ?? Number.NaN;
  return low + (high - low) * (position - lower);
}

/** The median of unsorted values (NaN for none). */
export function median(values: readonly number[]): number {
  return quantileOfSorted(sortedCopy(values), 0.5);
}

/** Count, extremes, mean and the percentiles the suite reports. */
export function distribution(values: readonly number[]): Distribution {
  const sorted = sortedCopy(values);
  const sum = sorted.reduce((total, value) => total + value, 0);
  return {
    count: sorted.length,
    min: sorted[0] ?? Number.NaN,
    p50: quantileOfSorted(sorted, 0.5),
    p90: quantileOfSorted(sorted, 0.9),
    p99: quantileOfSorted(sorted, 0.99),
    max: sorted[sorted.length - 1] ?? Number.NaN,
    mean: sorted.length === 0 ? Number.NaN : sum / sorted.length,
  };
}

/** Median, min and max of per-round ratios: the figure every comparison in the suite reports. */
export interface RatioSummary {
  median: number;
  min: number;
  max: number;
}

/**
 * Pairs round i of the system under test with round i of the peer (they ran back to back, so
 * they saw the same machine state) and summarises `subject / peer` over the rounds.
 */
export function pairedRatios(subject: readonly number[], peer: readonly number[]): RatioSummary {
  const ratios: number[] = [];
  for (let round = 0; round < Math.min(subject.length, peer.length); round++) {
    const top = subject[round];
    const bottom = peer[round];
    if (top === undefined || bottom === undefined || bottom === 0) continue;
    ratios.push(top / bottom);
  }
  const sorted = sortedCopy(ratios);
  return {
    median: quantileOfSorted(sorted, 0.5),
    min: sorted[0] ?? Number.NaN,
    max: sorted[sorted.length - 1] ?? Number.NaN,
  };
}

function sortedCopy(values: readonly number[]): number[] {
  return values.filter((value) => !Number.isNaN(value)).sort((left, right) => left - right);
}
