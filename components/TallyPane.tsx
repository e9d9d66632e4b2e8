import { Box } from 'ink';
import { useCallback } from 'react';
import type { DashboardState } from '../src/store/store.js';
import { useDashboard } from './context.js';
import { agentWindow, healthRow, weightColumn } from './agentRow.js';
import { matrixNote, matrixRows } from './voteMatrix.js';
import { summaryRows } from './voteSummary.js';
import { Line } from './Line.js';
import { useRoundView, type RoundView } from './roundView.js';
import type { AgentView } from '../src/store/state.js';
import type { Segment } from './segments.js';
import { agentVoteRow, candidateRow, decisionRow, tallyBarRow } from './tallyRows.js';

const selectAgents = (state: DashboardState) => state.agents;
const selectPhase = (state: DashboardState) => state.phase;
const selectNow = (state: DashboardState) => state.run.now;
const selectSelected = (state: DashboardState) => state.ui.selected;

interface TallyPaneProps {
  width: number;
  height: number;
  /** Two rows: candidate and decision on one, the weight bar on the other. */
  compact?: boolean;
  /**
   * The compact screen's agents and tally in one: the health bar, then each agent's health,
   * proposal and vote on one row.
   */
  merged?: boolean;
}

/** Rows the tally needs: candidate, column heads, one per agent, the bar, the decision. */
export function tallyRowsWanted(agentCount: number, merged = false): number {
  return agentCount + 4 + (merged ? 1 : 0);
}

/**
 * The round shown (live or picked on the timeline): its candidate, every agent's proposal and
 * vote, the weight bar and the decision. Agent rows give way first when the pane is short.
 */
/** The agent as it stood when a past round was decided (no countdown: that time has passed). */
function asAt(agent: AgentView, health: RoundView['health']): AgentView {
  const then = health?.[agent.id];
  if (then === undefined) return agent;
  return {
    ...agent,
    status: then.status,
    quarantined: then.quarantined,
    thinkingCallId: null,
    fault: then.status === 'healthy' ? null : { kind: then.status, recoverAt: 0, durationMs: 0 },
  };
}

export function TallyPane({ width, height, compact = false, merged = false }: TallyPaneProps) {
  const agents = useDashboard(selectAgents);
  const phase = useDashboard(selectPhase);
  const now = useDashboard(selectNow);
  const selected = useDashboard(selectSelected);
  const view = useRoundView();
  const nameOf = useCallback(
    (id: string) => agents.find((agent) => agent.id === id)?.name ?? id,
    [agents],
  );
  const nameWidth = Math.min(16, Math.max(0, ...agents.map((agent) => agent.name.length)));
  const weightWidth = weightColumn(agents);
  const waiting = !view.live
    ? 'no decision recorded'
    : phase === 'idle'
      ? 'waiting for the next round'
      : `${phase}...`;
  const head = candidateRow(view.candidate, view.decision, nameOf, view.round);
  let rows: Segment[][];
  if (compact) {
    rows = [
      [...head, { text: '  ' }, ...decisionRow(view.decision, waiting)],
      tallyBarRow(view.tally, width),
    ];
  } else {
    const agentRows = Math.max(0, height - 4 - (merged ? 1 : 0));
    const [start, end] = agentWindow(agents.length, selected, agentRows);
    const health = merged ? [healthRow(agents, Math.max(5, Math.min(20, width - 24)))] : [];
    const bft = view.bft;
    let middle: Segment[][];
    if (bft !== null && Object.keys(bft.prevotes).length + Object.keys(bft.precommits).length > 0) {
      // The replicated bft: who received what from whom, instead of one vote per agent.
      const then = agents.map((agent) => asAt(agent, view.health));
      const [matrixHead = [], ...matrix] =
        matrixRows(bft, then, width) ?? summaryRows(bft, then, width);
      const note = matrixNote(bft, then);
      middle = [
        // What matters most (a FORK, an equivocator) comes before the candidate's details.
        note.length > 0
          ? [head[0] ?? { text: '' }, ...note, { text: '  ' }, ...head.slice(1)]
          : head,
        matrixHead,
        ...matrix.slice(start, end),
      ];
    } else {
      const columns: Segment[] = [
        {
          text: merged
            ? `   ${'agent'.padEnd(nameWidth)} ${'w'.padStart(weightWidth - 1).padEnd(weightWidth)} ${'fault'.padEnd(10)}  proposes  votes`
            : `  ${'agent'.padEnd(nameWidth)}  proposes  votes`,
          tone: 'muted',
        },
      ];
      middle = [
        head,
        columns,
        ...agents.slice(start, end).map((agent, offset) =>
          agentVoteRow(
            asAt(agent, view.health),
            view.proposals.find((p) => p.agent === agent.id),
            view.votes.find((v) => v.agent === agent.id),
            nameWidth,
            merged ? { now, selected: start + offset === selected, weightWidth } : undefined,
          ),
        ),
      ];
    }
    rows = [
      ...health,
      ...middle,
      tallyBarRow(view.tally, width),
      decisionRow(view.decision, waiting),
    ];
  }
  return (
    <Box flexDirection="column" width={width} height={height} overflowY="hidden">
      {rows.slice(0, height).map((segments, index) => (
        <Line key={index} segments={segments} width={width} />
      ))}
    </Box>
  );
}
