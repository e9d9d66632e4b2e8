// Figures for the dashboard bench's reports: number formatting, quantiles and frame rates.

export const fmt = (x: number, digits = 1): string => x.toFixed(digits);

/** Nearest-rank quantile of ascending values. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i] as number;
}

export const ascending = (values: readonly number[]) => values.slice().sort((a, b) => a - b);

/** Most frames in any 1-second window (each window starting at a frame). */
export function maxPerSecond(times: readonly number[]): number {
  let best = 0;
  let end = 0;
  for (let start = 0; start < times.length; start++) {
    while (end < times.length && (times[end] as number) < (times[start] as number) + 1000) end++;
    best = Math.max(best, end - start);
  }
  return best;
}

/** The middle value (the mean of the two middle ones for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = ascending(values);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
