// The run as a whole: its start, the scenario's sections, protocol switches, recovery waits,
// the end of the scenario and the closing summary.
import type {
  ProtocolEvent,
  QuorumEvent,
  RunStartEvent,
  ScenarioEndEvent,
  SectionEvent,
  SummaryEvent,
  WaitEvent,
} from '../core/events.js';
import { plural } from '../core/plural.js';
import { DEFAULT_QUORUM_FRACTION, quorumWords } from '../core/quorum.js';
import { agentsFromRunStart } from './agents.js';
import { fmtSeconds } from './format.js';
import type { LogDraft } from './log-draft.js';
import { emptyTally } from './round.js';
import type { DashboardData } from './state.js';

export function runStart<S extends DashboardData>(
  state: S,
  event: RunStartEvent,
  log: LogDraft,
): S {
  const modeLabel =
    state.run.modeLabel ||
    (event.mode === 'llm'
      ? (event.model ?? 'llm')
      : event.mode === 'replay'
        ? 'replay'
        : 'offline');
  log.line(
    event.t,
    null,
    'info',
    `run started: scenario ${event.scenario}, seed ${event.seed}, ${modeLabel}`,
  );
  const quorumFraction =
    event.config.quorum ?? event.config.scenario.quorum ?? DEFAULT_QUORUM_FRACTION;
  return {
    ...state,
    agents: agentsFromRunStart(event),
    nodes: event.nodes.map((node) => ({ id: node.id, name: node.name, type: node.type })),
    totalWeight: event.total_weight,
    quorumFraction,
    protocol: event.protocol,
    tally: emptyTally(event.total_weight, quorumFraction),
    run: {
      ...state.run,
      mode: event.mode,
      modeLabel,
      model: event.model,
      scenario: event.scenario,
      description: scenarioDescription(event),
      seed: event.seed,
    },
    ui: { ...state.ui, selected: 0 },
  };
}

/** A scenario file may leave its description out (it reads as ''): then there is none to show. */
function scenarioDescription(event: RunStartEvent): string | null {
  const description = event.config.scenario.description;
  return description.trim() === '' ? null : description;
}

export function section<S extends DashboardData>(state: S, event: SectionEvent, log: LogDraft): S {
  log.line(
    event.t,
    null,
    'section',
    `${state.run.scenario || 'scenario'} ${event.index}/${event.total}: ${event.title}`,
  );
  // A recording's extra fields are not checked: a caption of the wrong type is ignored.
  const caption = typeof event.caption === 'string' && event.caption !== '' ? event.caption : null;
  return {
    ...state,
    section: { index: event.index, total: event.total, title: event.title, caption },
  };
}

export function protocolSwitch<S extends DashboardData>(
  state: S,
  event: ProtocolEvent,
  log: LogDraft,
): S {
  log.line(event.t, null, 'info', `protocol -> ${event.protocol} (${event.by})`);
  return { ...state, protocol: event.protocol };
}

export function quorumChange<S extends DashboardData>(
  state: S,
  event: QuorumEvent,
  log: LogDraft,
): S {
  log.line(event.t, null, 'info', `quorum -> ${quorumWords(event.quorum)} (${event.by})`);
  // Scenario steps run between rounds: the next round's tally takes it (the last decision's
  // figures stay on show until then).
  return { ...state, quorumFraction: event.quorum ?? DEFAULT_QUORUM_FRACTION };
}

export function wait<S extends DashboardData>(state: S, event: WaitEvent, log: LogDraft): S {
  log.line(
    event.t,
    null,
    'info',
    event.outcome === 'started'
      ? 'waiting for recovery...'
      : `recovery wait ${event.outcome === 'done' ? 'done' : 'timed out'} after ${fmtSeconds(event.waited_ms)}`,
  );
  return state;
}

export function scenarioEnd<S extends DashboardData>(
  state: S,
  event: ScenarioEndEvent,
  log: LogDraft,
): S {
  log.line(
    event.t,
    null,
    'section',
    event.free_play ? 'scenario finished: free play' : 'scenario finished',
  );
  return { ...state, run: { ...state.run, scenarioDone: true, freePlay: event.free_play } };
}

export function summary<S extends DashboardData>(state: S, event: SummaryEvent, log: LogDraft): S {
  log.line(
    event.t,
    null,
    'info',
    `summary: ${plural(event.rounds, 'round')}, ${event.committed} committed, ${event.invalid_commits} invalid, ${event.no_decision} no decision`,
  );
  return state;
}
