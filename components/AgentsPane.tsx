import { Box } from 'ink';
import { useMemo } from 'react';
import type { DashboardState } from '../src/store/store.js';
import { agentRow, agentWindow, healthRow, rowColumns } from './agentRow.js';
import { useDashboard } from './context.js';
import { Line } from './Line.js';

const selectAgents = (state: DashboardState) => state.agents;
const selectSelected = (state: DashboardState) => state.ui.selected;
const selectNow = (state: DashboardState) => state.run.now;

interface AgentsPaneProps {
  width: number;
  height: number;
  compact?: boolean;
}

export function AgentsPane({ width, height, compact = false }: AgentsPaneProps) {
  const agents = useDashboard(selectAgents);
  const selected = useDashboard(selectSelected);
  const now = useDashboard(selectNow);
  const columns = useMemo(() => rowColumns(agents), [agents]);
  const rows = Math.max(0, height - 1);
  const [start, end] = agentWindow(agents.length, selected, rows);
  const barWidth = Math.max(5, Math.min(20, width - 24));
  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      <Line segments={healthRow(agents, barWidth)} width={width} />
      {agents.slice(start, end).map((agent, offset) => (
        <Line
          key={agent.id}
          width={width}
          segments={agentRow(agent, {
            selected: start + offset === selected,
            now,
            columns,
            compact,
          })}
        />
      ))}
    </Box>
  );
}
