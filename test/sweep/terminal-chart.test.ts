import { describe, expect, it } from 'vitest';
import type { Row } from '../../src/sweep/rows.js';
import { livenessChart } from '../../src/sweep/terminal-chart.js';

const cell = (over: Partial<Row>): Row => ({
  protocol: 'bft',
  adversary: 'original',
  byzantine_rate: 1,
  quorum: 2 / 3,
  faulty_share_mean: 0,
  liveness_mean: 1,
  liveness_below_third_mean: 1,
  liveness_above_third_mean: null,
  ...over,
});

describe('the summary chart', () => {
  it('gives liveness on each side of the 1/3 line, not only the cell mean', () => {
    // Two byzantine agents, one jailed mid-run: the cell's mean share is under 1/3, its heights
    // are on both sides, and only those above the line lose liveness.
    const lines = livenessChart([
      cell({
        faulty_share_mean: 0.31,
        liveness_mean: 0.94,
        liveness_below_third_mean: 1,
        liveness_above_third_mean: 0.58,
      }),
      cell({ protocol: 'classic', adversary: 'silent' }),
    ]);
    expect(lines[0]).toMatch(/below 1\/3 \| at or above/);
    const bft = lines.find((l) => l.includes('share 0.31'));
    expect(bft).toMatch(/ 0\.94 {2}1\.00 \| 0\.58 {2}original rate 1 q 0\.67$/);
    expect(lines.find((l) => l.includes('silent'))).toMatch(/1\.00 \| – {2}silent/);
    expect(lines.filter((l) => /^ {2}\S/.test(l))).toEqual(['  bft', '  classic']);
  });

  it('names what else tells two cells apart, where it varies', () => {
    const lines = livenessChart([
      cell({ jail_heights: 1, byzantine: 'alpha' }),
      cell({ jail_heights: 20, byzantine: 'alpha', faulty_share_mean: 0.05 }),
    ]);
    // Both read "original rate 1 q 0.67" before: the jail term was nowhere.
    expect(lines.find((l) => l.includes('share 0.00'))).toMatch(/original rate 1 q 0\.67 jail 1$/);
    expect(lines.find((l) => l.includes('share 0.05'))).toMatch(/q 0\.67 jail 20$/);
  });
});
