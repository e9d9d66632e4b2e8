// RSS over wall-clock minutes at --speed max with the dashboard attached: minute N set against
// minute 1 (the "minute 10 within 20% of minute 1"). Ten minutes is long for every
// bench run, so it runs HYBRID_BENCH_MINUTES minutes (default 2; set 10 for the full figure).
import { setTimeout as sleep } from 'node:timers/promises';
import { makeCoreConfig } from '../src/core/config.js';
import { BUILTIN_SCENARIOS, type ScenarioSpec } from '../src/core/scenario.js';
import { createRuntime } from '../src/runtime/run-offline.js';
import { loadDashboard, mountDashboard } from './dashboard-mount.js';
import { fmt } from './dashboard-stats.js';
import { settledReading } from './dashboard-rss.js';

const TARGET = 1.2;
const CHAOS = BUILTIN_SCENARIOS['chaos'] as ScenarioSpec;

export async function main(): Promise<void> {
  const minutes = Math.max(2, Number(process.env['HYBRID_BENCH_MINUTES'] ?? 2) || 2);
  await loadDashboard();
  console.log(
    `\n== dashboard memory over ${minutes} minutes at --speed max: offline, chaos + free play, ` +
      `dashboard attached; RSS after full collections each minute, the run paused for them ==`,
  );
  const cfg = makeCoreConfig({
    seed: 3,
    scenario: CHAOS,
    protocol: 'bft',
    freePlay: true,
    maxRounds: 100_000_000,
  });
  const runtime = createRuntime(cfg, { speed: 'max' });
  let rounds = 0;
  runtime.onEvent((e) => {
    if (e.type === 'decision') rounds = e.round;
  });
  const dashboard = await mountDashboard(runtime, cfg, 'offline', false);
  const samples: { rss: number; rssBefore: number; heap: number; rounds: number }[] = [];
  // A reading a minute, the run paused for it (bench/dashboard-rss.ts); the minute is wall time
  // while the run goes.
  while (samples.length < minutes) {
    await sleep(60_000);
    const reading = await settledReading(runtime);
    samples.push({ ...reading, rounds });
  }
  await dashboard.close();
  const mb = (b: number) => fmt(b / 1024 / 1024, 0);
  console.log(
    `  per minute: rss MB ${samples.map((s) => mb(s.rss)).join(' ')} (before the collections ` +
      `${samples.map((s) => mb(s.rssBefore)).join(' ')}); heap MB ${samples.map((s) => mb(s.heap)).join(' ')}; ` +
      `rounds ${samples.map((s) => s.rounds).join(' ')}`,
  );
  const first = samples[0]!;
  const last = samples.at(-1)!;
  const ratio = last.rss / first.rss;
  console.log(
    `  RSS minute ${minutes} / minute 1: ${fmt(ratio, 3)} (target <= ${TARGET}: ${ratio <= TARGET ? 'meets' : 'ABOVE'})`,
  );
}
