// The replicated bft's messages as the replicas saw them: proposals, prevotes and precommits
// (deliveries summarised per receiver), locks, commits and timeouts. Part of the event contract
// (events.ts).
import type { Base } from './event-base.js';

/** bft: the round's proposer broadcasts its candidate (`sent`: what each replica got; null = nothing). */
export interface BftProposeEvent extends Base {
  type: 'bft_propose';
  round: number;
  attempt: number;
  proposer: string;
  node_id: string | null;
  valid: boolean;
  sent: Record<string, string | null>;
  /**
   * The height's validator set's weight (jailed agents are outside it) and the weight a decision
   * needs, as the decision will give them: the live tally's figures. Absent in older recordings.
   */
  total_weight?: number;
  quorum?: number;
}

/** bft: one sender's vote of one step, its deliveries summarised per receiver. */
export interface BftVoteFields extends Base {
  round: number;
  attempt: number;
  agent: string;
  /** null = nil. */
  value: string | null;
  received: Record<string, string | null | 'lost'>;
  equivocated: boolean;
  corrupted: boolean;
}

export interface PrevoteEvent extends BftVoteFields {
  type: 'prevote';
}

export interface PrecommitEvent extends BftVoteFields {
  type: 'precommit';
}

export type BftVoteEvent = PrevoteEvent | PrecommitEvent;

export interface LockEvent extends Base {
  type: 'lock';
  round: number;
  attempt: number;
  agent: string;
  node_id: string;
}

export interface CommitEvent extends Base {
  type: 'commit';
  round: number;
  attempt: number;
  agent: string;
  node_id: string;
}

export interface TimeoutEvent extends Base {
  type: 'timeout';
  round: number;
  attempt: number;
  agent: string | null;
  step: 'propose' | 'prevote' | 'precommit';
}
