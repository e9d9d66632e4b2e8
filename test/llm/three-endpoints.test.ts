// Three endpoints at once, through the CLI's own preparation (scenario file -> agent plan ->
// per-agent calls): a healthy server, one that answers prose instead of JSON, and a slow one that
// holds its answers until the test lets them go. Each agent talks only to its own server, the
// summary splits the figures by model, and a fallback or a slow answer on one endpoint holds up
// no other agent: everything else of the phase is answered while the slow server still holds.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCli } from '../../src/cli/args.js';
import { prepareRun } from '../../src/cli/build-run.js';
import type { HybridEvent, LlmResponseEvent } from '../../src/core/events.js';
import { createRuntime } from '../../src/runtime/run-offline.js';
import { tempDir } from '../cli/helpers.js';
import { FakeOpenAiServer, type RecordedRequest } from '../support/fake-openai-server.js';

const SLOW_KEY = 'sk-slow-only-0123456789abcdef';
const PROSE = 'I would pick n1, it has the most GPUs and looks like a solid choice overall.';

let healthy: FakeOpenAiServer;
let prose: FakeOpenAiServer;
let slow: FakeOpenAiServer;

beforeAll(async () => {
  [healthy, prose, slow] = await Promise.all([
    FakeOpenAiServer.start(),
    FakeOpenAiServer.start(),
    FakeOpenAiServer.start({ apiKey: SLOW_KEY }),
  ]);
});
afterAll(async () => {
  await Promise.all([healthy.close(), prose.close(), slow.close()]);
});

function gate(): { promise: Promise<void>; open: () => void } {
  let open = () => {};
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

function scenarioFile(): string {
  const agent = (id: string, name: string, specialty: string, weight: number, extra: object) => ({
    id,
    name,
    specialty,
    weight,
    ...extra,
  });
  const file = join(tempDir(), 'three.json');
  writeFileSync(
    file,
    JSON.stringify({
      name: 'three-endpoints',
      protocol: 'classic',
      agents: [
        // The slow endpoint's agent asks first: were calls queued behind one another, it would
        // hold up everyone after it.
        agent('alpha', 'Alpha-GPU', 'gpu', 1.3, {
          model: 'slow-m',
          base_url: slow.baseUrl,
          api_key_env: 'SLOW_KEY',
        }),
        agent('beta', 'Beta-Memory', 'memory', 1.2, {
          model: 'healthy-m',
          base_url: healthy.baseUrl,
        }),
        agent('gamma', 'Gamma-Compute', 'compute', 1.1, {
          model: 'healthy-m',
          base_url: healthy.baseUrl,
        }),
        agent('delta', 'Delta-Storage', 'storage', 1.0, {
          model: 'prose-m',
          base_url: prose.baseUrl,
        }),
        agent('epsilon', 'Epsilon-Network', 'network', 0.9, {
          model: 'prose-m',
          base_url: prose.baseUrl,
        }),
      ],
      steps: [{ type: 'rounds', count: 1, job: 'ai-training' }],
    }),
  );
  return file;
}

/** The agent a request speaks for, from the system prompt ("You are Alpha-GPU, ..."). */
function speaker(r: RecordedRequest): string {
  const text = (r.body?.messages ?? []).map((m) => m.content).join('\n');
  return /You are ([A-Za-z-]+),/.exec(text)?.[1] ?? '?';
}

describe('three endpoints at once', () => {
  it('routes each agent to its own server, keeps them parallel, and splits the summary by model', async () => {
    prose.setHandler(() => ({ reply: { kind: 'text', text: PROSE } }));
    const gates = [gate(), gate()];
    slow.setHandler((req) => ({
      reply: { kind: 'sensible' },
      holdUntil: gates[slow.chatRequests().indexOf(req)]?.promise,
    }));

    const opts = parseCli(['--headless', '--scenario', scenarioFile(), '--seed', '3']);
    const env = { XDG_CONFIG_HOME: tempDir(), SLOW_KEY };
    const prepared = prepareRun(opts, env, false);
    const runtime = createRuntime(prepared.cfg, { calls: prepared.calls, speed: 'max' });
    const events: HybridEvent[] = [];
    const waiters = new Set<() => void>();
    runtime.onEvent((e) => {
      events.push(e);
      for (const w of [...waiters]) w();
    });
    const until = (predicate: () => boolean) =>
      new Promise<void>((resolve) => {
        const check = () => {
          if (!predicate()) return;
          waiters.delete(check);
          resolve();
        };
        waiters.add(check);
        check();
      });
    const responses = (phase: string) =>
      events.filter((e): e is LlmResponseEvent => e.type === 'llm_response' && e.phase === phase);

    const done = runtime.start();

    // Each phase: the four other agents are answered (two by their model, two by the fallback
    // after prose) while the slow server still holds epsilon's request.
    for (const [i, phase] of (['propose', 'vote'] as const).entries()) {
      await until(() => responses(phase).length === 4);
      await slow.waitFor(() => slow.chatRequests().length === i + 1);
      const held = slow.chatRequests()[i];
      expect(held?.endedAt).toBeNull();
      const byAgent = new Map(responses(phase).map((r) => [r.agent, r]));
      expect([...byAgent.keys()].sort()).toEqual(['beta', 'delta', 'epsilon', 'gamma']);
      for (const id of ['beta', 'gamma']) {
        expect(byAgent.get(id)).toMatchObject({ source: 'llm', model: 'healthy-m' });
        expect(byAgent.get(id)?.endpoint).toBe(new URL(healthy.baseUrl).host);
      }
      for (const id of ['delta', 'epsilon']) {
        expect(byAgent.get(id)).toMatchObject({ source: 'fallback', model: 'prose-m' });
        expect(byAgent.get(id)?.rejected_raw).toContain('I would pick n1');
      }
      gates[i]?.open();
    }
    const summary = await done;

    // Counted on the servers: each saw only its own agents, one call per agent per phase.
    expect(healthy.chatRequests().map(speaker).sort()).toEqual([
      'Beta-Memory',
      'Beta-Memory',
      'Gamma-Compute',
      'Gamma-Compute',
    ]);
    expect(prose.chatRequests().map(speaker).sort()).toEqual([
      'Delta-Storage',
      'Delta-Storage',
      'Epsilon-Network',
      'Epsilon-Network',
    ]);
    expect(slow.chatRequests().map(speaker)).toEqual(['Alpha-GPU', 'Alpha-GPU']);
    expect(healthy.chatRequests().every((r) => r.body?.model === 'healthy-m')).toBe(true);
    expect(prose.chatRequests().every((r) => r.body?.model === 'prose-m')).toBe(true);
    // alpha's key went to epsilon's server only.
    expect(slow.chatRequests().every((r) => r.authorization === `Bearer ${SLOW_KEY}`)).toBe(true);
    for (const r of [...healthy.requests, ...prose.requests])
      expect(r.authorization ?? '').not.toContain(SLOW_KEY);

    const start = events.find((e) => e.type === 'run_start');
    expect(start?.type === 'run_start' && start.agents.map((a) => a.model)).toEqual([
      'slow-m',
      'healthy-m',
      'healthy-m',
      'prose-m',
      'prose-m',
    ]);

    const byModel = summary.by_model ?? {};
    expect(Object.keys(byModel).sort()).toEqual(['healthy-m', 'prose-m', 'slow-m']);
    expect(byModel['healthy-m']).toMatchObject({
      agents: ['beta', 'gamma'],
      endpoints: [new URL(healthy.baseUrl).host],
      calls: { llm: 4, fallback: 0, offline: 0 },
    });
    expect(byModel['prose-m']?.calls).toEqual({ llm: 0, fallback: 4, offline: 0 });
    expect(byModel['slow-m']?.calls).toEqual({ llm: 2, fallback: 0, offline: 0 });
    expect(byModel['slow-m']?.agents).toEqual(['alpha']);
    // One candidate, five counted votes: every model's votes are scored against the majority.
    const votes = Object.values(byModel).reduce((n, m) => n + m.votes, 0);
    expect(votes).toBe(5);
    expect(byModel['healthy-m']?.agreement).toBe(1);
    // The slow endpoint's latency includes the hold; the healthy one's does not.
    expect(byModel['slow-m']?.latency_ms.p50 ?? 0).toBeGreaterThanOrEqual(
      byModel['healthy-m']?.latency_ms.p50 ?? Infinity,
    );
    expect(summary.calls).toEqual({ llm: 6, fallback: 4, offline: 0 });
  }, 10_000);
});
