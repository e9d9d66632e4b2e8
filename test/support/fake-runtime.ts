// A stand-in RuntimeControl for UI tests: records every call and lets a test push events and
// status changes the way the real runtime would.
import type { UserCommand } from '../../src/core/commands.js';
import type { HybridEvent } from '../../src/core/events.js';
import type { EventListener, RunStatus, RuntimeControl, Speed } from '../../src/runtime/control.js';

export type RecordedCall =
  | { method: 'pause' | 'resume' | 'togglePause' | 'step' | 'stop' }
  | { method: 'setSpeed'; speed: Speed }
  | { method: 'command'; command: UserCommand };

export class FakeRuntime implements RuntimeControl {
  readonly calls: RecordedCall[] = [];
  time = 0;
  private current: RunStatus = { paused: false, speed: 1, scenarioDone: false, stopped: false };
  private readonly listeners = new Set<EventListener>();
  private readonly statusListeners = new Set<(status: RunStatus) => void>();

  constructor(status: Partial<RunStatus> = {}) {
    this.current = { ...this.current, ...status };
  }

  onEvent(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onStatus(listener: (status: RunStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  get listenerCount(): number {
    return this.listeners.size + this.statusListeners.size;
  }

  emit(...events: HybridEvent[]): void {
    for (const event of events) for (const listener of this.listeners) listener(event);
  }

  setStatus(patch: Partial<RunStatus>): void {
    this.current = { ...this.current, ...patch };
    for (const listener of this.statusListeners) listener(this.current);
  }

  now(): number {
    return this.time;
  }

  status(): RunStatus {
    return this.current;
  }

  pause(): void {
    this.calls.push({ method: 'pause' });
    this.setStatus({ paused: true });
  }

  resume(): void {
    this.calls.push({ method: 'resume' });
    this.setStatus({ paused: false });
  }

  togglePause(): void {
    this.calls.push({ method: 'togglePause' });
    this.setStatus({ paused: !this.current.paused });
  }

  step(): void {
    this.calls.push({ method: 'step' });
  }

  setSpeed(speed: Speed): void {
    this.calls.push({ method: 'setSpeed', speed });
    this.setStatus({ speed });
  }

  command(command: UserCommand): void {
    this.calls.push({ method: 'command', command });
  }

  stop(): void {
    this.calls.push({ method: 'stop' });
    this.setStatus({ stopped: true });
  }

  commands(): UserCommand[] {
    return this.calls.flatMap((call) => (call.method === 'command' ? [call.command] : []));
  }
}
