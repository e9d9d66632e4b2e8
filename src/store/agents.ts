// The agent rows: built at run start, found by key, and the health events that change them
// (faults, recoveries, evidence, reputation). Events name agents by id; names are accepted too
// so a runtime that reports names still lands on the right row.
import type {
  EvidenceEvent,
  FaultEvent,
  RecoveredEvent,
  ReputationEvent,
  RunStartEvent,
} from '../core/events.js';
import { fmtSeconds } from './format.js';
import type { LogDraft } from './log-draft.js';
import type { AgentView, DashboardData } from './state.js';

export function agentsFromRunStart(event: RunStartEvent): AgentView[] {
  return event.agents.map((spec) => ({
    id: spec.id,
    name: spec.name,
    specialty: spec.specialty,
    weight: spec.weight,
    status: 'healthy',
    fault: null,
    reputation: 1,
    quarantined: false,
    calls: 0,
    thinkingCallId: null,
    lastCall: null,
    latencies: [],
    model: spec.model ?? event.model,
    endpoint: spec.endpoint ?? null,
  }));
}

export function findAgent(agents: readonly AgentView[], key: string): number {
  const byId = agents.findIndex((agent) => agent.id === key);
  return byId >= 0 ? byId : agents.findIndex((agent) => agent.name === key);
}

export function agentName(state: DashboardData, key: string): string {
  const index = findAgent(state.agents, key);
  return index >= 0 ? (state.agents[index]?.name ?? key) : key;
}

export function agentWeight(state: DashboardData, key: string): number {
  const index = findAgent(state.agents, key);
  return index >= 0 ? (state.agents[index]?.weight ?? 0) : 0;
}

/** Returns the state unchanged (same reference) when the agent is unknown. */
export function updateAgent<S extends DashboardData>(
  state: S,
  key: string,
  update: (agent: AgentView) => AgentView,
): S {
  const index = findAgent(state.agents, key);
  const agent = state.agents[index];
  if (!agent) return state;
  const agents = state.agents.slice();
  agents[index] = update(agent);
  return { ...state, agents };
}

export function fault<S extends DashboardData>(state: S, event: FaultEvent, log: LogDraft): S {
  log.line(
    event.t,
    event.agent,
    'fault',
    `${agentName(state, event.agent)} -> ${event.kind} for ${fmtSeconds(event.duration_ms)} (${event.by})`,
  );
  return updateAgent(state, event.agent, (agent) => ({
    ...agent,
    status: event.kind,
    fault: { kind: event.kind, recoverAt: event.recover_at, durationMs: event.duration_ms },
  }));
}

export function recovered<S extends DashboardData>(
  state: S,
  event: RecoveredEvent,
  log: LogDraft,
): S {
  log.line(
    event.t,
    event.agent,
    'recovered',
    `${agentName(state, event.agent)} recovered from ${event.kind} (${event.by})`,
  );
  return updateAgent(state, event.agent, (agent) => ({
    ...agent,
    status: 'healthy',
    fault: null,
  }));
}

export function evidence<S extends DashboardData>(
  state: S,
  event: EvidenceEvent,
  log: LogDraft,
): S {
  log.line(
    event.t,
    event.agent,
    'warn',
    `evidence against ${agentName(state, event.agent)}: ${event.kind.replace(/_/g, ' ')} (${event.detail})`,
  );
  return state;
}

export function reputation<S extends DashboardData>(
  state: S,
  event: ReputationEvent,
  log: LogDraft,
): S {
  return updateAgent(state, event.agent, (agent) => {
    if (event.quarantined && !agent.quarantined) {
      log.line(
        event.t,
        event.agent,
        'warn',
        `${agent.name} quarantined (reputation ${event.reputation.toFixed(2)})`,
      );
    }
    return { ...agent, reputation: event.reputation, quarantined: event.quarantined };
  });
}
