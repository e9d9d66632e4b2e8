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

/**
 * Under the replicated bft the candidate is the proposer's broadcast (score -1: a proposal has
 * no score there); an equivocating proposer's is what most replicas received.
 */
export function bftCandidate(view: RoundSnapshot): RoundSnapshot['candidate'] {
  const proposal = view.bft?.proposal;
  if (view.candidate !== null || !proposal) return view.candidate;
  // One object per proposal: the selector's result is compared shallowly, so it must be stable.
  let candidate = candidates.get(proposal);
  if (candidate === undefined) {
    candidate = {
      attempt: view.bft?.attempt ?? 0,
      nodeId: proposal.nodeId ?? 'nil',
      score: -1,
      proposer: proposal.proposer,
      valid: proposal.valid,
      reason: null,
    };
    candidates.set(proposal, candidate);
  }
  return candidate;
}

/** The agents' health recorded with the live round's decision, or null (live health). */
function decidedHealth(state: DashboardState): RoundSnapshot['health'] {
  const last = state.history[state.history.length - 1];
  return last !== undefined && last.round === state.round ? last.snapshot.health : null;
}

const candidates = new WeakMap<object, NonNullable<RoundSnapshot['candidate']>>();

export function selectRoundView(state: DashboardState): RoundView {
  const { viewRound } = state.ui;
  const record =
    viewRound === null ? undefined : state.history.find((entry) => entry.round === viewRound);
  if (record !== undefined)
    return { ...record.snapshot, candidate: bftCandidate(record.snapshot), live: false };
  const live: RoundView = {
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
    bft: state.bft,
    logFrom: state.roundLogFrom,
    logTo: Number.POSITIVE_INFINITY,
    // Once the round is decided its rows read as at the decision, as when it is picked on the
    // timeline: an agent that recovers while the run waits must not read healthy beside the
    // votes it lost while it was down.
    health: state.decision !== null ? decidedHealth(state) : null,
  };
  return { ...live, candidate: bftCandidate(live) };
}

export function useRoundView(): RoundView {
  return useDashboard(useShallow(selectRoundView));
}
