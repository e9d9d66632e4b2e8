// The real dashboard (runDashboard: Ink, the 30 Hz bridge, the store) mounted in-process on the
// fake terminal, with a way to quit it and check it exited cleanly.
import { EventEmitter } from 'node:events';
import type { CoreConfig } from '../src/core/state.js';
import type { Runtime } from '../src/runtime/runtime.js';
import { createDashboardStore, type DashboardStore } from '../src/store/store.js';
import { FakeKeyboard, FakeScreen, textSink } from './dashboard-tty.js';

// React picks its development or production build from NODE_ENV when it is first loaded, and the
// CLI defaults NODE_ENV to production (src/cli/main.ts). The bench does the same before it loads
// Ink, so it measures what a user gets; `NODE_ENV=development npm run bench` measures the other.
type DashboardModule = typeof import('../src/cli/dashboard.js');
let dashboardModule: Promise<DashboardModule> | null = null;
export function loadDashboard(): Promise<DashboardModule> {
  process.env.NODE_ENV ??= 'production';
  dashboardModule ??= import('../src/cli/dashboard.js');
  return dashboardModule;
}

export interface Dashboard {
  store: DashboardStore;
  screen: FakeScreen;
  keyboard: FakeKeyboard;
  /** Store notifications so far (bridge flushes, clock ticks, key actions). */
  storeUpdates(): number;
  /** Quits with q (SIGTERM, should q not work) and checks the dashboard exited cleanly. */
  close(): Promise<void>;
}

/** runDashboard in-process; it starts the runtime once the store listens. */
export async function mountDashboard(
  runtime: Runtime,
  cfg: CoreConfig,
  modeLabel: string,
  keepFrames: boolean,
): Promise<Dashboard> {
  const { runDashboard, ENTER_SCREEN, LEAVE_SCREEN } = await loadDashboard();
  const notFrames = new Set(['\x1b[?2026h', '\x1b[?2026l', '\x1b[?25l', '\x1b[?25h']);
  notFrames.add(ENTER_SCREEN).add(LEAVE_SCREEN);
  const screen = new FakeScreen(notFrames, keepFrames);
  const keyboard = new FakeKeyboard();
  const stderr = textSink();
  const processEvents = new EventEmitter();
  const store = createDashboardStore({
    modeLabel,
    scenario: cfg.scenario.name,
    protocol: cfg.protocol,
  });
  let updates = 0;
  store.subscribe(() => updates++);
  const exit = runDashboard(runtime, {
    modeLabel,
    scenario: cfg.scenario.name,
    protocol: cfg.protocol,
    start: () => void runtime.start(),
    colors: true,
    stdout: screen as unknown as NodeJS.WriteStream,
    stdin: keyboard as unknown as NodeJS.ReadStream,
    stderr: stderr as unknown as NodeJS.WriteStream,
    processEvents,
    store,
  });
  return {
    store,
    screen,
    keyboard,
    storeUpdates: () => updates,
    async close() {
      keyboard.press('q');
      const timer = setTimeout(() => processEvents.emit('SIGTERM'), 2000);
      const code = await exit;
      clearTimeout(timer);
      if (code !== 0) throw new Error(`dashboard exited with ${code}: ${stderr.text}`);
      if (stderr.text !== '') throw new Error(`dashboard wrote to stderr: ${stderr.text}`);
      if (!runtime.status().stopped) throw new Error('quitting the dashboard left the run going');
    },
  };
}
