import { useShallow } from 'zustand/react/shallow';
import type { DashboardState } from '../src/store/store.js';
import { useDashboard } from './context.js';
import { Line } from './Line.js';
import { padStart, segmentsWidth, type Segment } from './segments.js';

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
  viewRound: state.ui.viewRound,
  autoPause: state.ui.autoPause,
});

interface Part {
  segments: Segment[];
  /** Lower numbers survive longer on a narrow terminal. */
  priority: number;
  /** A terser form, tried before the part is dropped. */
  short?: Segment[];
  /** Within its priority, the order parts go in when not all fit (lowest first; default 0). */
  dropFirst?: number;
}

/** Where the story is: the section (or free play), in words that can be cut but never dropped. */
export function sectionText(h: {
  scenario: string;
  section: { index: number; total: number; title: string } | null;
  scenarioDone: boolean;
  freePlay: boolean;
}): string {
  if (h.scenarioDone && h.freePlay) return `free play (${h.scenario} finished)`;
  if (h.scenarioDone) return `${h.scenario} finished`;
  if (h.section === null) return h.scenario;
  return `${h.scenario} ${h.section.index}/${h.section.total}: ${h.section.title}`;
}

export function Header({ width }: { width: number }) {
  const h = useDashboard(useShallow(selectHeader));
  const state = h.stopped ? 'STOPPED' : h.paused ? 'PAUSED' : 'RUNNING';
  const thinking = h.thinking > 0 && !h.paused && !h.stopped;
  // Between heights (IDLE) no bft round is running: "IDLE #2" read as a second idle.
  const bftRound = h.attempt > 0 && h.phase !== 'idle';
  const parts: Part[] = [
    { priority: 0, segments: [{ text: ' hybrid-tui', bold: true, tone: 'accent' }] },
    {
      priority: 0,
      // A warning the run raised (a replay that no longer matches its recording): never dropped.
      segments: h.notice ? [{ text: `  ${h.notice}`, bold: true, tone: 'bad' }] : [],
    },
    {
      priority: 1,
      // Looking at a past round, the header says so as long as anything beside the state fits.
      dropFirst: h.viewRound !== null ? 9 : 2,
      segments: [
        { text: `  round ${h.round}` },
        ...(h.viewRound !== null
          ? [{ text: ` (viewing ${h.viewRound})`, tone: 'warn' as const, bold: true }]
          : []),
      ],
      short: [
        { text: ` r${h.round}` },
        ...(h.viewRound !== null
          ? [{ text: `(v${h.viewRound})`, tone: 'warn' as const, bold: true }]
          : []),
      ],
    },
    {
      priority: 1,
      // The first to go: the log and the tally say the phase too.
      dropFirst: 0,
      segments: [
        // attempt counts from 0: the bft round within the height, shown from the second on, so
        // a step from one bft round's VOTE to the next one's still moves the header.
        { text: `  phase ${h.phase.toUpperCase()}${bftRound ? ` #${h.attempt + 1}` : ''}` },
      ],
      short: [{ text: ` ${h.phase.toUpperCase()}${bftRound ? `#${h.attempt + 1}` : ''}` }],
    },
    {
      priority: 1,
      dropFirst: 3,
      segments: [
        { text: '  protocol ' },
        { text: h.protocol, bold: true, tone: h.protocol === 'bft' ? 'ok' : 'warn' },
      ],
      short: [
        { text: ' ' },
        { text: h.protocol, bold: true, tone: h.protocol === 'bft' ? 'ok' : 'warn' },
      ],
    },
    // Whether answers come from a model or the offline heuristic is never hidden: at narrow
    // widths the label shrinks to the bare mode rather than going.
    {
      priority: 1,
      dropFirst: 4,
      segments: [
        { text: `  ${h.modeLabel || h.mode || ''}`, tone: h.mode === 'llm' ? 'info' : 'muted' },
      ],
      short: [{ text: ` ${h.mode || ''}`, tone: h.mode === 'llm' ? 'info' : 'muted' }],
    },
    // Kept with the rest at 80 columns: + and - must show something while the run is paused.
    {
      priority: 1,
      dropFirst: 1,
      segments: [{ text: `  ${h.speed === 'max' ? 'max' : `x${h.speed}`}` }],
      short: [{ text: ` ${h.speed === 'max' ? 'max' : `x${h.speed}`}` }],
    },
    // The one ink-spinner: a slow one (400 ms a frame), so it adds few renders to the streams'.
    // Its slot keeps one width whether or not anyone thinks, so nothing beside it flickers.
    {
      priority: 3,
      segments: thinking
        ? [
            { text: padStart(`${h.thinking} thinking`, 12), tone: 'info' },
            { spinner: true, type: 'simpleDots', width: 3 },
          ]
        : [{ text: ' '.repeat(15) }],
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
  // The section is never dropped: it keeps its room (up to 36 columns) while the parts beside
  // it go one by one, and takes whatever room they leave.
  const section = sectionText(h);
  const reserve = Math.max(12, Math.min([...section].length + 2, 36, width - 22));
  const fixed = fitParts(parts, Math.max(0, width - reserve));
  const room = width - segmentsWidth(fixed) - 2;
  const [brand, ...rest] = fixed;
  const sectionSegment: Segment = {
    text: `  ${fitText(section, Math.max(1, room))}`,
    tone: h.scenarioDone ? 'warn' : undefined,
    bold: h.scenarioDone,
  };
  return <Line segments={brand ? [brand, sectionSegment, ...rest] : []} width={width} />;
}

function fitText(text: string, width: number): string {
  const chars = [...text];
  return chars.length <= width ? text : `${chars.slice(0, Math.max(0, width - 1)).join('')}…`;
}

/** What fits of the parts, the least important going first (priority 0 never goes). */
function fitParts(parts: readonly Part[], width: number): Segment[] {
  const fits = (list: readonly Part[]) => segmentsWidth(list.flatMap((p) => p.segments)) <= width;
  let kept = parts;
  for (let drop = 3; drop > 0; drop--) {
    if (fits(kept)) break;
    // Before a level goes, its parts try their short forms (round 3 -> r3), then leave one at a
    // time, so that a narrow header keeps what it can of the level rather than none of it.
    kept = kept.map((p) => (p.priority === drop && p.short ? { ...p, segments: p.short } : p));
    const leaving = kept
      .filter((p) => p.priority === drop)
      .sort((a, b) => (a.dropFirst ?? 0) - (b.dropFirst ?? 0));
    for (const part of leaving) {
      if (fits(kept)) break;
      kept = kept.filter((p) => p !== part);
    }
  }
  return kept.flatMap((part) => part.segments);
}
