import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { connectStore, FRAME_MS, realScheduler, STREAM_FRAME_MS } from '../../src/store/bridge.js';
import { createDashboardStore } from '../../src/store/store.js';
import { FakeRuntime } from '../support/fake-runtime.js';
import { call, runStart } from './fixtures.js';

describe('connectStore', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  function connected() {
    const runtime = new FakeRuntime();
    const store = createDashboardStore();
    const disconnect = connectStore(runtime, store, realScheduler);
    let notifications = 0;
    store.subscribe(() => notifications++);
    return { runtime, store, disconnect, notifications: () => notifications };
  }

  test('coalesces 1000 deltas within one frame window into a single store update', () => {
    const { runtime, store, notifications } = connected();
    runtime.emit(runStart(), ...call(1, 'alpha', 'propose', 0, 'x', { deltas: 1 }).slice(0, 1));
    vi.advanceTimersByTime(33);
    const before = notifications();
    for (let i = 0; i < 1000; i++) {
      runtime.emit({
        type: 'llm_delta',
        t: i,
        call_id: 'r1-propose-alpha',
        agent: 'alpha',
        text: 'a',
      });
    }
    expect(notifications()).toBe(before); // nothing until the frame is due
    vi.advanceTimersByTime(STREAM_FRAME_MS);
    expect(notifications()).toBe(before + 1);
    const block = store.getState().log.at(-1);
    expect(block?.kind === 'call' ? block.text.length : 0).toBe(1000);
  });

  test('tokens alone flush at most every STREAM_FRAME_MS; any other event brings the flush forward', () => {
    const { runtime, store, notifications } = connected();
    runtime.emit(runStart(), ...call(1, 'alpha', 'propose', 0, 'x', { deltas: 1 }).slice(0, 1));
    vi.advanceTimersByTime(1); // flushed at once: the first frame is never held back
    const before = notifications();
    const delta = {
      type: 'llm_delta',
      t: 1,
      call_id: 'r1-propose-alpha',
      agent: 'alpha',
      text: 'a',
    } as const;
    runtime.emit(delta);
    vi.advanceTimersByTime(FRAME_MS);
    expect(notifications()).toBe(before); // a frame for tokens alone is not due yet
    vi.advanceTimersByTime(STREAM_FRAME_MS - FRAME_MS - 1);
    expect(notifications()).toBe(before + 1);
    runtime.emit(delta);
    vi.advanceTimersByTime(10);
    runtime.emit({ type: 'phase', t: 2, round: 1, phase: 'vote', attempt: 0 });
    vi.advanceTimersByTime(FRAME_MS - 10);
    expect(notifications()).toBe(before + 2);
    expect(store.getState().phase).toBe('vote');
  });

  test('spaces flushes at least one frame apart', () => {
    const { runtime, notifications } = connected();
    runtime.emit(runStart());
    vi.advanceTimersByTime(1);
    const afterFirst = notifications();
    runtime.emit({ type: 'section', t: 1, index: 1, total: 5, title: 'healthy' });
    vi.advanceTimersByTime(20);
    expect(notifications()).toBe(afterFirst);
    vi.advanceTimersByTime(FRAME_MS - 20);
    expect(notifications()).toBe(afterFirst + 1);
  });

  test('moves the simulated clock about ten times a second while running, not while paused', () => {
    const { runtime, store } = connected();
    runtime.time = 500;
    vi.advanceTimersByTime(100);
    expect(store.getState().run.now).toBe(500);
    runtime.setStatus({ paused: true });
    expect(store.getState().run.paused).toBe(true);
    const frozen = store.getState().run.now;
    runtime.time = 9999; // a runtime would not do this while paused; the store must not look
    vi.advanceTimersByTime(1000);
    expect(store.getState().run.now).toBe(frozen);
  });

  test('applies queued events before a status change', () => {
    const { runtime, store } = connected();
    runtime.emit(runStart(), { type: 'phase', t: 0, round: 1, phase: 'vote', attempt: 1 });
    runtime.setStatus({ paused: true });
    expect(store.getState().phase).toBe('vote');
    expect(store.getState().run.paused).toBe(true);
  });

  test('disconnect unsubscribes, flushes what is queued and stops the tick', () => {
    const { runtime, store, disconnect } = connected();
    runtime.emit(runStart());
    disconnect();
    expect(store.getState().agents).toHaveLength(5);
    expect(runtime.listenerCount).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });
});
