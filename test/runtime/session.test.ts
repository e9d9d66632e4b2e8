// Rewinding re-runs the deterministic core: the same config, the user's earlier commands and
// the same answers reach the same decisions, and the run waits at the start of the round.
import { describe, expect, it } from 'vitest';
import type { HybridEvent } from '../../src/core/events.js';
import type { CallRunner } from '../../src/runtime/calls.js';
import { OfflineCalls } from '../../src/runtime/offline-calls.js';
import { AnswerBook, RefeedCalls } from '../../src/runtime/refeed.js';
import { createRuntime } from '../../src/runtime/run-offline.js';
import { Session } from '../../src/runtime/session.js';
import { collectMax, config, ofType } from '../core/helpers.js';

/** Resolves once `predicate` holds for an event; `pause` stops the run right there (in the loop). */
function until(
  session: Session,
  predicate: (e: HybridEvent) => boolean,
  pause = false,
): Promise<HybridEvent> {
  return new Promise((resolve) => {
    const off = session.onEvent((e) => {
      if (predicate(e)) {
        off();
        if (pause) session.pause();
        resolve(e);
      }
    });
  });
}

/** Resolves once the rewind has reached its round and the run waits there. */
async function waitingAtRound(session: Session): Promise<void> {
  await new Promise<void>((resolve) => {
    const done = () => session.status().paused && !session.rewinding();
    if (done()) return resolve();
    const off = session.onStatus(() => {
      if (done()) {
        off();
        resolve();
      }
    });
  });
  // The old speed comes back just after the pause (a microtask): let it.
  await new Promise((resolve) => setImmediate(resolve));
}

const decisions = (events: readonly HybridEvent[]) =>
  ofType(events, 'decision').map(({ t: _t, ...rest }) => JSON.stringify(rest));

describe('Session.rewind', () => {
  it('re-runs to the start of the round, waits there when it was paused, and reaches the same decisions', async () => {
    const cfg = config({ seed: 1 });
    const reference = await collectMax(cfg);
    const session = new Session(createRuntime(cfg, { speed: 'max' }), {
      rebuild: () => createRuntime(cfg, { speed: 'max' }),
    });
    let events: HybridEvent[] = [];
    let resets = 0;
    session.onEvent((e) => events.push(e));
    session.onReset(() => {
      resets++;
      events = [];
    });
    // Pause as round 4 starts, the way a person would before going back.
    const paused = until(session, (e) => e.type === 'round_start' && e.round === 4, true);
    session.start();
    await paused;
    expect(session.rewind(2)).toBeNull();
    expect(resets).toBe(1);
    await waitingAtRound(session);
    // Waiting at round 2's start: round 1 decided again, round 2 not yet.
    expect(ofType(events, 'round_start').at(-1)?.round).toBe(2);
    expect(ofType(events, 'decision').map((d) => d.round)).toEqual([1]);
    expect(session.status()).toMatchObject({ paused: true, speed: 'max' });
    const done = until(session, (e) => e.type === 'summary');
    session.resume();
    await done;
    expect(decisions(events)).toEqual(decisions(reference));
  });

  it("re-issues the user's commands made before the round and drops the later ones", async () => {
    const cfg = config({ seed: 2 });
    const session = new Session(createRuntime(cfg, { speed: 'max' }), {
      rebuild: () => createRuntime(cfg, { speed: 'max' }),
    });
    const first: HybridEvent[] = [];
    const offFirst = session.onEvent((e) => first.push(e));
    let second: HybridEvent[] = [];
    session.onReset(() => {
      offFirst();
      session.onEvent((e) => second.push(e));
      second = [];
    });
    const round1 = until(session, (e) => e.type === 'round_start' && e.round === 1, true);
    const round3 = until(session, (e) => e.type === 'round_start' && e.round === 3, true);
    session.start();
    await round1;
    // Outside the runtime's loop, as keypresses are.
    session.command({ type: 'inject', agent: 'gamma', kind: 'crash' });
    session.resume();
    await round3;
    session.command({ type: 'inject', agent: 'alpha', kind: 'byzantine' });
    expect(session.rewind(3)).toBeNull();
    await waitingAtRound(session);
    const userFaults = (events: HybridEvent[]) =>
      ofType(events, 'fault')
        .filter((f) => f.by === 'user')
        .map((f) => `${f.agent}@${f.t}`);
    expect(userFaults(first)).toHaveLength(2);
    expect(userFaults(second)).toEqual(userFaults(first).slice(0, 1));
    expect(decisions(second)).toEqual(decisions(first).slice(0, 2));
    session.stop();
  });

  it("a model's answers are re-fed on a rewind: only calls never answered reach the model again", async () => {
    const cfg = config({ seed: 3 });
    const reference = await collectMax(cfg);
    // Stands in for a model: counts the calls that reach it.
    let asked = 0;
    const model = (): CallRunner => {
      const inner = new OfflineCalls();
      return {
        mode: 'llm',
        model: 'm',
        start: (ask, host) => {
          asked++;
          inner.start(ask, host);
        },
        cancel: (ids) => inner.cancel(ids),
        cancelAll: () => inner.cancelAll(),
        inFlight: () => 0,
      };
    };
    const book = new AnswerBook();
    const session = new Session(createRuntime(cfg, { speed: 'max', calls: model() }), {
      rebuild: () =>
        createRuntime(cfg, { speed: 'max', calls: new RefeedCalls(book.snapshot(), model()) }),
    });
    session.onEvent((e) => {
      if (e.type === 'llm_request' || e.type === 'llm_response') book.note(e);
    });
    let events: HybridEvent[] = [];
    session.onEvent((e) => events.push(e));
    session.onReset(() => (events = []));
    const round4 = until(session, (e) => e.type === 'round_start' && e.round === 4, true);
    session.start();
    await round4;
    const askedBefore = asked;
    expect(session.rewind(2)).toBeNull();
    await waitingAtRound(session);
    // Rounds 1 and 2's calls so far were answered before: none went to the model again.
    expect(asked).toBe(askedBefore);
    const done = until(session, (e) => e.type === 'summary');
    session.resume();
    await done;
    expect(decisions(events)).toEqual(decisions(reference));
    // Past where the first run got to, the model is asked again.
    expect(asked).toBeGreaterThan(askedBefore);
  });

  it('says why it cannot rewind', () => {
    const cfg = config({ seed: 1 });
    const recording = new Session(createRuntime(cfg), {
      rebuild: () => createRuntime(cfg),
      rewindRefusal: 'rewind is off while recording (--record): the file would hold two runs',
    });
    expect(recording.rewind(1)).toMatch(/^rewind is off while recording/);
    const fresh = new Session(createRuntime(cfg), { rebuild: () => createRuntime(cfg) });
    expect(fresh.rewind(7)).toBe('rewind: round 7 is no longer kept');
  });
});
