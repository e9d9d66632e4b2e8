// The full-screen dashboard: alternate screen in, Ink app, and the terminal put back the way it
// was on every way out (q, Ctrl+C, signals, a crash), since a shell left in the alternate buffer
// with no cursor looks broken to the user.
import type { EventEmitter } from 'node:events';
import { render, type Instance } from 'ink';
import { App } from '../../components/App.js';
import type { Protocol } from '../core/types.js';
import type { RuntimeControl } from '../runtime/control.js';
import { connectStore, type Scheduler } from '../store/bridge.js';
import { createDashboardStore, type DashboardStore } from '../store/store.js';
import { connectAutoPause, connectReplayEnd, type ReplayEnd } from '../store/watchers.js';

export const ENTER_SCREEN = '\x1b[?1049h\x1b[2J\x1b[H\x1b[?25l';
export const LEAVE_SCREEN = '\x1b[?25h\x1b[?1049l';

export interface DashboardOptions {
  /** "offline", or the model in use; shown in the header. */
  modeLabel: string;
  scenario: string;
  protocol?: Protocol;
  /** Starts the run; called once the store listens, so no early event is missed. */
  start?: () => void;
  /** Defaults to honouring NO_COLOR. */
  colors?: boolean;
  stdout?: NodeJS.WriteStream;
  stdin?: NodeJS.ReadStream;
  stderr?: NodeJS.WriteStream;
  /** Where signals and uncaught errors are heard; the process unless a test stands in. */
  processEvents?: EventEmitter;
  scheduler?: Scheduler;
  /** For tests: the store the dashboard renders. */
  store?: DashboardStore;
  /** When replaying: where the recording ends, so the dashboard can say so. */
  replayEnd?: ReplayEnd;
}

const SIGNAL_EXIT_CODES = { SIGTERM: 143, SIGHUP: 129, SIGINT: 130 } as const;

/** Runs until the user quits (0), a signal arrives (128 + signal) or something throws (1). */
export function runDashboard(runtime: RuntimeControl, opts: DashboardOptions): Promise<number> {
  const stdout = opts.stdout ?? process.stdout;
  const stdin = opts.stdin ?? process.stdin;
  const stderr = opts.stderr ?? process.stderr;
  const events: EventEmitter = opts.processEvents ?? process;
  const store =
    opts.store ??
    createDashboardStore({
      modeLabel: opts.modeLabel,
      scenario: opts.scenario,
      protocol: opts.protocol,
      autoPause: opts.scenario === 'tour',
    });

  return new Promise<number>((resolve) => {
    let instance: Instance | null = null;
    let finished = false;
    const offStore = connectStore(runtime, store, opts.scheduler);
    const offAutoPause = connectAutoPause(runtime, store);
    const offReplayEnd = opts.replayEnd ? connectReplayEnd(runtime, store, opts.replayEnd) : null;
    const disconnect = () => {
      offAutoPause();
      offReplayEnd?.();
      offStore();
    };

    const restoreTerminal = () => {
      try {
        if (stdin.isTTY) stdin.setRawMode(false);
      } catch {
        // stdin may already be closed; the screen still has to be restored.
      }
      stdout.write(LEAVE_SCREEN);
    };
    // A process.exit from elsewhere skips everything below except 'exit' handlers.
    const onProcessExit = () => {
      if (!finished) restoreTerminal();
    };

    const handlers: [string, (...args: unknown[]) => void][] = [
      ...Object.entries(SIGNAL_EXIT_CODES).map(([signal, code]): [string, () => void] => [
        signal,
        () => finish(code),
      ]),
      ['uncaughtException', (error: unknown) => finish(1, error)],
      ['unhandledRejection', (reason: unknown) => finish(1, reason)],
      ['exit', onProcessExit],
    ];

    function finish(code: number, error?: unknown): void {
      if (finished) return;
      finished = true;
      try {
        runtime.stop();
      } catch {
        // Stopping is best effort; the terminal must be restored regardless.
      }
      disconnect();
      try {
        instance?.unmount();
      } catch {
        // An Ink that already failed may throw again on unmount.
      }
      restoreTerminal();
      for (const [name, handler] of handlers) events.off(name, handler);
      if (error !== undefined) {
        const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
        stderr.write(`hybrid-tui: ${message}\n`);
      }
      resolve(code);
    }

    for (const [name, handler] of handlers) events.on(name, handler);
    stdout.write(ENTER_SCREEN);
    try {
      instance = render(<App store={store} runtime={runtime} colors={opts.colors} />, {
        stdout,
        stdin,
        stderr,
        exitOnCtrlC: false, // q and Ctrl+C both go through the keymap, which stops the runtime
        patchConsole: false,
        // The bridge is the frame clock (20 Hz, the only source of commits besides keys and the
        // slow header spinner), so Ink renders each commit at once: its own throttle (es-toolkit's,
        // which pushes a waiting render back on every update) only delayed keypresses.
        maxFps: 0,
      });
      instance.waitUntilExit().then(
        () => finish(0),
        (error: unknown) => finish(1, error),
      );
      opts.start?.();
    } catch (error) {
      finish(1, error);
    }
  });
}
