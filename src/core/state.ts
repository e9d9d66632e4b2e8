// The core's whole state: plain data, owned by the engine, changed only by `Engine.handle`.
import type { BftHeight } from './bft/height-state.js';
import type { CandidateCache } from './bft/candidates.js';
import type { ProposerPriority } from './bft/proposer.js';
import type { NetworkScratch } from './bft/network.js';
import type { PrngState } from './prng.js';
import type { ScenarioSpec } from './scenario.js';
import type {
  Adversary,
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
  /** What byzantine agents do; null = the protocol's default (see effectiveAdversary). */
  adversary: Adversary | null;
  /** null = the protocol's own rule (classic: >= 2/3, bft: > 2/3); F = strictly more than F of total. */
  quorum: number | null;
  /** Chance an offline agent proposes a valid node other than its best (honest disagreement). */
  offlineNoise: number;
  /** The simulated network between bft replicas: per-link delay range and loss. */
  network: NetworkConfig;
  /** Heights a jailed agent stays out of the validator set (bft). */
  jailHeights: number;
}

export interface NetworkConfig {
  minDelayMs: number;
  maxDelayMs: number;
  loss: number;
}

export const DEFAULT_NETWORK: NetworkConfig = { minDelayMs: 50, maxDelayMs: 400, loss: 0 };
export const DEFAULT_JAIL_HEIGHTS = 10;
export const MAIN_NETWORK = 1;

/** The adversary byzantine agents play: the configured one, else the protocol's default. */
export function effectiveAdversary(
  cfg: Pick<CoreConfig, 'adversary'>,
  protocol: Protocol,
): Adversary {
  return cfg.adversary ?? (protocol === 'bft' ? 'equivocate' : 'original');
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
  /** Its place in the run's agents: CometBFT's tie-break by address, a candidate's supporters. */
  readonly order: number;
  fault: FaultKind | null;
  faultUntil: number;
  faultGen: number;
  /** bft: the last height this agent is jailed for; null when it is a validator. */
  jailedUntil: number | null;
  /**
   * Which networks the agent is on, as bits: two agents talk when they share one. Everyone starts
   * on MAIN_NETWORK; a partition moves agents to a network of their own (a bridge keeps both).
   */
  links: number;
  /** The adversary a scenario scripted for this agent's byzantine fault (else the run's). */
  adversary: Adversary | null;
  /** A scripted byzantine fault corrupts every time instead of with probability byzantineRate. */
  scripted: boolean;
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
  /** Per byzantine agent (non-original adversaries): whether it acts adversarially this height. */
  acting: Map<string, boolean>;
  /** Agents byzantine at any moment of the height: their commits do not make a fork. */
  byzantine: Set<string>;
  /** The replicated protocol's state while a bft height runs. */
  bft: BftHeight | null;
}

export interface Stats {
  rounds: number;
  committed: number;
  invalidCommits: number;
  noDecision: number;
  truePositives: number;
  flagged: number;
  corrupted: number;
  forks: number;
  regretSum: number;
  regretCount: number;
  bestCommits: number;
  jailed: number;
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
  /** The adversary and quorum in force (scenario steps may change them). */
  adversary: Adversary | null;
  quorum: number | null;
  proposerPriority: ProposerPriority;
  /** Candidates judged in earlier heights, reused when a height proposes the same one. */
  candidateCache: CandidateCache;
  /** The arrays each bft height's network works in, handed on from height to height. */
  networkScratch: NetworkScratch;
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
