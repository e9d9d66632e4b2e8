import { Text } from 'ink';
import { afterEach, expect, test, vi } from 'vitest';
import type { HybridEvent } from '../../src/core/events.js';
import { FakeRuntime } from '../support/fake-runtime.js';
import { call, runStart } from './fixtures.js';
import { KEYS, cleanupAll, renderApp, storeWith } from './render.js';

vi.mock('ink-spinner', () => ({ default: () => <Text>*</Text> }));

afterEach(() => cleanupAll());

const HOSTILE = '\x1b[2J\x1b]0;pwned\x07';

test('model text cannot reach the terminal as control sequences', async () => {
  const [request, ...rest] = call(1, 'beta', 'propose', 10, '', {
    prompt: `You are Beta-Memory ${HOSTILE} \x1b[31mred\x1b[0m \u202Eevil`,
  });
  const events: HybridEvent[] = [
    runStart(),
    request!,
    {
      type: 'llm_delta',
      t: 11,
      call_id: 'r1-propose-beta',
      agent: 'beta',
      text: `${HOSTILE}{"node_id": "n1"`,
    },
    {
      type: 'llm_delta',
      t: 12,
      call_id: 'r1-propose-beta',
      agent: 'beta',
      text: `\r\x08\x9b2J, "x": 1}`,
    },
    {
      type: 'proposal',
      t: 20,
      round: 1,
      agent: 'beta',
      node_id: `n9${HOSTILE}`,
      score: 1,
      reasoning: HOSTILE,
      status: 'invalid',
      reason: `not in cluster ${HOSTILE}`,
      corrupted: true,
    },
  ];
  void rest;
  const app = await renderApp(storeWith(events), new FakeRuntime());
  const frames = () => app.frame();
  const check = (frame: string) => {
    expect(frame).not.toContain('\x1b');
    expect(frame).not.toContain('\x07');
    expect(frame).not.toContain('\x9b');
    expect(frame).not.toContain('\u202E');
    expect(frame).not.toContain('\r');
  };
  check(frames());
  expect(frames()).toContain('{"node_id": "n1"');
  await app.press('2', KEYS.enter);
  expect(frames()).toContain('Response');
  check(frames());
  await app.resize({ columns: 80, rows: 24 });
  await app.press(KEYS.escape);
  check(frames());
  for (const frame of app.frames) check(frame);
});
