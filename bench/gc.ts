// A way to force a full garbage collection before reading memory figures: `global.gc` when node
// runs with --expose-gc, else the same function switched on at runtime through V8's flags.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let cached: (() => void) | null | undefined;

export function getGc(): (() => void) | null {
  if (cached !== undefined) return cached;
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (typeof exposed === 'function') return (cached = exposed);
  try {
    setFlagsFromString('--expose-gc');
    const fn = runInNewContext('gc') as unknown;
    cached = typeof fn === 'function' ? (fn as () => void) : null;
  } catch {
    cached = null;
  }
  return cached;
}

/** Full collections until the heap stops shrinking (a few passes at most). */
export function settle(): void {
  const gc = getGc();
  if (!gc) return;
  let last = Infinity;
  for (let i = 0; i < 4; i++) {
    gc();
    const used = process.memoryUsage().heapUsed;
    if (used >= last * 0.99) break;
    last = used;
  }
}
