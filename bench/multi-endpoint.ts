// Heterogeneous agents across three endpoints at once, each its own process: a slow one (L=300 ms),
// a healthy one (L=100 ms) and one answering prose instead of JSON (L=100 ms, every answer falls
// back). Calls run in parallel across endpoints, so a round's floor is two calls of the slowest
// endpoint. The baseline is measured in the same repetition (bare streamed requests to the slow
// endpoint, no SDK, no runtime); each repetition measures baseline then run, and the figure is
// the median over repetitions of mean round time / (2 x bare slow call). Target <= 1.10.
import { resolveLlmConfig } from '../src/agents/config.js';
import type { LlmAgentClient } from '../src/agents/llm-types.js';
import { createLlmClient } from '../src/agents/llm-client.js';
import { makeCoreConfig } from '../src/core/config.js';
import { BUILTIN_SCENARIOS } from '../src/core/scenario.js';
import { PerAgentCalls } from '../src/runtime/per-agent-calls.js';
import { createRuntime } from '../src/runtime/run-offline.js';
import { bareCallSamples, startEndpoint, type Endpoint } from './endpoint.js';

const ROUNDS = 9;
const REPETITIONS = 3;
const PROSE = 'I would pick n1, it looks like the best fit for this job overall.';

async function bareCallMs(baseUrl: string): Promise<number> {
  return median(await bareCallSamples(baseUrl, 'slow-m', 8));
}

async function meanRoundMs(endpoints: {
  slow: Endpoint;
  healthy: Endpoint;
  prose: Endpoint;
}): Promise<{ meanMs: number; byModel: string }> {
  const client = (e: Endpoint, model: string): LlmAgentClient =>
    createLlmClient(
      resolveLlmConfig({ flags: { baseUrl: e.baseUrl, model }, env: {}, configFile: null }),
    );
  const clients = new Map<string, LlmAgentClient>([
    ['alpha', client(endpoints.slow, 'slow-m')],
    ['beta', client(endpoints.healthy, 'healthy-m')],
    ['gamma', client(endpoints.healthy, 'healthy-m')],
    ['delta', client(endpoints.prose, 'prose-m')],
    ['epsilon', client(endpoints.prose, 'prose-m')],
  ]);
  const cfg = makeCoreConfig({
    seed: 1,
    scenario: BUILTIN_SCENARIOS['healthy'] as never,
    protocol: 'classic',
    maxRounds: ROUNDS,
  });
  const runtime = createRuntime(cfg, { calls: new PerAgentCalls(clients, null), speed: 'max' });
  const started = new Map<number, number>();
  const durations: number[] = [];
  runtime.onEvent((e) => {
    if (e.type === 'round_start') started.set(e.round, performance.now());
    if (e.type === 'phase' && e.phase === 'idle')
      durations.push(performance.now() - (started.get(e.round) ?? 0));
  });
  const summary = await runtime.start();
  const steady = durations.slice(1);
  const byModel = Object.entries(summary.by_model ?? {})
    .map(([m, s]) => `${m} ${s.calls.llm} llm/${s.calls.fallback} fallback`)
    .join(', ');
  return { meanMs: steady.reduce((a, b) => a + b, 0) / steady.length, byModel };
}

export async function main(): Promise<void> {
  console.log(
    `\n== Heterogeneous agents, three endpoints (slow 300 ms, healthy 100 ms, prose 100 ms), ${ROUNDS} rounds, ${REPETITIONS} repetitions ==`,
  );
  const [slow, healthy, prose] = await Promise.all([
    startEndpoint({ latencyMs: 300, tokenDelayMs: 0 }),
    startEndpoint({ latencyMs: 100, tokenDelayMs: 0 }),
    startEndpoint({ latencyMs: 100, tokenDelayMs: 0, defaultText: PROSE }),
  ]);
  try {
    const ratios: number[] = [];
    for (let rep = 1; rep <= REPETITIONS; rep++) {
      const bare = await bareCallMs(slow.baseUrl);
      const { meanMs, byModel } = await meanRoundMs({ slow, healthy, prose });
      const ratio = meanMs / (2 * bare);
      ratios.push(ratio);
      console.log(
        `  rep ${rep}: bare slow call ${bare.toFixed(1)} ms, floor ${(2 * bare).toFixed(0)} ms, mean round ${meanMs.toFixed(0)} ms = ${ratio.toFixed(3)} x floor  [${byModel}]`,
      );
    }
    console.log(
      `  median: round time = ${median(ratios).toFixed(3)} x two bare calls of the slowest endpoint  (target <= 1.10)`,
    );
  } finally {
    await Promise.all([slow.close(), healthy.close(), prose.close()]);
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
}
