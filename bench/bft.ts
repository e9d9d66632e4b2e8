// The replicated bft (issue 7), offline at --speed max: heights/s at 5 agents through the engine
// and through the CLI's --json path (bft against classic in the same repetition), and the cost
// per height at 5, 20 and 100 agents. Compared variants alternate within each repetition and the
// figures are medians, so a busy machine shifts both sides of each ratio alike.
import { spawnSync } from 'node:child_process';
import { linearRegression } from 'simple-statistics';
import { fileURLToPath } from 'node:url';
import { makeCoreConfig } from '../src/core/config.js';
import { Engine } from '../src/core/engine.js';
import type { Input } from '../src/core/io.js';
import type { HybridEvent } from '../src/core/events.js';
import type { CoreConfig } from '../src/core/state.js';
import type { Protocol } from '../src/core/types.js';
import { writeJsonBytes, type ByteSpace } from '../src/runtime/json-bytes.js';
import { createRuntime, runOffline } from '../src/runtime/run-offline.js';
import { makeAgents } from './offline.js';

const TARGET_HEIGHTS_PER_S = 10_000;
const REPS = 5;
const CLI = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));

/** A healthy cluster running the job mix: the common case every height goes through. */
function cfg(protocol: Protocol, agents: number, heights: number, fixed = false): CoreConfig {
  return makeCoreConfig({
    // fixed: every link 100 ms, so a broadcast is one delivery entry (the default draws per link).
    ...(fixed ? { network: { minDelayMs: 100, maxDelayMs: 100, loss: 0 } } : {}),
    seed: 1,
    agents: makeAgents(agents),
    protocol,
    maxRounds: heights,
    scenario: {
      name: 'bench',
      description: 'healthy heights',
      steps: [
        { type: 'protocol', protocol },
        { type: 'rounds', count: 1 },
      ],
    },
  });
}

async function timeEngine(
  protocol: Protocol,
  agents: number,
  heights: number,
  fixed = false,
): Promise<number> {
  const start = performance.now();
  const summary = await runOffline(cfg(protocol, agents, heights, fixed));
  const ms = performance.now() - start;
  if (summary.rounds !== heights || summary.committed !== heights)
    throw new Error(`${protocol}: ${summary.committed}/${summary.rounds} of ${heights} committed`);
  return ms;
}

function timeCli(protocol: Protocol, heights: number): number {
  const args = [CLI, '--json', '--offline', '--speed', 'max', '--scenario', 'healthy'];
  const start = performance.now();
  const r = spawnSync(
    process.execPath,
    [...args, '--protocol', protocol, '--rounds', String(heights), '--seed', '1'],
    { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 20 },
  );
  const ms = performance.now() - start;
  if (r.status !== 0) throw new Error(`cli exited ${r.status}: ${r.stderr.toString().trim()}`);
  return ms;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
};
const fmt = (x: number, digits = 2): string => x.toFixed(digits);

export async function engine(): Promise<void> {
  console.log('\n== bft heights/s through the engine (5 agents, healthy, --speed max) ==');
  const heights = 5000;
  await timeEngine('bft', 5, 1000);
  await timeEngine('classic', 5, 1000);
  const bft: number[] = [];
  const bftFixed: number[] = [];
  const classic: number[] = [];
  for (let i = 0; i < REPS; i++) {
    bft.push((heights * 1000) / (await timeEngine('bft', 5, heights)));
    bftFixed.push((heights * 1000) / (await timeEngine('bft', 5, heights, true)));
    classic.push((heights * 1000) / (await timeEngine('classic', 5, heights)));
  }
  const b = median(bft);
  const f = median(bftFixed);
  const c = median(classic);
  const verdict = (x: number) => (x >= TARGET_HEIGHTS_PER_S ? 'meets' : 'BELOW');
  const list = (xs: number[]) => xs.map((x) => fmt(x, 0)).join(' ');
  console.log(`bft     ${fmt(b, 0)} heights/s (median of ${REPS}: ${list(bft)})`);
  console.log(`bft, every link a fixed 100 ms: ${fmt(f, 0)} heights/s (${list(bftFixed)})`);
  console.log(`classic ${fmt(c, 0)} rounds/s  (median of ${REPS}: ${list(classic)})`);
  console.log(
    `bft/classic ${fmt(b / c)} (fixed links ${fmt(f / c)}); bft = ${fmt(b / TARGET_HEIGHTS_PER_S)} x the ${TARGET_HEIGHTS_PER_S} target (${verdict(b)}), fixed links ${fmt(f / TARGET_HEIGHTS_PER_S)} x (${verdict(f)})`,
  );
}

/**
 * Diagnosis: the core's inputs a height, with the core running ahead to the runtime's next item
 * (Input.horizon) and without, counted on Engine.handle (the runtime holds its engine privately).
 */
export async function inputs(): Promise<void> {
  console.log("\n== the core's inputs a bft height (5 agents, healthy, --speed max) ==");
  const heights = 1000;
  const count = async (runAhead: boolean): Promise<{ timers: number; all: number }> => {
    const handle = Engine.prototype.handle;
    const seen = { timers: 0, all: 0 };
    Engine.prototype.handle = function (this: Engine, input: Input) {
      seen.all++;
      if (input.type === 'timer') seen.timers++;
      return handle.call(this, input);
    };
    try {
      await createRuntime(cfg('bft', 5, heights), { runAhead }).start();
    } finally {
      Engine.prototype.handle = handle;
    }
    return seen;
  };
  const ahead = await count(true);
  const stepwise = await count(false);
  const per = (x: number) => fmt(x / heights, 1);
  console.log(
    `running ahead: ${per(ahead.all)} inputs a height, ${per(ahead.timers)} of them timers; one timer at a time: ${per(stepwise.all)}, ${per(stepwise.timers)} timers`,
  );
}

export function cli(): void {
  console.log('\n== bft heights/s through the CLI --json path (5 agents, output to /dev/null) ==');
  // The process's start-up is measured in the same repetition (1 height) and taken off; 20,000
  // heights so the compiler's warm-up, which a process pays whatever its length, weighs little.
  const heights = 20_000;
  const rates: Record<Protocol, number[]> = { bft: [], classic: [] };
  // Diagnosis: the heights between a 5,000- and a 25,000-height run, which leaves out the
  // compiling as well as the start-up (the first 2,000 heights run at a fraction of the speed).
  const sustained: number[] = [];
  for (let i = 0; i < REPS; i++) {
    for (const protocol of ['bft', 'classic'] as const) {
      const base = timeCli(protocol, 1);
      const full = timeCli(protocol, heights);
      rates[protocol].push(((heights - 1) * 1000) / Math.max(1, full - base));
    }
    const short = timeCli('bft', 5_000);
    const long = timeCli('bft', 25_000);
    sustained.push((20_000 * 1000) / Math.max(1, long - short));
  }
  const b = median(rates.bft);
  const c = median(rates.classic);
  console.log(`bft     ${fmt(b, 0)} heights/s (start-up excluded; median of ${REPS})`);
  console.log(`classic ${fmt(c, 0)} rounds/s`);
  console.log(
    `bft/classic ${fmt(b / c)}; bft = ${fmt(b / TARGET_HEIGHTS_PER_S)} x the ${TARGET_HEIGHTS_PER_S} target (${b >= TARGET_HEIGHTS_PER_S ? 'meets' : 'BELOW'})`,
  );
  console.log(
    `bft once compiled (heights 5,000 to 25,000 of a run): ${fmt(median(sustained), 0)} heights/s (diagnosis, not the target's measure)`,
  );
}

/**
 * Where a --json height goes, in-process: the engine alone against the engine plus
 * writeJsonBytes of every event it emits into a buffer that is reused (no escape pass, no
 * write). The second figure bounds what the CLI can reach with this engine and this writer: the
 * CLI adds a process's compiling and the writes.
 */
export async function jsonSplit(): Promise<void> {
  console.log('\n== a --json height in-process: the engine, and the engine + writeJsonBytes ==');
  const heights = 5000;
  const space: ByteSpace = {
    buf: Buffer.allocUnsafe(1 << 20),
    len: 0,
    reserve(more) {
      if (this.len + more <= this.buf.length) return;
      const bigger = Buffer.allocUnsafe(2 * (this.len + more));
      this.buf.copy(bigger, 0, 0, this.len);
      this.buf = bigger;
    },
  };
  let bytes = 0;
  const write = (e: HybridEvent): void => {
    if (e.type === 'llm_delta') return;
    // What is written is thrown away between events: the bench times the writing, not keeping.
    if (space.len > 1 << 19) space.len = 0;
    const before = space.len;
    writeJsonBytes(e, space);
    bytes += space.len - before;
  };
  const time = async (onEvent?: (e: HybridEvent) => void): Promise<number> => {
    const start = performance.now();
    await runOffline(cfg('bft', 5, heights), onEvent);
    return ((performance.now() - start) * 1000) / heights;
  };
  await time(write);
  const bare: number[] = [];
  const written: number[] = [];
  for (let i = 0; i < REPS; i++) {
    bare.push(await time());
    bytes = 0;
    written.push(await time(write));
  }
  const b = median(bare);
  const w = median(written);
  console.log(
    `engine ${fmt(b, 1)} us/height; + writeJsonBytes of its ${fmt(bytes / heights / 1000, 1)} KB of events ${fmt(w, 1)} us/height (the writing ${fmt(w - b, 1)} us): ` +
      `at most ${fmt(1e6 / w, 0)} heights/s through --json with this engine (target ${TARGET_HEIGHTS_PER_S})`,
  );
}

export async function scaling(): Promise<void> {
  console.log(
    '\n== bft cost per height at 5, 20 and 100 agents (sizes alternated per repetition) ==',
  );
  const sizes = [
    { agents: 5, heights: 2000 },
    { agents: 20, heights: 500 },
    { agents: 100, heights: 100 },
  ];
  for (const s of sizes) await timeEngine('bft', s.agents, Math.ceil(s.heights / 5));
  const perHeightUs = new Map<number, number[]>(sizes.map((s) => [s.agents, []]));
  for (let i = 0; i < REPS; i++)
    for (const s of sizes)
      perHeightUs
        .get(s.agents)
        ?.push(((await timeEngine('bft', s.agents, s.heights)) * 1000) / s.heights);
  const base = median(perHeightUs.get(5) ?? [1]);
  console.log('agents  us/height  us/height/agent  per-agent cost vs 5 agents');
  for (const s of sizes) {
    const us = median(perHeightUs.get(s.agents) ?? [0]);
    console.log(
      `${String(s.agents).padStart(6)}  ${fmt(us, 0).padStart(9)}  ${fmt(us / s.agents, 1).padStart(15)}  ${fmt(us / s.agents / (base / 5))}x`,
    );
  }
  // What the event contract itself asks for: every prevote and precommit event lists what each
  // receiver got, so a height's events carry 2n^2 entries whatever the simulation does.
  const entries: string[] = [];
  for (const s of sizes) {
    let received = 0;
    const heights = 10;
    await runOffline(cfg('bft', s.agents, heights), (e) => {
      if (e.type === 'prevote' || e.type === 'precommit')
        received += Object.keys(e.received).length;
    });
    entries.push(`${fmt(received / heights, 0)} at ${s.agents}`);
  }
  console.log(
    `the prevote and precommit events' 'received' entries a height (2n^2): ${entries.join(', ')}`,
  );
  const us100 = median(perHeightUs.get(100) ?? [0]);
  const exponent = Math.log(us100 / base) / Math.log(100 / 5);
  console.log(
    `cost ~ agents^${fmt(exponent)} from 5 to 100 agents (1.00 = linear; all-to-all votes alone would be 2)`,
  );
  // Why it is not linear: a height is work per agent (asking its model, its proposal, its
  // events) plus work per vote delivered, and every replica hears every replica's prevote and
  // precommit: 2n^2 deliveries in a one-round height. Cost per agent = a + b.n, fitted.
  const fit = linearRegression(
    sizes.map((s) => [s.agents, median(perHeightUs.get(s.agents) ?? [0]) / s.agents]),
  );
  const perDeliveryNs = (fit.m * 1000) / 2;
  const share100 = (2 * 100 * 100 * perDeliveryNs) / 1000 / us100;
  console.log(
    `fitted: ${fmt(fit.b, 1)} us per agent + ${fmt(perDeliveryNs, 0)} ns per vote delivered (2n^2 a height); ` +
      `at 100 agents the 20,000 deliveries are ${fmt(share100 * 100, 0)}% of a height; ` +
      `per-agent cost within 1.2x of 5 agents' at 100 would need <= ${fmt((0.2 * fit.b * 1000) / (2 * (100 - 1.2 * 5)), 0)} ns a delivery`,
  );
}

/**
 * Diagnosis: what a bft height leaves to the garbage collector. A child process runs 20,000
 * healthy heights under --trace-gc-nvp: the young-generation survivors a height (a long-lived
 * map emptied and refilled every phase used to keep about 1.3 KB of each height alive until a
 * full collection: src/core/churn.ts), and the collectors' pauses as a share of the run.
 */
export function survival(): void {
  console.log(
    '\n== what a bft height leaves to the garbage collector (5 agents, 20,000 heights) ==',
  );
  const heights = 20_000;
  const runOfflineUrl = new URL('../src/runtime/run-offline.js', import.meta.url).href;
  const configUrl = new URL('../src/core/config.js', import.meta.url).href;
  const script = `
    const { runOffline } = await import(${JSON.stringify(runOfflineUrl)});
    const { makeCoreConfig } = await import(${JSON.stringify(configUrl)});
    const start = performance.now();
    await runOffline(makeCoreConfig({ seed: 1, protocol: 'bft', maxRounds: ${heights},
      scenario: { name: 'bench', description: 'healthy heights',
        steps: [{ type: 'protocol', protocol: 'bft' }, { type: 'rounds', count: 1 }] } }));
    console.log('run_ms=' + (performance.now() - start));`;
  const r = spawnSync(process.execPath, ['--trace-gc-nvp', '--input-type=module', '-e', script], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  if (r.status !== 0) throw new Error(`gc trace run exited ${r.status}: ${r.stderr.trim()}`);
  const sum = { survived: 0, allocated: 0, scavengeMs: 0, scavenges: 0, markMs: 0, marks: 0 };
  let runMs = 0;
  for (const line of r.stdout.split('\n')) {
    const field = (name: string) => Number(new RegExp(` ${name}=([0-9.]+)`).exec(line)?.[1] ?? 0);
    if (line.startsWith('run_ms=')) runMs = Number(line.slice(7));
    else if (line.includes(' gc=s ')) {
      sum.scavenges++;
      sum.scavengeMs += field('pause');
      sum.survived += field('new_space_survived');
      sum.allocated += field('allocated');
    } else if (line.includes(' gc=mc ')) {
      sum.marks++;
      sum.markMs += field('pause');
    }
  }
  console.log(
    `young survivors ${fmt(sum.survived / heights / 1024)} KB a height (${fmt((100 * sum.survived) / Math.max(1, sum.allocated))}% of the ${fmt(sum.allocated / heights / 1024, 1)} KB it allocates); ` +
      `${sum.scavenges} scavenges ${fmt(sum.scavengeMs, 0)} ms, ${sum.marks} mark-compacts ${fmt(sum.markMs, 0)} ms: ` +
      `${fmt((100 * (sum.scavengeMs + sum.markMs)) / Math.max(1, runMs), 1)}% of the run's ${fmt(runMs, 0)} ms (diagnosis)`,
  );
}

export async function main(): Promise<void> {
  await engine();
  await inputs();
  cli();
  survival();
  await jsonSplit();
  await scaling();
}
