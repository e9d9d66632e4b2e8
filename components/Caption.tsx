import { Box } from 'ink';
import { useShallow } from 'zustand/react/shallow';
import type { DashboardState } from '../src/store/store.js';
import { selectReplay, useDashboard } from './context.js';
import { Line } from './Line.js';
import { wrapText, type Segment } from './segments.js';

const selectCaption = (state: DashboardState) => ({
  caption: state.section?.caption ?? null,
  description: state.run.description,
  freePlay: state.run.scenarioDone && state.run.freePlay,
  replay: selectReplay(state),
  scenario: state.run.scenario,
});

export const FREE_PLAY =
  'Free play: the scenario is over and rounds go on with your faults. b/c/s/x fault the selected agent, p switches protocol, [ ] revisit rounds, w explains one.';

/** Free play in a recording: its rounds go on as they were, and the fault keys are refused. */
export const REPLAYED_FREE_PLAY =
  'The scenario is over; the recorded run went on with rounds of its job mix, replayed as they were. [ ] revisit rounds, w explains one, u rewinds.';

/**
 * The section's two lines on what to watch (or the scenario's description, or what free play is).
 * A text that needs more ends its last line with "…", so a cut is never read as the whole.
 */
export function captionRows(text: string | null, width: number, rows: number): Segment[][] {
  if (text === null || rows <= 0) return [];
  const lines = wrapText(text, width);
  const shown = lines.slice(0, rows);
  if (lines.length > rows && width > 0) {
    const last = [...(shown[rows - 1] ?? '')];
    shown[rows - 1] = `${last.slice(0, width - 1).join('')}…`;
  }
  return shown.map((line): Segment[] => [{ text: line, tone: 'info' }]);
}

export function Caption({ width, height }: { width: number; height: number }) {
  const c = useDashboard(useShallow(selectCaption));
  // A section without a caption of its own (every scenario but the tour's) shows what the
  // scenario is about, rather than two empty rows.
  const text = c.freePlay
    ? c.replay
      ? REPLAYED_FREE_PLAY
      : FREE_PLAY
    : (c.caption ?? (c.description === null ? null : `${c.scenario}: ${c.description}`));
  const rows = captionRows(text, width, height);
  return (
    <Box flexDirection="column" width={width} height={height} overflowY="hidden">
      {rows.map((segments, index) => (
        <Line key={index} segments={segments} width={width} />
      ))}
    </Box>
  );
}
