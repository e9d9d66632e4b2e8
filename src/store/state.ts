// The dashboard's view of a run: everything the panes render, derived from the event stream
// (and from the runtime's status), plus the UI's own state. Plain data, replaced on every update.
import type { DecisionEvent, ProposalStatus, VoteStatus } from '../core/events.js';
import { DEFAULT_QUORUM_FRACTION } from '../core/quorum.js';
import type { AnswerSource, CallPhase, FaultKind, Phase, Protocol } from '../core/types.js';
import type { Speed } from '../runtime/control.js';

export type AgentStatus = 'healthy' | FaultKind;

export interface ActiveFault {
  kind: FaultKind;
  recoverAt: number;
  durationMs: number;
}

export interface LastCall {
  callId: string;
  round: number;
  phase: CallPhase;
  source: AnswerSource;
  prompt: string;
  raw: string;
  /** The model's own text when it was not used and the fallback answered instead. */
  rejectedRaw: string | null;
  latencyMs: number | null;
  ttftMs: number | null;
  error: string | null;
  done: boolean;
}

export interface AgentView {
  id: string;
  name: string;
  specialty: string;
  weight: number;
  status: AgentStatus;
  fault: ActiveFault | null;
  reputation: number;
  quarantined: boolean;
  calls: number;
  /** The call this agent is waiting on; a response for any other call id is stale. */
  thinkingCallId: string | null;
  lastCall: LastCall | null;
  /** Most recent call latencies (ms), oldest first, for the sparkline. */
  latencies: number[];
  /** Who answers for the agent (from run_start): its model, null for the offline heuristic... */
  model?: string | null;
  /** ...and the endpoint's host (never a key). */
  endpoint?: string | null;
}

export interface NodeView {
  id: string;
  name: string;
  type: string;
}

export interface JobView {
  id: string;
  title: string;
  description: string;
}

export interface SectionView {
  index: number;
  total: number;
  title: string;
  /** Two lines on what to watch in this section, when the scenario gives them. */
  caption: string | null;
}

export interface ProposalView {
  agent: string;
  nodeId: string | null;
  score: number | null;
  status: ProposalStatus;
  reason: string | null;
  corrupted: boolean;
}

export interface CandidateView {
  attempt: number;
  nodeId: string;
  score: number;
  proposer: string;
  valid: boolean;
  reason: string | null;
}

export interface VoteView {
  agent: string;
  vote: 'accept' | 'reject' | null;
  weight: number;
  status: VoteStatus;
  corrupted: boolean;
  /** What the agent's own model said before a byzantine fault rewrote it (when the event says). */
  honestVote: 'accept' | 'reject' | null;
  /** The agent was jailed/quarantined when it voted: its vote counts as absent. */
  jailed: boolean;
}

export interface TallyView {
  accept: number;
  reject: number;
  absent: number;
  quorum: number;
  total: number;
}

export interface DecisionView {
  round: number;
  attempt: number;
  /** `retry`: not accepted, the round moves on to its next candidate (bft). */
  outcome: DecisionEvent['outcome'] | 'retry';
  nodeId: string | null;
  valid: boolean | null;
  unsafe: boolean;
  /** "not in cluster" or "fails requirements" when unsafe. */
  unsafeReason: string | null;
  reason: string | null;
  acceptWeight: number;
  rejectWeight: number;
  absentWeight: number;
  totalWeight: number;
  quorum: number;
  protocol: Protocol;
  /** 'at_least' (classic) or 'more_than' (bft), and the fraction of the total weight. */
  quorumRule: 'at_least' | 'more_than';
  quorumFraction: number;
  /** Weight of agents with a fault, and of healthy agents jailed/quarantined, at the decision. */
  faultyWeight: number;
  /** Byzantine weight alone (null: an older run that does not say). */
  byzantineWeight: number | null;
  jailedWeight: number;
  /** Decision quality, when the run reports it (null: not reported or nothing committed). */
  regret: number | null;
  bestNodeId: string | null;
  fork: boolean;
  /** bft: the proposer of the bft round the height ended in (null: classic, or not reported). */
  proposer: string | null;
}

export interface RoundRecord {
  round: number;
  nodeId: string | null;
  outcome: 'committed' | 'no_decision';
  valid: boolean | null;
  unsafe: boolean;
  fork: boolean;
  /** Simulated time from round_start to the decision. */
  latencyMs: number | null;
  /** The round as it was when decided, so the timeline can show it again. */
  snapshot: RoundSnapshot;
}

/** One sender's vote at one bft step: its own value and what each receiver got. */
export interface BftVoteView {
  value: string | null;
  received: Record<string, string | null | 'lost'>;
  equivocated: boolean;
  corrupted: boolean;
}

/** The replicated bft's messages in one height and bft round (the vote matrix). */
export interface BftView {
  round: number;
  attempt: number;
  proposal: {
    proposer: string;
    nodeId: string | null;
    valid: boolean;
    sent: Record<string, string | null>;
  } | null;
  /** By sender. */
  prevotes: Record<string, BftVoteView>;
  precommits: Record<string, BftVoteView>;
  /** By replica, for the whole height. */
  locks: Record<string, string>;
  commits: Record<string, string>;
}

/** What the tally, votes, why and log panes show for a round: the live round's fields, kept. */
export interface RoundSnapshot extends Pick<
  DashboardData,
  | 'round'
  | 'job'
  | 'protocol'
  | 'section'
  | 'proposals'
  | 'candidate'
  | 'votes'
  | 'tally'
  | 'decision'
  | 'bft'
> {
  /** Log entries of the round: seq in [logFrom, logTo). */
  logFrom: number;
  logTo: number;
  /** Each agent's health when the round was decided (null: live, read the agents). */
  health: Record<string, { status: AgentStatus; quarantined: boolean }> | null;
}

/** cancelled: the core stopped waiting (llm_cancelled); no answer follows. */
export type CallStatus = 'streaming' | 'done' | 'error' | 'cancelled';

export interface CallEntry {
  kind: 'call';
  seq: number;
  callId: string;
  round: number;
  agent: string;
  /** Display name, resolved when the call started. */
  name: string;
  phase: CallPhase;
  source: AnswerSource;
  prompt: string;
  text: string;
  /** The model's own text when it was not used and the fallback answered instead. */
  rejectedRaw: string | null;
  latencyMs: number | null;
  status: CallStatus;
  error: string | null;
}

export type LineTone =
  'round' | 'section' | 'fault' | 'recovered' | 'commit' | 'unsafe' | 'fork' | 'warn' | 'info';

export interface LineEntry {
  kind: 'line';
  seq: number;
  t: number;
  /** The agent the line is about, for the log filter; null for run-wide lines. */
  agent: string | null;
  tone: LineTone;
  text: string;
}

export type LogEntry = CallEntry | LineEntry;

export interface RunView {
  mode: 'offline' | 'llm' | 'replay' | null;
  modeLabel: string;
  model: string | null;
  scenario: string;
  /** The scenario's one-line description, shown where a section has no caption of its own. */
  description: string | null;
  seed: number | null;
  paused: boolean;
  speed: Speed;
  scenarioDone: boolean;
  /** The scenario ended into free play (the dashboard keeps running rounds). */
  freePlay: boolean;
  stopped: boolean;
  /** Simulated time (ms) as last read from the runtime. */
  now: number;
}

export interface UiView {
  selected: number;
  /** Log lines scrolled back from the newest. */
  logScroll: number;
  /** How many lines the log pane shows, so a page scroll moves by one screen. */
  logViewport: number;
  logFilter: string | null;
  showPrompts: boolean;
  helpOpen: boolean;
  detailOpen: boolean;
  whyOpen: boolean;
  /** Lines an open overlay is scrolled down, its page height and its last scroll position. */
  overlayScroll: number;
  overlayPage: number;
  overlayMax: number;
  /** The past round the panes show, or null for the live round. */
  viewRound: number | null;
  /** Pause on UNSAFE, FORK and section changes. */
  autoPause: boolean;
  /** A one-line message for the user (a refused key, why the run paused); cleared by the next key. */
  notice: string | null;
}

export interface DashboardData {
  agents: AgentView[];
  nodes: NodeView[];
  totalWeight: number;
  /** The run's quorum fraction (--quorum, else the scenario's, else 2/3), for the live tally. */
  quorumFraction: number;
  round: number;
  phase: Phase;
  attempt: number;
  job: JobView | null;
  roundStartedAt: number | null;
  protocol: Protocol;
  section: SectionView | null;
  proposals: ProposalView[];
  candidate: CandidateView | null;
  votes: VoteView[];
  tally: TallyView;
  decision: DecisionView | null;
  bft: BftView | null;
  history: RoundRecord[];
  /** The log seq at which the live round started. */
  roundLogFrom: number;
  log: LogEntry[];
  nextSeq: number;
  run: RunView;
  ui: UiView;
  /** A warning the header shows in red (a replay that does not match its recording). */
  notice: string | null;
}

export const LOG_LIMIT = 2000;
export const HISTORY_LIMIT = 200;
export const LATENCY_SAMPLES = 12;
/** Per-call caps: a runaway stream must not grow memory without bound. */
export const PROMPT_LIMIT = 16_000;
export const TEXT_LIMIT = 16_000;

export interface InitialOptions {
  modeLabel?: string;
  scenario?: string;
  protocol?: Protocol;
  autoPause?: boolean;
}

export function initialData(options: InitialOptions = {}): DashboardData {
  return {
    agents: [],
    nodes: [],
    totalWeight: 0,
    quorumFraction: DEFAULT_QUORUM_FRACTION,
    round: 0,
    phase: 'idle',
    attempt: 0,
    job: null,
    roundStartedAt: null,
    protocol: options.protocol ?? 'classic',
    notice: null,
    section: null,
    proposals: [],
    candidate: null,
    votes: [],
    tally: { accept: 0, reject: 0, absent: 0, quorum: 0, total: 0 },
    decision: null,
    bft: null,
    history: [],
    roundLogFrom: 0,
    log: [],
    nextSeq: 0,
    run: {
      mode: null,
      modeLabel: options.modeLabel ?? '',
      model: null,
      scenario: options.scenario ?? '',
      description: null,
      seed: null,
      paused: false,
      speed: 1,
      scenarioDone: false,
      freePlay: false,
      stopped: false,
      now: 0,
    },
    ui: {
      selected: 0,
      logScroll: 0,
      logViewport: 10,
      logFilter: null,
      showPrompts: true,
      helpOpen: false,
      detailOpen: false,
      whyOpen: false,
      overlayScroll: 0,
      overlayPage: 10,
      overlayMax: 0,
      viewRound: null,
      autoPause: options.autoPause ?? options.scenario === 'tour',
      notice: null,
    },
  };
}
