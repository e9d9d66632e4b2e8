// Events of the run as a whole: its start and configuration, scenario sections, protocol
// switches, waits, its end and summary. Part of the event contract (events.ts).
import type { Base } from './event-base.js';
import type { ScenarioSpec } from './scenario.js';
import type { NetworkConfig, Timing } from './state.js';
import type { Adversary, JobSpec, Protocol } from './types.js';
import type { WireNode } from './wire.js';

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

export interface ProtocolEvent extends Base {
  type: 'protocol';
  protocol: Protocol;
  by: 'scenario' | 'user';
}

/** A scenario step set the quorum (null: back to the protocol's own rule). */
export interface QuorumEvent extends Base {
  type: 'quorum';
  quorum: number | null;
  by: 'scenario';
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
  /**
   * Calls that got no answer, so are in none of `calls`: cancelled by the core (llm_cancelled), or
   * still out when the run was stopped (a quit). Absent in older recordings.
   */
  unanswered?: { cancelled: number; cut_off: number };
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
