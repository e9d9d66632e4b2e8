// One memory reading of a live run: the run paused, full collections, then a wait until RSS stops
// falling, then the run resumed. V8 hands the pages a collection freed back to the system from a
// background thread, tens of milliseconds later: read at once, RSS still counts them (in one run
// 140-149 MB at once, 122-130 MB 100 ms later), and read without a collection it counts the
// garbage V8 lets the old generation hold, which it sizes to the allocation rate.
import { setTimeout as sleep } from 'node:timers/promises';
import type { RuntimeControl } from '../src/runtime/control.js';
import { settle } from './gc.js';

export interface MemoryReading {
  /** RSS after the collections, once steady. */
  rss: number;
  /** RSS as it was when the run paused, garbage and all. */
  rssBefore: number;
  heap: number;
  /** Wall ms the run stood paused for the reading. */
  pausedMs: number;
}

const POLL_MS = 25;
const MIN_WAIT_MS = 100;
const MAX_WAIT_MS = 1000;
const STEADY_BYTES = 512 * 1024;

export async function settledReading(runtime: RuntimeControl): Promise<MemoryReading> {
  const t0 = performance.now();
  const wasPaused = runtime.status().paused;
  runtime.pause();
  const rssBefore = process.memoryUsage().rss;
  settle();
  let rss = process.memoryUsage().rss;
  for (;;) {
    await sleep(POLL_MS);
    const next = process.memoryUsage().rss;
    const steady = Math.abs(next - rss) < STEADY_BYTES;
    rss = next;
    const waited = performance.now() - t0;
    if ((steady && waited >= MIN_WAIT_MS) || waited >= MAX_WAIT_MS) break;
  }
  const heap = process.memoryUsage().heapUsed;
  if (!wasPaused) runtime.resume();
  return { rss, rssBefore, heap, pausedMs: performance.now() - t0 };
}
