// The event log: one object per line in --json and --record. A stable contract (DESIGN.md);
// field names are snake_case because scripts read them.
import type { ScenarioSpec } from './scenario.js';
import type { NetworkConfig, Timing } from './state.js';
import type { WireNode } from './wire.js';
import type {
  Adversary,
  AnswerSource,
  CallPhase,
  FaultKind,
  JobSpec,
  Phase,
  Protocol,
} from './types.js';

interface Base {
  /** Simulated time in milliseconds since the run started. */
  t: number;
}

export interface RunStartEvent extends Base {
  type: 'run_start';
  /** The recording format's version (runtime/recording-schema.ts); absent before there was one: 1. */
  recording_version?: number;
  seed: number;
  scenario: string;
  protocol: Protocol;
  mode: 'offline' | 'llm' | 'replay';
  model: string | null;
  /** `model` and `endpoint` (host only, never a key): who answers for the agent; null is offline. */
  agents: {
    id: string;
    name: string;
    specialty: string;
    weight: number;
    model?: string | null;
    endpoint?: string | null;
  }[];
  nodes: WireNode[];
  total_weight: number;
  /** Everything else a replay needs to run the same core again. */
  config: RunConfig;
}

export interface RunConfig {
  byzantine_rate: number;
  fault_duration_ms: [number, number];
  max_rounds: number | null;
  free_play: boolean;
  scenario: ScenarioSpec;
  jobs: JobSpec[];
  timing: Timing;
  /** Absent in recordings made before issue 7: read back as the defaults. */
  adversary?: Adversary | null;
  quorum?: number | null;
  offline_noise?: number;
  network?: { min_delay_ms: number; max_delay_ms: number; loss: number };
  jail_heights?: number;
}

export const networkToWire = (n: NetworkConfig): NonNullable<RunConfig['network']> => ({
  min_delay_ms: n.minDelayMs,
  max_delay_ms: n.maxDelayMs,
  loss: n.loss,
});

export interface SectionEvent extends Base {
  type: 'section';
  index: number;
  total: number;
  title: string;
  /** What to watch in this section (two lines in the dashboard), when the scenario gives it. */
  caption?: string;
}

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
interface TallyFields extends Base {
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

export interface FaultEvent extends Base {
  type: 'fault';
  agent: string;
  kind: FaultKind;
  duration_ms: number;
  recover_at: number;
  by: 'scenario' | 'user';
  /** A partition that cut off a group (scenario files), not one agent. */
  group?: string[];
}

export interface RecoveredEvent extends Base {
  type: 'recovered';
  agent: string;
  kind: FaultKind;
  by: 'timer' | 'user' | 'scenario';
}

export interface EvidenceEvent extends Base {
  type: 'evidence';
  round: number;
  agent: string;
  kind: 'invalid_proposal' | 'malformed_proposal' | 'accepted_invalid' | 'equivocation';
  detail: string;
}

/** bft: the round's proposer broadcasts its candidate (`sent`: what each replica got; null = nothing). */
export interface BftProposeEvent extends Base {
  type: 'bft_propose';
  round: number;
  attempt: number;
  proposer: string;
  node_id: string | null;
  valid: boolean;
  sent: Record<string, string | null>;
}

/** bft: one sender's vote of one step, its deliveries summarised per receiver. */
interface BftVoteFields extends Base {
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

export interface JailEvent extends Base {
  type: 'jail';
  round: number;
  agent: string;
  evidence: EvidenceEvent['kind'];
  /** The last height the agent stays jailed. */
  until_height: number;
}

export interface ReleaseEvent extends Base {
  type: 'release';
  agent: string;
  by: 'timer' | 'user' | 'scenario';
}

export interface ReputationEvent extends Base {
  type: 'reputation';
  agent: string;
  reputation: number;
  quarantined: boolean;
}

export interface ProtocolEvent extends Base {
  type: 'protocol';
  protocol: Protocol;
  by: 'scenario' | 'user';
}

export interface WaitEvent extends Base {
  type: 'wait';
  what: 'recovery';
  outcome: 'started' | 'done' | 'timeout';
  waited_ms: number;
}

export interface ScenarioEndEvent extends Base {
  type: 'scenario_end';
  free_play: boolean;
}

export interface SummaryEvent extends Base {
  type: 'summary';
  rounds: number;
  committed: number;
  invalid_commits: number;
  no_decision: number;
  calls: { llm: number; fallback: number; offline: number };
  latency_ms: { p50: number | null; p95: number | null };
  /** The same figures per model (key `offline` for the heuristic), with agreement with the majority. */
  by_model?: Record<string, ModelSummary>;
  detection: {
    precision: number | null;
    recall: number | null;
    true_positives: number;
    flagged: number;
    corrupted: number;
  };
  forks: number;
  mean_regret: number | null;
  best_node_rate: number | null;
  /** Committed heights / heights. */
  liveness: number | null;
  jailed: number;
}

export interface ModelSummary {
  /** Endpoint hosts this model was asked at (empty offline). */
  endpoints: string[];
  agents: string[];
  calls: { llm: number; fallback: number; offline: number };
  latency_ms: { p50: number | null; p95: number | null };
  /** Counted votes, and the share that matched the weighted majority of the votes on that candidate. */
  votes: number;
  agreement: number | null;
}

export type HybridEvent =
  | RunStartEvent
  | SectionEvent
  | RoundStartEvent
  | PhaseEvent
  | LlmRequestEvent
  | LlmDeltaEvent
  | LlmResponseEvent
  | ProposalEvent
  | CandidateEvent
  | VoteEvent
  | DecisionEvent
  | RetryEvent
  | FaultEvent
  | RecoveredEvent
  | EvidenceEvent
  | ReputationEvent
  | BftProposeEvent
  | PrevoteEvent
  | PrecommitEvent
  | LockEvent
  | CommitEvent
  | TimeoutEvent
  | JailEvent
  | ReleaseEvent
  | ProtocolEvent
  | WaitEvent
  | ScenarioEndEvent
  | SummaryEvent;

export type EventType = HybridEvent['type'];

/** Distributes Omit over the union so each member keeps its own fields. */
export type WithoutTime<E> = E extends HybridEvent ? Omit<E, 't'> : never;
