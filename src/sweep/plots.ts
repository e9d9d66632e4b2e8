// The sweep's figures as SVG: vega-lite specs compiled to vega and rendered headless by vega's
// View (renderer none: no canvas, no browser). Data are the cell rows, so a merged sweep draws
// the same figures as a single-machine one.
import type { TopLevelSpec } from 'vega-lite';
import type { Row } from './rows.js';

export interface Plot {
  file: string;
  spec: TopLevelSpec;
}

const THIRD = 1 / 3;
const WIDTH = 420;
const HEIGHT = 260;

const num = (v: unknown): number | null => (typeof v === 'number' ? v : null);

function points(cells: readonly Row[], y: string): Record<string, unknown>[] {
  return cells.map((c) => ({
    protocol: c['protocol'],
    adversary: c['adversary'],
    series: `${String(c['protocol'])} / ${String(c['adversary'])}`,
    byzantine_share: num(c['byzantine_share']),
    faulty_share: num(c['faulty_share_mean']),
    quorum: num(c['quorum']),
    y: num(c[`${y}_mean`]),
    lo: num(c[`${y}_lo`]),
    hi: num(c[`${y}_hi`]),
  }));
}

function thirdLine(axis: 'x'): unknown[] {
  return [
    {
      mark: { type: 'rule', strokeDash: [4, 4], color: '#888' },
      encoding: { [axis]: { datum: THIRD } },
    },
    {
      mark: { type: 'text', align: 'left', dx: 4, dy: -6, color: '#555' },
      encoding: { [axis]: { datum: THIRD }, y: { datum: 1 }, text: { value: '1/3 of the weight' } },
    },
  ];
}

function meanWithInterval(
  x: string,
  xTitle: string,
  yTitle: string,
  color: string,
  extraLayers: unknown[],
): unknown[] {
  const xEnc = { field: x, type: 'quantitative', title: xTitle, scale: { domain: [0, 1] } };
  return [
    {
      mark: { type: 'errorbar', ticks: true },
      encoding: {
        x: xEnc,
        y: { field: 'lo', type: 'quantitative', title: yTitle, scale: { domain: [0, 1] } },
        y2: { field: 'hi' },
        color: { field: color, type: 'nominal' },
      },
    },
    {
      mark: { type: 'line', point: true },
      encoding: {
        x: xEnc,
        y: { field: 'y', type: 'quantitative', aggregate: 'mean', title: yTitle },
        color: { field: color, type: 'nominal', title: color },
      },
    },
    ...extraLayers,
  ];
}

export function plotSpecs(title: string, cells: readonly Row[]): Plot[] {
  const base = { width: WIDTH, height: HEIGHT, background: 'white' } as const;
  const liveness = points(cells, 'liveness').filter((p) => p.faulty_share !== null);
  const best = points(cells, 'best_node_rate').filter((p) => p.y !== null);
  const quorum = (['liveness', 'invalid_commit_rate', 'fork_rate'] as const).flatMap((m) =>
    points(cells, m)
      .filter((p) => p.y !== null)
      .map((p) => ({ ...p, metric: m === 'liveness' ? 'liveness' : m.replace('_rate', 's') })),
  );
  return [
    {
      file: 'liveness-vs-faulty-share.svg',
      spec: {
        ...base,
        title: {
          text: `${title}: liveness vs faulty share`,
          subtitle: 'mean over cells; bars: 95% bootstrap intervals',
        },
        data: { values: liveness },
        layer: meanWithInterval(
          'faulty_share',
          'faulty weight / total weight',
          'liveness (committed heights / heights)',
          'protocol',
          thirdLine('x'),
        ),
      } as TopLevelSpec,
    },
    {
      file: 'best-node-vs-byzantine-share.svg',
      spec: {
        ...base,
        title: {
          text: `${title}: best-node rate vs byzantine share`,
          subtitle:
            best.length > 0
              ? 'per protocol and adversary'
              : 'no run reported the best node (needs the bft engine of issue 7)',
        },
        data: { values: best },
        layer: meanWithInterval(
          'byzantine_share',
          'byzantine weight / total weight',
          'best-node rate of commits',
          'series',
          thirdLine('x'),
        ),
      } as TopLevelSpec,
    },
    {
      file: 'quorum-safety-liveness.svg',
      spec: {
        ...base,
        title: {
          text: `${title}: safety and liveness vs quorum`,
          subtitle: 'invalid commits and forks are safety failures',
        },
        data: { values: quorum },
        layer: [
          {
            mark: { type: 'line', point: true },
            encoding: {
              x: {
                field: 'quorum',
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
              color: { field: 'metric', type: 'nominal', title: 'figure' },
              strokeDash: { field: 'protocol', type: 'nominal', title: 'protocol' },
            },
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
