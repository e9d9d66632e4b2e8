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
import { inSecondHalf } from './adversary.js';
import { fillInts, nextFloat, nextInt, type PrngState } from '../prng.js';
import type { NetworkConfig } from '../state.js';
import type { FaultKind } from '../types.js';
import type { Step } from './replica.js';
import { NIL, NONE } from './tally.js';

export type WireMsg =
  | { kind: 'proposal'; round: number; validRound: number }
  | { kind: 'prevote' | 'precommit'; round: number };

export type Due =
  | {
      kind: 'deliver';
      from: number;
      /** The receivers are to[start..end), in an array shared by many sends (Network.lists). */
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

/** What the network reads of a replica's agent when it sends: its networks and its fault. */
export interface Peer {
  /** The networks it is on (bits): two replicas are linked when they share one. */
  readonly links: number;
  /** crash: drops what arrives (shown as lost); byzantine or crash: passes nothing on. */
  readonly fault: FaultKind | null;
}

/**
 * The arrays a height's network works in, handed on to the next height's (CoreState): a height
 * that allocated its own spent about 3% of a 5-agent height on them, the typed arrays over 64
 * bytes being allocated outside the heap. A height that ended never reads them again.
 */
export interface NetworkScratch {
  /** What each receiver gets of the send under way (Network.send returns it). */
  outcome: Int32Array;
  /** Receivers per slot (delay step x value), zero between sends. */
  counts: Int32Array;
  /**
   * Where sends lay out their receivers, one after another: a typed array per send (an object, a
   * buffer and its store) cost 5% of a 100-agent height. A full one is left to the entries that
   * still point into it, and a new one taken.
   */
  lists: Int32Array;
  values: number[];
  order: number[];
  /** The receivers a send reaches over a link, in order, and the delay step each drew (then its slot). */
  reached: number[];
  steps: number[];
  /** A one-receiver array per replica, for the copy a sender gets of its own message. */
  selves: Int32Array[];
}

export function networkScratch(): NetworkScratch {
  return {
    outcome: new Int32Array(0),
    counts: new Int32Array(DELAY_STEPS * 4),
    lists: new Int32Array(0),
    values: [],
    order: [],
    reached: [],
    steps: [],
    selves: [],
  };
}

export class Network {
  readonly queue = new DueQueue<Due>();
  /** Where in scratch.lists the next send lays out its receivers (see NetworkScratch.lists). */
  private listsUsed = 0;

  constructor(
    private readonly rng: PrngState,
    private readonly cfg: NetworkConfig,
    private readonly n: number,
    /** The replicas' agents, read at each send: a fault or partition can start mid-height. */
    private readonly peers: readonly Peer[],
    private readonly scratch: NetworkScratch,
  ) {
    if (scratch.outcome.length < n) scratch.outcome = new Int32Array(n);
  }

  /**
   * Sends `msg` from `from`: `first` to every receiver, or, when `second` differs (an
   * equivocator), `second` to the second half of the others (inSecondHalf); NOT_SENT: nothing.
   * Returns what each receiver will get, valid until the next send. A sender always reaches
   * itself, at once.
   */
  send(
    now: number,
    from: number,
    extraMs: number,
    msg: WireMsg,
    first: number,
    second: number,
  ): Int32Array {
    const { cfg, n, peers, scratch } = this;
    const { outcome, values, order, reached, steps } = scratch;
    const jitter = cfg.maxDelayMs > cfg.minDelayMs;
    const fromLinks = peers[from]?.links ?? 0;
    // Receivers that share a value and a delay travel together: one queue entry per group (a
    // slot: delay step x value), the groups in the order they were first met. Counted first,
    // then laid out in one array for the whole send: at 100 agents a height sends 200 times to
    // 100 receivers, and an array and a map per group were most of what a height allocated.
    // values[0..valueCount) and order[0..orderCount): counted, not truncated, because an array
    // cut to length 0 gives up its store and takes a new one at the next push.
    let counts = scratch.counts;
    let valueCount = 0;
    let orderCount = 0;
    let firstValue = NOT_SENT;
    let mixed = false;
    let total = 0;
    // Not a callback per receiver: at 100 agents a height sends 200 times to 100 receivers.
    const split = first !== second;
    for (let to = 0; to < n; to++) {
      const value = split && to !== from && inSecondHalf(from, to, n) ? second : first;
      outcome[to] = value;
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
      const peer = peers[to];
      const lost =
        (fromLinks & (peer?.links ?? 0)) === 0 || (cfg.loss > 0 && nextFloat(this.rng) < cfg.loss);
      if (lost || peer?.fault === 'crash') {
        outcome[to] = LOST;
        mixed = true;
        continue;
      }
      // With loss, a link's delay is drawn right after its loss draw; without, the send's delays
      // are drawn together below. Either way each link draws in the order of the receivers.
      if (jitter && cfg.loss > 0) steps[total] = nextInt(this.rng, 0, DELAY_STEPS - 1);
      reached[total++] = to;
    }
    if (jitter && cfg.loss === 0) fillInts(this.rng, steps, total, DELAY_STEPS);
    // Per-link delays come in DELAY_STEPS steps between min and max, so receivers that drew
    // the same one travel together: at most DELAY_STEPS entries per value, not one per link.
    for (let k = 0; k < total; k++) {
      const to = reached[k] ?? 0;
      const value = outcome[to] ?? NOT_SENT;
      const step = jitter ? (steps[k] ?? 0) : 0;
      let v = 0;
      while (v < valueCount && values[v] !== value) v++;
      if (v === valueCount) values[valueCount++] = value;
      const slot = v * DELAY_STEPS + step;
      if (slot >= counts.length) counts = this.moreSlots(slot);
      if (counts[slot] === 0) order[orderCount++] = slot;
      counts[slot] = (counts[slot] ?? 0) + 1;
      // The step is spent: the slot takes its place, for the layout below.
      steps[k] = slot;
    }
    if (total > 0) {
      if (this.listsUsed + total > scratch.lists.length) {
        scratch.lists = new Int32Array(Math.max(2 * n * (n + 1), total));
        this.listsUsed = 0;
      }
      const list = scratch.lists;
      // The slots are laid out in first-met order, each where the one before ended; counts[]
      // becomes each slot's next free index in `list`.
      let at = this.listsUsed;
      for (let k = 0; k < orderCount; k++) {
        const slot = order[k] ?? 0;
        const count = counts[slot] ?? 0;
        counts[slot] = at;
        at += count;
      }
      for (let k = 0; k < total; k++) {
        const slot = steps[k] ?? 0;
        const i = counts[slot] ?? 0;
        list[i] = reached[k] ?? 0;
        counts[slot] = i + 1;
      }
      let start = this.listsUsed;
      this.listsUsed = at;
      for (let k = 0; k < orderCount; k++) {
        const slot = order[k] ?? 0;
        const step = slot % DELAY_STEPS;
        const delay = jitter
          ? Math.round(
              cfg.minDelayMs + ((cfg.maxDelayMs - cfg.minDelayMs) * step) / (DELAY_STEPS - 1),
            )
          : cfg.minDelayMs;
        const end = counts[slot] ?? 0;
        counts[slot] = 0;
        this.queue.push(now + delay + extraMs, {
          kind: 'deliver',
          from,
          to: list,
          start,
          end,
          msg,
          value: values[Math.floor(slot / DELAY_STEPS)] ?? NOT_SENT,
        });
        start = end;
      }
    }
    if (mixed) this.relay(now + cfg.maxDelayMs * 2 + extraMs, from, msg);
    return outcome;
  }

  private moreSlots(slot: number): Int32Array {
    const bigger = new Int32Array(Math.max(slot + 1, this.scratch.counts.length * 2));
    bigger.set(this.scratch.counts);
    this.scratch.counts = bigger;
    return bigger;
  }

  /** An honest replica passes on what it received (gossip); a byzantine or crashed one does not. */
  private relays(i: number): boolean {
    const fault = this.peers[i]?.fault ?? null;
    return fault !== 'byzantine' && fault !== 'crash';
  }

  /** The one-receiver array of replica `to`. */
  private self(to: number): Int32Array {
    const { selves } = this.scratch;
    let a = selves[to];
    if (!a) selves[to] = a = Int32Array.of(to);
    return a;
  }

  /** One gossip hop: each value an honest replica got reaches the replicas linked to it that lack it. */
  private relay(at: number, from: number, msg: WireMsg): void {
    const { n } = this;
    const { outcome } = this.scratch;
    const values = new Set<number>();
    for (let i = 0; i < n; i++) if ((outcome[i] ?? NOT_SENT) >= NIL) values.add(outcome[i] ?? NIL);
    for (const value of values) {
      // The networks of the honest replicas that hold this value: whoever is on one gets it.
      let reach = 0;
      for (let i = 0; i < n; i++)
        if (outcome[i] === value && this.relays(i)) reach |= this.peers[i]?.links ?? 0;
      const to: number[] = [];
      for (let q = 0; q < n; q++)
        if (
          outcome[q] !== value &&
          q !== from &&
          this.peers[q]?.fault !== 'crash' &&
          (reach & (this.peers[q]?.links ?? 0)) !== 0
        )
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

  schedule(at: number, due: Due): void {
    this.queue.push(at, due);
  }
}
