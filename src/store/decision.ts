// A round's decision: the core's final tally, the verdict in the log, and the round's record in
// the history once it is settled (a retry only moves on to the next candidate).
import type { DecisionEvent, RetryEvent } from '../core/events.js';
import { fmtWeight } from './format.js';
import type { LogDraft } from './log-draft.js';
import {
  HISTORY_LIMIT,
  type DashboardData,
  type DecisionView,
  type NodeView,
  type RoundRecord,
  type TallyView,
} from './state.js';

/** The tally and verdict the tally pane shows, for a decision or a retry. */
function verdict<S extends DashboardData>(
  state: S,
  event: DecisionEvent | RetryEvent,
  outcome: DecisionView['outcome'],
  unsafe: boolean,
): S {
  const tally: TallyView = {
    accept: event.accept_weight,
    reject: event.reject_weight,
    absent: event.absent_weight,
    quorum: event.quorum,
    total: event.total_weight,
  };
  return {
    ...state,
    attempt: event.attempt,
    protocol: event.protocol,
    tally,
    decision: {
      round: event.round,
      attempt: event.attempt,
      outcome,
      nodeId: event.node_id,
      valid: event.valid,
      unsafe,
      unsafeReason: unsafe ? unsafeReason(state.nodes, event.node_id) : null,
      reason: event.reason,
      acceptWeight: event.accept_weight,
      quorum: event.quorum,
    },
  };
}

export function retry<S extends DashboardData>(state: S, event: RetryEvent, log: LogDraft): S {
  log.line(
    event.t,
    null,
    'warn',
    `round ${event.round}: ${event.node_id ?? 'candidate'} not accepted, trying the next candidate${event.reason ? ` (${event.reason})` : ''}`,
  );
  return verdict(state, event, 'retry', false);
}

export function decision<S extends DashboardData>(
  state: S,
  event: DecisionEvent,
  log: LogDraft,
): S {
  const next = verdict(state, event, event.outcome, event.unsafe);
  const unsafeWhy = next.decision?.unsafeReason ?? null;
  const weights = `accept ${fmtWeight(event.accept_weight)}/${fmtWeight(event.total_weight)}, quorum ${fmtWeight(event.quorum)}`;
  if (event.outcome === 'committed') {
    log.line(
      event.t,
      null,
      event.unsafe ? 'unsafe' : 'commit',
      event.unsafe
        ? `round ${event.round}: UNSAFE commit ${event.node_id} (${unsafeWhy}; ${event.protocol}, ${weights})`
        : `round ${event.round}: committed ${event.node_id} (${event.protocol}, ${weights})`,
    );
  } else {
    log.line(
      event.t,
      null,
      'warn',
      `round ${event.round}: no decision${event.reason ? ` (${event.reason})` : ''}`,
    );
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

/** Why a committed node is unsafe, in the words the tally pane shows. */
function unsafeReason(nodes: readonly NodeView[], nodeId: string | null): string {
  if (nodeId === null) return 'no node';
  if (nodes.length > 0 && !nodes.some((node) => node.id === nodeId)) return 'not in cluster';
  return 'fails requirements';
}
