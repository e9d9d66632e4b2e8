// The sweep's figures as SVG: vega-lite specs compiled to vega and rendered headless by vega's
// View (renderer none: no canvas, no browser). Data are the cell rows, so a merged sweep draws
// the same figures as a single-machine one. Each line is one series of cells that differ only
// along the x axis (protocol, adversary, rate...), drawn at its cells' means with their intervals.
import type { TopLevelSpec } from 'vega-lite';
import type { Row } from './rows.js';

export interface Plot {
  file: string;
  spec: TopLevelSpec;
}

const THIRD = 1 / 3;
const GROUP = 'protocol, adversary, byzantine';
const WIDE = { labelLimit: 300, titleLimit: 300 };
const SIZE = { width: 420, height: 260, background: 'white' } as const;

const num = (v: unknown): number | null => (typeof v === 'number' ? v : null);

const PARAMS = [
  'protocol',
  'adversary',
  'byzantine',
  'byzantine_rate',
  'quorum',
  'offline_noise',
  'faults',
  'job_mix',
  'jail_heights',
];

/** One point per cell for `metric` at `x`; cells equal in all but `along` form a series. */
function points(
  cells: readonly Row[],
  metric: string,
  x: string,
  along: string,
): Record<string, unknown>[] {
  return cells
    .map((c) => ({
      protocol: c['protocol'],
      adversary: c['adversary'],
      byzantine: c['byzantine'],
      rate: `rate ${String(c['byzantine_rate'])}`,
      series: PARAMS.filter((k) => k !== along)
        .map((k) => String(c[k]))
        .join(' '),
      x: num(c[x]),
      y: num(c[`${metric}_mean`]),
      lo: num(c[`${metric}_lo`]),
      hi: num(c[`${metric}_hi`]),
    }))
    .filter((p) => p.x !== null && p.y !== null);
}

function seriesLayers(xTitle: string, yTitle: string, xDomain: [number, number]): unknown[] {
  const x = { field: 'x', type: 'quantitative', title: xTitle, scale: { domain: xDomain } };
  const y = { type: 'quantitative', title: yTitle, scale: { domain: [0, 1] } };
  const color = { field: 'protocol', type: 'nominal', title: 'protocol' };
  return [
    {
      mark: { type: 'line', opacity: 0.8 },
      encoding: {
        x,
        y: { ...y, field: 'y' },
        color,
        strokeDash: { field: 'adversary', type: 'nominal', title: 'adversary' },
        detail: { field: 'series' },
      },
    },
    {
      mark: { type: 'errorbar', ticks: true },
      encoding: {
        x,
        y: { ...y, field: 'lo' },
        y2: { field: 'hi' },
        color,
        detail: { field: 'series' },
      },
    },
    {
      mark: { type: 'point', filled: true },
      encoding: {
        x,
        y: { ...y, field: 'y' },
        color,
        shape: { field: 'rate', type: 'nominal', title: 'byzantine rate' },
      },
    },
  ];
}

// Their own one-row data: marks over the cells' data would be drawn once per cell.
const ONE = { values: [{}] };
const thirdLine = [
  {
    data: ONE,
    mark: { type: 'rule', strokeDash: [4, 4], color: '#888' },
    encoding: { x: { datum: THIRD } },
  },
  {
    data: ONE,
    mark: { type: 'text', align: 'left', dx: 4, dy: -6, color: '#555' },
    encoding: { x: { datum: THIRD }, y: { datum: 1 }, text: { value: '1/3 of the weight' } },
  },
];

export function plotSpecs(title: string, cells: readonly Row[]): Plot[] {
  const best = points(cells, 'best_node_rate', 'byzantine_share', 'byzantine');
  const quorum = (['liveness', 'invalid_commit_rate', 'fork_rate'] as const).flatMap((m) =>
    points(cells, m, 'quorum', 'quorum').map((p) => ({
      ...p,
      figure: m.replace('_rate', 's').replace('_', ' '),
      // Forks need a byzantine agent: averaging over byzantine sets would halve them.
      group: `${String(p.protocol)} ${String(p.adversary)} ${String(p.byzantine)}`,
    })),
  );
  return [
    {
      file: 'liveness-vs-faulty-share.svg',
      spec: {
        ...SIZE,
        title: {
          text: `${title}: liveness vs faulty share`,
          // A cell's heights can sit on both sides of the line (a jailed agent leaves the set),
          // so a mean under 1/3 can carry the loss of heights above it: cells.csv splits it.
          subtitle: [
            'cell means with 95% bootstrap intervals; x is the mean over a cell’s heights,',
            'which can fall on both sides of 1/3 (liveness_below_third in cells.csv)',
          ],
        },
        data: { values: points(cells, 'liveness', 'faulty_share_mean', 'byzantine') },
        layer: [
          ...seriesLayers(
            'faulty weight / total weight (mean over a cell’s heights)',
            'liveness (committed heights / heights)',
            [0, 1],
          ),
          ...thirdLine,
        ],
      } as TopLevelSpec,
    },
    {
      file: 'best-node-vs-byzantine-share.svg',
      spec: {
        ...SIZE,
        title: {
          text: `${title}: best-node rate vs byzantine share`,
          subtitle:
            best.length > 0
              ? 'per protocol and adversary; cell means with 95% bootstrap intervals'
              : 'no run reported the best node',
        },
        data: { values: best },
        layer: [
          ...seriesLayers('byzantine weight / total weight', 'best-node rate of commits', [0, 1]),
          ...thirdLine,
        ],
      } as TopLevelSpec,
    },
    {
      file: 'quorum-safety-liveness.svg',
      spec: {
        ...SIZE,
        title: {
          text: `${title}: safety and liveness vs quorum`,
          subtitle:
            'mean over rates, noise, faults and job mixes; invalid commits and forks are safety failures',
        },
        data: { values: quorum },
        layer: [
          {
            mark: { type: 'line', point: true },
            encoding: {
              x: {
                field: 'x',
                type: 'quantitative',
                title: 'quorum (fraction of total weight)',
                scale: { domain: [0.5, 0.9] },
              },
              y: {
                field: 'y',
                type: 'quantitative',
                aggregate: 'mean',
                title: 'rate',
                scale: { domain: [0, 1] },
              },
              color: { field: 'figure', type: 'nominal', title: 'figure' },
              strokeDash: { field: 'group', type: 'nominal', title: GROUP, legend: WIDE },
              shape: { field: 'group', type: 'nominal', title: GROUP, legend: WIDE },
            },
          },
          {
            data: ONE,
            mark: { type: 'rule', strokeDash: [4, 4], color: '#888' },
            encoding: { x: { datum: 2 / 3 } },
          },
        ],
      } as TopLevelSpec,
    },
  ];
}

/** Renders every plot to SVG text. vega is loaded only here: a sweep without plots never pays for it. */
export async function renderPlots(
  title: string,
  cells: readonly Row[],
): Promise<Map<string, string>> {
  const [vega, vl] = await Promise.all([import('vega'), import('vega-lite')]);
  const out = new Map<string, string>();
  for (const plot of plotSpecs(title, cells)) {
    const view = new vega.View(vega.parse(vl.compile(plot.spec).spec), { renderer: 'none' });
    out.set(plot.file, await view.toSVG());
    view.finalize();
  }
  return out;
}
