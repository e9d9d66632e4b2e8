// The summary's chart: liveness per cell as a bar, grouped by protocol, ordered by the cell's
// mean faulty share, so the headline shows without opening the SVGs. A cell's heights can sit on
// both sides of the 1/3 line (a byzantine agent jailed mid-run leaves the set), so each row also
// gives liveness in the heights below the line and in those at or above it: the guarantee is
// about the first.
import type { Row } from './rows.js';
import { two, variedParams } from './table.js';

const WIDTH = 30;

export function livenessChart(cells: readonly Row[]): string[] {
  const lines = [
    'liveness by mean faulty share of the weight; then in the heights below 1/3 | at or above',
  ];
  const protocols = [...new Set(cells.map((c) => String(c['protocol'])))];
  // What else tells cells apart, where it varies (two cells differing only in their jail term
  // read alike): the same parameters the table shows only when they vary.
  const varied = variedParams(cells);
  for (const protocol of protocols) {
    lines.push(`  ${protocol}`);
    const rows = cells
      .filter((c) => c['protocol'] === protocol)
      .map((c) => ({
        share: Number(c['faulty_share_mean'] ?? 0),
        liveness: c['liveness_mean'] as number | null,
        bands: `${two(c['liveness_below_third_mean'] ?? null)} | ${two(c['liveness_above_third_mean'] ?? null)}`,
        label: [
          `${String(c['adversary'])} rate ${String(c['byzantine_rate'])} q ${Number(c['quorum']).toFixed(2)}`,
          ...varied.map(([k, label]) => `${label} ${String(c[k])}`),
        ].join(' '),
      }))
      .sort((a, b) => a.share - b.share);
    for (const r of rows) {
      const filled = r.liveness === null ? 0 : Math.round(r.liveness * WIDTH);
      const bar = '█'.repeat(filled) + '·'.repeat(WIDTH - filled);
      const value = r.liveness === null ? '  – ' : r.liveness.toFixed(2);
      lines.push(`    share ${r.share.toFixed(2)} ${bar} ${value}  ${r.bands}  ${r.label}`);
    }
  }
  return lines;
}
