// Every call the core makes ends, in the event log, one way or the other: an llm_response, or an
// llm_cancelled when the core stopped waiting for it. Without the second, a cut-off stream stayed
// "streaming" in the dashboard's log for good.
import { describe, expect, it } from 'vitest';
import type { AskEffect } from '../../src/core/io.js';
import type { HybridEvent } from '../../src/core/events.js';
import { NarrativePrinter } from '../../src/cli/narrative.js';
import { unansweredText } from '../../src/cli/summary-text.js';
import { requestEvent, type CallHost, type CallRunner } from '../../src/runtime/calls.js';
import { builtinRun, config, FakeClock, makeRuntime, ofType, scenario } from './helpers.js';

/** Checks that each request ends exactly once, and returns how the cancelled ones ended. */
function endings(events: readonly HybridEvent[]): string[] {
  const open = new Map<string, Extract<HybridEvent, { type: 'llm_request' }>>();
  const reasons: string[] = [];
  for (const e of events) {
    if (e.type === 'llm_request') {
      expect(open.has(e.call_id), `${e.call_id} asked twice`).toBe(false);
      open.set(e.call_id, e);
    } else if (e.type === 'llm_response' || e.type === 'llm_cancelled') {
      const req = open.get(e.call_id);
      expect(req, `${e.type} for ${e.call_id}, which is not open`).toBeDefined();
      expect({ agent: e.agent, round: e.round, phase: e.phase }).toEqual({
        agent: req?.agent,
        round: req?.round,
        phase: req?.phase,
      });
      open.delete(e.call_id);
      if (e.type === 'llm_cancelled') reasons.push(e.reason);
    }
  }
  expect([...open.keys()], 'calls that never ended').toEqual([]);
  return reasons;
}

describe('every call ends in the log', () => {
  it('bft: calls still out when a height ends are cancelled, and nothing more is heard of them', async () => {
    const reasons: string[] = [];
    for (const seed of [1, 2, 3, 5])
      reasons.push(...endings(await builtinRun('chaos', 'bft', seed, 30)));
    // The runs above do cut calls off (seed 5 alone cuts 5 in 40 heights): the check saw some.
    expect(reasons.length).toBeGreaterThan(0);
    expect(new Set(reasons)).toEqual(new Set(['height_ended']));
  });

  it('classic: a call unanswered at the phase deadline is cancelled there, and the runner is told', () => {
    const asked: AskEffect[] = [];
    const cancelled: string[] = [];
    // A model that never answers.
    const silent: CallRunner = {
      mode: 'llm',
      model: 'silent',
      start(ask: AskEffect, host: CallHost) {
        asked.push(ask);
        host.emit(requestEvent(ask, 'llm', 'silent', 'prompt'));
      },
      cancel: (ids) => void cancelled.push(...ids),
      cancelAll: () => undefined,
      inFlight: () => 0,
    };
    const cfg = config({
      protocol: 'classic',
      maxRounds: 1,
      scenario: scenario('one', [{ type: 'rounds', count: 1 }]),
    });
    const clock = new FakeClock();
    const { runtime } = makeRuntime(cfg, { clock, calls: silent });
    const events: HybridEvent[] = [];
    runtime.onEvent((e) => events.push(e));
    void runtime.start();
    while (!runtime.status().stopped && clock.fireNext());
    expect(asked).toHaveLength(5);
    expect(endings(events)).toEqual(asked.map(() => 'deadline'));
    const cancels = ofType(events, 'llm_cancelled');
    expect(cancels.map((e) => e.call_id)).toEqual(asked.map((a) => a.callId));
    expect(cancelled).toEqual(asked.map((a) => a.callId));
    const request = ofType(events, 'llm_request')[0];
    expect(cancels[0]?.t).toBe((request?.t ?? 0) + cfg.timing.phaseDeadlineMs);
  });

  it('the summary counts every call: answered by source, cancelled, or cut off by a stop', async () => {
    for (const seed of [1, 5]) {
      const events = await builtinRun('chaos', 'bft', seed, 40);
      const summary = ofType(events, 'summary')[0]!;
      const asked = ofType(events, 'llm_request').length;
      const { llm, fallback, offline } = summary.calls;
      expect(summary.unanswered?.cancelled, `seed ${seed}`).toBe(
        ofType(events, 'llm_cancelled').length,
      );
      expect(llm + fallback + offline + summary.unanswered!.cancelled, `seed ${seed}`).toBe(asked);
    }
    // A stop with five calls out: the model never answers, and the user quits.
    const out = new Set<string>();
    const silent: CallRunner = {
      mode: 'llm',
      model: 'silent',
      start(ask: AskEffect, host: CallHost) {
        out.add(ask.callId);
        host.emit(requestEvent(ask, 'llm', 'silent', 'prompt'));
      },
      cancel: (ids) => ids.forEach((id) => out.delete(id)),
      cancelAll: () => out.clear(),
      inFlight: () => out.size,
    };
    const { runtime } = makeRuntime(config({ protocol: 'classic' }), {
      clock: new FakeClock(),
      calls: silent,
    });
    const summaries: HybridEvent[] = [];
    runtime.onEvent((e) => e.type === 'summary' && summaries.push(e));
    void runtime.start();
    expect(out.size).toBe(5);
    runtime.stop();
    expect(summaries).toMatchObject([
      { calls: { llm: 0, fallback: 0, offline: 0 }, unanswered: { cancelled: 0, cut_off: 5 } },
    ]);
    expect(unansweredText(summaries[0] as Extract<HybridEvent, { type: 'summary' }>)).toBe(
      '; no answer: 5 cut off when the run stopped',
    );
    // The round the stop cut short is counted as such, not left for the reader to work out.
    const lines: string[] = [];
    new NarrativePrinter((line) => lines.push(line)).on(summaries[0] as HybridEvent);
    expect(lines.join('\n')).toMatch(
      /rounds: 1 {3}committed: 0 {3}no decision: 0 {3}unfinished: 1 /,
    );
  });

  it('a stop while offline agents think counts their calls as cut off', () => {
    const clock = new FakeClock();
    const { runtime } = makeRuntime(config({ protocol: 'bft' }), { clock });
    const events: HybridEvent[] = [];
    runtime.onEvent((e) => events.push(e));
    void runtime.start();
    // A little simulated time: some answers are in, the rest still thinking.
    clock.advance(700);
    runtime.stop();
    const summary = ofType(events, 'summary')[0]!;
    const asked = ofType(events, 'llm_request').length;
    const answered = ofType(events, 'llm_response').length;
    expect(asked).toBeGreaterThan(answered);
    // It read "offline 0" and nothing of the calls a quit cut off, with four agents thinking.
    expect(summary.unanswered).toEqual({ cancelled: 0, cut_off: asked - answered });
    expect(summary.calls.offline).toBe(answered);
  });

  it('the headless narrative says which call was cut off, and why', async () => {
    const events = await builtinRun('chaos', 'bft', 5, 20);
    const cut = ofType(events, 'llm_cancelled')[0];
    expect(cut).toMatchObject({ agent: 'epsilon', round: 19, reason: 'height_ended' });
    const lines: string[] = [];
    const printer = new NarrativePrinter((line) => lines.push(line));
    for (const e of events) printer.on(e);
    expect(lines).toContain(
      '  Epsilon-Network: call cancelled, the height ended before its answer came',
    );
  });
});
