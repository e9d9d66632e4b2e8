// Mounting helpers: a real store fed through the real bridge-free reducer, a fake runtime, and a
// terminal of a chosen size (ink-testing-library's stdout reports 100 columns and no rows).
import { cleanup, render } from 'ink-testing-library';
import type { ReactNode } from 'react';
import { App } from '../../components/App.js';
import { DashboardContext } from '../../components/context.js';
import type { HybridEvent } from '../../src/core/events.js';
import { connectStore } from '../../src/store/bridge.js';
import { createDashboardStore, type DashboardStore } from '../../src/store/store.js';
import { FakeRuntime } from '../support/fake-runtime.js';

export const KEYS = {
  up: '\x1b[A',
  down: '\x1b[B',
  right: '\x1b[C',
  pageUp: '\x1b[5~',
  pageDown: '\x1b[6~',
  enter: '\r',
  escape: '\x1b',
  ctrlC: '\x03',
} as const;

/** Lets Ink parse the input and React commit: setImmediate, then a zero timeout. */
export async function settle(): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  await new Promise((resolve) => setTimeout(resolve, 0));
}

export function storeWith(events: readonly HybridEvent[]): DashboardStore {
  const store = createDashboardStore({ modeLabel: 'offline', scenario: 'tour' });
  store.getState().actions.applyEvents(events);
  return store;
}

interface Size {
  columns: number;
  rows: number;
}

function sized(stdout: object, size: Size): void {
  Object.defineProperty(stdout, 'columns', { value: size.columns, configurable: true });
  Object.defineProperty(stdout, 'rows', { value: size.rows, configurable: true });
}

const disconnects: (() => void)[] = [];

/** Unmounts every app and disconnects every bridge, so no tick outlives its test. */
export function cleanupAll(): void {
  cleanup();
  for (const disconnect of disconnects.splice(0)) disconnect();
}

/** The whole dashboard, its store connected to the runtime through the real bridge. */
export async function renderApp(
  store: DashboardStore,
  runtime = new FakeRuntime(),
  size: Size = { columns: 140, rows: 40 },
) {
  disconnects.push(connectStore(runtime, store));
  const view = render(<App store={store} runtime={runtime} colors={false} />);
  sized(view.stdout, size);
  view.stdout.emit('resize');
  await settle();
  const press = async (...inputs: string[]) => {
    for (const input of inputs) {
      view.stdin.write(input);
      await settle();
    }
  };
  const resize = async (next: Size) => {
    sized(view.stdout, next);
    view.stdout.emit('resize');
    await settle();
  };
  const frame = () => view.lastFrame() ?? '';
  return { ...view, runtime, store, press, resize, frame };
}

/** Mounts a single pane with the context the App would give it. */
export function renderPane(node: ReactNode, store: DashboardStore, runtime = new FakeRuntime()) {
  const view = render(
    <DashboardContext.Provider value={{ store, runtime, colors: false }}>
      {node}
    </DashboardContext.Provider>,
  );
  return { ...view, frame: () => view.lastFrame() ?? '' };
}
