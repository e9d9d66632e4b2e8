import { useShallow } from 'zustand/react/shallow';
import type { DashboardState } from '../src/store/store.js';
import { useDashboard } from './context.js';
import { Line } from './Line.js';
import { segmentsWidth, type Segment } from './segments.js';

const selectHeader = (state: DashboardState) => ({
  scenario: state.run.scenario,
  section: state.section,
  round: state.round,
  phase: state.phase,
  attempt: state.attempt,
  protocol: state.protocol,
  modeLabel: state.run.modeLabel,
  mode: state.run.mode,
  speed: state.run.speed,
  paused: state.run.paused,
  scenarioDone: state.run.scenarioDone,
  freePlay: state.run.freePlay,
  stopped: state.run.stopped,
  notice: state.notice,
  thinking: state.agents.filter((agent) => agent.thinkingCallId !== null).length,
});

interface Part {
  segments: Segment[];
  /** Lower numbers survive longer on a narrow terminal. */
  priority: number;
  /** A terser form, tried before the part is dropped. */
  short?: Segment[];
}

export function Header({ width }: { width: number }) {
  const h = useDashboard(useShallow(selectHeader));
  const section = h.section
    ? `${h.scenario} ${h.section.index}/${h.section.total}: ${h.section.title}`
    : h.scenario;
  const state = h.stopped ? 'STOPPED' : h.paused ? 'PAUSED' : 'RUNNING';
  const parts: Part[] = [
    { priority: 0, segments: [{ text: ' hybrid-tui', bold: true, tone: 'accent' }] },
    {
      priority: 0,
      segments: h.notice ? [{ text: `  ${h.notice}`, bold: true, tone: 'bad' }] : [],
    },
    {
      priority: 3,
      segments: [
        {
          text: `  ${section}${h.scenarioDone ? (h.freePlay ? ' (free play)' : ' (finished)') : ''}`,
        },
      ],
    },
    { priority: 1, segments: [{ text: `  round ${h.round}` }], short: [{ text: ` r${h.round}` }] },
    {
      priority: 1,
      segments: [
        { text: `  phase ${h.phase.toUpperCase()}${h.attempt > 1 ? ` #${h.attempt}` : ''}` },
      ],
      short: [{ text: ` ${h.phase.toUpperCase()}` }],
    },
    {
      priority: 1,
      segments: [
        { text: '  protocol ' },
        { text: h.protocol, bold: true, tone: h.protocol === 'bft' ? 'ok' : 'warn' },
      ],
      short: [
        { text: ' ' },
        { text: h.protocol, bold: true, tone: h.protocol === 'bft' ? 'ok' : 'warn' },
      ],
    },
    {
      priority: 2,
      segments: [
        { text: `  ${h.modeLabel || h.mode || ''}`, tone: h.mode === 'llm' ? 'info' : 'muted' },
      ],
    },
    { priority: 2, segments: [{ text: `  ${h.speed === 'max' ? 'max' : `x${h.speed}`}` }] },
    // The one ink-spinner: a slow one (400 ms a frame), so it adds few renders to the streams'.
    {
      priority: 2,
      segments:
        h.thinking > 0 && !h.paused && !h.stopped
          ? [
              { text: `  ${h.thinking} thinking`, tone: 'info' },
              { spinner: true, type: 'simpleDots', width: 3 },
            ]
          : [],
    },
    {
      priority: 0,
      segments: [
        { text: '  ' },
        {
          text: ` ${state} `,
          inverse: true,
          bold: true,
          tone: h.paused || h.stopped ? 'warn' : 'ok',
        },
      ],
    },
  ];
  return <Line segments={fitParts(parts, width)} width={width} />;
}

function fitParts(parts: readonly Part[], width: number): Segment[] {
  const fits = (list: readonly Part[]) => segmentsWidth(list.flatMap((p) => p.segments)) <= width;
  let kept = parts;
  for (let drop = 3; drop > 0; drop--) {
    if (fits(kept)) break;
    // Before a level goes, its parts try their short forms (round 3 -> r3).
    const shortened = kept.map((p) =>
      p.priority === drop && p.short ? { ...p, segments: p.short } : p,
    );
    if (fits(shortened)) return shortened.flatMap((p) => p.segments);
    kept = kept.filter((part) => part.priority < drop);
  }
  return kept.flatMap((part) => part.segments);
}
