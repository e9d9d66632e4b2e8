// The per-round view: the round's job, proposals, candidate, votes and the running tally.
import type {
  CandidateEvent,
  PhaseEvent,
  ProposalEvent,
  RoundStartEvent,
  VoteEvent,
} from '../core/events.js';
import { agentName, agentWeight, findAgent } from './agents.js';
import type { LogDraft } from './log-draft.js';
import type { DashboardData, TallyView, VoteView } from './state.js';

export function roundStart<S extends DashboardData>(
  state: S,
  event: RoundStartEvent,
  log: LogDraft,
): S {
  const roundLogFrom = log.next;
  log.line(event.t, null, 'round', `round ${event.round} · ${event.job.title} (${event.protocol})`);
  return {
    ...state,
    roundLogFrom,
    round: event.round,
    protocol: event.protocol,
    attempt: 0,
    job: { id: event.job.id, title: event.job.title, description: event.job.description },
    roundStartedAt: event.t,
    proposals: [],
    candidate: null,
    votes: [],
    tally: tallyBeforeProposal({ ...state, protocol: event.protocol }),
    decision: null,
    bft: null,
    // A call still open from the last round belongs to an abandoned round.
    agents: state.agents.map((agent) =>
      agent.thinkingCallId === null ? agent : { ...agent, thinkingCallId: null },
    ),
  };
}

export function phase<S extends DashboardData>(state: S, event: PhaseEvent): S {
  return { ...state, round: event.round, phase: event.phase, attempt: event.attempt };
}

export function proposal<S extends DashboardData>(
  state: S,
  event: ProposalEvent,
  log: LogDraft,
): S {
  // A slow agent's answer to an earlier round can land in this one: it is not this round's.
  if (event.round !== state.round) return state;
  // Crashed, slow and quarantined agents show in the tally; only bad proposals are news.
  if (event.status === 'invalid' || event.status === 'malformed') {
    const what = event.node_id ?? 'a malformed proposal';
    log.line(
      event.t,
      event.agent,
      'warn',
      `${agentName(state, event.agent)} proposed ${what}: ${event.status}${event.reason ? ` (${event.reason})` : ''}`,
    );
  }
  const view = {
    agent: event.agent,
    nodeId: event.node_id,
    score: event.score,
    status: event.status,
    reason: event.reason,
    corrupted: event.corrupted,
  };
  return { ...state, proposals: replaceByAgent(state.proposals, view) };
}

export function candidate<S extends DashboardData>(state: S, event: CandidateEvent): S {
  const newAttempt = state.candidate === null || state.candidate.attempt !== event.attempt;
  return {
    ...state,
    attempt: event.attempt,
    candidate: {
      attempt: event.attempt,
      nodeId: event.node_id,
      score: event.score,
      proposer: event.proposer,
      valid: event.valid,
      reason: event.reason,
    },
    votes: newAttempt ? [] : state.votes,
    tally: newAttempt ? emptyTally(state.totalWeight, state.quorumFraction) : state.tally,
  };
}

export function vote<S extends DashboardData>(state: S, event: VoteEvent): S {
  if (event.round !== state.round || event.attempt !== state.attempt) return state;
  const votes = replaceByAgent(state.votes, voteView(state, event));
  return { ...state, votes, tally: tallyVotes(votes, state.tally) };
}

/**
 * Before any vote: the whole weight and the run's quorum fraction. A bft height's proposal then
 * brings its validator set's figures (bft_propose), which leave jailed agents out.
 */
export function emptyTally(total: number, fraction: number): TallyView {
  return { accept: 0, reject: 0, absent: 0, quorum: fraction * total, total };
}

/**
 * The tally a round starts with: under bft the jailed agents' weight is outside the set (the
 * height's proposal then gives the core's own figures).
 */
export function tallyBeforeProposal(state: DashboardData): TallyView {
  const total =
    state.protocol === 'bft'
      ? state.agents.reduce((sum, agent) => sum + (agent.quarantined ? 0 : agent.weight), 0)
      : state.totalWeight;
  return emptyTally(total, state.quorumFraction);
}

/**
 * Live tally while votes arrive, on the total and quorum the round has now; the decision event
 * replaces it with the core's figures.
 */
export function tallyVotes(
  votes: readonly VoteView[],
  figures: Pick<TallyView, 'total' | 'quorum'>,
): TallyView {
  const { total, quorum } = figures;
  const tally: TallyView = { accept: 0, reject: 0, absent: 0, total, quorum };
  for (const vote of votes) {
    const counted = vote.status === 'counted' || vote.status === 'overridden';
    if (counted && vote.vote === 'accept') tally.accept += vote.weight;
    else if (counted && vote.vote === 'reject') tally.reject += vote.weight;
    else tally.absent += vote.weight;
  }
  return tally;
}

function voteView(state: DashboardData, event: VoteEvent): VoteView {
  const agent = state.agents[findAgent(state.agents, event.agent)];
  return {
    agent: event.agent,
    vote: event.vote,
    weight: event.weight || agentWeight(state, event.agent),
    status: event.status,
    corrupted: event.corrupted,
    honestVote: event.honest_vote ?? null,
    jailed: event.status === 'absent' && agent !== undefined && agent.quarantined,
  };
}

function replaceByAgent<T extends { agent: string }>(list: readonly T[], item: T): T[] {
  const index = list.findIndex((existing) => existing.agent === item.agent);
  if (index < 0) return [...list, item];
  const next = list.slice();
  next[index] = item;
  return next;
}
