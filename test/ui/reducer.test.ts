import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { HybridEvent } from '../../src/core/events.js';
import { applyEvent, applyEvents, mergeDeltas } from '../../src/store/reducer.js';
import {
  HISTORY_LIMIT,
  initialData,
  LOG_LIMIT,
  TEXT_LIMIT,
  type CallEntry,
} from '../../src/store/state.js';
import { attackFaults, call, round, runStart } from './fixtures.js';

const fold = (events: readonly HybridEvent[]) => events.reduce(applyEvent, initialData());

describe('applyEvent', () => {
  test('builds agents, round state and history from a healthy round', () => {
    const state = fold([runStart(), ...round(1, 1000)]);
    expect(state.agents.map((agent) => agent.name)).toEqual([
      'Alpha-GPU',
      'Beta-Memory',
      'Gamma-Compute',
      'Delta-Storage',
      'Epsilon-Network',
    ]);
    expect(state.agents[0]).toMatchObject({ calls: 2, thinkingCallId: null, status: 'healthy' });
    expect(state.agents[0]?.latencies).toEqual([800, 800]);
    expect(state.round).toBe(1);
    expect(state.phase).toBe('decide');
    expect(state.candidate).toMatchObject({ nodeId: 'n1', valid: true });
    expect(state.tally).toMatchObject({ accept: 5.5, reject: 0, absent: 0, total: 5.5 });
    expect(state.history).toHaveLength(1);
    expect(state.history[0]).toMatchObject({
      round: 1,
      nodeId: 'n1',
      outcome: 'committed',
      valid: true,
      unsafe: false,
      fork: false,
      latencyMs: 2000,
    });
    // The round as it was decided, for the timeline: its votes, tally, decision and log range.
    const snapshot = state.history[0]!.snapshot;
    expect(snapshot.votes.map((vote) => vote.vote)).toEqual(Array(5).fill('accept'));
    expect(snapshot.decision).toMatchObject({ outcome: 'committed', nodeId: 'n1' });
    const roundLines = state.log.filter(
      (entry) => entry.seq >= snapshot.logFrom && entry.seq < snapshot.logTo,
    );
    expect(roundLines[0]).toMatchObject({ kind: 'line', tone: 'round' });
    expect(roundLines.at(-1)).toMatchObject({ kind: 'line', tone: 'commit' });
  });

  test("keeps a slow agent's late answer to an earlier round out of this round's tally", () => {
    const state = fold([runStart(), ...round(1, 1000), ...round(2, 9000)]);
    const before = { proposals: state.proposals, votes: state.votes, tally: state.tally };
    const late = fold([
      runStart(),
      ...round(1, 1000),
      ...round(2, 9000),
      {
        type: 'proposal',
        t: 9500,
        round: 1,
        agent: 'beta',
        node_id: null,
        score: null,
        reasoning: 'answer missed the phase deadline',
        status: 'late',
        reason: 'answer missed the phase deadline',
        corrupted: false,
      },
      {
        type: 'vote',
        t: 9600,
        round: 1,
        attempt: 0,
        agent: 'beta',
        vote: null,
        confidence: null,
        reasoning: 'late',
        weight: 1.2,
        status: 'late',
        corrupted: false,
      },
    ]);
    expect(late.round).toBe(2);
    expect({ proposals: late.proposals, votes: late.votes, tally: late.tally }).toEqual(before);
  });

  test('assembles a call block from its deltas and closes it on the response', () => {
    const events = call(1, 'beta', 'propose', 10, 'abcdefghi', { deltas: 3 });
    const request = fold([runStart(), events[0]!]);
    expect(request.agents[1]?.thinkingCallId).toBe('r1-propose-beta');
    const streaming = fold([runStart(), ...events.slice(0, 3)]);
    const block = streaming.log.at(-1) as CallEntry;
    expect(block).toMatchObject({
      kind: 'call',
      name: 'Beta-Memory',
      text: 'abcdef',
      status: 'streaming',
    });
    const done = fold([runStart(), ...events]);
    expect(done.log.at(-1)).toMatchObject({ text: 'abcdefghi', status: 'done', latencyMs: 800 });
    expect(done.agents[1]).toMatchObject({ thinkingCallId: null, calls: 1 });
    expect(done.agents[1]?.lastCall).toMatchObject({ raw: 'abcdefghi', done: true, ttftMs: 120 });
  });

  test('ignores deltas for streams it never saw', () => {
    const before = fold([runStart()]);
    const after = applyEvent(before, {
      type: 'llm_delta',
      t: 5,
      call_id: 'gone',
      agent: 'alpha',
      text: 'x',
    });
    expect(after).toBe(before);
  });

  test('tracks faults with their recovery time, and recovery', () => {
    const faulted = fold([runStart(), ...attackFaults(4000)]);
    expect(faulted.section).toEqual({ index: 2, total: 5, title: 'attack', caption: null });
    expect(faulted.agents[1]).toMatchObject({
      status: 'byzantine',
      fault: { kind: 'byzantine', recoverAt: 29_000, durationMs: 25_000 },
    });
    const recovered = applyEvent(faulted, {
      type: 'recovered',
      t: 29_000,
      agent: 'beta',
      kind: 'byzantine',
      by: 'timer',
    });
    expect(recovered.agents[1]).toMatchObject({ status: 'healthy', fault: null });
    expect(recovered.log.at(-1)).toMatchObject({ tone: 'recovered', agent: 'beta' });
  });

  test('flags an unsafe commit and says why', () => {
    const state = fold([runStart(), ...attackFaults(4000), ...round(2, 5000, { attack: true })]);
    expect(state.decision).toMatchObject({
      nodeId: 'n999',
      unsafe: true,
      unsafeReason: 'not in cluster',
    });
    expect(state.history.at(-1)).toMatchObject({ nodeId: 'n999', unsafe: true });
    expect(state.log.at(-1)).toMatchObject({ tone: 'unsafe' });
  });

  test('counts the tally live as votes arrive, and resets it for a new candidate', () => {
    const events = round(1, 1000);
    const firstVote = events.findIndex((event) => event.type === 'vote');
    const partial = fold([runStart(), ...events.slice(0, firstVote + 2)]);
    expect(partial.tally.accept).toBeCloseTo(2.5);
    expect(partial.tally.quorum).toBeCloseTo(3.667, 2);
    const retry = applyEvent(partial, {
      type: 'candidate',
      t: 3000,
      round: 1,
      attempt: 2,
      node_id: 'n2',
      score: 0.8,
      proposer: 'gamma',
      valid: true,
      reason: null,
    });
    expect(retry.votes).toEqual([]);
    expect(retry.tally.accept).toBe(0);
  });

  test("the live tally has the run's quorum, then a bft height's own figures", () => {
    const start = runStart() as Extract<HybridEvent, { type: 'run_start' }>;
    const half = { ...start, config: { ...start.config, quorum: 0.5 } };
    const [roundStart] = round(1, 1000, { protocol: 'bft' });
    // --quorum 0.5: 2.75 of 5.5 before any vote, not 2/3's 3.67.
    expect(fold([half, roundStart!]).tally).toMatchObject({ total: 5.5, quorum: 2.75 });
    // A height with a jailed agent: its proposal gives the validator set's figures, and the
    // votes that follow are counted against them.
    const events = round(1, 1000, { protocol: 'bft' }).filter((e) => e.type !== 'decision');
    const at = events.findIndex((e) => e.type === 'candidate') + 1;
    const propose: HybridEvent = {
      type: 'bft_propose',
      t: 2000,
      round: 1,
      attempt: 0,
      proposer: 'alpha',
      node_id: 'n1',
      valid: true,
      sent: {},
      total_weight: 4.3,
      quorum: 2.87,
    };
    const state = fold([runStart(), ...events.slice(0, at), propose, ...events.slice(at)]);
    expect(state.votes.length).toBeGreaterThan(0);
    expect(state.tally).toMatchObject({ total: 4.3, quorum: 2.87 });
    expect(state.tally.accept).toBeGreaterThan(0);
  });

  test('a scenario step that sets the quorum is logged, and the next round counts with it', () => {
    const half: HybridEvent = { type: 'quorum', t: 500, quorum: 0.5, by: 'scenario' };
    const [roundStart] = round(1, 1000);
    const state = fold([runStart(), half, roundStart!]);
    expect(state.tally).toMatchObject({ total: 5.5, quorum: 2.75 });
    expect(
      state.log.some((e) => e.text === 'quorum -> strictly more than 0.5 of the weight (scenario)'),
    ).toBe(true);
    const back = fold([runStart(), half, { ...half, quorum: null }, roundStart!]);
    expect(back.tally.quorum).toBeCloseTo(3.667, 2);
  });

  test("before a bft height's proposal the tally leaves jailed agents out, until released", () => {
    const jail: HybridEvent = {
      type: 'jail',
      t: 500,
      round: 1,
      agent: 'beta',
      evidence: 'equivocation',
      until_height: 3,
    };
    const [roundStart] = round(2, 1000, { protocol: 'bft' });
    const jailed = fold([runStart(), jail, roundStart!]);
    expect(jailed.tally.total).toBeCloseTo(4.3);
    expect(jailed.tally.quorum).toBeCloseTo(2.867, 2);
    // The term ran out: released at the height's start, just after its round_start.
    const release: HybridEvent = { type: 'release', t: 1000, agent: 'beta', by: 'timer' };
    const back = applyEvent(jailed, release);
    expect(back.tally.total).toBeCloseTo(5.5);
    expect(back.tally.quorum).toBeCloseTo(3.667, 2);
  });

  test('keeps the log bounded after 10,000 events', () => {
    let state = fold([runStart()]);
    for (let i = 0; i < 10_000; i++) {
      state = applyEvent(state, {
        type: 'fault',
        t: i,
        agent: 'alpha',
        kind: 'slow',
        duration_ms: 1000,
        recover_at: i + 1000,
        by: 'user',
      });
    }
    expect(state.log).toHaveLength(LOG_LIMIT);
    expect(state.log.at(-1)?.seq).toBe(10_000);
  });

  test('keeps the log and history bounded when 250 rounds of events arrive in one batch', () => {
    const events: HybridEvent[] = [];
    for (let n = 1; n <= 250; n++) events.push(...round(n, n * 3000));
    expect(events.length).toBeGreaterThan(10_000);
    const state = applyEvents(initialData(), [runStart(), ...events]);
    expect(state.log.length).toBeLessThanOrEqual(LOG_LIMIT);
    expect(state.history).toHaveLength(HISTORY_LIMIT);
    expect(state.history.at(-1)?.round).toBe(state.round);
  });
});

describe('applyEvents with token deltas merged per call', () => {
  const AGENTS = ['alpha', 'beta', 'gamma', 'delta', 'epsilon'];
  // A call: its request, its deltas (now and then long enough to pass the text cap), and mostly
  // its response; a few deltas belong to no known call.
  const oneCall = fc.record({
    agent: fc.constantFrom(...AGENTS, 'nobody'),
    round: fc.integer({ min: 1, max: 2 }),
    phase: fc.constantFrom('propose' as const, 'vote' as const),
    texts: fc.array(
      fc.oneof(
        { weight: 9, arbitrary: fc.string({ maxLength: 6 }) },
        { weight: 1, arbitrary: fc.constant('x'.repeat(TEXT_LIMIT / 2 - 3)) },
      ),
      { maxLength: 12 },
    ),
    answered: fc.boolean(),
    requested: fc.integer({ min: 0, max: 9 }).map((n) => n > 0),
  });
  const run = fc.record({
    calls: fc.array(oneCall, { minLength: 1, maxLength: 6 }),
    picks: fc.array(fc.nat(), { minLength: 100, maxLength: 100 }),
    cuts: fc.array(fc.nat({ max: 120 }), { maxLength: 8 }),
  });

  function interleave(calls: readonly HybridEvent[][], picks: readonly number[]): HybridEvent[] {
    const queues = calls.map((events) => events.slice());
    const out: HybridEvent[] = [];
    for (let i = 0; queues.some((q) => q.length > 0); i++) {
      const open = queues.filter((q) => q.length > 0);
      out.push(open[(picks[i % picks.length] ?? 0) % open.length]!.shift()!);
    }
    return out;
  }

  test('gives the state applying them one at a time gives, however the batches fall', () => {
    fc.assert(
      fc.property(run, ({ calls, picks, cuts }) => {
        const streams = calls.map((c, n) => {
          const callId = `c${n}`;
          const base = { round: c.round, call_id: callId, agent: c.agent, phase: c.phase };
          const events: HybridEvent[] = [];
          if (c.requested)
            events.push({
              type: 'llm_request',
              t: n,
              ...base,
              source: 'llm',
              model: 'm',
              prompt: 'p',
            });
          for (const text of c.texts)
            events.push({ type: 'llm_delta', t: n, call_id: callId, agent: c.agent, text });
          if (c.answered)
            events.push({
              type: 'llm_response',
              t: n + 1,
              ...base,
              source: 'llm',
              model: 'm',
              raw: c.texts.join(''),
              latency_ms: 5,
              ttft_ms: 1,
              tokens: null,
              error: null,
              rejected_raw: null,
              attempts: 1,
            });
          return events;
        });
        const events = [runStart(), ...interleave(streams, picks)];
        const oneByOne = fold(events);
        const bounds = [
          ...new Set([0, ...cuts.map((c) => c % (events.length + 1)), events.length]),
        ];
        bounds.sort((a, b) => a - b);
        let batched = initialData();
        for (let i = 1; i < bounds.length; i++)
          batched = applyEvents(batched, events.slice(bounds[i - 1], bounds[i]));
        expect(batched).toEqual(oneByOne);
      }),
      { numRuns: 150 },
    );
  });

  test("joins each call's deltas between two other events, in order, and nothing else", () => {
    const delta = (call: string, text: string): HybridEvent => ({
      type: 'llm_delta',
      t: 0,
      call_id: call,
      agent: 'alpha',
      text,
    });
    const phase: HybridEvent = { type: 'phase', t: 0, round: 1, phase: 'vote', attempt: 0 };
    const merged = mergeDeltas([
      delta('a', 'he'),
      delta('b', '{"'),
      delta('a', 'll'),
      delta('b', 'v'),
      delta('a', 'o'),
      phase,
      delta('a', '!'),
    ]);
    expect(merged.map((e) => (e.type === 'llm_delta' ? `${e.call_id}:${e.text}` : e.type))).toEqual(
      ['a:hello', 'b:{"v', 'phase', 'a:!'],
    );
  });
});
