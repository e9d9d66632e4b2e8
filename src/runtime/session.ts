// The dashboard's run, rewindable. The core is deterministic, so going back to the start of a
// round means building a fresh runtime on the same config, re-issuing the user's commands made
// before that round, re-feeding the answers already received (offline answers are recomputed),
// and running at --speed max until the round starts; from there it runs on at the old speed.
import type { UserCommand } from '../core/commands.js';
import type { HybridEvent, SummaryEvent } from '../core/events.js';
import type { EventListener, RunStatus, RuntimeControl, Speed } from './control.js';
import type { Runtime } from './runtime.js';
import { commandOf, type TimedCommand } from './user-commands.js';

export interface SessionOptions {
  /** A fresh runtime on the run's config (its answer source re-feeds what was received). */
  rebuild: () => Runtime;
  /** Why rewinding is off for this run (e.g. --record), or null. */
  rewindRefusal?: string | null;
  /**
   * Collect the user's commands to re-issue on a rewind (default). A replay does not: its
   * runtimes schedule the recording's commands themselves.
   */
  collectCommands?: boolean;
}

/** Round starts kept for rewinding: the timeline keeps fewer rounds than this. */
const ROUND_STARTS_LIMIT = 1000;

export class Session implements RuntimeControl {
  private current: Runtime;
  private detach: () => void = () => {};
  private readonly listeners = new Set<EventListener>();
  private readonly statusListeners = new Set<(status: RunStatus) => void>();
  private readonly resetListeners = new Set<() => void>();
  private commands: TimedCommand[] = [];
  private readonly roundStarts = new Map<number, number>();
  private target: { round: number; speed: Speed; paused: boolean } | null = null;
  private summary: SummaryEvent | null = null;

  constructor(
    first: Runtime,
    private readonly opts: SessionOptions,
  ) {
    this.current = first;
    this.attach(first);
  }

  /** The summary of the run as it ended (after stop), for the quit report. */
  lastSummary(): SummaryEvent | null {
    return this.summary;
  }

  start(): void {
    void this.current.start();
  }

  private attach(runtime: Runtime): void {
    const offEvent = runtime.onEvent((event) => this.handle(runtime, event));
    const offStatus = runtime.onStatus((status) => {
      for (const listener of this.statusListeners) listener(status);
    });
    this.detach = () => {
      offEvent();
      offStatus();
    };
  }

  private handle(runtime: Runtime, event: HybridEvent): void {
    if (event.type === 'round_start') {
      this.roundStarts.set(event.round, event.t);
      if (this.roundStarts.size > ROUND_STARTS_LIMIT) {
        const oldest = this.roundStarts.keys().next().value;
        if (oldest !== undefined) this.roundStarts.delete(oldest);
      }
    }
    const command = this.opts.collectCommands === false ? null : commandOf(event);
    if (command !== null) this.commands.push(command);
    if (event.type === 'summary') this.summary = event;
    for (const listener of this.listeners) listener(event);
    const target = this.target;
    if (target !== null && event.type === 'round_start' && event.round === target.round) {
      // The round has started again: stop the fast-forward here, then run on as before.
      this.target = null;
      runtime.pause();
      queueMicrotask(() => {
        runtime.setSpeed(target.speed);
        if (!target.paused) runtime.resume();
      });
    }
  }

  rewind(round: number): string | null {
    if (this.opts.rewindRefusal) return this.opts.rewindRefusal;
    if (this.target !== null) return 'a rewind is already under way';
    const startAt = this.roundStarts.get(round);
    if (startAt === undefined) return `rewind: round ${round} is no longer kept`;
    const before = this.current.status();
    if (before.stopped) return 'rewind: the run has stopped';
    this.detach();
    this.current.stop();
    for (const listener of this.resetListeners) listener();
    // Commands from the rewound stretch are dropped: from here the user may choose differently.
    // The kept ones are collected again as the new run re-emits them.
    const kept = this.commands.filter((c) => c.at < startAt);
    this.commands = [];
    this.roundStarts.clear();
    const next = this.opts.rebuild();
    for (const c of kept) next.scheduleCommand(c.at, c.command);
    this.current = next;
    this.target = { round, speed: before.speed, paused: before.paused };
    this.attach(next);
    next.setSpeed('max');
    void next.start();
    return null;
  }

  rewinding(): boolean {
    return this.target !== null;
  }

  onReset(listener: () => void): () => void {
    this.resetListeners.add(listener);
    return () => this.resetListeners.delete(listener);
  }

  onEvent(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onStatus(listener: (status: RunStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  now(): number {
    return this.current.now();
  }

  status(): RunStatus {
    return this.current.status();
  }

  pause(): void {
    this.current.pause();
  }

  resume(): void {
    this.current.resume();
  }

  togglePause(): void {
    this.current.togglePause();
  }

  step(): void {
    this.current.step();
  }

  setSpeed(speed: Speed): void {
    // During a fast-forward the chosen speed applies once the round is reached.
    if (this.target !== null) this.target = { ...this.target, speed };
    else this.current.setSpeed(speed);
  }

  command(command: UserCommand): void {
    this.current.command(command);
  }

  scheduleCommand(at: number, command: UserCommand): void {
    this.current.scheduleCommand(at, command);
  }

  stop(): void {
    this.target = null;
    this.current.stop();
  }
}
