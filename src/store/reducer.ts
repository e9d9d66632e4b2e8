// Folds the runtime's event stream into the dashboard's state. Pure: same events, same state.
// This file only routes: each event goes to the handler of its concern (the run, the round and
// its decision, an agent's health, an LLM call).
import type { HybridEvent, LlmDeltaEvent } from '../core/events.js';
import { evidence, fault, recovered, reputation } from './agents.js';
import { bftEvent, isBftEvent } from './bft.js';
import { llmCancelled, llmDelta, llmRequest, llmResponse } from './calls.js';
import { decision, retry } from './decision.js';
import { LogDraft } from './log-draft.js';
import { candidate, phase, proposal, roundStart, vote } from './round.js';
import {
  protocolSwitch,
  quorumChange,
  runStart,
  scenarioEnd,
  section,
  summary,
  wait,
} from './run.js';
import type { DashboardData } from './state.js';

export function applyEvent<S extends DashboardData>(state: S, event: HybridEvent): S {
  return applyEvents(state, [event]);
}

export function applyEvents<S extends DashboardData>(state: S, events: readonly HybridEvent[]): S {
  if (events.length === 0) return state;
  const draft = new LogDraft(state.log, state.nextSeq);
  let next = state;
  for (const event of mergeDeltas(events)) next = reduce(next, event, draft);
  const { log, nextSeq } = draft.finish();
  return log === state.log && next === state ? state : { ...next, log, nextSeq };
}

/**
 * A flush of five streams holds hundreds of token deltas; each call's deltas between two other
 * events become one delta carrying their text in order. A delta only appends to its own call
 * (its log entry and its agent's last call, both capped by length), so the state is the same as
 * applying them one by one, at one copy of each per call rather than per token.
 */
export function mergeDeltas(events: readonly HybridEvent[]): HybridEvent[] {
  const merged: HybridEvent[] = [];
  const pending = new Map<string, { first: LlmDeltaEvent; texts: string[] }>();
  const flush = () => {
    for (const { first, texts } of pending.values())
      merged.push(texts.length === 1 ? first : { ...first, text: texts.join('') });
    pending.clear();
  };
  for (const event of events) {
    if (event.type === 'llm_delta') {
      const open = pending.get(event.call_id);
      if (open) open.texts.push(event.text);
      else pending.set(event.call_id, { first: event, texts: [event.text] });
      continue;
    }
    flush();
    merged.push(event);
  }
  flush();
  return merged;
}

function reduce<S extends DashboardData>(state: S, event: HybridEvent, log: LogDraft): S {
  // The replicated bft's messages have a handler of their own.
  if (isBftEvent(event)) return bftEvent(state, event, log);
  switch (event.type) {
    case 'run_start':
      return runStart(state, event, log);
    case 'section':
      return section(state, event, log);
    case 'round_start':
      return roundStart(state, event, log);
    case 'phase':
      return phase(state, event);
    case 'llm_request':
      return llmRequest(state, event, log);
    case 'llm_delta':
      return llmDelta(state, event, log);
    case 'llm_response':
      return llmResponse(state, event, log);
    case 'llm_cancelled':
      return llmCancelled(state, event, log);
    case 'proposal':
      return proposal(state, event, log);
    case 'candidate':
      return candidate(state, event);
    case 'vote':
      return vote(state, event);
    case 'decision':
      return decision(state, event, log);
    case 'retry':
      return retry(state, event, log);
    case 'fault':
      return fault(state, event, log);
    case 'recovered':
      return recovered(state, event, log);
    case 'evidence':
      return evidence(state, event, log);
    case 'reputation':
      return reputation(state, event, log);
    case 'protocol':
      return protocolSwitch(state, event, log);
    case 'quorum':
      return quorumChange(state, event, log);
    case 'wait':
      return wait(state, event, log);
    case 'scenario_end':
      return scenarioEnd(state, event, log);
    case 'summary':
      return summary(state, event, log);
    default: {
      // Compile-time exhaustiveness; at run time an unknown event (a newer recording) is skipped.
      const unhandled: never = event;
      void unhandled;
      return state;
    }
  }
}
