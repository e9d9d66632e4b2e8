import { Box } from 'ink';
import { useEffect, useMemo } from 'react';
import { plural } from '../src/core/plural.js';
import type { DashboardState } from '../src/store/store.js';
import { useActions, useDashboard } from './context.js';
import { Line } from './Line.js';
import { entrySummary, logWindow, matchesFilter, type SeqRange } from './logLines.js';
import type { Segment } from './segments.js';

const selectLog = (state: DashboardState) => state.log;
const selectScroll = (state: DashboardState) => state.ui.logScroll;
const selectFilter = (state: DashboardState) => state.ui.logFilter;
const selectPrompts = (state: DashboardState) => state.ui.showPrompts;
const selectAgents = (state: DashboardState) => state.agents;
const selectViewRound = (state: DashboardState) => state.ui.viewRound;
const selectHistory = (state: DashboardState) => state.history;

/** The seq range of the past round shown, or null (live: everything). */
function useViewRange(): SeqRange | null {
  const viewRound = useDashboard(selectViewRound);
  const history = useDashboard(selectHistory);
  return useMemo(() => {
    if (viewRound === null) return null;
    const snapshot = history.find((record) => record.round === viewRound)?.snapshot;
    return snapshot ? [snapshot.logFrom, snapshot.logTo] : null;
  }, [viewRound, history]);
}

interface LogPaneProps {
  width: number;
  height: number;
}

export function LogPane({ width, height }: LogPaneProps) {
  const log = useDashboard(selectLog);
  const scroll = useDashboard(selectScroll);
  const filter = useDashboard(selectFilter);
  const showPrompts = useDashboard(selectPrompts);
  const agents = useDashboard(selectAgents);
  const actions = useActions();
  const range = useViewRange();
  const viewRound = useDashboard(selectViewRound);
  const bodyHeight = Math.max(0, height - 1);
  const view = useMemo(
    () =>
      logWindow(log, filter, {
        width,
        height: bodyHeight,
        scroll,
        showPrompts,
        responseRows: 3,
        range,
      }),
    [log, filter, width, bodyHeight, scroll, showPrompts, range],
  );
  // The ring buffer keeps the newest entries: an old round's may be gone.
  const gone = range !== null && (log[0]?.seq ?? 0) > range[0];

  useEffect(() => {
    actions.setLogViewport(bodyHeight);
    // Keep the stored offset honest so j takes effect at once after scrolling past the top.
    if (view.scroll !== scroll) actions.setLogScroll(view.scroll);
  }, [actions, bodyHeight, view.scroll, scroll]);

  const filterName =
    filter === null ? 'all agents' : (agents.find((a) => a.id === filter)?.name ?? filter);
  const title: Segment[] = [
    { text: 'Log', bold: true },
    ...(viewRound !== null
      ? [
          {
            text: ` round ${viewRound}${gone ? ' (older entries dropped)' : ''}`,
            tone: 'warn' as const,
            bold: true,
          },
        ]
      : []),
    { text: ` (${filterName}, prompts ${showPrompts ? 'shown' : 'hidden'})` },
    { text: view.scroll > 0 ? `  ↑${plural(view.scroll, 'line')} back` : '', tone: 'warn' },
    { text: '  j/k PgUp/PgDn', tone: 'muted' },
  ];
  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      <Line segments={title} width={width} />
      {view.rows.map((row) => (
        <Line key={row.key} segments={row.segments} width={width} />
      ))}
    </Box>
  );
}

/** The compact layout's log: the newest entry on one row. */
export function LogLine({ width }: { width: number }) {
  const log = useDashboard(selectLog);
  const filter = useDashboard(selectFilter);
  let latest = null;
  for (let i = log.length - 1; i >= 0; i--) {
    const entry = log[i];
    if (entry !== undefined && matchesFilter(entry, filter)) {
      latest = entry;
      break;
    }
  }
  const segments: Segment[] = [
    { text: 'Log ', bold: true },
    ...(latest ? entrySummary(latest) : []),
  ];
  return <Line segments={segments} width={width} />;
}
