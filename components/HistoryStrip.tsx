import { Box } from 'ink';
import type { RoundRecord } from '../src/store/state.js';
import type { DashboardState } from '../src/store/store.js';
import { useDashboard } from './context.js';
import { Line } from './Line.js';
import type { Segment } from './segments.js';

const selectHistory = (state: DashboardState) => state.history;

export function historyMark(record: RoundRecord): Segment {
  if (record.outcome === 'no_decision') return { text: '·', tone: 'warn' };
  if (record.unsafe) return { text: `✗${record.nodeId ?? '?'}`, tone: 'bad', bold: true };
  return { text: `✓${record.nodeId ?? '?'}`, tone: 'ok' };
}

/** The newest rounds that fit, oldest on the left; `…` when older ones are cut. */
export function historySegments(history: readonly RoundRecord[], width: number): Segment[] {
  const head = 'Rounds ';
  let budget = width - head.length - 2;
  const marks: Segment[] = [];
  for (let i = history.length - 1; i >= 0; i--) {
    const record = history[i];
    if (record === undefined) break;
    const mark = historyMark(record);
    const cost = ('text' in mark ? [...mark.text].length : 1) + 1;
    if (cost > budget) break;
    budget -= cost;
    marks.unshift(mark);
  }
  const cut = marks.length < history.length;
  const spaced = marks.flatMap((mark, index) => (index === 0 ? [mark] : [{ text: ' ' }, mark]));
  return [
    { text: head, bold: true },
    ...(cut ? [{ text: '… ', tone: 'muted' as const }] : []),
    ...(history.length === 0 ? [{ text: 'none yet', tone: 'muted' as const }] : spaced),
  ];
}

export function HistoryStrip({ width, height }: { width: number; height: number }) {
  const history = useDashboard(selectHistory);
  const committed = history.filter((record) => record.outcome === 'committed').length;
  const unsafe = history.filter((record) => record.unsafe).length;
  const summary: Segment[] = [
    { text: `last ${history.length}: ${committed} committed, `, tone: 'muted' },
    { text: `${unsafe} unsafe`, tone: unsafe > 0 ? 'bad' : 'muted' },
    { text: `, ${history.length - committed} no decision`, tone: 'muted' },
  ];
  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      <Line segments={historySegments(history, width)} width={width} />
      {height > 1 ? <Line segments={summary} width={width} /> : null}
    </Box>
  );
}
