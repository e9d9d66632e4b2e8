import { Box, Text } from 'ink';
import { useMemo } from 'react';
import type { RuntimeControl } from '../src/runtime/control.js';
import type { DashboardState, DashboardStore } from '../src/store/store.js';
import { AgentDetail } from './AgentDetail.js';
import { AgentsPane } from './AgentsPane.js';
import { Caption } from './Caption.js';
import { DashboardContext, useDashboard } from './context.js';
import { Header } from './Header.js';
import { HelpOverlay } from './HelpOverlay.js';
import { HistoryStrip } from './HistoryStrip.js';
import { KeyHelp } from './KeyHelp.js';
import {
  computeLayout,
  MIN_COLUMNS,
  MIN_ROWS,
  type CompactLayout,
  type FullLayout,
} from './layout.js';
import { LogLine, LogPane } from './LogPane.js';
import { TallyPane } from './TallyPane.js';
import { colorsEnabled } from './theme.js';
import { useKeymap } from './useKeymap.js';
import { useTerminalSize } from './useTerminalSize.js';
import { WhyOverlay, WhyPane } from './WhyPane.js';

export interface AppProps {
  store: DashboardStore;
  runtime: RuntimeControl;
  /** Defaults to honouring NO_COLOR. */
  colors?: boolean;
}

export function App({ store, runtime, colors }: AppProps) {
  const value = useMemo(
    () => ({ store, runtime, colors: colors ?? colorsEnabled() }),
    [store, runtime, colors],
  );
  return (
    <DashboardContext.Provider value={value}>
      <Dashboard />
    </DashboardContext.Provider>
  );
}

const selectAgentCount = (state: DashboardState) => state.agents.length;
const selectHelpOpen = (state: DashboardState) => state.ui.helpOpen;
const selectDetailOpen = (state: DashboardState) => state.ui.detailOpen;
const selectWhyOpen = (state: DashboardState) => state.ui.whyOpen;

function Dashboard() {
  const { columns, rows } = useTerminalSize();
  const agentCount = useDashboard(selectAgentCount);
  const helpOpen = useDashboard(selectHelpOpen);
  const detailOpen = useDashboard(selectDetailOpen);
  const whyOpen = useDashboard(selectWhyOpen);
  const layout = computeLayout(columns, rows, agentCount);
  const overlay =
    layout.mode === 'too-small'
      ? null
      : helpOpen
        ? 'help'
        : detailOpen
          ? 'detail'
          : whyOpen
            ? 'why'
            : null;
  useKeymap('main', overlay === null);

  if (layout.mode === 'too-small') {
    return (
      <Box width={columns} height={layout.height}>
        <Text wrap="wrap">
          terminal too small ({columns}x{rows}); need at least {MIN_COLUMNS}x{MIN_ROWS}
        </Text>
      </Box>
    );
  }
  const bodyHeight = layout.height - 2;
  return (
    <Box flexDirection="column" width={columns} height={layout.height} overflowY="hidden">
      <Header width={columns} />
      {overlay === 'help' ? (
        <HelpOverlay width={columns} height={bodyHeight} />
      ) : overlay === 'detail' ? (
        <AgentDetail width={columns} height={bodyHeight} />
      ) : overlay === 'why' ? (
        <WhyOverlay width={columns} height={bodyHeight} />
      ) : layout.mode === 'full' ? (
        <FullBody layout={layout} />
      ) : (
        <CompactBody layout={layout} />
      )}
      <KeyHelp width={columns} />
    </Box>
  );
}

function FullBody({ layout }: { layout: FullLayout }) {
  const left = layout.leftWidth - 1;
  return (
    <Box flexDirection="column" height={layout.height - 2} overflowY="hidden">
      <Caption width={layout.columns} height={layout.captionHeight} />
      <Box flexDirection="row" height={layout.bodyHeight} overflowY="hidden">
        <Box
          flexDirection="column"
          width={layout.leftWidth}
          height={layout.bodyHeight}
          overflowY="hidden"
        >
          <AgentsPane width={left} height={layout.agentsHeight} />
          <Box height={layout.gap} />
          <TallyPane width={left} height={layout.tallyHeight} />
          <Box height={layout.gap} />
          <WhyPane width={left} height={layout.whyHeight} />
          <Box height={layout.gap} />
          <HistoryStrip width={left} height={layout.historyHeight} />
        </Box>
        <Box
          borderStyle="single"
          borderTop={false}
          borderBottom={false}
          borderRight={false}
          paddingLeft={1}
          width={layout.logWidth}
          height={layout.bodyHeight}
          overflowY="hidden"
        >
          <LogPane width={layout.logWidth - 2} height={layout.bodyHeight} />
        </Box>
      </Box>
    </Box>
  );
}

function CompactBody({ layout }: { layout: CompactLayout }) {
  const height = layout.height - 2;
  return (
    <Box flexDirection="column" width={layout.columns} height={height} overflowY="hidden">
      <Caption width={layout.columns} height={layout.captionHeight} />
      {layout.tally === 'merged' ? (
        <TallyPane width={layout.columns} height={layout.tallyHeight} merged />
      ) : (
        <>
          <AgentsPane width={layout.columns} height={layout.agentsHeight} compact />
          <TallyPane width={layout.columns} height={layout.tallyHeight} compact />
        </>
      )}
      <HistoryStrip width={layout.columns} height={layout.historyHeight} />
      {layout.logHeight >= 4 ? (
        <LogPane width={layout.columns} height={layout.logHeight} />
      ) : (
        <LogLine width={layout.columns} />
      )}
    </Box>
  );
}
