// Round latency against a local OpenAI-compatible endpoint whose every call takes L ms. A round
// is two dependent phases, each a fan-out of calls, so its floor is 2 x L. The figure is
// mean round time / (2 x L): the parallel runtime should sit near 1.0 (target <= 1.10), and the
// original's one-call-at-a-time order (--concurrency 1) near 5 with five agents.
import { resolveLlmConfig } from '../src/agents/config.js';
import { createLlmClient } from '../src/agents/llm-client.js';
import { makeCoreConfig } from '../src/core/config.js';
import { BUILTIN_SCENARIOS } from '../src/core/scenario.js';
import { LlmCalls } from '../src/runtime/llm-calls.js';
import { createRuntime } from '../src/runtime/run-offline.js';
import { FakeOpenAiServer } from '../test/support/fake-openai-server.js';

const LATENCY_MS = 150;
const ROUNDS = 6;

async function meanRoundMs(
  baseUrl: string,
  concurrency: number,
): Promise<{ meanMs: number; sources: Record<string, number> }> {
  const llm = resolveLlmConfig({
    flags: { baseUrl, model: 'bench-model' },
    env: {},
    configFile: null,
  });
  const calls = new LlmCalls(createLlmClient(llm), concurrency);
  const cfg = makeCoreConfig({
    seed: 1,
    scenario: BUILTIN_SCENARIOS['healthy'] as never,
    protocol: 'bft',
    maxRounds: ROUNDS,
  });
  const runtime = createRuntime(cfg, { calls, speed: 'max' });
  const started = new Map<number, number>();
  const durations: number[] = [];
  runtime.onEvent((e) => {
    if (e.type === 'round_start') started.set(e.round, performance.now());
    if (e.type === 'phase' && e.phase === 'idle')
      durations.push(performance.now() - (started.get(e.round) ?? 0));
  });
  const summary = await runtime.start();
  // The first round pays for connection set-up and capability discovery; leave it out.
  const steady = durations.slice(1);
  return { meanMs: steady.reduce((a, b) => a + b, 0) / steady.length, sources: summary.calls };
}

export async function main(): Promise<void> {
  const server = await FakeOpenAiServer.start({ latencyMs: LATENCY_MS, tokenDelayMs: 0 });
  try {
    const floor = 2 * LATENCY_MS;
    console.log(
      `\nLLM round latency (local endpoint, every call ${LATENCY_MS} ms, 5 agents, ${ROUNDS} rounds)`,
    );
    for (const concurrency of [5, 1]) {
      const { meanMs, sources } = await meanRoundMs(server.baseUrl, concurrency);
      const label =
        concurrency === 1
          ? 'sequential (--concurrency 1, the original order)'
          : 'parallel (--concurrency 5)';
      console.log(
        `  ${label.padEnd(50)} mean round ${meanMs.toFixed(0)} ms = ${(meanMs / floor).toFixed(2)} x floor (2 x L = ${floor} ms)` +
          `${concurrency === 5 ? `  target <= 1.10` : ''}  [calls: ${sources['llm']} llm, ${sources['fallback']} fallback]`,
      );
    }
    console.log(`  max calls in flight at the server: ${server.maxInFlight}`);
  } finally {
    await server.close();
  }
}
