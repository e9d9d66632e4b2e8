// The core's whole state: plain data, owned by the engine, changed only by `Engine.handle`.
import type { PrngState } from './prng.js';
import type { ScenarioSpec } from './scenario.js';
import type {
  AgentSpec,
  CallPhase,
  CandidateView,
  FaultKind,
  JobSpec,
  NodeSpec,
  Phase,
  Protocol,
  ProposalAnswer,
  VoteAnswer,
} from './types.js';

export interface CoreConfig {
  seed: number;
  agents: AgentSpec[];
  nodes: NodeSpec[];
  jobs: JobSpec[];
  scenario: ScenarioSpec;
  protocol: Protocol;
  byzantineRate: number;
  faultDurationMs: [number, number];
  /** Keep running rounds of the job mix after the script (the dashboard), up to maxRounds if set. */
  freePlay: boolean;
  /** Stop after this many rounds (--rounds). */
  maxRounds: number | null;
  timing: Timing;
}

/** Simulated-time pacing, so a person can follow the phases at speed 1. */
export interface Timing {
  phaseGapMs: number;
  roundGapMs: number;
  thinkMinMs: number;
  thinkMaxMs: number;
  /** A slow agent's answer arrives this much after the others': past the phase. */
  slowExtraMs: number;
  /** A phase closes at this deadline even if answers are missing. */
  phaseDeadlineMs: number;
}

export const DEFAULT_TIMING: Timing = {
  phaseGapMs: 600,
  roundGapMs: 1500,
  thinkMinMs: 400,
  thinkMaxMs: 1600,
  slowExtraMs: 6000,
  phaseDeadlineMs: 120_000,
};

export interface AgentState {
  spec: AgentSpec;
  fault: FaultKind | null;
  faultUntil: number;
  faultGen: number;
  reputation: number;
  quarantined: boolean;
  calls: number;
}

export interface ProposalRecord {
  agent: string;
  answer: ProposalAnswer | null;
  valid: boolean;
  counted: boolean;
}

export interface VoteRecord {
  agent: string;
  vote: VoteAnswer['vote'];
  weight: number;
}

export interface OutstandingCall {
  agent: string;
  round: number;
  phase: CallPhase;
  attempt: number;
  /** Decided when asked: a slow agent's answer is an omission whenever it comes. */
  late: boolean;
}

export interface RoundState {
  round: number;
  job: JobSpec;
  /** Fixed at the start of the round: a protocol switch takes effect from the next round. */
  protocol: Protocol;
  phase: Phase;
  attempt: number;
  /** Set by a bft decide that failed with candidates left: the next gap selects again. */
  retry?: boolean;
  deadlineTimer: string | null;
  gapTimer: string | null;
  /** Agents whose answers the phase still waits for. */
  pending: Set<string>;
  proposals: ProposalRecord[];
  candidates: CandidateView[];
  votes: VoteRecord[];
  /** Agents with evidence against them this round (bft). */
  flagged: Set<string>;
  /** Agents whose answers this round were corrupted by an injected byzantine fault. */
  corrupted: Set<string>;
  startedAt: number;
}

export interface Stats {
  rounds: number;
  committed: number;
  invalidCommits: number;
  noDecision: number;
  truePositives: number;
  flagged: number;
  corrupted: number;
}

export type Waiting =
  | { kind: 'none' }
  | { kind: 'timer'; id: string }
  | { kind: 'round' }
  | { kind: 'recovery'; since: number; timerId: string };

export interface CoreState {
  now: number;
  rng: PrngState;
  agents: AgentState[];
  /** The same agents by id: an answer's lookup must not cost a scan of every agent. */
  agentsById: Map<string, AgentState>;
  protocol: Protocol;
  pc: number;
  roundsLeftInStep: number;
  roundsStarted: number;
  round: RoundState | null;
  calls: Map<string, OutstandingCall>;
  waiting: Waiting;
  scenarioDone: boolean;
  finished: boolean;
  timerSeq: number;
  stats: Stats;
}
