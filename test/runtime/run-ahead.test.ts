// At --speed max the core runs its own timers up to the runtime's next item (Input.horizon)
// instead of asking for one timer per delivery time. That must change nothing a run shows: the
// same events, byte for byte, with far fewer inputs.
import { describe, expect, it } from 'vitest';
import { Engine } from '../../src/core/engine.js';
import type { Input } from '../../src/core/io.js';
import { makeCoreConfig } from '../../src/core/config.js';
import { BUILTIN_SCENARIOS } from '../../src/core/scenario.js';
import type { CoreConfig } from '../../src/core/state.js';
import { createRuntime } from '../../src/runtime/run-offline.js';

/** The run's events as JSON Lines, and how many inputs the core was given. */
async function run(cfg: CoreConfig, runAhead: boolean): Promise<{ log: string; inputs: number }> {
  const runtime = createRuntime(cfg, { runAhead });
  const lines: string[] = [];
  runtime.onEvent((e) => lines.push(JSON.stringify(e)));
  let inputs = 0;
  const handle = Engine.prototype.handle;
  // Counted on the prototype for this run only: the runtime holds its engine privately.
  Engine.prototype.handle = function (this: Engine, input: Input) {
    inputs++;
    return handle.call(this, input);
  };
  try {
    await runtime.start();
  } finally {
    Engine.prototype.handle = handle;
  }
  return { log: lines.join('\n'), inputs };
}

const cases: [string, Partial<CoreConfig>][] = [
  ['healthy, bft', { scenario: BUILTIN_SCENARIOS['healthy']!, protocol: 'bft', maxRounds: 30 }],
  [
    'chaos, bft, lossy',
    {
      scenario: BUILTIN_SCENARIOS['chaos']!,
      protocol: 'bft',
      maxRounds: 120,
      network: { minDelayMs: 20, maxDelayMs: 500, loss: 0.1 },
    },
  ],
  [
    'attack, bft, equivocate, quorum 0.5',
    {
      scenario: BUILTIN_SCENARIOS['attack']!,
      protocol: 'bft',
      adversary: 'equivocate',
      quorum: 0.5,
    },
  ],
  [
    'recovery, bft, noise',
    { scenario: BUILTIN_SCENARIOS['recovery']!, protocol: 'bft', offlineNoise: 0.3 },
  ],
  ['the tour', {}],
  ['chaos, classic', { scenario: BUILTIN_SCENARIOS['chaos']!, protocol: 'classic', maxRounds: 60 }],
];

describe('running ahead to the horizon', () => {
  it.each(cases)('gives the same events as one timer at a time: %s', async (_name, overrides) => {
    for (const seed of [1, 11, 29]) {
      const cfg = makeCoreConfig({ seed, ...overrides });
      const ahead = await run(cfg, true);
      const stepwise = await run(cfg, false);
      expect(ahead.log.length).toBeGreaterThan(10_000);
      expect(ahead.log).toBe(stepwise.log);
      expect(ahead.inputs).toBeLessThanOrEqual(stepwise.inputs);
    }
  });

  it('saves most of a bft height inputs', async () => {
    const cfg = makeCoreConfig({ seed: 3, ...cases[0]![1] });
    const ahead = await run(cfg, true);
    const stepwise = await run(cfg, false);
    expect(ahead.inputs).toBeLessThan(stepwise.inputs * 0.6);
  });
});
