// The simulated network between replicas, inside the core: authenticated point-to-point links
// (a message's sender is whoever really sent it), per-link delay and loss drawn from the seeded
// PRNG, partitions. Deliveries and replica timeouts share one queue ordered by (time, seq); a
// broadcast whose receivers all get the same value after the same delay is one queue entry.
import { DueQueue } from '../due-queue.js';
import { nextFloat, nextInt, type PrngState } from '../prng.js';
import type { NetworkConfig } from '../state.js';
import type { Step } from './replica.js';
import { NONE } from './tally.js';

export type WireMsg =
  | { kind: 'proposal'; round: number; validRound: number }
  | { kind: 'prevote' | 'precommit'; round: number };

export type Due =
  | { kind: 'deliver'; from: number; to: number[]; msg: WireMsg; value: number }
  | { kind: 'timeout'; replica: number; step: Step; round: number }
  | { kind: 'end'; why: 'grace' | 'deadline' };

/** What one receiver got of a broadcast: a value (or NIL), NOT_SENT, or LOST. */
export const NOT_SENT = NONE;
export const LOST = -3;

export interface Links {
  /** False across a partition. */
  up(from: number, to: number): boolean;
  /** A crashed receiver drops what arrives: shown as lost. */
  down(to: number): boolean;
}

export class Network {
  readonly queue = new DueQueue<Due>();
  private readonly outcome: Int32Array;

  constructor(
    private readonly rng: PrngState,
    private readonly cfg: NetworkConfig,
    private readonly n: number,
    private readonly links: Links,
  ) {
    this.outcome = new Int32Array(n);
  }

  /**
   * Sends `msg` from `from`: receiver i gets valueFor(i) (NOT_SENT: nothing). Returns what each
   * receiver will get, valid until the next send. A sender always reaches itself, at once.
   */
  send(
    now: number,
    from: number,
    extraMs: number,
    msg: WireMsg,
    valueFor: (to: number) => number,
  ): Int32Array {
    const { cfg, n, outcome } = this;
    const jitter = cfg.maxDelayMs > cfg.minDelayMs;
    // Receivers that share a value and a delay travel together: one entry per group.
    let groups: Map<number, number[]> | null = null;
    let single: number[] | null = null;
    let singleValue = NOT_SENT;
    const at0 = now + cfg.minDelayMs + extraMs;
    for (let to = 0; to < n; to++) {
      const value = valueFor(to);
      outcome[to] = value;
      if (value === NOT_SENT) continue;
      if (to === from) {
        this.queue.push(now, { kind: 'deliver', from, to: [to], msg, value });
        continue;
      }
      const lost = !this.links.up(from, to) || (cfg.loss > 0 && nextFloat(this.rng) < cfg.loss);
      if (lost || this.links.down(to)) {
        outcome[to] = LOST;
        continue;
      }
      if (jitter) {
        const at = now + nextInt(this.rng, cfg.minDelayMs, cfg.maxDelayMs) + extraMs;
        this.queue.push(at, { kind: 'deliver', from, to: [to], msg, value });
      } else if (single === null || value === singleValue) {
        single ??= [];
        singleValue = value;
        single.push(to);
      } else {
        groups ??= new Map();
        let g = groups.get(value);
        if (!g) groups.set(value, (g = []));
        g.push(to);
      }
    }
    if (single)
      this.queue.push(at0, { kind: 'deliver', from, to: single, msg, value: singleValue });
    if (groups)
      for (const [value, to] of groups)
        this.queue.push(at0, { kind: 'deliver', from, to, msg, value });
    return outcome;
  }

  schedule(at: number, due: Due): void {
    this.queue.push(at, due);
  }
}
