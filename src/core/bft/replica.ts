// One replica of one height, written as the `upon` rules of Tendermint's Algorithm 1 (Buchman,
// Kwon, Milosevic, "The latest gossip on BFT consensus", 2018); each rule cites its lines. Values
// are node ids, so a value and its id(v) are the same thing: a replica that holds 2f+1 votes for
// id(v) holds v, and the rules that wait for the PROPOSAL carrying v (36, 49) need not.
// "2f+1" is the configured quorum (the books' thresholds) and "f+1" its complement (host.skip).
import {
  type AddResult,
  CONFLICT,
  CROSSED,
  NIL,
  NONE,
  REPEAT,
  Tally,
  type VoteBook,
} from './tally.js';

export type Step = 'propose' | 'prevote' | 'precommit';
export type Judgement = 'accept' | 'reject' | 'pending';

/** What a replica needs from the height around it: the network, the timers and its own model. */
export interface ReplicaHost {
  /** The round bound: a replica gives up rather than start this round. */
  readonly rounds: number;
  readonly senders: number;
  proposer(round: number): number;
  /** getValue(): the value this replica's own model proposed; NIL when it has none. */
  getValue(p: number): number;
  /** valid(v) at a prevote: the validity predicate and the replica's own model's judgement. */
  judge(p: number, round: number, v: number): Judgement;
  /** valid(v) when locking and deciding: the validity predicate alone. */
  valid(p: number, v: number): boolean;
  skip(weight: number): boolean;
  /** Every replica's count for one step of one round (made on first use). */
  book(step: 'prevote' | 'precommit', round: number): VoteBook;
  broadcastProposal(p: number, round: number, v: number, validRound: number): void;
  broadcastVote(p: number, step: 'prevote' | 'precommit', round: number, v: number): void;
  schedule(p: number, step: Step, round: number): void;
  locked(p: number, round: number, v: number): void;
  decided(p: number, round: number, v: number): void;
  timedOut(p: number, step: Step, round: number): void;
  gaveUp(p: number): void;
  /** p holds two conflicting signed messages from `sender` for one step of one round. */
  conflicting(p: number, sender: number): void;
}

interface Proposal {
  value: number;
  validRound: number;
}

// Rules that fire "for the first time" only, per round.
const PREVOTE_TIMER = 1; // line 34
const LOCK_RULE = 2; // line 36
const PRECOMMIT_TIMER = 4; // line 47

export class Replica {
  // Lines 2-9 (h_p is the height this object lives for; decision_p[h_p] is `decision`).
  round = 0;
  step: Step = 'propose';
  decision = NONE;
  lockedValue = NIL;
  lockedRound = -1;
  validValue = NIL;
  validRound = -1;
  /** Past the round bound without deciding. */
  gaveUp = false;
  /** The last rule pass ran until no rule fired. */
  private settled = false;
  /** The round whose proposal waits for this replica's model to judge it. */
  private judging = -1;
  private readonly proposals: (Proposal | undefined)[] = [];
  private readonly prevotes: (Tally | undefined)[] = [];
  private readonly precommits: (Tally | undefined)[] = [];
  /** Per round: senders heard from (any message) and their weight, for line 55. */
  private readonly heard: (boolean[] | undefined)[] = [];
  private readonly heardWeight: number[] = [];
  private readonly once: number[] = [];

  constructor(
    readonly index: number,
    private readonly host: ReplicaHost,
  ) {}

  /** Line 10: upon start do StartRound(0). */
  start(): void {
    this.startRound(0);
  }

  /** Lines 11-21. */
  private startRound(round: number): void {
    if (round >= this.host.rounds) {
      this.gaveUp = true;
      this.host.gaveUp(this.index);
      return;
    }
    this.round = round; // 12
    this.step = 'propose'; // 13
    if (this.host.proposer(round) === this.index) {
      // 14-19: a proposer re-proposes what it saw 2f+1 prevote for, else its own model's value.
      const v = this.validValue !== NIL ? this.validValue : this.host.getValue(this.index);
      this.host.broadcastProposal(this.index, round, v, this.validRound);
    }
    // 21, for the proposer too: a proposer whose model gave it nothing to propose must move on.
    this.host.schedule(this.index, 'propose', round);
    this.advance();
  }

  /** A PROPOSAL arrived. The network is authenticated: `from` is the real sender. */
  onProposal(from: number, weight: number, round: number, value: number, validRound: number): void {
    if (round >= this.host.rounds || from !== this.host.proposer(round)) return;
    const had = this.proposals[round];
    if (had) {
      // The first proposal stands; a second, different one is the proposer's equivocation.
      if (had.value !== value) this.host.conflicting(this.index, from);
      return;
    }
    this.proposals[round] = { value, validRound };
    this.hear(from, weight, round);
    this.advance();
  }

  /** A PREVOTE or PRECOMMIT arrived. */
  onVote(
    step: 'prevote' | 'precommit',
    from: number,
    weight: number,
    round: number,
    v: number,
  ): void {
    if (round >= this.host.rounds) return;
    this.counted(step, from, weight, round, this.tally(step, round).add(from, v, weight));
  }

  /**
   * What follows a vote counted in this replica's row of the round's book: onVote counts it here,
   * a height's delivery loop counts most of them itself (see wants).
   */
  counted(
    step: 'prevote' | 'precommit',
    from: number,
    weight: number,
    round: number,
    added: AddResult,
  ): void {
    if (added === REPEAT) return;
    if (added & CONFLICT) this.host.conflicting(this.index, from);
    this.hear(from, weight, round);
    // Every vote-driven rule waits on a threshold (2f+1 of any kind, or for one value): a vote
    // that crossed none cannot enable a rule, so the rules are not run again for it. At 100
    // agents a replica counts 200 votes a round, nearly all of them below or past the quorum.
    if (!(added & CROSSED) && this.settled) return;
    if (step === 'precommit') this.tryDecide(round);
    this.advance();
  }

  /**
   * Whether a vote for `round` that was counted, crossed no threshold and was no conflict still
   * needs counted(): only when it comes from a later round (line 55) or the rules had not settled.
   */
  wants(round: number): boolean {
    return round > this.round || !this.settled;
  }

  /** The replica's model answered (judge no longer returns `pending`). */
  onJudged(): void {
    this.judging = -1;
    this.advance();
  }

  /** Lines 57-67: the timeouts. */
  onTimeout(step: Step, round: number): void {
    if (this.decision !== NONE || this.gaveUp || round !== this.round) return;
    switch (step) {
      case 'propose':
        // 58. A proposal already received waits for the replica's model however long it takes,
        // as CometBFT validates a complete proposal before prevoting; the timeout covers a
        // proposal that never came.
        if (this.step !== 'propose' || this.judging === round) return;
        this.host.timedOut(this.index, step, round);
        this.prevote(round, NIL); // 59-60
        break;
      case 'prevote':
        if (this.step !== 'prevote') return; // 62
        this.host.timedOut(this.index, step, round);
        this.precommit(round, NIL); // 63-64
        break;
      case 'precommit':
        this.host.timedOut(this.index, step, round);
        this.startRound(round + 1); // 66-67
        return;
      default: {
        const never: never = step;
        return never;
      }
    }
    this.advance();
  }

  /** After a crash the replica's timers are gone: it re-arms the one its step waits on. */
  resume(): void {
    if (this.decision === NONE && !this.gaveUp)
      this.host.schedule(this.index, this.step, this.round);
  }

  tallyOf(step: 'prevote' | 'precommit', round: number): Tally | undefined {
    return round < this.host.rounds ? this.tally(step, round) : undefined;
  }

  /** This replica's row of the round's book for `step`. */
  private tally(step: 'prevote' | 'precommit', round: number): Tally {
    const list = step === 'prevote' ? this.prevotes : this.precommits;
    let t = list[round];
    if (!t) {
      t = new Tally(this.host.book(step, round), this.index);
      list[round] = t;
    }
    return t;
  }

  private hear(from: number, weight: number, round: number): void {
    // Only a later round can pull this replica forward (line 55): the rest need no bookkeeping.
    if (round <= this.round) return;
    let seen = this.heard[round];
    if (!seen) {
      seen = new Array<boolean>(this.host.senders).fill(false);
      this.heard[round] = seen;
    }
    if (seen[from]) return;
    seen[from] = true;
    this.heardWeight[round] = (this.heardWeight[round] ?? 0) + weight;
    // Lines 55-56: f+1 senders are already in a later round, so at least one honest one is.
    if (this.decision === NONE && !this.gaveUp && this.host.skip(this.heardWeight[round] ?? 0))
      this.startRound(round);
  }

  /** Lines 49-54: 2f+1 PRECOMMITs for a valid v in any round decide it. */
  private tryDecide(round: number): void {
    const v = this.tally('precommit', round).quorumValue;
    if (this.decision !== NONE || v < 0 || !this.host.valid(this.index, v)) return;
    this.decision = v; // 51
    this.host.decided(this.index, round, v);
  }

  /** Applies the rules of the current round until none fires. */
  private advance(): void {
    for (let guard = 0; guard < 16 && this.decision === NONE && !this.gaveUp; guard++)
      if (!this.applyOneRule()) {
        this.settled = true;
        return;
      }
    // Cut off with rules still firing (or decided): the next vote runs them again.
    this.settled = false;
  }

  private applyOneRule(): boolean {
    const r = this.round;
    const proposal = this.proposals[r];
    const prevotes = this.tally('prevote', r);
    if (this.step === 'propose' && proposal) {
      const { value: v, validRound: vr } = proposal;
      // 22-27: a fresh proposal; the lock allows it only if unlocked or locked on v.
      if (vr === -1)
        return this.prevoteProposal(r, v, this.lockedRound === -1 || this.lockedValue === v);
      // 28-33: a re-proposal backed by 2f+1 prevotes in round vr; the lock allows it if not newer.
      if (vr >= 0 && vr < r && this.tally('prevote', vr).quorumValue === v)
        return this.prevoteProposal(r, v, this.lockedRound <= vr || this.lockedValue === v);
    }
    // 34-35: 2f+1 prevotes of any kind: wait a little more for the rest.
    if (this.step === 'prevote' && prevotes.anyQuorum && this.first(r, PREVOTE_TIMER)) {
      this.host.schedule(this.index, 'prevote', r);
      return true;
    }
    // 36-43: 2f+1 prevotes for a valid v: lock on it and precommit it (if still at prevote),
    // and remember it as the value to re-propose.
    const q = prevotes.quorumValue;
    if (
      this.step !== 'propose' &&
      q >= 0 &&
      this.host.valid(this.index, q) &&
      this.first(r, LOCK_RULE)
    ) {
      if (this.step === 'prevote') {
        this.lockedValue = q; // 38
        this.lockedRound = r; // 39
        this.host.locked(this.index, r, q);
        this.precommit(r, q); // 40-41
      }
      this.validValue = q; // 42
      this.validRound = r; // 43
      return true;
    }
    // 44-46: 2f+1 prevotes for nil.
    if (this.step === 'prevote' && q === NIL) {
      this.precommit(r, NIL);
      return true;
    }
    // 47-48: 2f+1 precommits of any kind: the round is ending, one way or the other.
    const precommits = this.tally('precommit', r);
    if (precommits.anyQuorum && this.first(r, PRECOMMIT_TIMER)) {
      this.host.schedule(this.index, 'precommit', r);
      return true;
    }
    return false;
  }

  /** Lines 23-27 / 29-33: prevote v if the lock allows it and valid(v), else nil. */
  private prevoteProposal(round: number, v: number, lockAllows: boolean): boolean {
    if (!lockAllows) {
      this.prevote(round, NIL);
      return true;
    }
    const judgement = this.host.judge(this.index, round, v);
    if (judgement === 'pending') {
      this.judging = round;
      return false;
    }
    this.prevote(round, judgement === 'accept' ? v : NIL);
    return true;
  }

  private prevote(round: number, v: number): void {
    this.host.broadcastVote(this.index, 'prevote', round, v);
    this.step = 'prevote';
  }

  private precommit(round: number, v: number): void {
    this.host.broadcastVote(this.index, 'precommit', round, v);
    this.step = 'precommit';
  }

  private first(round: number, rule: number): boolean {
    const done = this.once[round] ?? 0;
    if (done & rule) return false;
    this.once[round] = done | rule;
    return true;
  }
}
