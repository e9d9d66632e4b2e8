// The dashboard's view of a run: everything the panes render, derived from the event stream
// (and from the runtime's status), plus the UI's own state. Plain data, replaced on every update.
import type { DecisionEvent, ProposalStatus, VoteStatus } from '../core/events.js';
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
  quorum: number;
}

export interface RoundRecord {
  round: number;
  nodeId: string | null;
  outcome: 'committed' | 'no_decision';
  valid: boolean | null;
  unsafe: boolean;
  /** Simulated time from round_start to the decision. */
  latencyMs: number | null;
}

export type CallStatus = 'streaming' | 'done' | 'error';

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
  'round' | 'section' | 'fault' | 'recovered' | 'commit' | 'unsafe' | 'warn' | 'info';

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
}

export interface DashboardData {
  agents: AgentView[];
  nodes: NodeView[];
  totalWeight: number;
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
  history: RoundRecord[];
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
}

export function initialData(options: InitialOptions = {}): DashboardData {
  return {
    agents: [],
    nodes: [],
    totalWeight: 0,
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
    history: [],
    log: [],
    nextSeq: 0,
    run: {
      mode: null,
      modeLabel: options.modeLabel ?? '',
      model: null,
      scenario: options.scenario ?? '',
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
    },
  };
}
