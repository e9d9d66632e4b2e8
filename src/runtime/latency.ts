// Call statistics for the summary, in fixed memory however long the run: latencies go into a
// histogram (1 ms buckets to 10 s, then 100 ms buckets to 10 min), not a growing array.
import type { AnswerSource } from '../core/types.js';

const FINE = 10_000;
const COARSE = 6_000;

export class CallStats {
  readonly calls: Record<AnswerSource, number> = { llm: 0, fallback: 0, offline: 0 };
  private readonly buckets = new Uint32Array(FINE + COARSE);
  private count = 0;

  record(source: AnswerSource, latencyMs: number): void {
    this.calls[source] += 1;
    const ms = Math.max(0, Math.round(latencyMs));
    const index =
      ms < FINE ? ms : Math.min(FINE + COARSE - 1, FINE + Math.floor((ms - FINE) / 100));
    this.buckets[index] = (this.buckets[index] ?? 0) + 1;
    this.count += 1;
  }

  /** The latency at quantile q (0..1), or null with no calls. */
  quantile(q: number): number | null {
    if (this.count === 0) return null;
    const target = Math.max(1, Math.ceil(q * this.count));
    let seen = 0;
    for (let i = 0; i < this.buckets.length; i++) {
      seen += this.buckets[i] ?? 0;
      if (seen >= target) return i < FINE ? i : FINE + (i - FINE) * 100;
    }
    return null;
  }
}
