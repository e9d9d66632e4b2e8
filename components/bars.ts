// Text-only gauges: they read the same with or without colour.
const SPARKS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/** `[####....]` filled in proportion; width counts the inner cells. */
export function meter(fraction: number, width: number, fill = '#', empty = '.'): string {
  const cells = Math.max(0, width);
  const filled = Math.round(Math.max(0, Math.min(1, fraction)) * cells);
  return `[${fill.repeat(filled)}${empty.repeat(cells - filled)}]`;
}

export function sparkline(values: readonly number[]): string {
  if (values.length === 0) return '';
  const min = Math.min(...values);
  const max = Math.max(...values);
  return values
    .map((value) => {
      const level =
        max === min ? 3 : Math.round(((value - min) / (max - min)) * (SPARKS.length - 1));
      return SPARKS[level] ?? '▄';
    })
    .join('');
}

/** Whole seconds left, rounded up so a countdown reads 1 s until it is really over. */
export function secondsLeft(recoverAt: number, now: number): number {
  return Math.max(0, Math.ceil((recoverAt - now) / 1000));
}
