// sfc32 from a 32-bit seed (splitmix32 to spread it). The state is four numbers so it can live
// inside the core's plain state and be copied or serialised with it.

export type PrngState = [number, number, number, number];

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

export function seedPrng(seed: number): PrngState {
  const next = splitmix32(seed);
  return [next(), next(), next(), next()];
}

/** A float in [0, 1). Advances `state` in place. */
export function nextFloat(state: PrngState): number {
  // Read by index, not destructured: a destructuring allocated on every draw (24 bytes), and a
  // bft height at 100 agents draws 20,000 link delays.
  let a = state[0];
  let b = state[1];
  let c = state[2];
  let d = state[3];
  const t = (((a + b) >>> 0) + d) >>> 0;
  d = (d + 1) >>> 0;
  a = b ^ (b >>> 9);
  b = (c + (c << 3)) >>> 0;
  c = ((c << 21) | (c >>> 11)) >>> 0;
  c = (c + t) >>> 0;
  state[0] = a >>> 0;
  state[1] = b;
  state[2] = c;
  state[3] = d;
  return t / 4294967296;
}

export function nextInt(state: PrngState, minInclusive: number, maxInclusive: number): number {
  return minInclusive + Math.floor(nextFloat(state) * (maxInclusive - minInclusive + 1));
}

/**
 * Fills out[0..count) with what `count` calls of nextInt(state, 0, bound - 1) would give, and
 * leaves `state` where they would. The state is read and written once, not at every draw: a bft
 * height at 100 agents draws 20,000 link delays, and one at a time each cost five times as much.
 */
export function fillInts(state: PrngState, out: number[], count: number, bound: number): void {
  // nextFloat's steps on int32 values: the same bits mod 2^32, kept in registers.
  let a = state[0] | 0;
  let b = state[1] | 0;
  let c = state[2] | 0;
  let d = state[3] | 0;
  for (let i = 0; i < count; i++) {
    const t = (a + b + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    out[i] = Math.floor(((t >>> 0) / 4294967296) * bound);
  }
  state[0] = a >>> 0;
  state[1] = b >>> 0;
  state[2] = c >>> 0;
  state[3] = d >>> 0;
}

export function pick<T>(state: PrngState, items: readonly T[]): T {
  if (items.length === 0) throw new Error('pick from an empty list');
  return items[Math.floor(nextFloat(state) * items.length)] as T;
}
