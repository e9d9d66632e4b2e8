// Agent bookkeeping for the reducer. Events name agents by id; names are accepted too so a
// runtime that reports names still lands on the right row.
import type { RunStartEvent } from '../core/events.js';
import { LATENCY_SAMPLES, type AgentView, type DashboardData } from './state.js';

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

export function pushLatency(latencies: readonly number[], latencyMs: number): number[] {
  const next = [...latencies, latencyMs];
  return next.length > LATENCY_SAMPLES ? next.slice(next.length - LATENCY_SAMPLES) : next;
}
