// Run by test/core/engine-shape.test.ts under `node --allow-natives-syntax`: whether the engine's
// agents array is holey, built by code running in the interpreter and by the same code optimised.
// V8's natives are reached through Function so that this file stays plain JavaScript for the
// linters; the flag lets such code use them.
import { stdout } from 'node:process';
import { makeCoreConfig } from '../../dist/src/core/config.js';
import { Engine, initialAgents } from '../../dist/src/core/engine.js';

const isHoley = new Function('a', 'return %HasHoleyElements(a)');
const prepare = new Function('f', '%PrepareFunctionForOptimization(f)');
const optimiseOnNextCall = new Function('f', '%OptimizeFunctionOnNextCall(f)');

const cfg = makeCoreConfig();

/** [holey from the interpreter, holey once `fn` is optimised]. */
function tiers(fn, make) {
  const interpreted = isHoley(make());
  prepare(fn);
  make();
  make();
  optimiseOnNextCall(fn);
  return [interpreted, isHoley(make())];
}

// The control: Array.prototype.map itself, optimised, gives a holey array on this V8. Were that
// no longer so, the checks below would pass without testing anything.
const mapped = (xs) => xs.map((spec) => ({ spec }));
const control = tiers(mapped, () => mapped(cfg.agents));
const helper = tiers(initialAgents, () => initialAgents(cfg.agents));
const constructor = tiers(Engine, () => new Engine(cfg).view().agents);
stdout.write(`${JSON.stringify({ control, helper, constructor })}\n`);
