// Watchers that act on the run as events go by: auto-pause at the moments worth a look, and the
// end of a recording being replayed. Each returns its unsubscribe function.
import type { HybridEvent } from '../core/events.js';
import type { RuntimeControl } from '../runtime/control.js';
import type { DashboardStore } from './store.js';

/** Why the run should stop here for a look, or null. */
export function autoPauseReason(event: HybridEvent): string | null {
  if (event.type === 'decision') {
    if (event.fork === true) return `FORK in round ${event.round}`;
    if (event.unsafe) return `UNSAFE commit of ${event.node_id ?? '?'} in round ${event.round}`;
  }
  // The first section opens the run; the later ones are the story's turns.
  if (event.type === 'section' && event.index > 1)
    return `section ${event.index}/${event.total}: ${event.title}`;
  return null;
}

export function connectAutoPause(runtime: RuntimeControl, store: DashboardStore): () => void {
  return runtime.onEvent((event) => {
    const { ui, actions } = store.getState();
    if (!ui.autoPause || runtime.rewinding?.() === true) return;
    const reason = autoPauseReason(event);
    if (reason === null || runtime.status().paused) return;
    runtime.pause();
    actions.setKeyNotice(`auto-paused at ${reason} · space runs on`);
  });
}

export interface ReplayEnd {
  /** The last round the recording decided (0: none). */
  lastRound: number;
  /** The recording ends with the run's summary (false: it was cut short). */
  complete: boolean;
}

/** Pauses a replay once it passes the recording's last decided round, and says so. */
export function connectReplayEnd(
  runtime: RuntimeControl,
  store: DashboardStore,
  end: ReplayEnd,
): () => void {
  let told = false;
  const tell = () => {
    if (told) return;
    told = true;
    runtime.pause();
    store
      .getState()
      .actions.setKeyNotice(
        end.complete
          ? `end of recording: it ends after round ${end.lastRound}`
          : `recording cut short: it ends after round ${end.lastRound} (no summary); replay paused`,
      );
  };
  return runtime.onEvent((event) => {
    // A recording of a finished run replays to its own summary; a live one's runs out of rounds.
    if ((event.type === 'round_start' && event.round > end.lastRound) || event.type === 'summary')
      tell();
  });
}
