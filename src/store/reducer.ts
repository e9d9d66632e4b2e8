// Folds the runtime's event stream into the dashboard's state. Pure: same events, same state.
import type {
  DecisionEvent,
  FaultEvent,
  HybridEvent,
  LlmRequestEvent,
  LlmResponseEvent,
  RunStartEvent,
} from '../core/events.js';
import { agentName, agentsFromRunStart, pushLatency, updateAgent } from './agents.js';
import { fmtSeconds, fmtWeight } from './format.js';
import { capText, LogDraft } from './log-draft.js';
import { emptyTally, replaceByAgent, tallyVotes, unsafeReason, voteView } from './round.js';
import { HISTORY_LIMIT, PROMPT_LIMIT, type DashboardData, type RoundRecord } from './state.js';

export function applyEvent<S extends DashboardData>(state: S, event: HybridEvent): S {
  return applyEvents(state, [event]);
}

export function applyEvents<S extends DashboardData>(state: S, events: readonly HybridEvent[]): S {
  if (events.length === 0) return state;
  const draft = new LogDraft(state.log, state.nextSeq);
  let next = state;
  for (const event of events) next = reduce(next, event, draft);
  const { log, nextSeq } = draft.finish();
  return log === state.log && next === state ? state : { ...next, log, nextSeq };
}

function reduce<S extends DashboardData>(state: S, event: HybridEvent, log: LogDraft): S {
  switch (event.type) {
    case 'run_start':
      return runStart(state, event, log);
    case 'section':
      log.push({
        kind: 'line',
        t: event.t,
        agent: null,
        tone: 'section',
        text: `${state.run.scenario || 'scenario'} ${event.index}/${event.total}: ${event.title}`,
      });
      return { ...state, section: { index: event.index, total: event.total, title: event.title } };
    case 'round_start':
      log.push({
        kind: 'line',
        t: event.t,
        agent: null,
        tone: 'round',
        text: `round ${event.round} · ${event.job.title} (${event.protocol})`,
      });
      return {
        ...state,
        round: event.round,
        protocol: event.protocol,
        attempt: 0,
        job: { id: event.job.id, title: event.job.title, description: event.job.description },
        roundStartedAt: event.t,
        proposals: [],
        candidate: null,
        votes: [],
        tally: emptyTally(state.totalWeight),
        decision: null,
        // A call still open from the last round belongs to an abandoned round.
        agents: state.agents.map((agent) =>
          agent.thinkingCallId === null ? agent : { ...agent, thinkingCallId: null },
        ),
      };
    case 'phase':
      return { ...state, round: event.round, phase: event.phase, attempt: event.attempt };
    case 'llm_request':
      return llmRequest(state, event, log);
    case 'llm_delta': {
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
    case 'llm_response':
      return llmResponse(state, event, log);
    case 'proposal': {
      // Crashed, slow and quarantined agents show in the tally; only bad proposals are news.
      if (event.status === 'invalid' || event.status === 'malformed') {
        const what = event.node_id ?? 'a malformed proposal';
        log.push({
          kind: 'line',
          t: event.t,
          agent: event.agent,
          tone: 'warn',
          text: `${agentName(state, event.agent)} proposed ${what}: ${event.status}${event.reason ? ` (${event.reason})` : ''}`,
        });
      }
      const proposal = {
        agent: event.agent,
        nodeId: event.node_id,
        score: event.score,
        status: event.status,
        reason: event.reason,
        corrupted: event.corrupted,
      };
      return { ...state, proposals: replaceByAgent(state.proposals, proposal) };
    }
    case 'candidate': {
      const newAttempt = state.candidate === null || state.candidate.attempt !== event.attempt;
      return {
        ...state,
        attempt: event.attempt,
        candidate: {
          attempt: event.attempt,
          nodeId: event.node_id,
          score: event.score,
          proposer: event.proposer,
          valid: event.valid,
          reason: event.reason,
        },
        votes: newAttempt ? [] : state.votes,
        tally: newAttempt ? emptyTally(state.totalWeight) : state.tally,
      };
    }
    case 'vote': {
      const votes = replaceByAgent(state.votes, voteView(state, event));
      return { ...state, votes, tally: tallyVotes(votes, state.totalWeight) };
    }
    case 'decision':
      return decision(state, event, log);
    case 'fault':
      return fault(state, event, log);
    case 'recovered':
      log.push({
        kind: 'line',
        t: event.t,
        agent: event.agent,
        tone: 'recovered',
        text: `${agentName(state, event.agent)} recovered from ${event.kind} (${event.by})`,
      });
      return updateAgent(state, event.agent, (agent) => ({
        ...agent,
        status: 'healthy',
        fault: null,
      }));
    case 'evidence':
      log.push({
        kind: 'line',
        t: event.t,
        agent: event.agent,
        tone: 'warn',
        text: `evidence against ${agentName(state, event.agent)}: ${event.kind.replace(/_/g, ' ')} (${event.detail})`,
      });
      return state;
    case 'reputation':
      return updateAgent(state, event.agent, (agent) => {
        if (event.quarantined && !agent.quarantined) {
          log.push({
            kind: 'line',
            t: event.t,
            agent: event.agent,
            tone: 'warn',
            text: `${agent.name} quarantined (reputation ${event.reputation.toFixed(2)})`,
          });
        }
        return { ...agent, reputation: event.reputation, quarantined: event.quarantined };
      });
    case 'protocol':
      log.push({
        kind: 'line',
        t: event.t,
        agent: null,
        tone: 'info',
        text: `protocol -> ${event.protocol} (${event.by})`,
      });
      return { ...state, protocol: event.protocol };
    case 'wait':
      log.push({
        kind: 'line',
        t: event.t,
        agent: null,
        tone: 'info',
        text:
          event.outcome === 'started'
            ? 'waiting for recovery...'
            : `recovery wait ${event.outcome === 'done' ? 'done' : 'timed out'} after ${fmtSeconds(event.waited_ms)}`,
      });
      return state;
    case 'scenario_end':
      log.push({
        kind: 'line',
        t: event.t,
        agent: null,
        tone: 'section',
        text: event.free_play ? 'scenario finished: free play' : 'scenario finished',
      });
      return { ...state, run: { ...state.run, scenarioDone: true, freePlay: event.free_play } };
    case 'summary':
      log.push({
        kind: 'line',
        t: event.t,
        agent: null,
        tone: 'info',
        text: `summary: ${event.rounds} rounds, ${event.committed} committed, ${event.invalid_commits} invalid, ${event.no_decision} no decision`,
      });
      return state;
    default: {
      // Compile-time exhaustiveness; at run time an unknown event (a newer recording) is skipped.
      const unhandled: never = event;
      void unhandled;
      return state;
    }
  }
}

function runStart<S extends DashboardData>(state: S, event: RunStartEvent, log: LogDraft): S {
  const modeLabel =
    state.run.modeLabel ||
    (event.mode === 'llm'
      ? (event.model ?? 'llm')
      : event.mode === 'replay'
        ? 'replay'
        : 'offline');
  log.push({
    kind: 'line',
    t: event.t,
    agent: null,
    tone: 'info',
    text: `run started: scenario ${event.scenario}, seed ${event.seed}, ${modeLabel}`,
  });
  return {
    ...state,
    agents: agentsFromRunStart(event),
    nodes: event.nodes.map((node) => ({ id: node.id, name: node.name, type: node.type })),
    totalWeight: event.total_weight,
    protocol: event.protocol,
    tally: emptyTally(event.total_weight),
    run: {
      ...state.run,
      mode: event.mode,
      modeLabel,
      model: event.model,
      scenario: event.scenario,
      seed: event.seed,
    },
    ui: { ...state.ui, selected: 0 },
  };
}

function llmRequest<S extends DashboardData>(state: S, event: LlmRequestEvent, log: LogDraft): S {
  const prompt = capText(event.prompt, PROMPT_LIMIT);
  log.push({
    kind: 'call',
    callId: event.call_id,
    round: event.round,
    agent: event.agent,
    name: agentName(state, event.agent),
    phase: event.phase,
    source: event.source,
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

function llmResponse<S extends DashboardData>(state: S, event: LlmResponseEvent, log: LogDraft): S {
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
    log.push({
      kind: 'call',
      callId: event.call_id,
      round: event.round,
      agent: event.agent,
      name: agentName(state, event.agent),
      phase: event.phase,
      source: event.source,
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

function decision<S extends DashboardData>(state: S, event: DecisionEvent, log: LogDraft): S {
  const unsafeWhy = event.unsafe ? unsafeReason(state.nodes, event.node_id) : null;
  const tally = {
    accept: event.accept_weight,
    reject: event.reject_weight,
    absent: event.absent_weight,
    quorum: event.quorum,
    total: event.total_weight,
  };
  const next: S = {
    ...state,
    attempt: event.attempt,
    protocol: event.protocol,
    tally,
    decision: {
      round: event.round,
      attempt: event.attempt,
      outcome: event.outcome,
      nodeId: event.node_id,
      valid: event.valid,
      unsafe: event.unsafe,
      unsafeReason: unsafeWhy,
      reason: event.reason,
      acceptWeight: event.accept_weight,
      quorum: event.quorum,
    },
  };
  const weights = `accept ${fmtWeight(event.accept_weight)}/${fmtWeight(event.total_weight)}, quorum ${fmtWeight(event.quorum)}`;
  if (event.outcome === 'retry') {
    log.push({
      kind: 'line',
      t: event.t,
      agent: null,
      tone: 'warn',
      text: `round ${event.round}: ${event.node_id ?? 'candidate'} not accepted, trying the next candidate${event.reason ? ` (${event.reason})` : ''}`,
    });
    return next;
  }
  if (event.outcome === 'committed') {
    log.push({
      kind: 'line',
      t: event.t,
      agent: null,
      tone: event.unsafe ? 'unsafe' : 'commit',
      text: event.unsafe
        ? `round ${event.round}: UNSAFE commit ${event.node_id} (${unsafeWhy}; ${event.protocol}, ${weights})`
        : `round ${event.round}: committed ${event.node_id} (${event.protocol}, ${weights})`,
    });
  } else {
    log.push({
      kind: 'line',
      t: event.t,
      agent: null,
      tone: 'warn',
      text: `round ${event.round}: no decision${event.reason ? ` (${event.reason})` : ''}`,
    });
  }
  const record: RoundRecord = {
    round: event.round,
    nodeId: event.node_id,
    outcome: event.outcome,
    valid: event.valid,
    unsafe: event.unsafe,
    latencyMs: state.roundStartedAt === null ? null : event.t - state.roundStartedAt,
  };
  const history =
    state.history.length >= HISTORY_LIMIT
      ? [...state.history.slice(state.history.length - HISTORY_LIMIT + 1), record]
      : [...state.history, record];
  return { ...next, history };
}

function fault<S extends DashboardData>(state: S, event: FaultEvent, log: LogDraft): S {
  log.push({
    kind: 'line',
    t: event.t,
    agent: event.agent,
    tone: 'fault',
    text: `${agentName(state, event.agent)} -> ${event.kind} for ${fmtSeconds(event.duration_ms)} (${event.by})`,
  });
  return updateAgent(state, event.agent, (agent) => ({
    ...agent,
    status: event.kind,
    fault: { kind: event.kind, recoverAt: event.recover_at, durationMs: event.duration_ms },
  }));
}
