// packedMap's array is packed whether its caller runs in the interpreter or optimised: the kind
// the per-height arrays' readers are compiled for. Only V8's natives syntax can see an array's
// elements kind, so the check runs in a child process with it enabled.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, it } from 'vitest';

const PACKED = pathToFileURL(join(import.meta.dirname, '../../dist/src/core/packed.js')).href;

const SCRIPT = `
const { packedMap } = await import(${JSON.stringify(PACKED)});
const holey = (a) => %HasHoleyElements(a);
const kinds = (f) => {
  const cold = holey(f([1, 2, 3]));
  %PrepareFunctionForOptimization(f);
  f([1, 2]);
  f([1, 2]);
  %OptimizeFunctionOnNextCall(f);
  const hot = holey(f([1, 2, 3]));
  return { cold, hot, optimised: (%GetOptimizationStatus(f) & 16) !== 0 };
};
console.log(JSON.stringify({
  probe: holey([1, , 3]),
  doubles: kinds((xs) => packedMap(xs, (x) => x * 1.5)),
  objects: kinds((xs) => packedMap(xs, (x, i) => ({ x, i }))),
  booleans: kinds((xs) => packedMap(xs, () => false)),
}));
`;

it('gives a packed array from interpreted and from optimised code alike', () => {
  const r = spawnSync(
    process.execPath,
    ['--allow-natives-syntax', '--input-type=module', '-e', SCRIPT],
    { encoding: 'utf8' },
  );
  expect(r.stderr).toBe('');
  const seen = JSON.parse(r.stdout) as Record<string, unknown>;
  // The probe sees a hole where there is one, so `false` below is a finding, not a blind spot.
  expect(seen.probe).toBe(true);
  for (const kind of ['doubles', 'objects', 'booleans'])
    expect(seen[kind], kind).toEqual({ cold: false, hot: false, optimised: true });
});
