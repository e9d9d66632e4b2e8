// Carries out an intent: UI intents change the store, run intents go to the runtime.
import { SPEED_STEPS, type RuntimeControl, type Speed } from '../src/runtime/control.js';
import type { DashboardStore } from '../src/store/store.js';
import { RUN_CHANGING, type Intent } from './keymap.js';

export interface IntentContext {
  store: DashboardStore;
  runtime: RuntimeControl;
  exit: () => void;
}

/** How a refused key reads: "c (crash)". */
function keyName(intent: Intent): string {
  switch (intent.type) {
    case 'inject':
      return `${intent.kind[0]} (${intent.kind})`;
    case 'recover':
      return 'r (recover)';
    case 'recover_all':
      return 'R (recover all)';
    case 'toggle_protocol':
      return 'p (protocol)';
    default:
      return intent.type;
  }
}

export function performIntent(intent: Intent, { store, runtime, exit }: IntentContext): void {
  const state = store.getState();
  const { actions } = state;
  const selected = state.agents[state.ui.selected];
  const overlayOpen = state.ui.helpOpen || state.ui.detailOpen || state.ui.whyOpen;
  if (state.run.mode === 'replay' && RUN_CHANGING.has(intent.type)) {
    actions.setKeyNotice(`replay is read-only: ${keyName(intent)} refused`);
    return;
  }
  switch (intent.type) {
    case 'toggle_pause':
      runtime.togglePause();
      return;
    case 'step':
      // Stepping only makes sense from a pause; n while running stops at the next phase.
      if (!runtime.status().paused) runtime.pause();
      runtime.step();
      return;
    case 'select':
      actions.selectAgent(intent.index);
      return;
    case 'move_selection':
      actions.moveSelection(intent.delta);
      return;
    case 'inject':
      if (selected) runtime.command({ type: 'inject', agent: selected.id, kind: intent.kind });
      return;
    case 'recover':
      if (!selected) return;
      runtime.command({ type: 'recover', agent: selected.id });
      // Jail is no fault, so recovering leaves it; the same key lets the user out early.
      if (selected.quarantined) runtime.command({ type: 'release', agent: selected.id });
      return;
    case 'recover_all':
      runtime.command({ type: 'recover_all' });
      return;
    case 'toggle_protocol':
      runtime.command({ type: 'toggle_protocol' });
      return;
    case 'speed':
      runtime.setSpeed(nextSpeed(runtime.status().speed, intent.direction));
      return;
    case 'scroll':
      // In an overlay j (-1) moves down its text; in the log j moves towards the newest line.
      if (overlayOpen) actions.scrollOverlay(-intent.lines);
      else actions.scrollLog(intent.lines);
      return;
    case 'scroll_page':
      if (overlayOpen)
        actions.scrollOverlay(-intent.direction * Math.max(1, state.ui.overlayPage - 1));
      else actions.scrollLogPage(intent.direction);
      return;
    case 'move_round':
      actions.moveRound(intent.delta);
      return;
    case 'live_round':
      actions.liveRound();
      return;
    case 'rewind': {
      const round = state.ui.viewRound ?? state.round;
      if (runtime.rewind === undefined || round < 1) {
        actions.setKeyNotice('rewind is not available here');
        return;
      }
      rewindTo(round, { store, runtime });
      return;
    }
    case 'toggle_auto_pause':
      actions.toggleAutoPause();
      return;
    case 'toggle_why':
      actions.toggleWhy();
      return;
    case 'toggle_filter':
      actions.toggleLogFilter();
      return;
    case 'toggle_prompts':
      actions.togglePrompts();
      return;
    case 'toggle_help':
      actions.toggleHelp();
      return;
    case 'open_detail':
      actions.openDetail();
      return;
    case 'close_overlay':
      actions.closeOverlays();
      return;
    case 'quit':
      runtime.stop();
      exit();
      return;
    default: {
      const unhandled: never = intent;
      void unhandled;
    }
  }
}

const rank = (speed: Speed) => (speed === 'max' ? Number.POSITIVE_INFINITY : speed);

/** The next step of SPEED_STEPS up or down; a speed between steps moves to its neighbour. */
export function nextSpeed(current: Speed, direction: 1 | -1): Speed {
  const value = rank(current);
  if (direction > 0) return SPEED_STEPS.find((step) => rank(step) > value) ?? current;
  for (let i = SPEED_STEPS.length - 1; i >= 0; i--) {
    const step = SPEED_STEPS[i];
    if (step !== undefined && rank(step) < value) return step;
  }
  return current;
}

/**
 * Asks for a rewind to `round` and says how it goes: "rewinding..." until the round starts again,
 * then that it is done (a notice left saying "rewinding..." on a paused run read as a rewind that
 * hung). A key pressed meanwhile has its own notice, which stays.
 */
function rewindTo(
  round: number,
  { store, runtime }: Pick<IntentContext, 'store' | 'runtime'>,
): void {
  const { actions } = store.getState();
  // The rewound run stops at the round as this one was: paused, or running.
  const paused = runtime.status().paused;
  const rewinding = `rewinding to the start of round ${round}...`;
  const rewound = `rewound to the start of round ${round}${paused ? ' · space runs on' : ''}`;
  // Listened for before asking: a fast-forward at speed max can reach the round before
  // rewind() returns.
  let reached = false;
  const off = runtime.onEvent((event) => {
    if (event.type !== 'round_start' || event.round !== round) return;
    off();
    reached = true;
    if (store.getState().ui.notice === rewinding) actions.setKeyNotice(rewound);
  });
  const refusal =
    runtime.rewind === undefined ? 'rewind is not available here' : runtime.rewind(round);
  if (refusal !== null) off();
  actions.setKeyNotice(refusal ?? (reached ? rewound : rewinding));
}
