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
  const extras: Partial<DecisionEvent> = event.type === 'decision' ? event : {};
  const weights = standingWeights(state, event.protocol);
  const rule = extras.quorum_rule ?? (event.protocol === 'bft' ? 'more_than' : 'at_least');
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
      rejectWeight: event.reject_weight,
      absentWeight: event.absent_weight,
      totalWeight: event.total_weight,
      quorum: event.quorum,
      protocol: event.protocol,
      quorumRule: rule,
      quorumFraction:
        extras.quorum_fraction ??
        (event.total_weight > 0 ? event.quorum / event.total_weight : 2 / 3),
      faultyWeight: extras.faulty_weight ?? weights.faulty,
      byzantineWeight: extras.byzantine_weight ?? null,
      jailedWeight: extras.jailed_weight ?? weights.jailed,
      regret: extras.regret ?? null,
      bestNodeId: extras.best_node_id ?? null,
      fork: extras.fork === true,
      proposer: extras.proposer ?? null,
    },
  };
}

/** Weight of faulty agents, and of healthy ones jailed (quarantined under bft), right now. */
function standingWeights(
  state: DashboardData,
  protocol: DashboardData['protocol'],
): { faulty: number; jailed: number } {
  let faulty = 0;
  let jailed = 0;
  for (const agent of state.agents) {
    if (agent.status !== 'healthy') faulty += agent.weight;
    else if (protocol === 'bft' && agent.quarantined) jailed += agent.weight;
  }
  return { faulty: round2(faulty), jailed: round2(jailed) };
}

const round2 = (value: number) => Math.round(value * 100) / 100;

export function retry<S extends DashboardData>(state: S, event: RetryEvent, log: LogDraft): S {
  log.line(
    event.t,
    null,
    'warn',
    `round ${event.round}: ${event.node_id ?? 'candidate'} not accepted, ${event.protocol === 'bft' ? `on to bft round ${event.attempt + 2}` : 'trying the next candidate'}${event.reason ? ` (${event.reason})` : ''}`,
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
  const fork = next.decision?.fork === true;
  const weights = `accept ${fmtWeight(event.accept_weight)}/${fmtWeight(event.total_weight)}, quorum ${fmtWeight(event.quorum)}`;
  if (fork) {
    log.line(
      event.t,
      null,
      'fork',
      `round ${event.round}: FORK: honest replicas committed different nodes (${event.protocol}, ${weights})`,
    );
  } else if (event.outcome === 'committed') {
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
    fork,
    latencyMs: state.roundStartedAt === null ? null : event.t - state.roundStartedAt,
    snapshot: {
      round: event.round,
      job: next.job,
      protocol: event.protocol,
      section: next.section,
      proposals: next.proposals,
      candidate: next.candidate,
      votes: next.votes,
      tally: next.tally,
      decision: next.decision,
      bft: next.bft,
      logFrom: state.roundLogFrom,
      logTo: log.next,
      health: Object.fromEntries(
        state.agents.map((agent) => [
          agent.id,
          { status: agent.status, quarantined: agent.quarantined },
        ]),
      ),
    },
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
