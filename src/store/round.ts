// The per-round view: proposals, candidate, votes and the running tally.
import type { VoteEvent } from '../core/events.js';
import { agentWeight } from './agents.js';
import type { DashboardData, NodeView, TallyView, VoteView } from './state.js';

export function emptyTally(total: number): TallyView {
  return { accept: 0, reject: 0, absent: 0, quorum: (2 / 3) * total, total };
}

/** Live tally while votes arrive; the decision event replaces it with the core's figures. */
export function tallyVotes(votes: readonly VoteView[], total: number): TallyView {
  const tally = emptyTally(total);
  for (const vote of votes) {
    const counted = vote.status === 'counted' || vote.status === 'overridden';
    if (counted && vote.vote === 'accept') tally.accept += vote.weight;
    else if (counted && vote.vote === 'reject') tally.reject += vote.weight;
    else tally.absent += vote.weight;
  }
  return tally;
}

export function voteView(state: DashboardData, event: VoteEvent): VoteView {
  return {
    agent: event.agent,
    vote: event.vote,
    weight: event.weight || agentWeight(state, event.agent),
    status: event.status,
    corrupted: event.corrupted,
  };
}

export function replaceByAgent<T extends { agent: string }>(list: readonly T[], item: T): T[] {
  const index = list.findIndex((existing) => existing.agent === item.agent);
  if (index < 0) return [...list, item];
  const next = list.slice();
  next[index] = item;
  return next;
}

/** Why a committed node is unsafe, in the words the tally pane shows. */
export function unsafeReason(nodes: readonly NodeView[], nodeId: string | null): string {
  if (nodeId === null) return 'no node';
  if (nodes.length > 0 && !nodes.some((node) => node.id === nodeId)) return 'not in cluster';
  return 'fails requirements';
}
