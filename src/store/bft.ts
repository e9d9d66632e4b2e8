// The replicated bft's messages as the dashboard keeps them (docs/events.md): per height and bft
// round, what each replica received from each other replica at prevote and precommit, its lock
// and what it committed; and jail/release of agents.
import type {
  BftProposeEvent,
  BftVoteEvent,
  CommitEvent,
  JailEvent,
  LockEvent,
  ReleaseEvent,
  TimeoutEvent,
} from '../core/events.js';
import { agentName, updateAgent } from './agents.js';
import { tallyBeforeProposal, tallyVotes } from './round.js';
import type { LogDraft } from './log-draft.js';
import type { BftView, DashboardData } from './state.js';

export type BftEvent =
  | BftVoteEvent
  | BftProposeEvent
  | LockEvent
  | CommitEvent
  | TimeoutEvent
  | JailEvent
  | ReleaseEvent;

const BFT_TYPES = new Set([
  'prevote',
  'precommit',
  'bft_propose',
  'lock',
  'commit',
  'timeout',
  'jail',
  'release',
]);

export function isBftEvent(event: { type: string }): event is BftEvent {
  return BFT_TYPES.has(event.type);
}

function emptyView(round: number, attempt: number, carry: BftView | null): BftView {
  // Locks and commits hold for the whole height; the votes are the bft round's own.
  const same = carry !== null && carry.round === round;
  return {
    round,
    attempt,
    proposal: null,
    prevotes: {},
    precommits: {},
    locks: same ? carry.locks : {},
    commits: same ? carry.commits : {},
  };
}

function viewFor(state: DashboardData, round: number, attempt: number): BftView {
  const current = state.bft;
  if (current !== null && current.round === round && current.attempt === attempt) return current;
  return emptyView(round, attempt, current);
}

export function bftEvent<S extends DashboardData>(state: S, event: BftEvent, log: LogDraft): S {
  switch (event.type) {
    case 'bft_propose': {
      const view = viewFor(state, event.round, event.attempt);
      // The height's own figures (older recordings lack them: the decision brings them).
      const figures =
        event.total_weight !== undefined && event.quorum !== undefined
          ? { total: event.total_weight, quorum: event.quorum }
          : null;
      return {
        ...state,
        ...(figures && event.round === state.round
          ? { tally: tallyVotes(state.votes, figures) }
          : {}),
        bft: {
          ...view,
          proposal: {
            proposer: event.proposer,
            nodeId: event.node_id,
            valid: event.valid,
            sent: event.sent,
          },
        },
      };
    }
    case 'prevote':
    case 'precommit': {
      const view = viewFor(state, event.round, event.attempt);
      const entry = {
        value: event.value,
        received: event.received,
        equivocated: event.equivocated,
        corrupted: event.corrupted,
      };
      if (event.equivocated)
        log.line(
          event.t,
          event.agent,
          'warn',
          `${agentName(state, event.agent)} equivocated at ${event.type}: ${describeReceived(state, event.received)}`,
        );
      return {
        ...state,
        bft:
          event.type === 'prevote'
            ? { ...view, prevotes: { ...view.prevotes, [event.agent]: entry } }
            : { ...view, precommits: { ...view.precommits, [event.agent]: entry } },
      };
    }
    case 'lock':
    case 'commit': {
      const view = viewFor(state, event.round, event.attempt);
      const key = event.type === 'lock' ? 'locks' : 'commits';
      return { ...state, bft: { ...view, [key]: { ...view[key], [event.agent]: event.node_id } } };
    }
    case 'timeout':
      return state;
    case 'jail':
      log.line(
        event.t,
        event.agent,
        'warn',
        `${agentName(state, event.agent)} jailed until height ${event.until_height} (${event.evidence.replace(/_/g, ' ')})`,
      );
      return updateAgent(state, event.agent, (agent) => ({ ...agent, quarantined: true }));
    case 'release':
      log.line(
        event.t,
        event.agent,
        'info',
        `${agentName(state, event.agent)} released (${event.by})`,
      );
      return beforeProposal(
        updateAgent(state, event.agent, (agent) => ({ ...agent, quarantined: false })),
      );
    default: {
      const never: never = event;
      return never;
    }
  }
}

/**
 * A release at a height's start comes just after its round_start: before the first proposal the
 * tally's estimate is made again with the agent back in the set (the proposal then gives the
 * height's own figures).
 */
function beforeProposal<S extends DashboardData>(state: S): S {
  if (state.protocol !== 'bft' || state.candidate !== null) return state;
  return { ...state, tally: tallyBeforeProposal(state) };
}

function describeReceived(
  state: DashboardData,
  received: Record<string, string | null | 'lost'>,
): string {
  return Object.entries(received)
    .map(([to, value]) => `${agentName(state, to)} got ${value ?? 'nil'}`)
    .join(', ');
}
