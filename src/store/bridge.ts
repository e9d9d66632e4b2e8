// Connects a runtime to the store. zustand notifies synchronously on every set and Ink lays out
// on every commit, so events are queued and flushed at most once per frame (~30 Hz): a burst of
// token deltas from five parallel streams costs one render, not thousands.
import type { HybridEvent } from '../core/events.js';
import type { RuntimeControl } from '../runtime/control.js';
import type { DashboardStore } from './store.js';

export interface Scheduler {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  setInterval(callback: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
  /** Wall-clock milliseconds, for spacing flushes. */
  now(): number;
}

export const realScheduler: Scheduler = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
  setInterval: (callback, ms) => setInterval(callback, ms),
  clearInterval: (handle) => clearInterval(handle as NodeJS.Timeout),
  now: () => performance.now(),
};

export interface BridgeOptions {
  /** Minimum spacing of store updates from events. */
  frameMs?: number;
  /** Minimum spacing while only streamed tokens are waiting: fewer frames while streaming. */
  streamFrameMs?: number;
  /** How often the simulated clock is re-read while running, so countdowns move. */
  tickMs?: number;
}

// 20 Hz: smooth enough for streaming text, and with the clock tick folded into flushes and one
// slow spinner well under 30 renders a second, leaving room in the event loop for keypresses.
export const FRAME_MS = 50;
/**
 * Tokens alone wait longer: a frame costs the whole screen (Ink's Output.get), and text arriving
 * at 10 Hz still reads as streaming. Any other event (a phase, a vote, a decision) comes sooner.
 */
export const STREAM_FRAME_MS = 100;
export const TICK_MS = 100;

/** Subscribes the store to the runtime. Returns a function that disconnects (and flushes). */
export function connectStore(
  runtime: RuntimeControl,
  store: DashboardStore,
  scheduler: Scheduler = realScheduler,
  options: BridgeOptions = {},
): () => void {
  const frameMs = options.frameMs ?? FRAME_MS;
  const streamFrameMs = Math.max(frameMs, options.streamFrameMs ?? STREAM_FRAME_MS);
  const tickMs = options.tickMs ?? TICK_MS;
  const { actions } = store.getState();
  let queue: HybridEvent[] = [];
  let flushTimer: unknown = null;
  /** When the pending flush is due (wall ms). */
  let flushDue = Number.POSITIVE_INFINITY;
  let lastFlush = Number.NEGATIVE_INFINITY;
  let connected = true;

  const flush = () => {
    if (flushTimer !== null) scheduler.clearTimeout(flushTimer);
    flushTimer = null;
    flushDue = Number.POSITIVE_INFINITY;
    lastFlush = scheduler.now();
    const events = queue;
    queue = [];
    actions.applyEvents(events, runtime.now());
  };

  const offEvent = runtime.onEvent((event) => {
    if (!connected) return;
    queue.push(event);
    const now = scheduler.now();
    const spacing = event.type === 'llm_delta' ? streamFrameMs : frameMs;
    const due = Math.max(now, lastFlush + spacing);
    if (flushTimer !== null) {
      if (due >= flushDue) return;
      // Something more than tokens arrived: bring the waiting flush forward.
      scheduler.clearTimeout(flushTimer);
    }
    flushDue = due;
    // Even with no wait the flush is deferred, so a synchronous burst lands as one update.
    flushTimer = scheduler.setTimeout(flush, due - now);
  });

  const offStatus = runtime.onStatus((status) => {
    if (!connected) return;
    // Events emitted before the status change must show before it (e.g. the phase a step reached).
    if (queue.length > 0) flush();
    actions.setStatus(status);
    actions.setNow(runtime.now());
  });

  // A rewind starts the run again: whatever is queued or shown belongs to the run that is gone.
  const offReset =
    runtime.onReset?.(() => {
      if (flushTimer !== null) scheduler.clearTimeout(flushTimer);
      flushTimer = null;
      flushDue = Number.POSITIVE_INFINITY;
      queue = [];
      actions.reset();
    }) ?? (() => {});

  const tick = scheduler.setInterval(() => {
    const { run } = store.getState();
    // The runtime freezes its clock while paused, so reading it would change nothing; and a
    // flush just now already brought the clock along, so this would only cost a render.
    if (run.paused || run.stopped || scheduler.now() - lastFlush < tickMs) return;
    actions.setNow(runtime.now());
  }, tickMs);

  actions.setStatus(runtime.status());
  actions.setNow(runtime.now());

  return () => {
    if (!connected) return;
    connected = false;
    offEvent();
    offStatus();
    offReset();
    scheduler.clearInterval(tick);
    if (queue.length > 0) flush();
    else if (flushTimer !== null) scheduler.clearTimeout(flushTimer);
  };
}
