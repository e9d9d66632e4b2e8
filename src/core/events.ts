// The event log: one object per line in --json and --record. A stable contract (DESIGN.md);
// field names are snake_case because scripts read them.
// The event types live by theme in events-run, events-round, events-faults and events-bft.
import type {
  BftProposeEvent,
  CommitEvent,
  LockEvent,
  PrecommitEvent,
  PrevoteEvent,
  TimeoutEvent,
} from './events-bft.js';
import type {
  EvidenceEvent,
  FaultEvent,
  JailEvent,
  RecoveredEvent,
  ReleaseEvent,
  ReputationEvent,
} from './events-faults.js';
import type {
  CandidateEvent,
  DecisionEvent,
  LlmCancelledEvent,
  LlmDeltaEvent,
  LlmRequestEvent,
  LlmResponseEvent,
  PhaseEvent,
  ProposalEvent,
  RetryEvent,
  RoundStartEvent,
  VoteEvent,
} from './events-round.js';
import type {
  ProtocolEvent,
  QuorumEvent,
  RunStartEvent,
  ScenarioEndEvent,
  SectionEvent,
  SummaryEvent,
  WaitEvent,
} from './events-run.js';

export * from './events-run.js';
export * from './events-round.js';
export * from './events-faults.js';
export * from './events-bft.js';

export type HybridEvent =
  | RunStartEvent
  | SectionEvent
  | RoundStartEvent
  | PhaseEvent
  | LlmRequestEvent
  | LlmDeltaEvent
  | LlmResponseEvent
  | LlmCancelledEvent
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
  | QuorumEvent
  | WaitEvent
  | ScenarioEndEvent
  | SummaryEvent;

export type EventType = HybridEvent['type'];

/** Distributes Omit over the union so each member keeps its own fields. */
export type WithoutTime<E> = E extends HybridEvent ? Omit<E, 't'> : never;
