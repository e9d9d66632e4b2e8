// Scripted interaction tests of the replica rules, in the style of etcd raft's rafttest: the test
// owns the network (deliver these messages, to these replicas), the clock (fire this timeout),
// and plays the byzantine replica itself; then it checks each replica's state.
import { describe, expect, it } from 'vitest';
import { meetsSkip, quorumRule, thresholds } from '../../src/core/quorum.js';
import { Replica, type ReplicaHost, type Step } from '../../src/core/bft/replica.js';
import { NIL, NONE, VoteBook } from '../../src/core/bft/tally.js';

// Values: 0 = n3, 1 = n4 (both valid), 2 = n999 (invalid).
const N3 = 0;
const N4 = 1;
const N999 = 2;
const VALID = [true, true, false];

type Msg =
  | { kind: 'proposal'; from: number; round: number; value: number; validRound: number }
  | { kind: 'prevote' | 'precommit'; from: number; round: number; value: number };

class Cluster {
  readonly replicas: Replica[];
  /** Everything broadcast and not yet delivered, in order. */
  pending: Msg[] = [];
  readonly timers: { p: number; step: Step; round: number }[] = [];
  readonly locks: [number, number, number][] = [];
  /** [holder, sender]: a replica holding two conflicting signed messages from sender. */
  readonly evidence: [number, number][] = [];

  constructor(
    readonly weights: number[],
    quorum: number | null,
    /** Proposer of each round. */
    proposers: number[],
    /** What each replica's own model proposes. */
    own: number[],
    /** Replicas the test plays itself (byzantine): they never run rules. */
    readonly byzantine: Set<number> = new Set(),
  ) {
    const total = weights.reduce((a, b) => a + b, 0);
    const rule = quorumRule('bft', quorum);
    const books = new Map<string, VoteBook>();
    const host: ReplicaHost = {
      rounds: 5,
      senders: weights.length,
      proposer: (r) => proposers[r] ?? 0,
      getValue: (p) => own[p] ?? NIL,
      judge: (_p, _r, v) => (VALID[v] ? 'accept' : 'reject'),
      valid: (_p, v) => VALID[v] === true,
      skip: (w) => meetsSkip(rule, w, total),
      book: (step, round) => {
        const key = `${step}${round}`;
        let book = books.get(key);
        if (!book)
          books.set(
            key,
            (book = new VoteBook(weights.length, VALID.length, thresholds(rule, total))),
          );
        return book;
      },
      broadcastProposal: (p, round, value, validRound) =>
        this.pending.push({ kind: 'proposal', from: p, round, value, validRound }),
      broadcastVote: (p, kind, round, value) => this.pending.push({ kind, from: p, round, value }),
      schedule: (p, step, round) => this.timers.push({ p, step, round }),
      locked: (p, r, v) => this.locks.push([p, r, v]),
      decided: () => {},
      timedOut: () => {},
      gaveUp: () => {},
      conflicting: (p, sender) => this.evidence.push([p, sender]),
    };
    this.replicas = weights.map((_, i) => new Replica(i, host));
  }

  start(): void {
    this.replicas.forEach((r, i) => this.byzantine.has(i) || r.start());
  }

  /** Delivers every pending message (matching `which`) to the honest replicas in `to`. */
  deliver(which: (m: Msg) => boolean = () => true, to: number[] = this.honest()): void {
    const now = this.pending.filter(which);
    this.pending = this.pending.filter((m) => !which(m));
    for (const m of now) for (const p of to) this.receive(p, m);
  }

  /** The byzantine replica `from` sends `m` to `to` only (authenticated: from is really it). */
  send(to: number[], m: Msg): void {
    for (const p of to) this.receive(p, m);
  }

  /** Fires every pending timeout of `step` (the clock moved past them). */
  tick(step: Step): void {
    const due = this.timers.filter((t) => t.step === step);
    this.timers.splice(0, this.timers.length, ...this.timers.filter((t) => t.step !== step));
    for (const t of due) this.replicas[t.p]?.onTimeout(t.step, t.round);
  }

  honest(): number[] {
    return this.weights.map((_, i) => i).filter((i) => !this.byzantine.has(i));
  }

  decisions(): number[] {
    return this.replicas.map((r) => r.decision);
  }

  private receive(p: number, m: Msg): void {
    const r = this.replicas[p];
    if (!r || this.byzantine.has(p)) return;
    const w = this.weights[m.from] ?? 0;
    if (m.kind === 'proposal') r.onProposal(m.from, w, m.round, m.value, m.validRound);
    else r.onVote(m.kind, m.from, w, m.round, m.value);
  }
}

const WEIGHTS = [1.3, 1.2, 1.1, 1.0, 0.9];
const isVote = (kind: Msg['kind']) => (m: Msg) => m.kind === kind;

/** Alpha (replica 0, 1.3 of 5.5) proposes n3 to beta and gamma, n4 to delta and epsilon. */
function equivocatingProposer(quorum: number | null): Cluster {
  const c = new Cluster(WEIGHTS, quorum, [0, 1, 2, 3, 4], [N3, N3, N3, N3, N3], new Set([0]));
  c.start();
  c.send([1, 2], { kind: 'proposal', from: 0, round: 0, value: N3, validRound: -1 });
  c.send([3, 4], { kind: 'proposal', from: 0, round: 0, value: N4, validRound: -1 });
  // Each honest replica prevotes what it was sent; alpha prevotes both ways.
  c.deliver(isVote('prevote'));
  c.send([1, 2], { kind: 'prevote', from: 0, round: 0, value: N3 });
  c.send([3, 4], { kind: 'prevote', from: 0, round: 0, value: N4 });
  c.deliver(isVote('precommit'));
  c.send([1, 2], { kind: 'precommit', from: 0, round: 0, value: N3 });
  c.send([3, 4], { kind: 'precommit', from: 0, round: 0, value: N4 });
  return c;
}

describe('an equivocating proposer (1.3 of 5.5)', () => {
  it('at quorum 1/2 forks the honest replicas: 3.6 and 3.2 are both over 2.75', () => {
    const c = equivocatingProposer(0.5);
    expect(c.locks.map(([p, , v]) => [p, v])).toEqual([
      [1, N3],
      [2, N3],
      [3, N4],
      [4, N4],
    ]);
    expect(c.decisions().slice(1)).toEqual([N3, N3, N4, N4]);
  });

  it('at more than 2/3 nobody locks (3.6 < 3.67) and the round ends on nil', () => {
    const c = equivocatingProposer(null);
    expect(c.locks).toEqual([]);
    expect(c.decisions().slice(1)).toEqual([NONE, NONE, NONE, NONE]);
    // 2f+1 prevotes of any kind arrived: each honest replica waits, then precommits nil.
    c.tick('prevote');
    for (const p of [1, 2, 3, 4]) expect(c.replicas[p]?.step).toBe('precommit');
    expect(c.pending.filter((m) => m.kind === 'precommit').map((m) => m.value)).toEqual([
      NIL,
      NIL,
      NIL,
      NIL,
    ]);
  });
});

describe('locks (lines 22-43)', () => {
  /**
   * Round 0: byzantine alpha proposes n3 to all; everyone prevotes n3, but only beta hears 2f+1
   * of them and locks; the others hear alpha's nil instead and precommit nil. Round 0 ends on
   * timeouts with beta alone locked on n3 (and holding it as its validValue).
   */
  function betaLockedOnN3(round1Proposer: number): Cluster {
    const c = new Cluster(
      WEIGHTS,
      null,
      [0, round1Proposer, 3, 4, 1],
      [N3, N4, N4, N4, N4],
      new Set([0]),
    );
    c.start();
    c.send([1, 2, 3, 4], { kind: 'proposal', from: 0, round: 0, value: N3, validRound: -1 });
    const prevotes = c.pending.filter((m) => m.kind === 'prevote');
    expect(prevotes.map((m) => m.value)).toEqual([N3, N3, N3, N3]);
    c.deliver((m) => m.kind === 'prevote', [1]);
    c.send([1], { kind: 'prevote', from: 0, round: 0, value: N3 });
    expect(c.locks).toEqual([[1, 0, N3]]);
    // The others got gamma's, delta's and epsilon's n3 (3.0) and alpha's nil: 2f+1 of any kind.
    for (const m of prevotes.filter((m) => m.from !== 1)) c.send([2, 3, 4], m);
    c.send([2, 3, 4], { kind: 'prevote', from: 0, round: 0, value: NIL });
    expect(c.locks).toHaveLength(1);
    c.tick('prevote');
    c.deliver(isVote('precommit'));
    c.send([1, 2, 3, 4], { kind: 'precommit', from: 0, round: 0, value: NIL });
    c.tick('precommit');
    for (const p of [1, 2, 3, 4]) expect(c.replicas[p]?.round).toBe(1);
    return c;
  }

  it('a locked replica prevotes nil on a fresh proposal of another value (line 23)', () => {
    const c = betaLockedOnN3(2); // gamma, unlocked, proposes its own n4 afresh
    expect(c.pending.filter((m) => m.kind === 'proposal')).toEqual([
      { kind: 'proposal', from: 2, round: 1, value: N4, validRound: -1 },
    ]);
    c.deliver((m) => m.kind === 'proposal');
    const prevotes = c.pending.filter((m) => m.kind === 'prevote' && m.round === 1);
    expect(prevotes.map((m) => [m.from, m.value])).toEqual([
      [1, NIL],
      [2, N4],
      [3, N4],
      [4, N4],
    ]);
  });

  it('a locked proposer re-proposes its valid value; 2f+1 prevotes of that round make others take it (line 28)', () => {
    const c = betaLockedOnN3(1);
    expect(c.pending.filter((m) => m.kind === 'proposal')).toEqual([
      { kind: 'proposal', from: 1, round: 1, value: N3, validRound: 0 },
    ]);
    c.deliver((m) => m.kind === 'proposal');
    // Gamma, delta and epsilon lack 2f+1 round-0 prevotes for n3: they wait for them.
    expect(c.pending.filter((m) => m.kind === 'prevote').map((m) => m.from)).toEqual([1]);
    // Beta's round-0 prevote reaches them late: now 4.2 > 3.67 for n3 in round 0.
    c.send([2, 3, 4], { kind: 'prevote', from: 1, round: 0, value: N3 });
    c.deliver(isVote('prevote'));
    c.deliver(isVote('precommit'));
    expect(c.decisions().slice(1)).toEqual([N3, N3, N3, N3]);
  });
});

describe('validity and counting', () => {
  it('an invalid proposal gets nil prevotes and is never decided', () => {
    const c = new Cluster(WEIGHTS, null, [0, 1, 2, 3, 4], [N999, N3, N3, N3, N3]);
    c.start();
    c.deliver((m) => m.kind === 'proposal');
    expect(c.pending.map((m) => m.value)).toEqual([NIL, NIL, NIL, NIL, NIL]);
    c.deliver(isVote('prevote'));
    c.deliver(isVote('precommit'));
    expect(c.decisions()).toEqual(WEIGHTS.map(() => NONE));
  });

  it("a sender's vote counts once however often it arrives (or whatever it says the second time)", () => {
    const c = new Cluster(WEIGHTS, null, [0, 1, 2, 3, 4], [N3, N3, N3, N3, N3], new Set([0]));
    c.start();
    // Only alpha (byzantine, 1.3) and beta (1.2) prevote n3: 2.5 < 3.67, however often alpha repeats.
    c.send([1, 2, 3, 4], { kind: 'proposal', from: 0, round: 0, value: N3, validRound: -1 });
    c.pending = c.pending.filter((m) => m.from === 1);
    c.deliver();
    for (let i = 0; i < 3; i++)
      c.send([1, 2, 3, 4], { kind: 'prevote', from: 0, round: 0, value: N3 });
    // Its second value counts once too, however often gossip brings it again.
    for (let i = 0; i < 2; i++)
      c.send([1, 2, 3, 4], { kind: 'prevote', from: 0, round: 0, value: N4 });
    expect(c.locks).toEqual([]);
    expect(c.replicas[2]?.tallyOf('prevote', 0)?.weightOf(N3)).toBeCloseTo(2.5);
    expect(c.replicas[2]?.tallyOf('prevote', 0)?.weightOf(N4)).toBeCloseTo(1.3);
  });

  it('the conflicting vote that completes a quorum is still evidence', () => {
    const c = new Cluster(WEIGHTS, null, [0, 1, 2, 3, 4], [N4, N4, N4, N4, N4], new Set([0]));
    c.start();
    c.pending = [];
    // Gamma hears alpha (byzantine) prevote n3, then beta, delta and epsilon prevote n4 (3.1 of
    // 5.5, under 3.67); alpha's n4 to others reaches gamma too and makes it 4.4: a quorum and
    // two signed, conflicting prevotes from alpha in one round.
    c.send([2], { kind: 'prevote', from: 0, round: 0, value: N3 });
    for (const from of [1, 3, 4]) c.send([2], { kind: 'prevote', from, round: 0, value: N4 });
    expect(c.evidence).toEqual([]);
    c.send([2], { kind: 'prevote', from: 0, round: 0, value: N4 });
    expect(c.replicas[2]?.tallyOf('prevote', 0)?.quorumValue).toBe(N4);
    expect(c.evidence).toEqual([[2, 0]]);
  });

  it('f+1 messages of a later round pull a lagging replica into it (line 55)', () => {
    const c = new Cluster(WEIGHTS, null, [0, 1, 2, 3, 4], [N3, N3, N3, N3, N3]);
    c.start();
    c.pending = [];
    expect(c.replicas[4]?.round).toBe(0);
    // Alpha and beta (2.5 > 1.83) are in round 2 already.
    c.send([4], { kind: 'prevote', from: 0, round: 2, value: NIL });
    expect(c.replicas[4]?.round).toBe(0);
    c.send([4], { kind: 'prevote', from: 1, round: 2, value: NIL });
    expect(c.replicas[4]?.round).toBe(2);
  });
});
