// Round latency against a local OpenAI-compatible endpoint (its own process) that answers every
// call after L ms. Under classic (the original's rule) a round is two dependent phases, each a
// fan-out of calls, so its floor is two calls. The floor is measured in the same run (two bare
// fetches' worth), and the figure is mean round time / floor: the parallel runtime should sit
// near 1.0 (target <= 1.10), the original's one-call-at-a-time order (--concurrency 1) near 5 with
// five agents. The replicated bft is shown beside it: there each replica asks its model when the
// proposal reaches it over the simulated network (50-400 ms a link), and simulated time runs on
// wall time while calls are in flight, so its rounds carry the network's hops and the height's
// grace for stragglers: longer by design, not the runtime's overhead.
import { resolveLlmConfig } from '../src/agents/config.js';
import { createLlmClient } from '../src/agents/llm-client.js';
import { makeCoreConfig } from '../src/core/config.js';
import { BUILTIN_SCENARIOS } from '../src/core/scenario.js';
import { LlmCalls } from '../src/runtime/llm-calls.js';
import { createRuntime } from '../src/runtime/run-offline.js';
import { bareCallSamples, startEndpoint } from './endpoint.js';

const ROUNDS = 11;

type Setup = 'classic' | 'bft';

async function meanRoundMs(
  baseUrl: string,
  concurrency: number,
  setup: Setup,
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
    protocol: setup,
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

/**
 * The baseline, measured in the same run: one bare streamed request (plain fetch, no SDK, no
 * runtime) to the same endpoint. The floor of a round is two of these, one per phase.
 */
async function bareCallMs(baseUrl: string): Promise<number> {
  const steady = (await bareCallSamples(baseUrl, 'bench-model', 12)).sort((a, b) => a - b);
  return steady[Math.floor(steady.length / 2)] ?? Number.NaN;
}

export async function main(): Promise<void> {
  console.log(
    `\n== LLM round latency (local endpoint in its own process, 5 agents, ${ROUNDS} rounds, first left out) ==`,
  );
  const runs: Record<number, [Setup, number][]> = {
    150: [
      ['classic', 5],
      ['classic', 1],
      ['bft', 5],
    ],
    500: [
      ['classic', 5],
      ['bft', 5],
    ],
  };
  for (const [latencyMs, setups] of Object.entries(runs)) {
    const endpoint = await startEndpoint({ latencyMs: Number(latencyMs), tokenDelayMs: 0 });
    try {
      const bare = await bareCallMs(endpoint.baseUrl);
      const floor = 2 * bare;
      console.log(
        `  L=${latencyMs} ms  baseline: one bare call takes ${bare.toFixed(1)} ms (median of 10), so the floor is ${floor.toFixed(0)} ms`,
      );
      for (const [setup, concurrency] of setups) {
        const { meanMs, sources } = await meanRoundMs(endpoint.baseUrl, concurrency, setup);
        const label = `${setup}, ${
          concurrency === 1
            ? 'sequential (--concurrency 1, the original order)'
            : 'parallel (--concurrency 5)'
        }`;
        const note =
          setup === 'classic'
            ? concurrency === 5
              ? '  target <= 1.10'
              : '  about 5'
            : '  (diagnosis)';
        console.log(
          `  L=${latencyMs} ms  ${label.padEnd(60)} mean round ${meanMs.toFixed(0)} ms = ${(meanMs / floor).toFixed(2)} x floor` +
            `${note}  [calls: ${sources['llm']} llm, ${sources['fallback']} fallback]`,
        );
      }
    } finally {
      await endpoint.close();
    }
  }
}
