// Array.prototype.map's result is packed or holey depending on how its caller was compiled (once
// the optimising compiler inlines it, it comes out holey). The per-height arrays every replica
// reads changed kind whenever startHeight was compiled again, and everything compiled for the
// other kind deoptimised in turn: a 5-agent run spent heights 1,750 to 2,750 at twice the cost.
// An array grown by push from empty is packed whatever the tier (test/core/engine-shape.test.ts).

/** `xs.map(f)`, always a packed array. */
export function packedMap<T, U>(xs: readonly T[], f: (x: T, i: number) => U): U[] {
  const out: U[] = [];
  for (let i = 0; i < xs.length; i++) out.push(f(xs[i] as T, i));
  return out;
}
