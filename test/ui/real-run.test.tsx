import { Text } from 'ink';
import { afterEach, expect, test, vi } from 'vitest';
import { makeCoreConfig } from '../../src/core/config.js';
import type { HybridEvent } from '../../src/core/events.js';
import { runOffline } from '../../src/runtime/run-offline.js';
import { HISTORY_LIMIT } from '../../src/store/state.js';
import { cleanupAll, renderApp, storeWith } from './render.js';

vi.mock('ink-spinner', () => ({ default: () => <Text>*</Text> }));

afterEach(() => cleanupAll());

// The events of a real offline tour, not hand-made fixtures: the store must take them as they come.
test('the dashboard renders a real offline tour', async () => {
  const events: HybridEvent[] = [];
  await runOffline(makeCoreConfig({ seed: 7 }), (event) => events.push(event));
  const store = storeWith(events);
  const state = store.getState();
  const decisions = events.filter((event) => event.type === 'decision').length;
  expect(state.history).toHaveLength(Math.min(decisions, HISTORY_LIMIT));
  expect(state.agents.every((agent) => agent.thinkingCallId === null)).toBe(true);
  expect(state.run.scenarioDone).toBe(true);
  const unsafe = events.some((event) => event.type === 'decision' && event.unsafe);
  const app = await renderApp(store);
  const frame = app.frame();
  expect(frame).toContain('Rounds ');
  // The timeline numbers its rounds, the newest on the right; an unsafe one is kept in history.
  const last = state.history.at(-1)!;
  expect(frame).toContain(
    `${last.round}${last.unsafe ? '✗' : last.outcome === 'committed' ? '✓' : '∅'}`,
  );
  if (unsafe) expect(state.history.some((record) => record.unsafe)).toBe(true);
  expect(frame.split('\n').length).toBeLessThanOrEqual(39);
});
