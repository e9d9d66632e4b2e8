// Fields the replicated bft (issue 7's interface, docs/events.md) adds to today's events. They
// are optional here so the dashboard reads them when a run or recording carries them and shows
// today's fields alone when it does not.
import type { DecisionEvent, SectionEvent, VoteEvent } from '../core/events.js';

export type DecisionExtras = Partial<{
  commits: Record<string, string | null>;
  fork: boolean;
  best_node_id: string | null;
  regret: number | null;
  proposer: string;
  quorum_rule: 'at_least' | 'more_than';
  quorum_fraction: number;
  faulty_weight: number;
  byzantine_weight: number;
  jailed_weight: number;
  rounds_used: number;
}>;

export function decisionExtras(event: DecisionEvent): DecisionExtras {
  return event as DecisionEvent & DecisionExtras;
}

export function honestVote(event: VoteEvent): 'accept' | 'reject' | null {
  const honest = (event as VoteEvent & { honest_vote?: 'accept' | 'reject' | null }).honest_vote;
  return honest ?? null;
}

export function sectionCaption(event: SectionEvent): string | null {
  const caption = (event as SectionEvent & { caption?: string }).caption;
  return typeof caption === 'string' && caption !== '' ? caption : null;
}
