import { Text } from 'ink';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { KEYMAP, resolveKey } from '../../components/keymap.js';
import { nextSpeed } from '../../components/intents.js';
import type { HybridEvent } from '../../src/core/events.js';
import { FakeRuntime } from '../support/fake-runtime.js';
import { round, runStart } from './fixtures.js';
import { KEYS, cleanupAll, renderApp, storeWith } from './render.js';

vi.mock('ink-spinner', () => ({ default: () => <Text>*</Text> }));

afterEach(() => cleanupAll());

async function app(runtime = new FakeRuntime()) {
  const events: HybridEvent[] = [runStart()];
  for (let n = 1; n <= 4; n++) events.push(...round(n, n * 3000));
  return renderApp(storeWith(events), runtime);
}

describe('run keys', () => {
  test('space toggles pause', async () => {
    const { press, runtime, frame } = await app();
    await press(' ');
    expect(runtime.calls).toEqual([{ method: 'togglePause' }]);
    expect(frame()).toContain('PAUSED');
    await press(' ');
    expect(frame()).toContain('RUNNING');
  });

  test('n and right-arrow step one phase, pausing first when running', async () => {
    const { press, runtime } = await app();
    await press('n');
    expect(runtime.calls).toEqual([{ method: 'pause' }, { method: 'step' }]);
    await press(KEYS.right);
    expect(runtime.calls.slice(2)).toEqual([{ method: 'step' }]);
  });

  test('+ and - move along the speed steps', async () => {
    const { press, runtime, frame } = await app();
    await press('+', '+', '-');
    expect(runtime.calls).toEqual([
      { method: 'setSpeed', speed: 2 },
      { method: 'setSpeed', speed: 4 },
      { method: 'setSpeed', speed: 2 },
    ]);
    expect(frame()).toContain('x2');
    expect(nextSpeed(16, 1)).toBe('max');
    expect(nextSpeed('max', 1)).toBe('max');
    expect(nextSpeed(0.25, -1)).toBe(0.25);
    expect(nextSpeed(3, -1)).toBe(2);
  });

  test('p toggles the protocol', async () => {
    const { press, runtime } = await app();
    await press('p');
    expect(runtime.commands()).toEqual([{ type: 'toggle_protocol' }]);
  });

  test('q and Ctrl+C stop the runtime', async () => {
    for (const key of ['q', KEYS.ctrlC]) {
      const { press, runtime } = await app();
      await press(key);
      expect(runtime.calls).toEqual([{ method: 'stop' }]);
    }
  });
});

describe('agent keys', () => {
  test('1-9 and up/down select; b, c, s and r act on the selected agent; R recovers all', async () => {
    const { press, runtime, frame } = await app();
    await press('2', 'b');
    expect(frame()).toContain('▶● Beta-Memory');
    await press(KEYS.down, 'c');
    await press(KEYS.down, KEYS.down, 's');
    await press(KEYS.up, 'r');
    await press('9', 'R'); // no ninth agent: the selection stays
    await press('1', KEYS.up, 'b');
    expect(runtime.commands()).toEqual([
      { type: 'inject', agent: 'beta', kind: 'byzantine' },
      { type: 'inject', agent: 'gamma', kind: 'crash' },
      { type: 'inject', agent: 'epsilon', kind: 'slow' },
      { type: 'recover', agent: 'delta' },
      { type: 'recover_all' },
      { type: 'inject', agent: 'alpha', kind: 'byzantine' },
    ]);
  });
});

describe('a jailed agent', () => {
  test('r recovers it and lets it out of jail', async () => {
    const events: HybridEvent[] = [runStart(), ...round(1, 3000)];
    events.push({
      type: 'jail',
      round: 1,
      agent: 'gamma',
      evidence: 'equivocation',
      until_height: 11,
      t: 3500,
    });
    const { press, runtime, frame } = await renderApp(storeWith(events), new FakeRuntime());
    expect(frame()).toContain('⊘');
    await press('3', 'r');
    expect(runtime.commands()).toEqual([
      { type: 'recover', agent: 'gamma' },
      { type: 'release', agent: 'gamma' },
    ]);
  });
});

describe('log keys', () => {
  test('k/j scroll a line, PgUp/PgDn a page', async () => {
    const { press, store, frame } = await app();
    expect(frame()).toContain('round 4: committed n1');
    await press('k', 'k', 'k');
    expect(store.getState().ui.logScroll).toBe(3);
    expect(frame()).toContain('↑3 lines back');
    await press('j');
    expect(store.getState().ui.logScroll).toBe(2);
    const page = store.getState().ui.logViewport - 1;
    await press(KEYS.pageUp);
    expect(store.getState().ui.logScroll).toBe(2 + page);
    await press(KEYS.pageDown, KEYS.pageDown);
    expect(store.getState().ui.logScroll).toBe(0);
    expect(frame()).toContain('round 4: committed n1');
  });

  test('f filters to the selected agent and back; v hides and shows prompts', async () => {
    const { press, frame } = await app();
    await press('3', 'f');
    expect(frame()).toContain('Log (Gamma-Compute, prompts shown)');
    expect(frame()).not.toMatch(/│ Alpha-GPU {2}VOTE/);
    await press('f');
    expect(frame()).toContain('Log (all agents, prompts shown)');
    await press('v');
    expect(frame()).toContain('prompts hidden');
    expect(frame()).not.toContain('> You are');
    await press('v');
    expect(frame()).toContain('> You are');
  });
});

describe('overlays', () => {
  test('? opens the help, which takes the keys until Esc closes it', async () => {
    const { press, runtime, frame } = await app();
    await press('?');
    expect(frame()).toContain('Help  (? or Esc closes)');
    await press('b', 'p'); // main-screen keys do nothing under the help
    expect(runtime.commands()).toEqual([]);
    await press(KEYS.escape);
    expect(frame()).not.toContain('Help  (? or Esc closes)');
    await press('?', '?');
    expect(frame()).toContain('Vote tally');
  });

  test('Enter opens the selected agent, Esc closes it', async () => {
    const { press, frame } = await app();
    await press('2', KEYS.enter);
    expect(frame()).toContain('last call r4-vote-beta');
    expect(frame()).toContain('Response');
    await press(KEYS.down);
    expect(frame()).toContain('last call r4-vote-gamma');
    await press(KEYS.escape);
    expect(frame()).toContain('Vote tally');
  });
});

test('every binding resolves in its scopes to its own intent', () => {
  for (const binding of KEYMAP) {
    for (const spec of binding.keys) {
      const input = 'input' in spec ? spec.input : '';
      const key =
        'key' in spec ? { [spec.key]: true } : { ctrl: 'input' in spec && spec.ctrl === true };
      for (const scope of binding.scopes) {
        const expected =
          typeof binding.intent === 'function' ? binding.intent(input) : binding.intent;
        expect(resolveKey(scope, input, key), `${binding.label} in ${scope}`).toEqual(expected);
      }
    }
  }
  expect(resolveKey('main', 'z', {})).toBeNull();
  expect(resolveKey('main', 'x', {})).toEqual({ type: 'inject', kind: 'partition' });
  expect(resolveKey('main', 'c', { ctrl: true })).toEqual({ type: 'quit' });
});
