// An LLM call as the dashboard shows it: a block in the log that fills as tokens stream in, and
// the calling agent's last-call view with its latency samples.
import type {
  CancelReason,
  LlmCancelledEvent,
  LlmDeltaEvent,
  LlmRequestEvent,
  LlmResponseEvent,
} from '../core/events.js';
import { agentName, updateAgent } from './agents.js';
import { capText, type LogDraft } from './log-draft.js';
import { LATENCY_SAMPLES, PROMPT_LIMIT, type CallEntry, type DashboardData } from './state.js';

export function llmRequest<S extends DashboardData>(
  state: S,
  event: LlmRequestEvent,
  log: LogDraft,
): S {
  const prompt = capText(event.prompt, PROMPT_LIMIT);
  pushCall(state, event, log, {
    prompt,
    text: '',
    rejectedRaw: null,
    latencyMs: null,
    status: 'streaming',
    error: null,
  });
  return updateAgent(state, event.agent, (agent) => ({
    ...agent,
    calls: agent.calls + 1,
    thinkingCallId: event.call_id,
    lastCall: {
      callId: event.call_id,
      round: event.round,
      phase: event.phase,
      source: event.source,
      prompt,
      raw: '',
      rejectedRaw: null,
      latencyMs: null,
      ttftMs: null,
      error: null,
      done: false,
    },
  }));
}

export function llmDelta<S extends DashboardData>(
  state: S,
  event: LlmDeltaEvent,
  log: LogDraft,
): S {
  const index = log.findCall(event.call_id);
  if (index < 0) return state; // a stale or unknown stream
  log.appendText(index, event.text);
  return updateAgent(state, event.agent, (agent) =>
    agent.lastCall?.callId === event.call_id && !agent.lastCall.done
      ? {
          ...agent,
          lastCall: { ...agent.lastCall, raw: capText(agent.lastCall.raw + event.text) },
        }
      : agent,
  );
}

export function llmResponse<S extends DashboardData>(
  state: S,
  event: LlmResponseEvent,
  log: LogDraft,
): S {
  const raw = capText(event.raw);
  const rejectedRaw = event.rejected_raw == null ? null : capText(event.rejected_raw);
  const status = event.error === null ? 'done' : 'error';
  const index = log.findCall(event.call_id);
  if (index >= 0) {
    log.updateCall(index, (entry) => ({
      ...entry,
      source: event.source,
      text: raw,
      rejectedRaw,
      latencyMs: event.latency_ms,
      status,
      error: event.error,
    }));
  } else {
    pushCall(state, event, log, {
      prompt: '',
      text: raw,
      rejectedRaw,
      latencyMs: event.latency_ms,
      status,
      error: event.error,
    });
  }
  return updateAgent(state, event.agent, (agent) => {
    const current = agent.lastCall?.callId === event.call_id ? agent.lastCall : null;
    return {
      ...agent,
      thinkingCallId: agent.thinkingCallId === event.call_id ? null : agent.thinkingCallId,
      latencies: pushLatency(agent.latencies, event.latency_ms),
      lastCall:
        current === null && agent.lastCall !== null && !agent.lastCall.done
          ? agent.lastCall // a late answer to an older call must not hide the open one
          : {
              callId: event.call_id,
              round: event.round,
              phase: event.phase,
              source: event.source,
              prompt: current?.prompt ?? '',
              raw,
              rejectedRaw,
              latencyMs: event.latency_ms,
              ttftMs: event.ttft_ms,
              error: event.error,
              done: true,
            },
    };
  });
}

const CANCELLED: Record<CancelReason, string> = {
  height_ended: 'cancelled: height ended',
  deadline: 'cancelled: phase closed',
};

/** The stream stops where it was cut off, and says why; the agent is no longer thinking. */
export function llmCancelled<S extends DashboardData>(
  state: S,
  event: LlmCancelledEvent,
  log: LogDraft,
): S {
  const why = CANCELLED[event.reason];
  const index = log.findCall(event.call_id);
  if (index >= 0) log.updateCall(index, (entry) => ({ ...entry, status: 'cancelled', error: why }));
  return updateAgent(state, event.agent, (agent) => ({
    ...agent,
    thinkingCallId: agent.thinkingCallId === event.call_id ? null : agent.thinkingCallId,
    lastCall:
      agent.lastCall?.callId === event.call_id
        ? { ...agent.lastCall, error: why, done: true }
        : agent.lastCall,
  }));
}

type CallProgress = Pick<
  CallEntry,
  'prompt' | 'text' | 'rejectedRaw' | 'latencyMs' | 'status' | 'error'
>;

/** Opens the call's block in the log; a response with no request on record opens it too. */
function pushCall(
  state: DashboardData,
  event: LlmRequestEvent | LlmResponseEvent,
  log: LogDraft,
  progress: CallProgress,
): void {
  log.push({
    kind: 'call',
    callId: event.call_id,
    round: event.round,
    agent: event.agent,
    name: agentName(state, event.agent),
    phase: event.phase,
    source: event.source,
    ...progress,
  });
}

function pushLatency(latencies: readonly number[], latencyMs: number): number[] {
  const next = [...latencies, latencyMs];
  return next.length > LATENCY_SAMPLES ? next.slice(next.length - LATENCY_SAMPLES) : next;
}
