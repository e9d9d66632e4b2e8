// cells.md: the cells as a Markdown table, each figure as mean [95% interval].
import type { Row, Value } from './rows.js';

/** A parameter column: its key in the rows, its heading, and how a value is written (default two). */
type Param = readonly [key: string, label: string, format?: (v: Value) => string];

/** A count, written as it is (a jail term of 20 heights, not 20.00). */
const whole = (v: Value): string => String(v ?? '–');

const ALWAYS: readonly Param[] = [
  ['protocol', 'protocol'],
  ['adversary', 'adversary'],
  ['byzantine', 'byzantine'],
  ['byzantine_share', 'byz. share'],
  ['byzantine_rate', 'byz. rate'],
  ['quorum', 'quorum'],
];
/** Shown only when they vary across the cells. */
const WHEN_VARIED: readonly Param[] = [
  ['offline_noise', 'noise'],
  ['faults', 'faults'],
  ['job_mix', 'job mix'],
  ['jail_heights', 'jail', whole],
];
const FIGURES = [
  ['liveness', 'liveness'],
  ['invalid_commit_rate', 'invalid commits'],
  ['fork_rate', 'forks'],
  ['best_node_rate', 'best node'],
  ['mean_regret', 'regret'],
  ['detection_precision', 'det. precision'],
  ['detection_recall', 'det. recall'],
] as const;

/** A figure to two decimals; – when it is not defined. */
export const two = (v: Value): string => (typeof v === 'number' ? v.toFixed(2) : (v ?? '–'));

/** The parameters shown only when they vary, that do vary across `cells`: [column, label]. */
export function variedParams(cells: readonly Row[]): Param[] {
  return WHEN_VARIED.filter(([k]) => new Set(cells.map((c) => c[k])).size > 1);
}

export function markdownTable(title: string, cells: readonly Row[]): string {
  const varied = variedParams(cells);
  const params = [...ALWAYS, ...varied];
  const header = [...params.map(([, h]) => h), 'runs', ...FIGURES.map(([, h]) => h)];
  const lines = [
    `# ${title}`,
    '',
    'Each figure is the mean over runs with its 95% bootstrap interval; – means not defined in any run. Regret is over the valid commits only (an invalid node has no utility to compare): read it beside invalid commits.',
    '',
    `| ${header.join(' | ')} |`,
    `|${header.map(() => ' --- ').join('|')}|`,
  ];
  for (const c of cells) {
    const figures = FIGURES.map(([k]) => {
      const mean = c[`${k}_mean`] ?? null;
      if (mean === null) return '–';
      return `${two(mean)} [${two(c[`${k}_lo`] ?? null)}, ${two(c[`${k}_hi`] ?? null)}]`;
    });
    const values = params.map(([k, , format = two]) => format(c[k] ?? null));
    lines.push(`| ${[...values, String(c['runs']), ...figures].join(' | ')} |`);
  }
  return `${lines.join('\n')}\n`;
}
