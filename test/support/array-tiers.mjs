// Run by test/core/engine-shape.test.ts under `node --allow-natives-syntax`: whether arrays the
// engine builds (its agents, packedMap's) are holey, built by code running in the interpreter and
// by the same code optimised.
// V8's natives are reached through Function so that this file stays plain JavaScript for the
// linters; the flag lets such code use them.
import { stdout } from 'node:process';
import { makeCoreConfig } from '../../dist/src/core/config.js';
import { Engine, initialAgents } from '../../dist/src/core/engine.js';
import { packedMap } from '../../dist/src/core/packed.js';

const isHoley = new Function('a', 'return %HasHoleyElements(a)');
const prepare = new Function('f', '%PrepareFunctionForOptimization(f)');
const optimiseOnNextCall = new Function('f', '%OptimizeFunctionOnNextCall(f)');
const isOptimised = new Function('f', 'return (%GetOptimizationStatus(f) & 16) !== 0');

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
// packedMap with each kind of element the per-height arrays hold, and whether its caller really
// was optimised (the flip shows only in optimised code).
const packed = (f) => {
  const caller = (xs) => packedMap(xs, f);
  const [interpreted] = tiers(caller, () => caller([1, 2, 3]));
  // packedMap's feedback is shared with the callers above (other element kinds): the first
  // optimised call may deoptimise on it, so optimise once more with what it has now seen.
  prepare(caller);
  optimiseOnNextCall(caller);
  const optimised = isHoley(caller([1, 2, 3]));
  return [interpreted, optimised, isOptimised(caller)];
};
const packedDoubles = packed((x) => x * 1.5);
const packedObjects = packed((x, i) => ({ x, i }));
const packedBooleans = packed(() => false);
stdout.write(
  `${JSON.stringify({ control, helper, constructor, packedDoubles, packedObjects, packedBooleans })}\n`,
);
