// The runtime driving real `openai` clients against a local OpenAI-compatible server: the whole
// path a user with an endpoint meets, including a server that misbehaves in every way we know.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveLlmConfig } from '../../src/agents/config.js';
import { createLlmClient } from '../../src/agents/llm-client.js';
import { makeCoreConfig } from '../../src/core/config.js';
import type { HybridEvent } from '../../src/core/events.js';
import { BUILTIN_SCENARIOS } from '../../src/core/scenario.js';
import type { ScenarioSpec } from '../../src/core/scenario.js';
import { LlmCalls } from '../../src/runtime/llm-calls.js';
import { createRuntime } from '../../src/runtime/run-offline.js';
import { FakeOpenAiServer, type Script } from '../support/fake-openai-server.js';

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u001b\u009b\u0007\u0008]/;
let server: FakeOpenAiServer;

beforeAll(async () => {
  server = await FakeOpenAiServer.start({ latencyMs: 20, tokenDelayMs: 1, chunkChars: 6 });
});
afterAll(async () => {
  await server.close();
});

async function run(
  scenario: ScenarioSpec,
  opts: { timeoutS?: number; concurrency?: number; maxRounds?: number } = {},
) {
  const llm = resolveLlmConfig({
    flags: { baseUrl: server.baseUrl, model: 'fake-model', timeoutS: opts.timeoutS ?? 10 },
    env: {},
    configFile: null,
  });
  const calls = new LlmCalls(
    createLlmClient(llm, { backoffBaseMs: 5, retryAfterCapMs: 1500 }),
    opts.concurrency ?? 5,
  );
  const cfg = makeCoreConfig({
    seed: 7,
    scenario,
    protocol: 'bft',
    maxRounds: opts.maxRounds ?? null,
  });
  const runtime = createRuntime(cfg, { calls, speed: 'max' });
  const events: HybridEvent[] = [];
  runtime.onEvent((e) => events.push(e));
  const summary = await runtime.start();
  return { events, summary };
}

const of = <T extends HybridEvent['type']>(events: HybridEvent[], type: T) =>
  events.filter((e): e is Extract<HybridEvent, { type: T }> => e.type === type);

function expectNoControl(events: HybridEvent[]): void {
  for (const e of events) expect(JSON.stringify(e)).not.toMatch(/\\u001b|\\u0007|\\u009b/);
  for (const e of of(events, 'llm_delta')) expect(e.text).not.toMatch(CONTROL);
}

describe('the tour against a sensible model', () => {
  it('reaches consensus as the offline agents do, streaming every call, a phase in flight together', async () => {
    server.reset();
    const { events, summary } = await run(BUILTIN_SCENARIOS['tour'] as ScenarioSpec);
    const responses = of(events, 'llm_response');
    expect(responses.length).toBeGreaterThan(0);
    expect(responses.every((r) => r.source === 'llm')).toBe(true);
    expect(summary.calls.fallback).toBe(0);
    // Every call streamed: deltas arrived before its response.
    const streamed = new Set(of(events, 'llm_delta').map((d) => d.call_id));
    for (const r of responses) expect(streamed.has(r.call_id)).toBe(true);
    // The healthy round: 10 calls, a valid GPU node committed.
    expect(responses.filter((r) => r.round === 1)).toHaveLength(10);
    const first = of(events, 'decision')[0];
    expect(first).toMatchObject({ round: 1, outcome: 'committed', valid: true });
    expect(['n1', 'n2']).toContain(first?.node_id);
    // Under attack bft never commits an invalid node; after recovery it commits again.
    expect(of(events, 'decision').every((d) => !d.unsafe || d.protocol === 'classic')).toBe(true);
    const postRecovery = of(events, 'round_start').find((r) => r.job.id === 'ml-pipeline');
    expect(of(events, 'decision').find((d) => d.round === postRecovery?.round)).toMatchObject({
      outcome: 'committed',
      valid: true,
    });
    expect(server.maxInFlight).toBe(5);
    expect(responses.every((r) => r.ttft_ms !== null && r.tokens !== null)).toBe(true);
  });

  it('with --concurrency 1 keeps the original one-at-a-time order', async () => {
    server.reset();
    await run(BUILTIN_SCENARIOS['healthy'] as ScenarioSpec, { concurrency: 1, maxRounds: 1 });
    expect(server.maxInFlight).toBe(1);
    expect(server.chatRequests()).toHaveLength(10);
  });
});

// Each agent meets one way an endpoint can go wrong, on every call it makes.
const BY_AGENT: Record<string, Script> = {
  'Alpha-GPU': { reply: { kind: 'stall', text: '{"node_' } },
  'Beta-Memory': { reply: { kind: 'status', status: 500, message: 'upstream exploded' } },
  'Gamma-Compute': { reply: { kind: 'drop', text: '{"vote": "acc' } },
  'Delta-Storage': {
    reply: {
      kind: 'text',
      text: '\u001b[2J\u001b]0;pwned\u0007```json\n{"node_id": "n1", "score": 0.9, "reasoning": "\u001b[31mred\u001b[0m fits"}\n```',
    },
  },
  'Epsilon-Network': {
    reply: {
      kind: 'text',
      text: 'Sure! Here is my answer: {"node_id": "n2", "score": "0.8", "reasoning": "fits"} Hope it helps.',
    },
  },
};

const BROKEN_OUTPUTS: Record<string, string> = {
  'Alpha-GPU': "{'node_id': 'n1', 'score': 0.9, 'reasoning': 'single quotes'}",
  'Beta-Memory': '{"node_id": "n1", "score": 0.9, "reasoning": "truncated mid-str',
  'Gamma-Compute': `{"node_id": "n2", "score": 0.7, "reasoning": "${'x'.repeat(40_000)}"}`,
  'Delta-Storage': '{"node_id": 5, "score": "very high", "reasoning": []}',
  'Epsilon-Network': 'I cannot decide without more information.',
};

function agentOf(body: { messages?: { content: string }[] } | null): string | undefined {
  const text = body?.messages?.map((m) => m.content).join('\n') ?? '';
  return /You are ([A-Za-z-]+),/.exec(text)?.[1];
}

describe('a misbehaving endpoint', () => {
  it('completes every round; stalls, 500s and drops fall back, fixable text is used, nothing leaks controls', async () => {
    server.reset();
    server.setHandler((req) => {
      const agent = agentOf(req.body);
      if (!agent) return undefined;
      const script = BY_AGENT[agent];
      // Only the proposals misbehave here; the votes show a 429 with Retry-After then success.
      if (req.body?.messages?.some((m) => m.content.includes('"vote"'))) {
        const earlier = server
          .chatRequests()
          .filter(
            (r) =>
              agentOf(r.body) === agent &&
              r.index < req.index &&
              r.body?.messages?.some((m) => m.content.includes('"vote"')),
          );
        return earlier.length === 0
          ? { reply: { kind: 'status', status: 429, headers: { 'retry-after': '1' } } }
          : undefined;
      }
      return script;
    });
    const { events } = await run(BUILTIN_SCENARIOS['healthy'] as ScenarioSpec, {
      timeoutS: 2,
      maxRounds: 1,
    });
    expect(of(events, 'decision')).toHaveLength(1);
    const proposals = new Map(
      of(events, 'llm_response')
        .filter((r) => r.phase === 'propose')
        .map((r) => [r.agent, r]),
    );
    expect(proposals.get('alpha')).toMatchObject({ source: 'fallback' });
    expect(proposals.get('alpha')?.error).toMatch(/timed out|idle|stall/i);
    expect(proposals.get('beta')).toMatchObject({ source: 'fallback' });
    expect(proposals.get('beta')?.error).toMatch(/500/);
    expect(proposals.get('gamma')).toMatchObject({ source: 'fallback' });
    expect(proposals.get('delta')).toMatchObject({ source: 'llm' });
    expect(proposals.get('epsilon')).toMatchObject({ source: 'llm' });
    const votes = of(events, 'llm_response').filter((r) => r.phase === 'vote');
    expect(votes).toHaveLength(5);
    for (const v of votes) expect(v).toMatchObject({ source: 'llm', attempts: 2 });
    expectNoControl(events);
    // The fallback and the model are never confused: a fallback answer names why.
    for (const r of of(events, 'llm_response'))
      expect(r.source === 'fallback').toBe(r.error !== null);
  }, 30_000);

  it('falls back on output that cannot be repaired and uses what can', async () => {
    server.reset();
    server.setHandler((req) => {
      const agent = agentOf(req.body);
      const text = agent ? BROKEN_OUTPUTS[agent] : undefined;
      const isVote = req.body?.messages?.some((m) => m.content.includes('"vote"'));
      return text && !isVote ? { reply: { kind: 'text', text }, chunkChars: 4096 } : undefined;
    });
    const { events } = await run(BUILTIN_SCENARIOS['healthy'] as ScenarioSpec, { maxRounds: 1 });
    expect(of(events, 'decision')).toHaveLength(1);
    const proposals = new Map(
      of(events, 'llm_response')
        .filter((r) => r.phase === 'propose')
        .map((r) => [r.agent, r]),
    );
    expect(proposals.get('alpha')?.source).toBe('llm');
    expect(proposals.get('epsilon')?.source).toBe('fallback');
    expect(proposals.get('epsilon')?.rejected_raw).toContain('cannot decide');
    expect(proposals.get('delta')?.source).toBe('fallback');
    for (const r of proposals.values()) expect(r.raw.length).toBeLessThan(64 * 1024);
    expectNoControl(events);
  });
});
