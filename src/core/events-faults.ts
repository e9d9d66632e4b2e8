// Faults and what is done about them: injected and recovered faults, evidence, jail and release,
// reputation. Part of the event contract (events.ts).
import type { Base } from './event-base.js';
import type { FaultKind } from './types.js';

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
