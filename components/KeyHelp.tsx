import type { DashboardState } from '../src/store/store.js';
import { selectReplay, useDashboard } from './context.js';
import { keyHints } from './keymap.js';
import { Line } from './Line.js';
import { segmentsWidth, type Segment } from './segments.js';

const selectAgentCount = (state: DashboardState) => state.agents.length;
const selectNotice = (state: DashboardState) => state.ui.notice;
const ALWAYS_SHOWN = new Set(['?', 'q']);

function hintSegments(hints: readonly { keys: string; text: string }[]): Segment[] {
  return hints.flatMap(({ keys, text }) => [
    { text: `${keys}`, bold: true, tone: 'accent' as const },
    { text: ` ${text}  ` },
  ]);
}

/** The key hints that fit, always ending with help and quit so a narrow screen can still leave. */
export function KeyHelp({ width }: { width: number }) {
  const agentCount = useDashboard(selectAgentCount);
  const notice = useDashboard(selectNotice);
  const replay = useDashboard(selectReplay);
  const hints = keyHints(agentCount, replay);
  const tail = hintSegments(hints.filter((hint) => ALWAYS_SHOWN.has(hint.keys)));
  if (notice !== null) {
    // A notice takes the line until the next key; help and quit stay reachable beside it.
    const room = Math.max(1, width - segmentsWidth(tail) - 2);
    const text = [...notice].length > room ? `${[...notice].slice(0, room - 1).join('')}…` : notice;
    return (
      <Line
        segments={[{ text, bold: true, tone: 'warn' }, { text: '  ' }, ...tail]}
        width={width}
      />
    );
  }
  const body = hintSegments(hints.filter((hint) => !ALWAYS_SHOWN.has(hint.keys)));
  const room = width - segmentsWidth(tail);
  const fitted: Segment[] = [];
  let used = 0;
  for (let i = 0; i + 1 < body.length; i += 2) {
    const pair = [body[i], body[i + 1]].filter((segment) => segment !== undefined);
    const cost = segmentsWidth(pair);
    if (used + cost > room) break;
    fitted.push(...pair);
    used += cost;
  }
  return <Line segments={[...fitted, ...tail]} width={width} />;
}
