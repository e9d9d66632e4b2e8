// The simulated network between replicas, inside the core: authenticated point-to-point links
// (a message's sender is whoever really sent it), per-link delay and loss drawn from the seeded
// PRNG, partitions. Deliveries and replica timeouts share one queue ordered by (time, seq); a
// broadcast whose receivers all get the same value after the same delay is one queue entry.
//
// Tendermint assumes gossip: a message one correct process received reaches every correct process
// (it is signed, so anyone can pass it on). Modelled here as one relay hop: what an honest replica
// got reaches every replica linked to it that did not get it (lost, or sent another
// value by an equivocator), one delay later. Only then can honest replicas see an equivocator's
// other vote, and with it a lock's proof or the evidence.
import { DueQueue } from '../due-queue.js';
import { nextFloat, nextInt, type PrngState } from '../prng.js';
import type { NetworkConfig } from '../state.js';
import type { Step } from './replica.js';
import { NIL, NONE } from './tally.js';

export type WireMsg =
  | { kind: 'proposal'; round: number; validRound: number }
  | { kind: 'prevote' | 'precommit'; round: number };

export type Due =
  | { kind: 'deliver'; from: number; to: number[]; msg: WireMsg; value: number }
  | { kind: 'timeout'; replica: number; step: Step; round: number }
  | { kind: 'end'; why: 'grace' | 'deadline' };

/** What one receiver got of a broadcast: a value (or NIL), NOT_SENT, or LOST. */
export const NOT_SENT = NONE;
/** Distinct per-link delays between the network's min and max. */
const DELAY_STEPS = 8;
export const LOST = -3;

export interface Links {
  /** The networks a replica is on (bits): two replicas are linked when they share one. */
  links(replica: number): number;
  /** A crashed receiver drops what arrives: shown as lost. */
  down(to: number): boolean;
  /** An honest replica passes on what it received (gossip); a byzantine one may not. */
  relays(replica: number): boolean;
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
    let firstValue = NOT_SENT;
    let mixed = false;
    let jittered: Map<number, { at: number; value: number; to: number[] }> | null = null;
    for (let to = 0; to < n; to++) {
      const value = valueFor(to);
      outcome[to] = value;
      if (value === NOT_SENT) continue;
      // Some receivers miss this message or get another value: gossip has work to do.
      if (firstValue === NOT_SENT) firstValue = value;
      else if (value !== firstValue) mixed = true;
      if (to === from) {
        this.queue.push(now, { kind: 'deliver', from, to: [to], msg, value });
        continue;
      }
      const lost =
        (this.links.links(from) & this.links.links(to)) === 0 ||
        (cfg.loss > 0 && nextFloat(this.rng) < cfg.loss);
      if (lost || this.links.down(to)) {
        outcome[to] = LOST;
        mixed = true;
        continue;
      }
      if (jitter) {
        // Per-link delays come in DELAY_STEPS steps between min and max, so receivers that drew
        // the same one travel together: at most DELAY_STEPS entries per value, not one per link.
        const step = nextInt(this.rng, 0, DELAY_STEPS - 1);
        const delay = Math.round(
          cfg.minDelayMs + ((cfg.maxDelayMs - cfg.minDelayMs) * step) / (DELAY_STEPS - 1),
        );
        jittered ??= new Map();
        const key = delay * 65_536 + value + 1;
        let g = jittered.get(key);
        if (!g) jittered.set(key, (g = { at: now + delay + extraMs, value, to: [] }));
        g.to.push(to);
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
    if (jittered)
      for (const g of jittered.values())
        this.queue.push(g.at, { kind: 'deliver', from, to: g.to, msg, value: g.value });
    if (mixed) this.relay(now + cfg.maxDelayMs * 2 + extraMs, from, msg);
    return outcome;
  }

  /** One gossip hop: each value an honest replica got reaches the replicas linked to it that lack it. */
  private relay(at: number, from: number, msg: WireMsg): void {
    const { n, outcome, links } = this;
    const values = new Set<number>();
    for (let i = 0; i < n; i++) if ((outcome[i] ?? NOT_SENT) >= NIL) values.add(outcome[i] ?? NIL);
    for (const value of values) {
      // The networks of the honest replicas that hold this value: whoever is on one gets it.
      let reach = 0;
      for (let i = 0; i < n; i++)
        if (outcome[i] === value && links.relays(i)) reach |= links.links(i);
      const to: number[] = [];
      for (let q = 0; q < n; q++)
        if (outcome[q] !== value && q !== from && !links.down(q) && (reach & links.links(q)) !== 0)
          to.push(q);
      if (to.length > 0) this.queue.push(at, { kind: 'deliver', from, to, msg, value });
    }
  }

  schedule(at: number, due: Due): void {
    this.queue.push(at, due);
  }
}
