import { Box } from 'ink';
import { plural } from '../src/core/plural.js';
import type { RoundRecord } from '../src/store/state.js';
import type { DashboardState } from '../src/store/store.js';
import { useDashboard } from './context.js';
import { GLYPH } from './glyphs.js';
import { Line } from './Line.js';
import type { Segment, TextSegment } from './segments.js';

const selectHistory = (state: DashboardState) => state.history;
const selectViewRound = (state: DashboardState) => state.ui.viewRound;

/** `12✓n1`: the round's number, how it ended, and the node. */
export function historyMark(record: RoundRecord): TextSegment {
  const node = record.nodeId ?? '';
  if (record.fork) return { text: `${record.round}${GLYPH.fork}${node}`, tone: 'bad', bold: true };
  if (record.outcome === 'no_decision')
    return { text: `${record.round}${GLYPH.noDecision}`, tone: 'warn' };
  if (record.unsafe)
    return { text: `${record.round}${GLYPH.unsafe}${node}`, tone: 'bad', bold: true };
  return { text: `${record.round}${GLYPH.committed}${node}`, tone: 'ok' };
}

/**
 * The rounds that fit, oldest on the left, each numbered; the selected one highlighted and kept
 * in view (the window ends at it, or at the newest when live). `…` when rounds are cut.
 */
export function historySegments(
  history: readonly RoundRecord[],
  width: number,
  viewRound: number | null = null,
): Segment[] {
  const head = 'Rounds ';
  let budget = width - head.length - 2;
  const selectedAt = viewRound === null ? -1 : history.findIndex((r) => r.round === viewRound);
  const last = selectedAt >= 0 ? Math.min(history.length - 1, selectedAt + 2) : history.length - 1;
  const marks: TextSegment[] = [];
  let first = last + 1;
  for (let i = last; i >= 0; i--) {
    const record = history[i];
    if (record === undefined) break;
    const mark = historyMark(record);
    const cost = [...mark.text].length + 1;
    if (cost > budget) break;
    budget -= cost;
    marks.unshift(i === selectedAt ? { ...mark, inverse: true } : mark);
    first = i;
  }
  const cutBefore = first > 0;
  const cutAfter = last < history.length - 1;
  const spaced = marks.flatMap((mark, index) => (index === 0 ? [mark] : [{ text: ' ' }, mark]));
  return [
    { text: head, bold: true },
    ...(cutBefore ? [{ text: `${GLYPH.cut} `, tone: 'muted' as const }] : []),
    ...(history.length === 0 ? [{ text: 'none yet', tone: 'muted' as const }] : spaced),
    ...(cutAfter ? [{ text: ` ${GLYPH.cut}`, tone: 'muted' as const }] : []),
  ];
}

export function timelineStatus(
  history: readonly RoundRecord[],
  viewRound: number | null,
): Segment[] {
  if (viewRound !== null)
    return [
      { text: `viewing round ${viewRound} as it was`, tone: 'warn', bold: true },
      { text: '  [ ] rounds  g live  u rewind', tone: 'muted' },
    ];
  const committed = history.filter((record) => record.outcome === 'committed').length;
  const unsafe = history.filter((record) => record.unsafe).length;
  const forks = history.filter((record) => record.fork).length;
  return [
    { text: `last ${history.length}: ${committed} committed, `, tone: 'muted' },
    { text: `${unsafe} unsafe`, tone: unsafe > 0 ? 'bad' : 'muted' },
    ...(forks > 0 ? [{ text: `, ${plural(forks, 'fork')}`, tone: 'bad' as const }] : []),
    { text: `, ${history.length - committed} no decision  [ ] select`, tone: 'muted' },
  ];
}

export function HistoryStrip({ width, height }: { width: number; height: number }) {
  const history = useDashboard(selectHistory);
  const viewRound = useDashboard(selectViewRound);
  if (height <= 0) return null;
  return (
    <Box flexDirection="column" width={width} height={height} overflowY="hidden">
      <Line segments={historySegments(history, width, viewRound)} width={width} />
      {height > 1 ? <Line segments={timelineStatus(history, viewRound)} width={width} /> : null}
    </Box>
  );
}
