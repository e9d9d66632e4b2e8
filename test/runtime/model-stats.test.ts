// The summary's per-model figures, from a hand-written event stream whose answers are known.
import { describe, expect, it } from 'vitest';
import type { HybridEvent } from '../../src/core/events.js';
import { ModelStats } from '../../src/runtime/model-stats.js';

const start = {
  type: 'run_start',
  t: 0,
  seed: 1,
  scenario: 's',
  protocol: 'classic',
  mode: 'llm',
  model: null,
  agents: [
    { id: 'a', name: 'A', specialty: 'gpu', weight: 3, model: 'big', endpoint: 'h1:1' },
    { id: 'b', name: 'B', specialty: 'gpu', weight: 1, model: 'small', endpoint: 'h2:2' },
    { id: 'c', name: 'C', specialty: 'gpu', weight: 1, model: 'small', endpoint: 'h2:2' },
    { id: 'd', name: 'D', specialty: 'gpu', weight: 1, model: null, endpoint: null },
  ],
} as unknown as HybridEvent;

function response(
  agent: string,
  source: 'llm' | 'fallback' | 'offline',
  latency: number,
  model: string | null,
) {
  return {
    type: 'llm_response',
    t: 0,
    round: 1,
    call_id: `${agent}-${latency}`,
    agent,
    phase: 'propose',
    source,
    model,
    endpoint: model === 'big' ? 'h1:1' : model ? 'h2:2' : null,
    raw: '',
    latency_ms: latency,
    ttft_ms: null,
    tokens: null,
    error: null,
    rejected_raw: null,
    attempts: 1,
  } as unknown as HybridEvent;
}

function vote(
  round: number,
  attempt: number,
  agent: string,
  v: 'accept' | 'reject' | null,
  weight: number,
  status = 'counted',
) {
  return {
    type: 'vote',
    t: 0,
    round,
    attempt,
    agent,
    vote: v,
    confidence: 1,
    reasoning: '',
    weight,
    status,
    corrupted: false,
  } as unknown as HybridEvent;
}

const tally = (round: number, attempt: number, type: 'decision' | 'retry' = 'decision') =>
  ({ type, t: 0, round, attempt }) as unknown as HybridEvent;

describe('ModelStats', () => {
  it('splits calls and latency by model, a fallback counting for the model that failed', () => {
    const s = new ModelStats();
    for (const e of [
      start,
      response('a', 'llm', 100, 'big'),
      response('a', 'llm', 300, 'big'),
      response('b', 'fallback', 50, 'small'),
      response('c', 'llm', 70, 'small'),
      response('d', 'offline', 900, null),
    ])
      s.observe(e);
    const out = s.summary();
    expect(out['big']).toMatchObject({
      agents: ['a'],
      endpoints: ['h1:1'],
      calls: { llm: 2, fallback: 0, offline: 0 },
      latency_ms: { p50: 100, p95: 300 },
    });
    expect(out['small']?.calls).toEqual({ llm: 1, fallback: 1, offline: 0 });
    expect(out['small']?.agents).toEqual(['b', 'c']);
    expect(out['offline']).toMatchObject({
      agents: ['d'],
      calls: { llm: 0, fallback: 0, offline: 1 },
    });
  });

  it('scores each counted vote against the weighted majority on its candidate', () => {
    const s = new ModelStats();
    s.observe(start);
    // Round 1: a (weight 3) accepts, b and c reject: the majority by weight is accept.
    s.observe(vote(1, 0, 'a', 'accept', 3));
    s.observe(vote(1, 0, 'b', 'reject', 1));
    s.observe(vote(1, 0, 'c', 'reject', 1));
    s.observe(vote(1, 0, 'd', null, 1, 'absent')); // not counted
    s.observe(tally(1, 0, 'retry'));
    // Round 1, second candidate: a tie (3 vs 3) has no majority and scores nobody.
    s.observe(vote(1, 1, 'a', 'accept', 3));
    s.observe(vote(1, 1, 'b', 'reject', 1));
    s.observe(vote(1, 1, 'c', 'reject', 1));
    s.observe(vote(1, 1, 'd', 'reject', 1));
    s.observe(tally(1, 1));
    // Round 2 is still open at the summary: it is scored then.
    s.observe(vote(2, 0, 'b', 'accept', 1));
    s.observe(vote(2, 0, 'c', 'accept', 1));
    s.observe(vote(2, 0, 'd', 'accept', 2));
    s.observe(vote(2, 0, 'a', 'reject', 3));
    // Round 2: accept 4 against reject 3.
    const out = s.summary();
    expect(out['big']).toMatchObject({ votes: 2, agreement: 0.5 });
    expect(out['small']).toMatchObject({ votes: 4, agreement: 0.5 });
    expect(out['offline']).toMatchObject({ votes: 1, agreement: 1 });
  });
});
