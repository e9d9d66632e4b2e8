// The driver: owns the simulated clock, performs the core's effects, and feeds results back.
// Real time maps to simulated time by `speed`; at `max` the clock jumps to the next due item.
import type { UserCommand } from '../core/commands.js';
import type { Engine } from '../core/engine.js';
import type { HybridEvent, RunStartEvent, SummaryEvent, WithoutTime } from '../core/events.js';
import type { Effect, Input } from '../core/io.js';
import type { CallHost, CallRunner } from './calls.js';
import type { EventListener, RunStatus, RuntimeControl, Speed } from './control.js';
import { DueQueue } from './heap.js';
import { CallStats } from './latency.js';
import { ModelStats } from './model-stats.js';
import { buildSummary } from './summary.js';
import { systemClock, type WallClock } from './wall-clock.js';

export interface RuntimeOptions {
  engine: Engine;
  calls: CallRunner;
  speed: Speed;
  runStart: Omit<RunStartEvent, 't' | 'type'>;
  startPaused?: boolean;
  clock?: WallClock;
  /**
   * At --speed max the core may run its own timers up to the next item (Input.horizon); false
   * keeps it to one timer at a time, for the test that the two runs are the same.
   */
  runAhead?: boolean;
}

/** Wall ms one slice may run at --speed max before yielding, so keys and frames get through. */
const SLICE_MS = 8;
/** And at most this many items, should the clock not move (a fake clock in tests). */
const SLICE_MAX_ITEMS = 20_000;

export class Runtime implements RuntimeControl {
  private readonly engine: Engine;
  private readonly calls: CallRunner;
  private readonly clock: WallClock;
  private readonly queue = new DueQueue<() => void>();
  private readonly listeners = new Set<EventListener>();
  private readonly statusListeners = new Set<(s: RunStatus) => void>();
  private readonly stats = new CallStats();
  private readonly models = new ModelStats();
  private readonly runStart: RuntimeOptions['runStart'];
  private speed: Speed;
  private readonly runAhead: boolean;
  private paused: boolean;
  private stepping = false;
  private pauseAfterItem = false;
  private scenarioDone = false;
  private stopped = false;
  private endedByItself = false;
  /** Calls the core stopped waiting for (llm_cancelled), and calls still out at stop(). */
  private cancelledCalls = 0;
  private cutOffCalls = 0;
  /** Calls asked, and answered (llm_response, a fallback's included): what stop() cuts off. */
  private askedCalls = 0;
  private answeredCalls = 0;
  private started = false;
  /** Simulated time of whatever is being processed now. */
  private sim = 0;
  private anchorSim = 0;
  private anchorWall = 0;
  private anchorRate: number | null = null;
  private wake: unknown = null;
  private sliceScheduled = false;
  /** True while the loop runs items: re-entrant pumps are refused, and time is the item's. */
  private inLoop = false;
  private resolveDone: (s: SummaryEvent) => void = () => {};
  readonly done: Promise<SummaryEvent>;

  constructor(opts: RuntimeOptions) {
    this.engine = opts.engine;
    this.calls = opts.calls;
    this.clock = opts.clock ?? systemClock;
    this.speed = opts.speed;
    this.runAhead = opts.runAhead ?? true;
    this.paused = opts.startPaused ?? false;
    this.runStart = opts.runStart;
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
  }

  start(): Promise<SummaryEvent> {
    if (this.started) return this.done;
    this.started = true;
    this.anchorWall = this.clock.now();
    this.emit({ type: 'run_start', ...this.runStart });
    this.input({ type: 'start', now: 0 });
    this.pump();
    return this.done;
  }

  onEvent(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onStatus(listener: (s: RunStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  now(): number {
    if (this.paused || this.stopped) return this.sim;
    const rate = this.rate();
    // Until the loop re-anchors at a new rate, time stays where the last item left it.
    if (rate === null || rate !== this.anchorRate) return this.sim;
    return Math.max(
      this.sim,
      Math.floor(this.anchorSim + (this.clock.now() - this.anchorWall) * rate),
    );
  }

  /**
   * Simulated ms per wall ms, or null to jump straight to the next due item. At --speed max the
   * clock jumps only while nothing waits on the network: a model's answer takes the time it takes,
   * and jumping past it would fire the phase deadline before the answer could arrive.
   */
  private rate(): number | null {
    if (this.speed !== 'max') return this.speed;
    return this.calls.inFlight() > 0 ? 1 : null;
  }

  private syncAnchor(): void {
    const rate = this.rate();
    if (rate === this.anchorRate) return;
    this.anchorSim = this.sim;
    this.anchorWall = this.clock.now();
    this.anchorRate = rate;
  }

  status(): RunStatus {
    return {
      paused: this.paused,
      speed: this.speed,
      scenarioDone: this.scenarioDone,
      stopped: this.stopped,
    };
  }

  pause(): void {
    if (this.paused || this.stopped) return;
    // Inside the loop (a listener pausing as an event goes by: the dashboard's auto-pause, the
    // end of a replay, a step) the time is the item's own: moving it on to the wall clock's
    // would start the item's effects later, and a recording of the run would not replay.
    if (!this.inLoop) this.sim = this.now();
    this.paused = true;
    this.stepping = false;
    this.clearWake();
    this.notifyStatus();
  }

  resume(): void {
    if (!this.paused || this.stopped) return;
    this.paused = false;
    this.reanchor();
    this.notifyStatus();
    this.pump();
  }

  togglePause(): void {
    if (this.paused) this.resume();
    else this.pause();
  }

  step(): void {
    if (!this.paused || this.stopped) return;
    this.stepping = true;
    this.paused = false;
    this.reanchor();
    this.pump();
  }

  setSpeed(speed: Speed): void {
    this.sim = this.now();
    this.speed = speed;
    this.reanchor();
    this.notifyStatus();
    this.clearWake();
    this.pump();
  }

  command(command: UserCommand): void {
    if (this.stopped) return;
    this.sim = this.now();
    this.input({ type: 'command', command, now: this.sim });
    this.pump();
  }

  /** A command at a given simulated time (replaying a recording's keypresses). */
  scheduleCommand(at: number, command: UserCommand): void {
    this.queue.push(at, () => this.input({ type: 'command', command, now: this.sim }));
  }

  /** Stops the run at a simulated time, after everything due before it (a replay's end). */
  stopAt(at: number): void {
    this.queue.push(at, () => {
      this.endingByItself();
      this.stop();
    });
  }

  /**
   * True once the run has ended by itself: its scenario finished, or it reached the time given
   * to stopAt. False while it runs, and when stop() cut it short (a quit, a signal, a reader
   * gone): a replay stopped early has not reached every recorded decision, and is no mismatch.
   */
  ranToEnd(): boolean {
    return this.endedByItself;
  }

  /** Marks the end about to come as the run's own, unless stop() came first. */
  private endingByItself(): void {
    if (!this.stopped) this.endedByItself = true;
  }

  stop(): void {
    if (this.stopped) return;
    this.sim = this.now();
    // Neither answered nor cancelled: offline answers still thinking count too (inFlight counts
    // only the calls on a network, which set the pace of a run at --speed max).
    this.cutOffCalls = this.askedCalls - this.answeredCalls - this.cancelledCalls;
    this.calls.cancelAll();
    this.finish();
  }

  // --- internals -------------------------------------------------------------------------

  private readonly host: CallHost = {
    // Inside the loop: the time of the item being run, so offline runs are reproducible.
    // Outside it (a network callback): the clock's time now.
    now: () => (this.inLoop ? this.sim : this.now()),
    emit: (e) => {
      if (!this.inLoop) this.sim = this.now();
      this.emit(e);
    },
    at: (at, fn) => {
      this.queue.push(Math.max(at, this.sim), fn);
      // A result from the network lands outside the loop: make sure the loop sees it.
      if (!this.inLoop) this.pump();
    },
    deliver: (callId, answer) => this.input({ type: 'answer', callId, answer, now: this.sim }),
    streaming: () => this.speed !== 'max',
  };

  private emit(e: WithoutTime<HybridEvent>): void {
    (e as HybridEvent).t = this.sim;
    this.dispatch(e as HybridEvent);
  }

  private dispatch(event: HybridEvent): void {
    if (event.type === 'llm_response') {
      this.answeredCalls++;
      this.stats.record(event.source, event.latency_ms);
    }
    this.models.observe(event);
    if (event.type === 'scenario_end') this.scenarioDone = true;
    // A step stops at the next phase of a round; IDLE (between rounds) is passed through, so
    // every step moves the phase shown.
    if (event.type === 'phase' && this.stepping && event.phase !== 'idle')
      this.pauseAfterItem = true;
    for (const l of this.listeners) l(event);
  }

  private input(input: Input): void {
    // Effects only queue work; the loop runs it after this input, never in the middle of it.
    const outer = this.inLoop;
    this.inLoop = true;
    try {
      // Jumping from item to item, and from inside the loop: nothing can come before the next
      // item in the queue, so the core may run its own timers up to it (Input.horizon).
      if (this.runAhead && outer && !this.stepping && !this.paused && this.rate() === null)
        input.horizon = this.queue.nextAt();
      const out = this.engine.handle(input);
      // Its effects start at the time it ran up to.
      if (out.now > this.sim) this.sim = out.now;
      for (const e of out.events) this.dispatch(e);
      for (const effect of out.effects) this.perform(effect);
    } finally {
      this.inLoop = outer;
    }
  }

  private perform(effect: Effect): void {
    switch (effect.type) {
      case 'ask':
        this.askedCalls++;
        this.calls.start(effect, this.host);
        break;
      case 'timer':
        this.queue.push(effect.at, () =>
          this.input({ type: 'timer', id: effect.id, now: this.sim }),
        );
        break;
      case 'cancel':
        this.cancelledCalls += effect.callIds.length;
        this.calls.cancel(effect.callIds);
        break;
      case 'finished':
        this.queue.push(this.sim, () => {
          this.endingByItself();
          this.finish();
        });
        break;
      default: {
        const never: never = effect;
        return never;
      }
    }
  }

  private pump(): void {
    if (this.stopped || this.paused || !this.started || this.inLoop) return;
    this.clearWake();
    this.syncAnchor();
    this.inLoop = true;
    try {
      if (this.rate() === null) this.pumpMax();
      else this.pumpRealtime();
    } finally {
      this.inLoop = false;
    }
    // Calls may have started or finished in the loop: time runs at the rate that now applies.
    this.syncAnchor();
    this.scheduleWake();
  }

  private pumpRealtime(): void {
    const now = this.now();
    for (let at = this.queue.nextAt(); at <= now; at = this.queue.nextAt()) {
      const item = this.queue.pop();
      this.sim = Math.max(this.sim, at);
      item?.();
      if (this.afterItem()) return;
    }
    if (!this.paused && !this.stopped) this.sim = Math.max(this.sim, now);
  }

  private scheduleWake(): void {
    if (this.paused || this.stopped) return;
    const rate = this.rate();
    const nextAt = this.queue.nextAt();
    if (nextAt === Infinity) return;
    if (rate === null) {
      // Jumping, but the loop stopped (a call started and finished within it): go on at once.
      this.scheduleSlice();
      return;
    }
    const ms = Math.max(0, (nextAt - this.now()) / rate);
    this.wake = this.clock.setTimeout(() => {
      this.wake = null;
      this.pump();
    }, ms);
  }

  private pumpMax(): void {
    const deadline = this.clock.now() + SLICE_MS;
    for (let n = 1; ; n++) {
      // Reading the clock costs; every 64 items is often enough to keep a slice near SLICE_MS.
      if ((n & 63) === 0 && (this.clock.now() >= deadline || n >= SLICE_MAX_ITEMS)) break;
      // A call just went out: stop jumping, the rest of this phase runs on wall time.
      if (this.rate() !== null) return;
      const at = this.queue.nextAt();
      const item = this.queue.pop();
      if (!item) return;
      this.sim = Math.max(this.sim, at);
      item();
      if (this.afterItem()) return;
    }
    this.scheduleSlice();
  }

  private scheduleSlice(): void {
    if (this.sliceScheduled) return;
    this.sliceScheduled = true;
    setImmediate(() => {
      this.sliceScheduled = false;
      this.pump();
    });
  }

  /** True when the loop must stop here (stopped, or a step reached the next phase). */
  private afterItem(): boolean {
    if (this.stopped) return true;
    if (this.pauseAfterItem) {
      this.pauseAfterItem = false;
      this.pause();
      return true;
    }
    return this.paused;
  }

  private finish(): void {
    if (this.stopped) return;
    const summary = buildSummary(this.sim, this.engine.stats(), this.stats, this.models.summary(), {
      cancelled: this.cancelledCalls,
      cut_off: this.cutOffCalls,
    });
    this.dispatch(summary);
    this.stopped = true;
    this.paused = false;
    this.clearWake();
    this.calls.cancelAll();
    this.notifyStatus();
    this.resolveDone(summary);
  }

  private reanchor(): void {
    this.anchorSim = this.sim;
    this.anchorWall = this.clock.now();
    this.anchorRate = this.rate();
  }

  private clearWake(): void {
    if (this.wake !== null) this.clock.clearTimeout(this.wake);
    this.wake = null;
  }

  private notifyStatus(): void {
    const s = this.status();
    for (const l of this.statusListeners) l(s);
  }
}
