// Events of one round (one job), whatever the protocol: its phases, the model calls, proposals,
// the candidate, votes, and how it ended. Part of the event contract (events.ts).
import type { Base } from './event-base.js';
import type { AnswerSource, CallPhase, Phase, Protocol } from './types.js';

export interface RoundStartEvent extends Base {
  type: 'round_start';
  round: number;
  protocol: Protocol;
  job: {
    id: string;
    title: string;
    description: string;
    min_gpus: number;
    min_ram_gb: number;
    min_cpus: number;
  };
}

export interface PhaseEvent extends Base {
  type: 'phase';
  round: number;
  phase: Phase;
  attempt: number;
}

export interface LlmRequestEvent extends Base {
  type: 'llm_request';
  round: number;
  call_id: string;
  agent: string;
  phase: CallPhase;
  source: AnswerSource;
  model: string | null;
  /** The endpoint's host (never a key); null offline. Absent in recordings made before it existed. */
  endpoint?: string | null;
  prompt: string;
}

/** A chunk of streamed text. Shown live; not written to recordings (the response carries the whole text). */
export interface LlmDeltaEvent extends Base {
  type: 'llm_delta';
  call_id: string;
  agent: string;
  text: string;
}

export interface LlmResponseEvent extends Base {
  type: 'llm_response';
  round: number;
  call_id: string;
  agent: string;
  phase: CallPhase;
  source: AnswerSource;
  /** The model that was asked (also on a fallback) and its endpoint's host; null offline. */
  model?: string | null;
  endpoint?: string | null;
  raw: string;
  latency_ms: number;
  ttft_ms: number | null;
  tokens: { prompt: number; completion: number } | null;
  /** Why the model's answer was not used, when source is `fallback`. */
  error: string | null;
  /** The model's own text when it was not used (source `fallback`), for the log. */
  rejected_raw: string | null;
  attempts: number;
}

/**
 * A call the core stopped waiting for: an answer that comes after this is not used, and no
 * llm_response follows. Without it a cut-off stream would read as still streaming.
 */
export interface LlmCancelledEvent extends Base {
  type: 'llm_cancelled';
  round: number;
  call_id: string;
  agent: string;
  phase: CallPhase;
  /** deadline: classic closed the phase without it; height_ended: the bft height ended first. */
  reason: CancelReason;
}

export type CancelReason = 'deadline' | 'height_ended';

/** `absent`: the agent was crashed; `late`: a slow agent's answer missed the phase; `ignored`: quarantined. */
export type ProposalStatus = 'valid' | 'invalid' | 'malformed' | 'ignored' | 'late' | 'absent';

export interface ProposalEvent extends Base {
  type: 'proposal';
  round: number;
  agent: string;
  node_id: string | null;
  score: number | null;
  reasoning: string;
  status: ProposalStatus;
  /** Why the proposal fails validity, or why it was ignored. */
  reason: string | null;
  corrupted: boolean;
  /** What the agent's own model proposed before a byzantine fault rewrote it (always written since issue 7). */
  honest_node_id?: string | null;
}

export interface CandidateEvent extends Base {
  type: 'candidate';
  round: number;
  attempt: number;
  node_id: string;
  score: number;
  proposer: string;
  valid: boolean;
  reason: string | null;
}

export type VoteStatus = 'counted' | 'late' | 'absent' | 'overridden';

export interface VoteEvent extends Base {
  type: 'vote';
  round: number;
  attempt: number;
  agent: string;
  vote: 'accept' | 'reject' | null;
  confidence: number | null;
  reasoning: string;
  weight: number;
  status: VoteStatus;
  corrupted: boolean;
  /** What the agent's own model said before a byzantine fault rewrote it (always written since issue 7). */
  honest_vote?: 'accept' | 'reject' | null;
}

/** The count of one vote on one candidate, shared by a decision and a retry. */
export interface TallyFields extends Base {
  round: number;
  attempt: number;
  protocol: Protocol;
  node_id: string | null;
  valid: boolean | null;
  accept_weight: number;
  reject_weight: number;
  absent_weight: number;
  total_weight: number;
  quorum: number;
  failed_operations: number;
  reason: string | null;
  /** How `quorum` was computed (always written since issue 7). */
  quorum_rule?: 'at_least' | 'more_than';
  quorum_fraction?: number;
}

/** One per round: how it ended. */
export interface DecisionEvent extends TallyFields {
  type: 'decision';
  outcome: 'committed' | 'no_decision';
  /** True when a committed node fails the validity predicate (classic under attack). */
  unsafe: boolean;
  /** The fields below are always written since issue 7; a recording made before lacks them. */
  /** Agent id -> the node that agent's replica committed (null: none). */
  commits?: Record<string, string | null>;
  /** Two replicas not known to be byzantine committed different nodes. */
  fork?: boolean;
  best_node_id?: string | null;
  /** Utility of the best node minus that of the committed one; null when nothing valid committed. */
  regret?: number | null;
  proposer?: string | null;
  faulty_weight?: number;
  /** Weight of the agents byzantine at any moment of the round: the one the safety bound is about. */
  byzantine_weight?: number;
  jailed_weight?: number;
  rounds_used?: number;
}

/** bft only: the candidate was not accepted and the round moves on to the next one. */
export interface RetryEvent extends TallyFields {
  type: 'retry';
}
