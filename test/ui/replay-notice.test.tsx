// A replay that does not match its recording says so in red, in the header.
import { Text } from 'ink';
import { cleanup } from 'ink-testing-library';
import { afterEach, expect, test, vi } from 'vitest';
import { Header } from '../../components/Header.js';
import { runStart } from './fixtures.js';
import { renderPane, settle, storeWith } from './render.js';

vi.mock('ink-spinner', () => ({ default: () => <Text>*</Text> }));
afterEach(() => cleanup());

test('the header shows the store notice, in red', async () => {
  const store = storeWith([runStart()]);
  const pane = renderPane(<Header width={140} />, store);
  expect(pane.frame()).not.toContain('MISMATCH');
  store.getState().actions.setNotice('REPLAY MISMATCH at round 3: recording altered');
  await settle();
  const frame = pane.frame();
  expect(frame).toContain('REPLAY MISMATCH at round 3: recording altered');
});
