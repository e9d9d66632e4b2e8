// Offline engine throughput at --speed max, and memory over a long run (DESIGN.md "Performance
// targets"): >= 10,000 rounds/s with 5 agents, cost per round linear in agents, and RSS after
// 10,000 rounds ~ RSS after 1,000 (within 1.20). Figures are ratios against a baseline measured
// in the same process, so they compare across machines; the absolute rounds/s is printed too.
import { makeCoreConfig } from '../src/core/config.js';
import { BUILTIN_SCENARIOS, type ScenarioSpec } from '../src/core/scenario.js';
import type { CoreConfig } from '../src/core/state.js';
import type { AgentSpec } from '../src/core/types.js';
import { runOffline } from '../src/runtime/run-offline.js';
import { getGc, settle } from './gc.js';

const TARGET_ROUNDS_PER_S = 10_000;
const LINEAR_TOLERANCE = 1.5; // per-agent cost at 100 agents within 1.5x of 5 agents reads as linear
const MEMORY_TARGET = 1.2;
const SPECIALTIES = ['gpu', 'memory', 'compute', 'storage', 'network'];
const CHAOS = BUILTIN_SCENARIOS['chaos'] as ScenarioSpec;

/** n agents, deterministic: specialties in turn, weights 0.5..1.5 (always positive). */
export function makeAgents(n: number): AgentSpec[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `agent${i + 1}`,
    name: `Agent-${i + 1}`,
    specialty: SPECIALTIES[i % SPECIALTIES.length] as string,
    weight: 0.5 + ((i * 7) % 11) / 10,
  }));
}

function chaosConfig(agents: number, rounds: number, seed = 1): CoreConfig {
  return makeCoreConfig({
    seed,
    agents: makeAgents(agents),
    scenario: CHAOS,
    protocol: 'bft',
    maxRounds: rounds,
  });
}

/** Wall time (ms) of one run of `rounds` rounds with `agents` agents at --speed max. */
async function timeRun(agents: number, rounds: number): Promise<number> {
  const cfg = chaosConfig(agents, rounds);
  const start = performance.now();
  const summary = await runOffline(cfg);
  const ms = performance.now() - start;
  if (summary.rounds !== rounds)
    throw new Error(`ran ${summary.rounds} rounds, expected ${rounds}`);
  return ms;
}

/** Best of `reps` runs, as rounds per second (the least-disturbed measurement). */
async function roundsPerSecond(agents: number, rounds: number, reps: number): Promise<number> {
  let best = Infinity;
  for (let i = 0; i < reps; i++) best = Math.min(best, await timeRun(agents, rounds));
  return (rounds * 1000) / best;
}

const fmt = (x: number, digits = 2): string => x.toFixed(digits);
const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

async function throughput(): Promise<void> {
  console.log('\n== offline engine at --speed max (chaos scenario, bft) ==');
  // Warm-up: let the JIT settle on every path (all agent counts) before anything is timed.
  for (const n of [5, 20, 100]) await timeRun(n, Math.max(50, Math.round(2000 / n)));
  await timeRun(5, 3000);

  const sizes: { agents: number; rounds: number }[] = [
    { agents: 5, rounds: 5000 },
    { agents: 20, rounds: 1500 },
    { agents: 100, rounds: 300 },
  ];
  const results: { agents: number; rps: number; perAgentUs: number }[] = [];
  for (const { agents, rounds } of sizes) {
    const rps = await roundsPerSecond(agents, rounds, 3);
    results.push({ agents, rps, perAgentUs: 1e6 / rps / agents });
  }
  const base = results[0];
  if (!base) return;
  console.log('agents  rounds/s   us/round/agent  per-agent cost vs 5 agents');
  for (const r of results) {
    console.log(
      `${String(r.agents).padStart(6)}  ${fmt(r.rps, 0).padStart(8)}   ${fmt(r.perAgentUs).padStart(14)}  ${fmt(r.perAgentUs / base.perAgentUs)}x`,
    );
  }
  const worst = Math.max(...results.map((r) => r.perAgentUs / base.perAgentUs));
  console.log(
    `5 agents: ${fmt(base.rps, 0)} rounds/s = ${fmt(base.rps / TARGET_ROUNDS_PER_S)} x the ${TARGET_ROUNDS_PER_S} target ` +
      `(${base.rps >= TARGET_ROUNDS_PER_S ? 'meets' : 'BELOW'})`,
  );
  console.log(
    `cost per round per agent: worst ${fmt(worst)}x the 5-agent figure ` +
      `(${worst <= LINEAR_TOLERANCE ? 'linear' : 'NOT linear'}, tolerance ${LINEAR_TOLERANCE}x)`,
  );
}

async function memory(): Promise<void> {
  console.log('\n== memory over a long run (5 agents, chaos, bft) ==');
  if (!getGc()) console.log('(no gc available: figures include garbage)');
  const samples: { rss: number; heap: number }[] = [];
  const sample = () => {
    settle();
    const m = process.memoryUsage();
    samples.push({ rss: m.rss, heap: m.heapUsed });
  };
  settle();
  const idle = process.memoryUsage();
  await runOffline(chaosConfig(5, 10_000, 2), (e) => {
    // Sampled while the run is live: round 1,001 starts once 1,000 rounds are done, and so on;
    // the summary comes once all 10,000 are.
    if (e.type === 'round_start' && e.round > 1 && e.round % 1000 === 1) sample();
    if (e.type === 'summary') sample();
  });
  const a = samples[0];
  const b = samples.at(-1);
  if (!a || !b || samples.length !== 10) throw new Error('memory samples missing');
  // RSS after a forced GC still moves by 10-20% as the allocator hands pages back or not, so the
  // verdict compares the medians of the first and last three samples; a leak grows them all.
  const median3 = (xs: number[]) => [...xs].sort((x, y) => x - y)[1] as number;
  const early = median3(samples.slice(0, 3).map((x) => x.rss));
  const late = median3(samples.slice(-3).map((x) => x.rss));
  const ratio = late / early;
  console.log(`before the run:       rss ${mb(idle.rss)}  heap ${mb(idle.heapUsed)}`);
  console.log(`after 1,000 rounds:   rss ${mb(a.rss)}  heap ${mb(a.heap)}`);
  console.log(`after 10,000 rounds:  rss ${mb(b.rss)}  heap ${mb(b.heap)}`);
  console.log(
    `every 1,000 rounds, rss MB: ${samples.map((x) => (x.rss / 1048576).toFixed(0)).join(' ')}; ` +
      `heap MB: ${samples.map((x) => (x.heap / 1048576).toFixed(1)).join(' ')}`,
  );
  console.log(
    `RSS 10k/1k: ${fmt(b.rss / a.rss, 3)} single samples; ${fmt(ratio, 3)} medians of the last and first three ` +
      `(target <= ${MEMORY_TARGET}: ${ratio <= MEMORY_TARGET ? 'meets' : 'ABOVE'}); heap ratio ${fmt(b.heap / a.heap, 3)}`,
  );
}

export async function main(): Promise<void> {
  await throughput();
  await memory();
}
