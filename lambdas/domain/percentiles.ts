/**
 * The summary of a set of durations the SLA report gives (response times, waits, time in stage): the median as
 * people compute it, and the time 90 % of them came within. Hours rounded to a tenth, as the report has always
 * given them, and the same figures in whole minutes from the unrounded hours, so a page can say "15 min" of a
 * quarter of an hour instead of reading 0.3 h as 18 minutes.
 */

export interface Percentiles {
  /** how many values; the figures are null when there are none */
  readonly n: number;
  /** the median in hours (one decimal): the middle value, halfway between the two middle ones when n is even */
  readonly p50: number | null;
  /** hours (one decimal): the smallest value that at least 90 % of them are at or under (nearest rank) */
  readonly p90: number | null;
  /** p50 in whole minutes, from the unrounded hours */
  readonly p50Minutes: number | null;
  /** p90 in whole minutes, from the unrounded hours */
  readonly p90Minutes: number | null;
}

/** Durations in hours: their median and their 90th percentile (nearest rank). */
export function percentiles(hours: readonly number[]): Percentiles {
  if (hours.length === 0) return { n: 0, p50: null, p90: null, p50Minutes: null, p90Minutes: null };
  const sorted = [...hours].sort((a, b) => a - b);
  const median =
    (sorted[Math.floor((sorted.length - 1) / 2)]! + sorted[Math.ceil((sorted.length - 1) / 2)]!) / 2;
  // (90 * n) / 100, not 0.9 * n: 0.9 * 70 is 63.00000000000001 in floating point, a rank too high
  const ninetieth = sorted[Math.max(0, Math.ceil((90 * sorted.length) / 100) - 1)]!;
  return {
    n: sorted.length,
    p50: tenths(median),
    p90: tenths(ninetieth),
    p50Minutes: Math.round(median * 60),
    p90Minutes: Math.round(ninetieth * 60),
  };
}

const tenths = (value: number) => Math.round(value * 10) / 10;
