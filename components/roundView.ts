// The round the panes show: the live one, or a past round picked on the timeline, as it was
// when it was decided (its snapshot in the bounded history).
import { useShallow } from 'zustand/react/shallow';
import type { RoundSnapshot } from '../src/store/state.js';
import type { DashboardState } from '../src/store/store.js';
import { useDashboard } from './context.js';

export interface RoundView extends RoundSnapshot {
  /** False when a past round is shown. */
  live: boolean;
}

export function selectRoundView(state: DashboardState): RoundView {
  const { viewRound } = state.ui;
  const record =
    viewRound === null ? undefined : state.history.find((entry) => entry.round === viewRound);
  if (record !== undefined) return { ...record.snapshot, live: false };
  return {
    live: true,
    round: state.round,
    job: state.job,
    protocol: state.protocol,
    section: state.section,
    proposals: state.proposals,
    candidate: state.candidate,
    votes: state.votes,
    tally: state.tally,
    decision: state.decision,
    logFrom: state.roundLogFrom,
    logTo: Number.POSITIVE_INFINITY,
    health: null,
  };
}

export function useRoundView(): RoundView {
  return useDashboard(useShallow(selectRoundView));
}
