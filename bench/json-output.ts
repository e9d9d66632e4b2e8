// --json throughput: the CLI's JSON Lines path (serialise, batch, write to /dev/null) against the
// engine alone, in the same process, alternating the variants within each repetition and
// reporting medians. Target: >= 10,000 rounds/s at 5 agents offline. Two older ways are measured
// beside it: the same batches built with JSON.stringify (what --json still does when it has a
// secret to redact), to show what writing bytes directly buys; and a write per event.
import { EventEmitter } from 'node:events';
import { closeSync, openSync, writeSync } from 'node:fs';
import { runHeadless } from '../src/cli/headless.js';
import { Outcome } from '../src/cli/outcome.js';
import { makeCoreConfig } from '../src/core/config.js';
import { BUILTIN_SCENARIOS, type ScenarioSpec } from '../src/core/scenario.js';
import type { Protocol } from '../src/core/types.js';
import { jsonLine } from '../src/runtime/json-line.js';
import { createRuntime } from '../src/runtime/run-offline.js';

const TARGET_ROUNDS_PER_S = 10_000;
const ROUNDS = 5_000;
const REPS = 5;

const CHAOS = BUILTIN_SCENARIOS['chaos'] as ScenarioSpec;

/** Chaos (random faults throughout) under `protocol`: the built-in one switches to bft itself. */
const config = (protocol: Protocol) =>
  makeCoreConfig({
    seed: 1,
    scenario: {
      ...CHAOS,
      steps: CHAOS.steps.map((s) => (s.type === 'protocol' ? { ...s, protocol } : s)),
    },
    protocol,
    maxRounds: ROUNDS,
  });

type Variant = 'engine' | 'json' | 'json, JSON.stringify' | 'json, a write per event';

async function timeOnce(variant: Variant, fd: number, protocol: Protocol): Promise<number> {
  const runtime = createRuntime(config(protocol));
  const start = performance.now();
  if (variant === 'engine') await runtime.start();
  else if (variant === 'json' || variant === 'json, JSON.stringify')
    await runHeadless(runtime, {
      json: true,
      offlineReason: null,
      scrub: (l) => l,
      // With a secret to redact each line is a string first: JSON.stringify, then the scrub.
      redacts: variant === 'json, JSON.stringify',
      stdout: {
        write: (chunk: Uint8Array | string, done: (err?: Error | null) => void) => {
          if (typeof chunk === 'string') writeSync(fd, chunk);
          else writeSync(fd, chunk);
          done();
        },
      },
      outcome: new Outcome(),
      signals: new EventEmitter(),
    });
  else {
    runtime.onEvent((e) => {
      if (e.type !== 'llm_delta') writeSync(fd, `${jsonLine(e)}\n`);
    });
    await runtime.start();
  }
  return performance.now() - start;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

export async function main(): Promise<void> {
  // classic: the engine's fast path, where output is most of the cost; bft: the replicated
  // protocol, whose engine alone is several times slower.
  for (const protocol of ['classic', 'bft'] as const) await section(protocol);
}

async function section(protocol: Protocol): Promise<void> {
  console.log(
    `\n== --json output, 5 agents offline, chaos, ${protocol}, ${ROUNDS} rounds (medians of ${REPS}) ==`,
  );
  const fd = openSync('/dev/null', 'w');
  const variants: Variant[] = ['engine', 'json', 'json, JSON.stringify', 'json, a write per event'];
  const times = new Map<Variant, number[]>(variants.map((v) => [v, []]));
  try {
    for (const v of variants) await timeOnce(v, fd, protocol); // warm-up
    for (let rep = 0; rep < REPS; rep++)
      for (const v of rep % 2 === 0 ? variants : [...variants].reverse())
        times.get(v)?.push(await timeOnce(v, fd, protocol));
  } finally {
    closeSync(fd);
  }
  const rps = (v: Variant) => (ROUNDS * 1000) / median(times.get(v) ?? []);
  const engine = rps('engine');
  for (const v of variants)
    console.log(
      `${v.padEnd(26)} ${rps(v).toFixed(0).padStart(7)} rounds/s  ${(rps(v) / engine).toFixed(2)} x the engine alone`,
    );
  const json = rps('json');
  console.log(
    `--json: ${json.toFixed(0)} rounds/s = ${(json / TARGET_ROUNDS_PER_S).toFixed(2)} x the ${TARGET_ROUNDS_PER_S} target (${json >= TARGET_ROUNDS_PER_S ? 'meets' : 'BELOW'}); ${(json / rps('json, JSON.stringify')).toFixed(2)} x the same batches built with JSON.stringify, ${(json / rps('json, a write per event')).toFixed(2)} x a write per event`,
  );
}
