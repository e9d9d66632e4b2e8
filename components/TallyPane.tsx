import { Box } from 'ink';
import { useCallback } from 'react';
import type { DashboardState } from '../src/store/store.js';
import { useDashboard } from './context.js';
import { Line } from './Line.js';
import { candidateRow, decisionRow, proposalRow, tallyBarRow } from './tallyRows.js';

const selectAgents = (state: DashboardState) => state.agents;
const selectProposals = (state: DashboardState) => state.proposals;
const selectCandidate = (state: DashboardState) => state.candidate;
const selectTally = (state: DashboardState) => state.tally;
const selectDecision = (state: DashboardState) => state.decision;
const selectPhase = (state: DashboardState) => state.phase;

interface TallyPaneProps {
  width: number;
  height: number;
  /** Two rows: candidate and decision on one, the weight bar on the other. */
  compact?: boolean;
}

/** Candidate, then as many proposals as fit, then the weight bar and the decision. */
export function TallyPane({ width, height, compact = false }: TallyPaneProps) {
  const agents = useDashboard(selectAgents);
  const proposals = useDashboard(selectProposals);
  const candidate = useDashboard(selectCandidate);
  const tally = useDashboard(selectTally);
  const decision = useDashboard(selectDecision);
  const phase = useDashboard(selectPhase);
  const nameOf = useCallback(
    (id: string) => agents.find((agent) => agent.id === id)?.name ?? id,
    [agents],
  );
  const nameWidth = Math.min(16, Math.max(0, ...agents.map((agent) => agent.name.length)));
  const proposalRows = Math.max(0, height - 3);
  const waiting = phase === 'idle' ? 'waiting for the next round' : `${phase}...`;
  const rows = compact
    ? [
        [
          ...candidateRow(candidate, decision, nameOf),
          { text: '  ' },
          ...decisionRow(decision, waiting),
        ],
        tallyBarRow(tally, width),
      ].slice(0, height)
    : [
        candidateRow(candidate, decision, nameOf),
        ...proposals
          .slice(0, proposalRows)
          .map((proposal) => proposalRow(proposal, nameOf, nameWidth)),
        tallyBarRow(tally, width),
        decisionRow(decision, waiting),
      ].slice(0, height);
  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      {rows.map((segments, index) => (
        <Line key={index} segments={segments} width={width} />
      ))}
    </Box>
  );
}
