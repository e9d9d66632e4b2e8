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
  | {
      kind: 'deliver';
      from: number;
      /** The receivers are to[start..end): one array per send, shared by its entries. */
      to: Int32Array;
      start: number;
      end: number;
      msg: WireMsg;
      value: number;
    }
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
  // Scratch for send(), reused from send to send.
  private readonly slotOf: Int32Array;
  private readonly values: number[] = [];
  private readonly counts: number[] = [];
  private readonly order: number[] = [];
  private readonly selves: Int32Array[] = [];

  constructor(
    private readonly rng: PrngState,
    private readonly cfg: NetworkConfig,
    private readonly n: number,
    private readonly links: Links,
  ) {
    this.outcome = new Int32Array(n);
    this.slotOf = new Int32Array(n);
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
    const { cfg, n, outcome, slotOf, links } = this;
    const jitter = cfg.maxDelayMs > cfg.minDelayMs;
    const fromLinks = links.links(from);
    // Receivers that share a value and a delay travel together: one queue entry per group (a
    // slot: delay step x value), the groups in the order they were first met. Counted first,
    // then laid out in one array for the whole send: at 100 agents a height sends 200 times to
    // 100 receivers, and an array and a map per group were most of what a height allocated.
    const values = this.values;
    const counts = this.counts;
    const order = this.order;
    values.length = 0;
    order.length = 0;
    let firstValue = NOT_SENT;
    let mixed = false;
    let total = 0;
    for (let to = 0; to < n; to++) {
      const value = valueFor(to);
      outcome[to] = value;
      slotOf[to] = -1;
      if (value === NOT_SENT) continue;
      // Some receivers miss this message or get another value: gossip has work to do.
      if (firstValue === NOT_SENT) firstValue = value;
      else if (value !== firstValue) mixed = true;
      if (to === from) {
        this.queue.push(now, {
          kind: 'deliver',
          from,
          to: this.self(to),
          start: 0,
          end: 1,
          msg,
          value,
        });
        continue;
      }
      const lost =
        (fromLinks & links.links(to)) === 0 || (cfg.loss > 0 && nextFloat(this.rng) < cfg.loss);
      if (lost || links.down(to)) {
        outcome[to] = LOST;
        mixed = true;
        continue;
      }
      // Per-link delays come in DELAY_STEPS steps between min and max, so receivers that drew
      // the same one travel together: at most DELAY_STEPS entries per value, not one per link.
      const step = jitter ? nextInt(this.rng, 0, DELAY_STEPS - 1) : 0;
      let v = values.indexOf(value);
      if (v < 0) v = values.push(value) - 1;
      const slot = v * DELAY_STEPS + step;
      if (counts[slot] === undefined || counts[slot] === 0) {
        counts[slot] = 0;
        order.push(slot);
      }
      counts[slot] = (counts[slot] ?? 0) + 1;
      slotOf[to] = slot;
      total++;
    }
    if (total > 0) {
      const list = new Int32Array(total);
      // Each slot's first free index in `list`, in first-met order.
      let at = 0;
      for (const slot of order) {
        const c = counts[slot] ?? 0;
        counts[slot] = at;
        at += c;
      }
      const starts = order.map((slot) => counts[slot] ?? 0);
      for (let to = 0; to < n; to++) {
        const slot = slotOf[to] ?? -1;
        if (slot < 0) continue;
        const i = counts[slot] ?? 0;
        list[i] = to;
        counts[slot] = i + 1;
      }
      order.forEach((slot, k) => {
        const step = slot % DELAY_STEPS;
        const delay = jitter
          ? Math.round(
              cfg.minDelayMs + ((cfg.maxDelayMs - cfg.minDelayMs) * step) / (DELAY_STEPS - 1),
            )
          : cfg.minDelayMs;
        const start = starts[k] ?? 0;
        const end = counts[slot] ?? 0;
        counts[slot] = 0;
        const value = values[Math.floor(slot / DELAY_STEPS)] ?? NOT_SENT;
        this.queue.push(now + delay + extraMs, {
          kind: 'deliver',
          from,
          to: list,
          start,
          end,
          msg,
          value,
        });
      });
    }
    if (mixed) this.relay(now + cfg.maxDelayMs * 2 + extraMs, from, msg);
    return outcome;
  }

  /** A one-receiver array per replica, for the copy a sender gets of its own message. */
  private self(to: number): Int32Array {
    let a = this.selves[to];
    if (!a) this.selves[to] = a = Int32Array.of(to);
    return a;
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
      if (to.length > 0)
        this.queue.push(at, {
          kind: 'deliver',
          from,
          to: Int32Array.from(to),
          start: 0,
          end: to.length,
          msg,
          value,
        });
    }
  }

  /** The height is over: nothing queued will be delivered. */
  release(): void {
    this.queue.clear();
  }

  schedule(at: number, due: Due): void {
    this.queue.push(at, due);
  }
}
