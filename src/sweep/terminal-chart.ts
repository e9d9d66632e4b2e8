// The summary's chart: liveness per cell as a bar, grouped by protocol, ordered by faulty share,
// with the 1/3 line's side marked, so the headline shows without opening the SVGs.
import type { Row } from './rows.js';

const WIDTH = 30;

export function livenessChart(cells: readonly Row[]): string[] {
  const lines = ['liveness by faulty share of the weight (the 1/3 line: <1/3 or >=1/3)'];
  const protocols = [...new Set(cells.map((c) => String(c['protocol'])))];
  for (const protocol of protocols) {
    lines.push(`  ${protocol}`);
    const rows = cells
      .filter((c) => c['protocol'] === protocol)
      .map((c) => ({
        share: Number(c['faulty_share_mean'] ?? 0),
        liveness: c['liveness_mean'] as number | null,
        label: `${String(c['adversary'])} rate ${String(c['byzantine_rate'])} q ${Number(c['quorum']).toFixed(2)}`,
      }))
      .sort((a, b) => a.share - b.share);
    for (const r of rows) {
      const filled = r.liveness === null ? 0 : Math.round(r.liveness * WIDTH);
      const bar = '█'.repeat(filled) + '·'.repeat(WIDTH - filled);
      const side = r.share < 1 / 3 ? ' <1/3 ' : ' >=1/3';
      const value = r.liveness === null ? '  – ' : r.liveness.toFixed(2);
      lines.push(`    share ${r.share.toFixed(2)}${side} ${bar} ${value}  ${r.label}`);
    }
  }
  return lines;
}
