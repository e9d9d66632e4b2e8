// The rows of runs.csv and cells.csv: a cell's parameters as text, a run's figures, and each
// cell's means with bootstrap intervals. Column order here is the files' column order.
import { bootstrapMean } from './bootstrap.js';
import type { Cell, Grid, RunRef } from './grid.js';
import { effectiveQuorum } from './knobs.js';
import { METRICS, type RunMetrics } from './metrics.js';

export interface RunResult {
  run: number;
  metrics: RunMetrics;
}

export type Value = string | number | null;
export type Row = Record<string, Value>;

export const PARAM_COLUMNS = [
  'cell',
  'protocol',
  'adversary',
  'byzantine',
  'byzantine_share',
  'byzantine_rate',
  'quorum',
  'offline_noise',
  'faults',
  'job_mix',
  'jail_heights',
] as const;

export const RUN_COLUMNS = [
  'run',
  ...PARAM_COLUMNS,
  'seed_index',
  'seed',
  'rounds',
  ...METRICS,
] as const;

export const CELL_COLUMNS = [
  ...PARAM_COLUMNS,
  'runs',
  'rounds',
  ...METRICS.flatMap((m) => [`${m}_mean`, `${m}_lo`, `${m}_hi`]),
] as const;

function cellParams(cell: Cell): Row {
  return {
    cell: cell.index,
    protocol: cell.protocol,
    adversary: cell.adversary,
    byzantine: cell.byzantine.length > 0 ? cell.byzantine.join('+') : 'none',
    byzantine_share: cell.byzantineShare,
    byzantine_rate: cell.byzantineRate,
    quorum: effectiveQuorum(cell.quorum),
    offline_noise: cell.offlineNoise,
    faults:
      cell.faults.length > 0
        ? cell.faults.map((f) => `${f.kind}:${f.agent}@${f.afterRounds}+${f.durationS}s`).join(';')
        : 'none',
    job_mix: cell.jobMix ? cell.jobMix.join('+') : 'all',
    jail_heights: cell.jailHeights,
  };
}

export function runRows(grid: Grid, results: readonly RunResult[]): Row[] {
  return results.map((r) => {
    const ref = grid.runs[r.run] as RunRef;
    const row: Row = {
      run: ref.index,
      ...cellParams(grid.cells[ref.cell] as Cell),
      seed_index: ref.seedIndex,
      seed: ref.seed,
      rounds: r.metrics.rounds,
    };
    for (const m of METRICS) row[m] = r.metrics[m];
    return row;
  });
}

/** One row per cell with at least one run in `results` (all of them for a whole sweep). */
export function cellRows(grid: Grid, results: readonly RunResult[]): Row[] {
  const byCell = new Map<number, RunMetrics[]>();
  for (const r of results) {
    const cell = (grid.runs[r.run] as RunRef).cell;
    const list = byCell.get(cell) ?? [];
    list.push(r.metrics);
    byCell.set(cell, list);
  }
  const rows: Row[] = [];
  for (const cell of grid.cells) {
    const runs = byCell.get(cell.index);
    if (!runs) continue;
    const row: Row = {
      ...cellParams(cell),
      runs: runs.length,
      rounds: Math.round(runs.reduce((s, m) => s + m.rounds, 0) / runs.length),
    };
    for (const m of METRICS) {
      const values = runs.map((x) => x[m]).filter((v): v is number => v !== null);
      const ci = bootstrapMean(values, `${cell.key}|${m}`);
      row[`${m}_mean`] = ci?.mean ?? null;
      row[`${m}_lo`] = ci?.lo ?? null;
      row[`${m}_hi`] = ci?.hi ?? null;
    }
    rows.push(row);
  }
  return rows;
}

/** Numbers as the shortest text of their value rounded to 6 decimals; null as empty. */
export function formatValue(v: Value): string {
  if (v === null) return '';
  if (typeof v === 'string') return v;
  if (Number.isInteger(v)) return String(v);
  return String(Number(v.toFixed(6)));
}

export function toCsv(columns: readonly string[], rows: readonly Row[]): string {
  const field = (text: string) => (/[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);
  const lines = [columns.join(',')];
  for (const row of rows)
    lines.push(columns.map((c) => field(formatValue(row[c] ?? null))).join(','));
  return `${lines.join('\n')}\n`;
}
